import contextlib
import hashlib

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from mailqueue.tasks import MailNotQueued, send_mail_later
from web.ratelimit import client_ip
from web.validators import refuse_control_characters

from .models import ACCOUNT_PRIVACY_NOTICE_VERSION, PrivacyConsent, User


class SignUpForm(UserCreationForm):
    """A reader's account: a login name, the name shown with comments, an e-mail for resets."""

    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Used only to reset your password."), max_length=254
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "display_name", "email"]

    privacy_consent = forms.BooleanField(
        label=_("I agree to the collection and use of my personal information as set out above."),
        error_messages={
            "required": _("You must agree to sign up; without it we cannot keep your account.")
        },
    )

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

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            PrivacyConsent.objects.create(user=user, notice_version=ACCOUNT_PRIVACY_NOTICE_VERSION)
        return user


class LoginThrottleMixin:
    """Refuse logins after repeated failures, per account and per address, for a cool-off.

    Counts live in the shared cache, which every worker and server sees; a success clears
    the account's count. Brute force on one account and credential stuffing across many
    from one address both run into a wall.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts. Wait %(minutes)d minutes, then try again "
            "(or reset your password)."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").casefold()
        # Hashed: the name is whatever was typed, of any length and with any characters.
        account = hashlib.sha256(username.encode()).hexdigest()
        keys = [f"login-failures:user:{account}", f"login-failures:ip:{client_ip(self.request)}"]
        limits = [settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURES_PER_ADDRESS]
        shared = caches["shared"]
        counts = shared.get_many(keys)
        if any(counts.get(key, 0) >= limit for key, limit in zip(keys, limits, strict=True)):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_COOLOFF_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            for key in keys:
                shared.add(key, 0, settings.LOGIN_COOLOFF_SECONDS)
                shared.incr(key)
            raise
        shared.delete(keys[0])
        return cleaned


class LoginForm(LoginThrottleMixin, AuthenticationForm):
    pass


class AdminLoginForm(LoginThrottleMixin, AdminAuthenticationForm):
    pass


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, its mail handed to the queue: a mail server that is down delays it."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        # As Django does when sending fails (send_mail_later has logged it): the page must
        # not tell whether an account uses the address.
        with contextlib.suppress(MailNotQueued):
            send_mail_later(subject=subject, body=body, to=[to_email])
