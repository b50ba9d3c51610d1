from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from articles.forms import refuse_control_characters

from .models import User


class SignUpForm(UserCreationForm):
    """A reader's account: a login name, the name shown with comments, an e-mail for resets."""

    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Used only to reset your password."), max_length=254
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "display_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["display_name"].validators.append(refuse_control_characters)

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email
