from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Section

from .models import Subscriber


class SectionChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Section.objects.active(), required=False, **kwargs)


class ChoicesMixin:
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("wants_digest") and not cleaned.get("sections"):
            raise forms.ValidationError(
                _("Choose the daily digest or at least one section."), code="nothing_chosen"
            )
        return cleaned


class SubscribeForm(ChoicesMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    wants_digest = forms.BooleanField(
        label=_("Daily digest: every story of the day"), required=False, initial=True
    )
    sections = SectionChoices(
        label=_("Or only these sections"),
        help_text=_("Without the daily digest you get the day's stories of these sections."),
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree to the collection and use of my personal information as set out above."),
        error_messages={
            "required": _(
                "You must agree to sign up; without it we cannot send you the newsletter."
            )
        },
    )
    # Hidden from people, who leave it empty; bots that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def clean_email(self):
        return Subscriber.objects.normalize_email(self.cleaned_data["email"])

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ManageForm(ChoicesMixin, forms.ModelForm):
    sections = SectionChoices(label=_("Sections"))

    class Meta:
        model = Subscriber
        fields = ["wants_digest", "sections"]
        labels = {"wants_digest": _("Daily digest: every story of the day")}
