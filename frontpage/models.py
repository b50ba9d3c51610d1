"""What editors put on the front pages by hand: pinned stories and breaking news.

The home page and each section page show their pins first (the first one as the top
story), in the editors' order, until each pin's end; what is not pinned falls back to the
latest articles. A breaking-news flag puts a banner with the story's headline on every
public page until it ends. Both show only what ``Article.objects.published()`` lets the
public read, so a draft, a story still scheduled or a withdrawn one never appears.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section
from caching.signals import NotifyingQuerySet

# The top story and the headline slots under it, on each page.
PINS_PER_PAGE = 7
BREAKING_NEWS_HOURS = 1


class PinQuerySet(NotifyingQuerySet):
    def on(self, section: Section | None):
        """The pins of one page: a section's, or the home page's (None)."""
        if section is None:
            return self.filter(section__isnull=True)
        return self.filter(section=section)

    def live(self):
        """Pins not ended yet (whatever their article's state: the public sees only the
        published ones, see ``shown``)."""
        return self.filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=timezone.now()))

    def shown(self):
        """What the public sees: live pins of articles it may read, in the editors' order."""
        return self.live().filter(article__in=Article.objects.published())

    def next_end(self):
        """When the next pin ends (None if none will)."""
        return self.filter(ends_at__gt=timezone.now()).aggregate(at=models.Min("ends_at"))["at"]


class Pin(models.Model):
    """A story an editor put on the home page or a section page, in a slot, maybe until a time."""

    section = models.ForeignKey(
        Section,
        verbose_name=_("section page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="front_page_pins",
        help_text=_("Empty: the home page."),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="front_page_pins",
    )
    position = models.PositiveSmallIntegerField(
        _("place on the page"), default=0, help_text=_("The first place is the top story.")
    )
    ends_at = models.DateTimeField(
        _("pinned until"),
        null=True,
        blank=True,
        help_text=_("Empty: until an editor removes it."),
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pinned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned_at = models.DateTimeField(_("pinned at"), auto_now_add=True)

    objects = PinQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pinned_at", "pk"]
        verbose_name = _("pinned story")
        verbose_name_plural = _("front page editing")
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(section__isnull=True),
                name="frontpage_pin_once_on_home",
                violation_error_message=_("This article is already pinned on this page."),
            ),
            models.UniqueConstraint(
                fields=["section", "article"],
                condition=models.Q(section__isnull=False),
                name="frontpage_pin_once_per_section",
                violation_error_message=_("This article is already pinned on this page."),
            ),
        ]

    def __str__(self):
        return str(self.article)

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()


class BreakingNewsQuerySet(NotifyingQuerySet):
    def live(self):
        """Flags not ended yet, newest first."""
        return self.filter(ends_at__gt=timezone.now()).order_by("-starts_at", "-pk")

    def shown(self):
        """What the banner shows: live flags of articles the public may read."""
        return self.live().filter(article__in=Article.objects.published())

    def next_end(self):
        """When the next flag ends (None if none will)."""
        return self.live().aggregate(at=models.Min("ends_at"))["at"]


def default_breaking_end():
    return timezone.now() + timedelta(hours=BREAKING_NEWS_HOURS)


class BreakingNews(models.Model):
    """An article flagged as breaking news: a banner on every public page until it ends."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="breaking_news",
    )
    starts_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("breaking until"),
        default=default_breaking_end,
        help_text=_("The banner disappears by itself at this time (Korea time)."),
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("breaking news")
        verbose_name_plural = _("breaking news")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="frontpage_breaking_ends_after_start",
                violation_error_message=_("Breaking news cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return str(self.article)

    @property
    def is_live(self) -> bool:
        return self.ends_at > timezone.now()
