from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Anyone who signs in: readers, reporters, editors, moderators and ad staff."""

    display_name = models.CharField(
        _("display name"),
        max_length=40,
        blank=True,
        help_text=_("The name shown with this person's comments."),
    )

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username


# The 개인정보 수집·이용 동의 shown at sign-up (templates/registration/privacy_notice.html).
# Change the version whenever its text changes: each consent keeps the version agreed to.
ACCOUNT_PRIVACY_NOTICE_VERSION = "2026-12-01"


class PrivacyConsent(models.Model):
    """A reader's agreement to the collection and use of their personal information."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="privacy_consents"
    )
    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("agreed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.user} ({self.notice_version})"
