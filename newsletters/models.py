import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The 개인정보 수집·이용 동의 a subscriber agrees to. Change the version whenever the notice's
# text (templates/newsletters/includes/privacy_notice.html) changes: each subscriber keeps the
# version they agreed to.
PRIVACY_NOTICE_VERSION = "2026-12-01"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def for_digest(self):
        """Confirmed subscribers who get a daily mail: the whole digest, or their sections."""
        return (
            self.confirmed()
            .annotate(section_count=Count("sections"))
            .filter(Q(wants_digest=True) | Q(section_count__gt=0))
        )

    def with_email(self, email: str):
        return self.filter(email__iexact=email)

    @staticmethod
    def normalize_email(email: str) -> str:
        """Addresses are compared without case: one subscriber per mailbox."""
        return email.strip().lower()


class Subscriber(models.Model):
    """An address that asked for the newsletter, and what it agreed to."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("subscriber", "Waiting for confirmation")
        CONFIRMED = "confirmed", pgettext_lazy("subscriber", "Confirmed")
        UNSUBSCRIBED = "unsubscribed", pgettext_lazy("subscriber", "Unsubscribed")
        BOUNCED = "bounced", pgettext_lazy("subscriber", "Bounced")

    email = models.EmailField(_("e-mail"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    wants_digest = models.BooleanField(
        _("daily digest"), default=True, help_text=_("Every story of the day, all sections.")
    )
    sections = models.ManyToManyField(
        "articles.Section",
        verbose_name=_("sections"),
        blank=True,
        related_name="+",
        help_text=_("The day's stories of these sections only, when the whole digest is off."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    # Random, kept secret: part of every signed link, so that a new one can void the old links.
    key = models.CharField(max_length=43, default=secrets.token_urlsafe, editable=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    unsubscribed_from = models.ForeignKey(
        "Edition",
        verbose_name=_("unsubscribed from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unsubscribes",
    )
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=300, blank=True)
    consent_version = models.CharField(_("privacy notice agreed to"), max_length=20)
    consented_at = models.DateTimeField(_("consent given"))

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_email_unique"),
        ]

    def __str__(self):
        return self.email

    def unsubscribe(self, *, edition=None) -> None:
        if self.status in {self.Status.UNSUBSCRIBED, self.Status.BOUNCED}:
            return
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = timezone.now()
        self.unsubscribed_from = edition
        self.save(update_fields=["status", "unsubscribed_at", "unsubscribed_from"])

    def mark_bounced(self, reason: str) -> None:
        """A hard bounce: nothing more is sent to this address until it signs up again."""
        self.status = self.Status.BOUNCED
        self.bounced_at = timezone.now()
        self.bounce_reason = reason[:300]
        self.save(update_fields=["status", "bounced_at", "bounce_reason"])


class EditionQuerySet(models.QuerySet):
    def sent_digests(self):
        return self.filter(kind=Edition.Kind.DIGEST).exclude(status=Edition.Status.DRAFT)

    def with_counts(self):
        """Each edition's figures for the admin, in one query."""
        sends = "sends__status"
        return self.annotate(
            targeted=Count("sends", distinct=True),
            delivered=Count("sends", filter=Q(**{sends: Send.Status.SENT}), distinct=True),
            failed=Count("sends", filter=Q(**{sends: Send.Status.FAILED}), distinct=True),
            bounced=Count("sends", filter=Q(**{sends: Send.Status.BOUNCED}), distinct=True),
            unsubscribe_count=Count("unsubscribes", distinct=True),
        )


class Edition(models.Model):
    """One newsletter: the daily digest of a day, or a breaking-news edition of one story."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        BREAKING = "breaking", _("Breaking news")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("edition", "Not sent yet")
        SENDING = "sending", pgettext_lazy("edition", "Being sent")
        SENT = "sent", pgettext_lazy("edition", "Sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    editor_note = models.TextField(
        _("editor's note"),
        blank=True,
        max_length=2000,
        help_text=_("Shown above the stories, as plain text."),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A digest holds the stories published after the previous digest's covers_until, up to its own.
    covers_until = models.DateTimeField(_("stories up to"), null=True, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    site_url = models.URLField(_("site address"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-created_at"]
        permissions = [("send_edition", _("Can send newsletters"))]
        constraints = [
            # Never two digests the same day, whoever (cron or an editor) sends them.
            models.UniqueConstraint(
                fields=["issue_date"],
                condition=Q(kind="digest"),
                name="one_digest_per_day",
            ),
            # One draft digest at a time: the next one, which editors annotate.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="digest", status="draft"),
                name="one_next_digest",
            ),
            models.UniqueConstraint(
                fields=["article"], condition=Q(kind="breaking"), name="one_breaking_per_article"
            ),
        ]

    def __str__(self):
        return self.subject or str(self.get_kind_display())


class Send(models.Model):
    """One edition to one subscriber: whether it went out."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("newsletter send", "Waiting")
        SENT = "sent", pgettext_lazy("newsletter send", "Sent")
        FAILED = "failed", pgettext_lazy("newsletter send", "Failed")
        BOUNCED = "bounced", pgettext_lazy("newsletter send", "Bounced")
        SKIPPED = "skipped", pgettext_lazy("newsletter send", "Not sent: no longer for them")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sends")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="sends")
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("send")
        verbose_name_plural = _("sends")
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="one_send_per_edition")
        ]

    def __str__(self):
        return f"{self.edition} → {self.subscriber}"
