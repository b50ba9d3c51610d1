from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article


class ComplianceWarning(models.Model):
    """A warning the compliance check gave an editor about to publish an article, and
    whether they went ahead (portals/compliance.py says what each kind means)."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("Re-sending a recent article")
        HEADLINE = "headline", _("Keywords repeated in the headline")
        ADVERTISEMENT = "advertisement", _("Looks like an advertisement")
        REWRITE = "rewrite", _("Rewritten under the same address")
        ORIGIN = "origin", _("Origin does not fit")
        CATEGORY = "category", _("Portal category does not fit")

    class Step(models.TextChoices):
        PUBLISH = "publish", pgettext_lazy("compliance step", "Publishing")
        SCHEDULE = "schedule", pgettext_lazy("compliance step", "Scheduling")
        EMBARGO = "embargo", pgettext_lazy("compliance step", "Embargo")
        EDIT = "edit", pgettext_lazy("compliance step", "Editing a published article")

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="compliance_warnings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    detail = models.TextField(_("detail"))
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("warned at"), auto_now_add=True)
    went_ahead = models.BooleanField(_("went ahead"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("compliance warning")
        verbose_name_plural = _("compliance warnings")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"


class IndexNowPing(models.Model):
    """One notice to one IndexNow endpoint that addresses changed (published, updated,
    taken down), sent by the task worker with retries; the send log editors read."""

    class Reason(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("indexnow", "Published or updated")
        REMOVED = "removed", pgettext_lazy("indexnow", "Taken down or deleted")

    class State(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("indexnow", "Waiting")
        RETRYING = "retrying", pgettext_lazy("indexnow", "Failed, will be tried again")
        SENT = "sent", pgettext_lazy("indexnow", "Sent")
        FAILED = "failed", pgettext_lazy("indexnow", "Not sent")
        CANCELLED = "cancelled", pgettext_lazy("indexnow", "Called off")

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    urls = models.JSONField(_("addresses"), default=list)
    endpoint = models.URLField(_("endpoint"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    due_at = models.DateTimeField(_("due"), help_text=_("When it is sent (Korea time)."))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last attempt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("IndexNow ping")
        verbose_name_plural = _("IndexNow pings")

    def __str__(self):
        return f"{self.endpoint} {', '.join(self.urls)}"


class PartnershipReport(Article):
    """The partnership report's place in the admin's menu (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("partnership report")
        verbose_name_plural = _("partnership report")
