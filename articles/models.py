from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from caching import versions
from caching.signals import NotifyingQuerySet
from images.pictures import PictureField, encode, reencode_upload, resized, stored_url
from web.conditions import holds

from .sanitize import sanitize_body

# How much of a body lists read to make a lead when the summary is empty.
LEAD_SOURCE_LENGTH = 1000

# Widths of the photo renditions made at upload, for srcset.
RENDITION_WIDTHS = (480, 800, 1200)

BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        "Figure": True,
        "Image": True,
        "Caption": True,
        "History": True,
    }
}


def article_version(article_id: int) -> str:
    """The version of what only this article's page shows (its comments, comments_open)."""
    return f"article:{article_id}"


class SectionQuerySet(NotifyingQuerySet):
    def active(self):
        """The sections readers see: an inactive one leaves the navigation, its page and feed."""
        return self.filter(is_active=True)


class Section(models.Model):
    """A desk of the paper, such as Industry or Policy; its articles get a page."""

    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in this order.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive sections leave the navigation.")
    )
    legacy_code = models.CharField(
        _("old site's section code"),
        max_length=20,
        blank=True,
        help_text=_(
            "The sc_section_code of this section on the old site, so its links still work."
        ),
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])

    @classmethod
    def navigation(cls) -> list["Section"]:
        """The active sections in order, cached: every page's navigation shows them."""
        return versions.cached(
            "articles:nav-sections",
            (versions.SITE,),
            lambda: list(cls.objects.active()),
            versions.SETTLED_SECONDS,
        )


class PhotoQuerySet(NotifyingQuerySet):
    def editable_by(self, user):
        """The photos a staff member may change: all for editors. A reporter may change
        those they uploaded or their articles show, unless another reporter's article or
        a published one shows them: changing a photo changes every story that shows it."""
        if user.has_perm("articles.edit_any_article"):
            return self
        if not user.has_perm("articles.change_photo"):
            return self.none()
        shown_in = Article.objects.filter(lead_photo=models.OuterRef("pk"))
        own_unpublished = models.Q(reporter__user=user) & ~models.Q(status=Article.Status.PUBLISHED)
        return self.filter(
            models.Q(uploaded_by=user) | models.Exists(shown_in.filter(reporter__user=user))
        ).exclude(models.Exists(shown_in.exclude(own_unpublished)))


