from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from web.validators import refuse_control_characters


class EmailArticleForm(forms.Form):
    """Send one article to one address; the sender controls no header."""

    recipient = forms.EmailField(label=_("Recipient's e-mail"), max_length=254)
    sender_name = forms.CharField(
        label=_("Your name"), max_length=40, validators=[refuse_control_characters]
    )
    message = forms.CharField(
        label=_("Short message"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_control_characters],
    )

    def clean_sender_name(self):
        name = self.cleaned_data["sender_name"]
        if "\n" in name or "\r" in name:
            raise ValidationError(_("The name must be on one line."))
        return name


class ArticleAutosaveForm(forms.Form):
    """The writing screen's text fields as they stand, autosaved while the writer types.
    Nothing is refused for length here: half-written text is kept as it is."""

    title = forms.CharField(required=False, strip=False)
    subtitle = forms.CharField(required=False, strip=False)
    summary = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False)
