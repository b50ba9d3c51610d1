import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.forms import refuse_control_characters

from .models import COMMENT_MAX_LENGTH, Comment, CommentBan, CommentReport, normalize_newlines


def whole_number(value: str | None) -> int | None:
    """A whole number people sent (a query or a hidden field), or None for anything else."""
    # isdigit() alone also takes digits such as "²" that int() refuses.
    return int(value) if value and value.isascii() and value.isdigit() else None


class CommentBodyField(forms.CharField):
    """Comment text, counted as the browser counter counts it (see COMMENT_MAX_LENGTH)."""

    widget = forms.Textarea

    def __init__(self, **kwargs):
        # No max_length (so no HTML maxlength): browsers count UTF-16 units there,
        # and a reader's emoji would be cut short of the real limit.
        super().__init__(label=_("Comment"), validators=[refuse_control_characters], **kwargs)

    def to_python(self, value):
        return super().to_python(normalize_newlines(value or ""))

    def validate(self, value):
        super().validate(value)
        # Spaces, line breaks and invisible characters (zero-width space, joiners) say nothing.
        if not any(unicodedata.category(char)[0] not in "ZC" for char in value):
            raise ValidationError(_("Write something before posting."), code="required")
        if len(value) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                _("A comment can be at most %(limit)s characters; this one has %(count)s.")
                % {"limit": f"{COMMENT_MAX_LENGTH:,}", "count": f"{len(value):,}"},
                code="max_length",
            )

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "rows": 4, "data-comment-limit": COMMENT_MAX_LENGTH}


# A guest's password: short enough to type on a phone, as Korean news sites ask for.
GUEST_PASSWORD_MIN_LENGTH = 4
GUEST_PASSWORD_MAX_LENGTH = 64


class GuestPasswordField(forms.CharField):
    """The password a guest chose for a comment. Spaces count: it is compared as typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Password"))
        kwargs.setdefault("widget", forms.PasswordInput(attrs={"autocomplete": "off"}))
        super().__init__(
            strip=False,
            max_length=GUEST_PASSWORD_MAX_LENGTH,
            error_messages={
                "required": _("Enter the password."),
                "min_length": _("Use at least %(limit_value)d characters."),
            },
            **kwargs,
        )


class CommentForm(forms.Form):
    """A new comment or reply; a logged-in reader's name comes from the account."""

    body = CommentBodyField()
    guest_name = forms.CharField(
        label=_("Nickname"),
        max_length=20,
        required=False,
        validators=[refuse_control_characters],
    )
    guest_password = GuestPasswordField(
        label=_("Password"),
        help_text=_("You need it to edit or delete your comment later."),
        min_length=GUEST_PASSWORD_MIN_LENGTH,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see: bots fill it in, and their comments are refused.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            del self.fields["guest_name"]
            del self.fields["guest_password"]
        else:
            self.fields["guest_name"].required = True
            self.fields["guest_password"].required = True

    def clean_guest_name(self):
        name = " ".join(self.cleaned_data["guest_name"].split())
        if not name:
            raise ValidationError(_("Enter a nickname."), code="required")
        return name

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(_("Your comment looks like spam and was not posted."))
        return ""


class GuestCommentEditForm(forms.Form):
    """A guest's edit: the comment's password and the new text."""

    password = GuestPasswordField()
    body = CommentBodyField()


class GuestCommentDeleteForm(forms.Form):
    password = GuestPasswordField()


class CommentEditForm(forms.ModelForm):
    body = CommentBodyField()

    class Meta:
        model = Comment
        fields = ["body"]


class CommentReportForm(forms.ModelForm):
    class Meta:
        model = CommentReport
        fields = ["reason", "detail"]
        widgets = {"reason": forms.RadioSelect, "detail": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detail"].validators.append(refuse_control_characters)


# The term field's value for a ban with no end (CommentBan.TERMS calls it None).
PERMANENT_TERM = "permanent"


class CommentBanForm(forms.Form):
    """Barring readers from commenting: a reason from the list, a note, a term."""

    reason = forms.ChoiceField(
        label=pgettext_lazy("moderation", "Reason"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the reader"),
        max_length=CommentBan._meta.get_field("note").max_length,
        required=False,
        help_text=_("Optional, unless the reason is Other. The reader sees it with the reason."),
        validators=[refuse_control_characters],
    )
    term = forms.TypedChoiceField(
        label=pgettext_lazy("moderation", "Term"),
        choices=[(str(days or PERMANENT_TERM), label) for days, label in CommentBan.TERMS],
        coerce=lambda term: None if term == PERMANENT_TERM else int(term),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how long the ban lasts.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Choose a reason.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CommentReport.Reason.OTHER and not cleaned.get("note"):
            self.add_error("note", _("Say why in the note when the reason is Other."))
        return cleaned


class ReaderBanForm(CommentBanForm):
    """Barring one reader, chosen on the form or given by the queue."""

    user = forms.ModelChoiceField(
        label=_("Reader's username"),
        queryset=get_user_model().objects.filter(is_staff=False),
        to_field_name="username",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("As the queue shows it after @."),
        error_messages={
            "required": _("Enter the username of the reader to bar."),
            "invalid_choice": _("No reader has that username (staff accounts cannot be barred)."),
        },
    )

    field_order = ["user", "reason", "note", "term"]