class Photo(models.Model):
    """A picture with its caption and credit; renditions are made once, at upload."""

    image = PictureField(
        _("image"), upload_to="photos/%Y/%m/", width_field="width", height_field="height"
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=100,
        blank=True,
        help_text=_('For example: <span lang="ko">사진=홍길동 기자</span>'),
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=200,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    renditions = models.JSONField(editable=False, default=list)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            content, image = reencode_upload(self.image)
            self.image.save(content.name, content, save=False)
            self.renditions = self._make_renditions(image)
        super().save(*args, **kwargs)

    def _make_renditions(self, image) -> list[dict]:
        stem = self.image.name.rsplit(".", 1)[0]
        widths = [w for w in RENDITION_WIDTHS if w < image.width] + [min(image.width, 1600)]
        renditions = []
        for width in widths:
            scaled = resized(image, width)
            entry = {"width": scaled.width, "height": scaled.height}
            for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg")):
                name = default_storage.save(
                    f"{stem}-{scaled.width}.{ext}", ContentFile(encode(scaled, fmt))
                )
                entry[ext] = name
            renditions.append(entry)
        return renditions

    def srcset(self, ext: str = "jpg") -> str:
        return ", ".join(f"{stored_url(r[ext])} {r['width']}w" for r in self.renditions if ext in r)

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpg")

    @property
    def fallback_url(self) -> str:
        """A mid-sized JPEG for old browsers, feeds and Open Graph."""
        if not self.renditions:
            return self.image.url
        fitting = [r for r in self.renditions if r["width"] <= 1200] or self.renditions
        return stored_url(fitting[-1]["jpg"])


def published_by(moment) -> models.Q:
    """What the public may read at ``moment``: published, and its time has come (scheduling
    needs no cron). Both ArticleQuerySet.published() and Article.is_published ask this."""
    return models.Q(status=Article.Status.PUBLISHED, published_at__lte=moment)


class ArticleQuerySet(NotifyingQuerySet):
    def published(self):
        """What the public may read now (published_by)."""
        return self.filter(published_by(timezone.now()))

    def next_publication(self):
        """When the next scheduled article falls due (None if none is): until then, what
        is published changes only when an article is saved."""
        upcoming = self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return upcoming.aggregate(at=models.Min("published_at"))["at"]

    def in_section(self, section):
        return self.filter(section=section)

    def by_reporter(self, reporter):
        return self.filter(reporter=reporter)

    def editable_by(self, user):
        """The articles a staff member may change: all for editors, their own for reporters."""
        if user.has_perm("articles.edit_any_article"):
            return self
        if user.has_perm("articles.change_article"):
            return self.filter(reporter__user=user)
        return self.none()

    def for_listing(self):
        """For lists of articles: no bodies, only the start of one for a missing summary."""
        return (
            self.select_related("section", "reporter", "lead_photo")
            .defer("body")
            .annotate(body_start=Substr("body", 1, LEAD_SOURCE_LENGTH))
            .order_by("-published_at")
        )

    def most_read(self, *, days: int):
        """Published articles by their reads over the last ``days`` days, today included."""
        since = timezone.localdate() - timedelta(days=days - 1)
        return (
            self.published()
            .filter(daily_views__date__gte=since)
            .annotate(recent_views=models.Sum("daily_views__views"))
            .order_by("-recent_views", "-published_at")
        )


class RevisionTags(models.Model):
    """The tags an article had when a revision of it was saved (taggit's tags are not a
    many-to-many field that django-simple-history could record by itself). None in the
    revisions saved before tags were recorded."""

    tag_names = models.JSONField(_("tags"), null=True, default=None, editable=False)

    class Meta:
        abstract = True


class Article(models.Model):
    """A news story: written and scheduled in the admin, read on the public site."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Submitted for review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        help_text=_("The readable part of the address; the number before it is what counts."),
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    reporter = models.ForeignKey(
        "reporters.Reporter",
        verbose_name=_("reporter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    lead_photo = models.ForeignKey(
        Photo,
        verbose_name=_("lead photo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"),
        max_length=500,
        blank=True,
        help_text=_(
            "Shown in lists, feeds, search results and shared links. "
            "Leave empty to use the start of the body."
        ),
    )
    body = ProseEditorField(_("body"), config=BODY_EDITOR, sanitize=sanitize_body)
    tags = TaggableManager(_("tags"), blank=True)
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related articles"),
        symmetrical=False,
        blank=True,
        help_text=_(
            'Shown first under <span lang="ko">관련기사</span>; articles sharing tags follow.'
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the article: it appears by itself then."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)
    comments_open = models.BooleanField(_("comments open"), default=True)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    legacy_id = models.PositiveBigIntegerField(
        _("old site's article number"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The idxno of this article on the old site, so its links still work."),
    )
    # Kept by the comments app so lists show counts without a join.
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    # Optimistic locking: a save made from an older version than the stored one is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["view_count", "comment_count", "version"],
        m2m_fields=[related],
        bases=[RevisionTags],
        verbose_name=_("article revision"),
        verbose_name_plural=_("article revisions"),
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish and schedule articles")),
            ("edit_any_article", _("Can edit every reporter's articles")),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            models.Index(
                fields=["reporter", "status", "-published_at"], name="article_reporter_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.version += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.pk, self.slug])

    @property
    def is_published(self) -> bool:
        return holds(published_by(timezone.now()), self)

    @property
    def is_scheduled(self) -> bool:
        """Set to be published, but not readable yet."""
        return self.status == self.Status.PUBLISHED and not self.is_published

    @property
    def modified_at(self):
        """The last change as search engines and feeds are told it: never before the
        publication time (a scheduled article is edited before it appears)."""
        return max(self.updated_at, self.published_at or self.updated_at)

    @property
    def was_modified(self) -> bool:
        """Changed after it was published (shown as 기사수정)."""
        return bool(
            self.published_at and self.updated_at - self.published_at > timedelta(minutes=1)
        )

    @property
    def lead(self) -> str:
        """The summary, or the start of the body when the editor left it empty."""
        if self.summary:
            return self.summary
        # Lists load only the start of the body (ArticleQuerySet.for_listing).
        body = self.__dict__.get("body_start") or self.body
        return Truncator(strip_tags(body).replace("&nbsp;", " ")).chars(200)

    def related_articles(self, limit: int = 6) -> list["Article"]:
        """Editor-picked first, then the latest sharing a tag; never itself or unpublished.

        Only what the list shows is loaded: a title, a date and the address.
        """
        shown = ("id", "slug", "title", "published_at")
        picked = list(
            self.related.published()
            .exclude(pk=self.pk)
            .order_by("-published_at")
            .only(*shown)[:limit]
        )
        if len(picked) < limit:
            # A semi-join rather than a join with DISTINCT: the database walks the newest
            # published articles by index and stops at the first few tagged ones.
            articles = TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Article)
            )
            tagged = articles.filter(tag__in=articles.filter(object_id=self.pk).values("tag"))
            picked += list(
                Article.objects.published()
                .filter(pk__in=tagged.values("object_id"))
                .exclude(pk__in=[self.pk, *(a.pk for a in picked)])
                .order_by("-published_at")
                .only(*shown)[: limit - len(picked)]
            )
        return picked


class DailyViews(models.Model):
    """How often an article was read on one day (site time zone), for the most-read lists."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    date = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["article", "date"], name="one_row_per_article_day")
        ]
        indexes = [models.Index(fields=["date", "-views"], name="daily_views_ranking_idx")]

    def __str__(self):
        return f"{self.article_id} {self.date}: {self.views}"
