import html
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.functions import Cast, Coalesce, Concat, Greatest, Substr
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from caching import versions
from caching.signals import NotifyingQuerySet
from images.pictures import (
    PictureField,
    delete_stored_on_commit,
    encode,
    reencode_upload,
    resized,
    stored_url,
)
from web.addresses import address_of
from web.conditions import holds

from .sanitize import sanitize_body
from .search_text import TEXT_FIELDS, SearchTextField, SearchTextQuerySetMixin

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
        # Without autolink TipTap's link mark is not inclusive: typing right after a link
        # writes plain text instead of stretching the link over it.
        "Link": {
            "enableTarget": False,
            "protocols": ["http", "https", "mailto"],
            "autolink": False,
        },
        "Figure": True,
        "Image": True,
        "Caption": True,
        "BodyPhoto": True,
        "History": True,
        # Tables and video/map embeds: static/js/admin/body_extensions.js, articles/embeds.py.
        "NewsTable": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        "TablePaste": True,
        "Embed": True,
    }
}


def article_version(article_id: int) -> str:
    """The version of what only this article's page shows (its comments, comments_open)."""
    return f"article:{article_id}"


# What the lead, made from the body's start, leaves out, and where one block of text ends.
LEFT_OUT_OF_LEAD = re.compile(r"<(figure|table|iframe)\b.*?(</\1>|$)", flags=re.S | re.IGNORECASE)
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|div)>|<br\s*/?>", flags=re.IGNORECASE)


class PortalCategory(models.TextChoices):
    """The news categories the portals (Naver, Daum) file a partner's articles under; the
    ones a trade daily writes for. docs/portals.md."""

    ECONOMY = "economy", pgettext_lazy("portal category", "Economy")
    INDUSTRY = "industry", pgettext_lazy("portal category", "Industry")
    IT_SCIENCE = "it_science", pgettext_lazy("portal category", "IT/Science")
    SOCIETY = "society", pgettext_lazy("portal category", "Society")
    POLITICS = "politics", pgettext_lazy("portal category", "Politics")
    WORLD = "world", pgettext_lazy("portal category", "World")
    LIFE_CULTURE = "life_culture", pgettext_lazy("portal category", "Life/Culture")
    LOCAL = "local", pgettext_lazy("portal category", "Local")
    OPINION = "opinion", pgettext_lazy("portal category", "Opinion")


class Origin(models.TextChoices):
    """Where an article's text comes from, as the portals' partnership reviews count it."""

    OWN = "own", pgettext_lazy("article origin", "Own reporting")
    WIRE = "wire", pgettext_lazy("article origin", "Wire")
    PRESS_RELEASE = "press_release", pgettext_lazy("article origin", "Press release")
    CONTRIBUTION = "contribution", pgettext_lazy("article origin", "Contribution")


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
    portal_category = models.CharField(
        _("portal category"),
        max_length=20,
        choices=PortalCategory.choices,
        default=PortalCategory.INDUSTRY,
        help_text=_("The portal category this section's new articles get unless editors pick one."),
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address_of("articles:section", self.slug)

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
        # As the lead photo or inside the body (articles/body_photos.py).
        in_body = Concat(
            models.Value('data-photo-id="'),
            Cast(models.OuterRef("pk"), models.CharField()),
            models.Value('"'),
        )
        shown_in = Article.objects.filter(
            models.Q(lead_photo=models.OuterRef("pk")) | models.Q(body__contains=in_body)
        )
        own_unpublished = authored_by(user) & ~models.Q(status=Article.Status.PUBLISHED)
        return self.filter(
            models.Q(uploaded_by=user) | models.Exists(shown_in.filter(authored_by(user)))
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
        replaced = []
        if self.image and not self.image._committed:
            if self.pk and (before := Photo.objects.filter(pk=self.pk).first()):
                replaced = before.stored_names()  # a new picture for this photo
            content, image = reencode_upload(self.image)
            self.image.save(content.name, content, save=False)
            self.renditions = self._make_renditions(image)
        super().save(*args, **kwargs)
        delete_stored_on_commit(replaced)

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

    def stored_names(self) -> list[str]:
        """The uploaded picture and every rendition made of it, as stored."""
        renditions = [r[ext] for r in self.renditions for ext in ("webp", "jpg") if ext in r]
        return [self.image.name, *renditions]

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
    needs no cron). Both ArticleQuerySet.published() and Article.is_published ask this.
    An article under embargo is held back until its embargo lifts, whatever else it says."""
    return models.Q(status=Article.Status.PUBLISHED, published_at__lte=moment) & (
        models.Q(embargo_until__isnull=True) | models.Q(embargo_until__lte=moment)
    )


def authored_by(user) -> models.Q:
    """The articles ``user`` writes: as their lead reporter or as a co-author (ArticleAuthor).
    Whatever a reporter may do to their "own" article asks this."""
    return models.Q(reporter__user=user) | models.Exists(
        ArticleAuthor.objects.filter(article=models.OuterRef("pk"), reporter__user=user)
    )


def awaiting(user) -> models.Q:
    """What waits for this person: stories in review for editors, their own returned
    stories for reporters. The admin lists these first and counts them in its menu."""
    if user.has_perm("articles.publish_article"):
        return models.Q(status=Article.Status.REVIEW)
    return models.Q(status=Article.Status.RETURNED) & authored_by(user)


def desk_time(moment) -> str:
    """A time as the desk reads it: in the site's time zone (KST), to the minute."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _reads_since(days: int):
    """The first day of the last ``days`` days of reads, today included."""
    return timezone.localdate() - timedelta(days=days - 1)


class ArticleQuerySet(SearchTextQuerySetMixin, NotifyingQuerySet):
    def published(self):
        """What the public may read now (published_by)."""
        return self.filter(published_by(timezone.now()))

    def scheduled(self):
        """Published for a time still to come, or under an embargo that has not lifted:
        they appear by themselves then."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED).filter(
            models.Q(published_at__gt=now) | models.Q(embargo_until__gt=now)
        )

    def embargoed(self):
        """Scheduled under an embargo still in force: nobody but the desk's editors sees them."""
        return self.filter(status=Article.Status.PUBLISHED, embargo_until__gt=timezone.now())

    def next_publication(self):
        """When the next scheduled or embargoed article falls due (None if none is): until
        then, what is published changes only when an article is saved."""
        due = Greatest("published_at", Coalesce("embargo_until", "published_at"))
        return self.scheduled().aggregate(at=models.Min(due))["at"]

    def in_section(self, section):
        return self.filter(section=section)

    def waiting_for(self, user):
        return self.filter(awaiting(user))

    def by_reporter(self, reporter):
        """The articles ``reporter`` wrote, as lead reporter or as a co-author.

        The co-authored ones are few, and read first (one small query): ``reporter = 5 OR
        id IN (12, 40)`` lets PostgreSQL count through both indexes and walk the newest
        articles checking each row. Asked as subqueries, either the count read the whole
        table (OR with EXISTS: 37.7 ms at 10,000 articles) or, with ``id IN (a UNION)``,
        the first page compared each article walked with every one of the reporter's
        (14 ms for 1,100; 0.3 ms this way; docs/scale.md)."""
        coauthored = ArticleAuthor.objects.filter(reporter=reporter)
        ids = list(coauthored.values_list("article_id", flat=True))
        return self.filter(models.Q(reporter=reporter) | models.Q(pk__in=ids))

    def editable_by(self, user):
        """The articles a staff member may change: all for editors, their own (as lead
        reporter or co-author) for reporters."""
        if user.has_perm("articles.edit_any_article"):
            return self
        if user.has_perm("articles.change_article"):
            return self.filter(authored_by(user))
        return self.none()

    def for_listing(self):
        """For lists of articles: no bodies, only the start of one for a missing summary."""
        return (
            self.select_related("section", "reporter", "lead_photo")
            .defer("body", "search_text")
            .annotate(body_start=Substr("body", 1, LEAD_SOURCE_LENGTH))
            .order_by("-published_at")
        )

    def most_read(self, *, days: int):
        """Published articles by their reads over the last ``days`` days, today included."""
        return (
            self.published()
            .filter(daily_views__date__gte=_reads_since(days))
            .annotate(recent_views=models.Sum("daily_views__views"))
            .order_by("-recent_views", "-published_at")
        )

    def top_read(self, *, days: int, limit: int):
        """The ``limit`` most-read of most_read(), each with its ``recent_views``: ranked by
        their ids and reads alone, so that only these rows are built. Grouping whole rows
        (with joins, or the start of the body) by their reads builds every article read in
        those days (1,000 in a week at 10,000 articles: 44 ms of SQL, 7 ms this way)."""
        ranked = (
            self.most_read(days=days).values("pk").annotate(reads=models.Sum("daily_views__views"))
        )
        reads = (
            DailyViews.objects.filter(article=models.OuterRef("pk"), date__gte=_reads_since(days))
            .values("article")
            .annotate(reads=models.Sum("views"))
            .values("reads")
        )
        return (
            self.filter(pk__in=ranked.order_by("-reads", "-published_at").values("pk")[:limit])
            .annotate(recent_views=models.Subquery(reads))
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
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

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
    origin = models.CharField(
        _("origin"),
        max_length=20,
        choices=Origin.choices,
        default=Origin.OWN,
        help_text=_("Where the text comes from; the portals count own reporting."),
    )
    portal_category = models.CharField(
        _("portal category"),
        max_length=20,
        choices=PortalCategory.choices,
        blank=True,
        help_text=_("Leave empty for the section's portal category."),
    )
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
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Under embargo the article appears nowhere, and only editors may open it, "
            "until this time; it then publishes itself. Set by the embargo step."
        ),
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
    # Title, subtitle and the body's text without markup, for search (articles/search_text.py).
    search_text = SearchTextField()
    search_tags = models.TextField(default="", blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["view_count", "comment_count", "version", "search_text", "search_tags"],
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
            # The embargo is in the index too (PostgreSQL; other databases leave it out): what
            # the public may read is then counted from the index alone, without reading each
            # article's row (a section's pages, the sitemap's).
            models.Index(
                fields=["status", "-published_at"],
                name="article_published_idx",
                include=["embargo_until"],
            ),
            models.Index(
                fields=["section", "status", "-published_at"],
                name="article_section_idx",
                include=["embargo_until"],
            ),
            models.Index(
                fields=["reporter", "status", "-published_at"], name="article_reporter_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.version += 1
        if "search_text" in self.get_deferred_fields():
            self.search_text = ""  # loaded, so that a save of the loaded fields makes it anew
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and TEXT_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        if not self.portal_category and self.section_id:
            self.portal_category = self.section.portal_category
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "portal_category"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address_of("articles:detail", self.pk, self.slug)

    def get_short_url(self):
        """The address people share, copy and e-mail: short, with no slug to encode, and
        redirecting to get_absolute_url() (which may change with the title)."""
        return address_of("articles:detail_short", self.pk)

    @property
    def is_published(self) -> bool:
        return holds(published_by(timezone.now()), self)

    @property
    def is_scheduled(self) -> bool:
        """Set to be published, but not readable yet."""
        return self.status == self.Status.PUBLISHED and not self.is_published

    @property
    def is_embargoed(self) -> bool:
        """Scheduled under an embargo that has not lifted (only editors may see it)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.embargo_until is not None
            and self.embargo_until > timezone.now()
        )

    @property
    def stage(self) -> str:
        """The status as the desk speaks of it: a published article not yet due is scheduled,
        or embargoed when an embargo holds it back."""
        if self.is_embargoed:
            return EMBARGOED
        return SCHEDULED if self.is_scheduled else self.status

    def may_see_unpublished(self, user) -> bool:
        """Whether ``user`` may open this article before the public may (its page, a preview
        link): staff who may edit it, and for an embargoed one editors only."""
        if not user.is_staff:
            return False
        if self.is_embargoed and not user.has_perm("articles.publish_article"):
            return False
        return Article.objects.editable_by(user).filter(pk=self.pk).exists()

    def get_stage_display(self) -> str:
        return STAGE_LABELS[self.stage]

    def may_take(self, action: str, user) -> bool:
        """Whether ``user`` is someone who takes this step on this article (whatever its state)."""
        if WORKFLOW[action].editors_only:
            return user.has_perm("articles.publish_article")
        return self.is_written_by(user) and user.has_perm("articles.change_article")

    def is_written_by(self, user) -> bool:
        """Whether ``user`` is this article's lead reporter or one of its co-authors."""
        if self.reporter is not None and self.reporter.user_id == user.pk:
            return True
        return bool(self.pk) and self.authors.filter(reporter__user=user).exists()

    def byline_groups(self) -> list[tuple[str, list]]:
        """The byline as Korean papers write it: the lead reporter and the other reporting
        co-authors first, then 사진=, 영상=, 정리=, each group's names in order (a name
        appears once per role)."""
        groups: dict[str, list] = {role: [] for role in ArticleAuthor.Role.values}
        if self.reporter is not None:
            groups[ArticleAuthor.Role.REPORTING].append(self.reporter)
        credited = self.authors.all() if self.pk is not None else []
        for author in credited:  # ordered; prefetched where pages show it
            if author.reporter not in groups[author.role]:
                groups[author.role].append(author.reporter)
        return [(role, reporters) for role, reporters in groups.items() if reporters]

    @property
    def all_authors(self) -> list:
        """Every reporter credited on the article, once each, lead reporter first."""
        seen = []
        for _role, reporters in self.byline_groups():
            seen += [reporter for reporter in reporters if reporter not in seen]
        return seen

    def byline_html(self) -> SafeString:
        """The byline with each name linking to the reporter's page."""
        groups = []
        for role, reporters in self.byline_groups():
            before, _names, after = BYLINE_FORMATS[role]().partition("%(names)s")
            if len(reporters) == 1:  # "홍길동 기자" is one link, as on a one-reporter story
                (reporter,) = reporters
                groups.append(
                    format_html(
                        '{}<a href="{}" rel="author">{}{}</a>',
                        before,
                        reporter.get_absolute_url(),
                        reporter.name,
                        after,
                    )
                )
                continue
            names = format_html_join(
                "·",
                '<a href="{}" rel="author">{}</a>',
                ((reporter.get_absolute_url(), reporter.name) for reporter in reporters),
            )
            groups.append(format_html("{}{}{}", before, names, after))
        return format_html_join(" ", "{}", ((group,) for group in groups))

    def byline_text(self) -> str:
        """The byline in plain text, for feeds and meta tags."""
        return " ".join(
            BYLINE_FORMATS[role]() % {"names": "·".join(reporter.name for reporter in reporters)}
            for role, reporters in self.byline_groups()
        )

    def allows(self, action: str) -> bool:
        """Whether the article's state lets the step be taken now."""
        return self.stage in WORKFLOW[action].starts_from

    def steps_for(self, user) -> list[str]:
        """The steps ``user`` may take on this article now, in the order the desk takes them."""
        return [
            action for action in WORKFLOW if self.may_take(action, user) and self.allows(action)
        ]

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
        # A photo's caption, a table's cells and a video are not the story's first words
        # (the start may cut one off).
        body = LEFT_OUT_OF_LEAD.sub("", body)
        # Paragraphs end with a space between them; the text is plain text, not HTML
        # (templates and feeds escape it once).
        text = html.unescape(strip_tags(BLOCK_END.sub(" ", body)))
        return Truncator(" ".join(text.split())).chars(200)

    def related_articles(self, limit: int = 6) -> list["Article"]:
        """Editor-picked first, then the latest sharing a tag; never itself or unpublished.

        Only what the list shows is loaded: a title, a date and the address. The article's
        tags are read once for this and the page's tag list (prefetched).
        """
        shown = ("id", "slug", "title", "published_at")
        public = Article.objects.published().exclude(pk=self.pk).order_by("-published_at")
        picks = Article.related.through.objects.filter(from_article_id=self.pk)
        picked = list(public.filter(pk__in=picks.values("to_article_id")).only(*shown)[:limit])
        models.prefetch_related_objects([self], "tags")
        tag_ids = [tag.pk for tag in self.tags.all()]
        if len(picked) < limit and tag_ids:
            # A semi-join rather than a join with DISTINCT: the database walks the newest
            # published articles by index and stops at the first few tagged ones.
            tagged = TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Article), tag_id__in=tag_ids
            )
            picked += list(
                public.filter(pk__in=tagged.values("object_id"))
                .exclude(pk__in=[a.pk for a in picked])
                .only(*shown)[: limit - len(picked)]
            )
        return picked


class ArticleAuthor(models.Model):
    """A co-author of an article besides its lead reporter, with the part they took."""

    class Role(models.TextChoices):
        REPORTING = "reporting", pgettext_lazy("byline role", "Reporting")
        PHOTO = "photo", pgettext_lazy("byline role", "Photo")
        VIDEO = "video", pgettext_lazy("byline role", "Video")
        EDITING = "editing", pgettext_lazy("byline role", "Editing")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="authors"
    )
    reporter = models.ForeignKey(
        "reporters.Reporter",
        verbose_name=_("reporter"),
        on_delete=models.CASCADE,
        related_name="credits",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.REPORTING)
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Names in one role are listed in this order.")
    )

    objects = NotifyingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reporter", "role"], name="one_credit_per_role"
            )
        ]

    def __str__(self):
        return f"{self.reporter} ({self.get_role_display()})"


# How each role's names read in a byline ("홍길동·김영희 기자", "사진=박사진 기자").
BYLINE_FORMATS = {
    ArticleAuthor.Role.REPORTING: lambda: gettext("%(names)s Reporter"),
    ArticleAuthor.Role.PHOTO: lambda: gettext("Photo: %(names)s Reporter"),
    ArticleAuthor.Role.VIDEO: lambda: gettext("Video: %(names)s Reporter"),
    ArticleAuthor.Role.EDITING: lambda: gettext("Edited by %(names)s Reporter"),
}


class CorrectionQuerySet(NotifyingQuerySet):
    def public(self):
        """Corrections on articles the public may read, newest first."""
        return (
            self.filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-published_at", "-pk")
        )


class Correction(models.Model):
    """A dated note an editor appends to a published article; the text itself stays as it
    was (its revisions keep it)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", pgettext_lazy("correction kind", "Correction")
        FACT_CORRECTION = "fact", pgettext_lazy("correction kind", "Corrected report")
        REPLY = "reply", pgettext_lazy("correction kind", "Right of reply")
        FOLLOW_UP = "follow_up", pgettext_lazy("correction kind", "Follow-up report")

    class Placement(models.TextChoices):
        TOP = "top", _("Above the article")
        BOTTOM = "bottom", _("Below the article")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.CORRECTION,
        help_text=_(
            "Correction: a plain mistake put right. Corrected report: a report found untrue, "
            "corrected (as the Press Arbitration Act provides). Right of reply: the other "
            "side's account. Follow-up report: how a case reported as a crime ended."
        ),
    )
    text = models.TextField(
        _("text"),
        max_length=2000,
        help_text=_("What was wrong and what is right; shown as written, without formatting."),
    )
    placement = models.CharField(
        pgettext_lazy("correction", "placement"),
        max_length=6,
        choices=Placement.choices,
        default=Placement.TOP,
    )
    published_at = models.DateTimeField(
        pgettext_lazy("correction", "date"), default=timezone.now, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("correction", "by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        indexes = [models.Index(fields=["-published_at"], name="correction_newest_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


# A published article whose time has not come: not a status of its own, but a stage the desk
# names (Article.stage) and the workflow starts from.
SCHEDULED = "scheduled"
# A scheduled article held back under an embargo (엠바고): marked and counted down in the desk.
EMBARGOED = "embargoed"
STAGE_LABELS = {
    **dict(Article.Status.choices),
    SCHEDULED: _("Scheduled to publish"),
    EMBARGOED: _("Under embargo"),
}


class ArticleEvent(models.Model):
    """One workflow step taken on an article: who took it, when, and the note that came with it."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        RETURN = "return", _("Returned")
        PUBLISH = "publish", _("Published")
        SCHEDULE = "schedule", _("Scheduled to publish")
        EMBARGO = "embargo", _("Put under embargo")
        WITHDRAW = "withdraw", _("Withdrawn")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    publish_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("When a published or scheduled article went or goes live."),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        indexes = [models.Index(fields=["article", "at"], name="article_event_timeline_idx")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article}"

    def audience(self):
        """Who is told of this step: the editors of a submitted story, its reporter and
        co-authors of the rest; never the person who took it."""
        users = get_user_model().objects
        if self.action == self.Action.SUBMIT:
            told = users.with_perm("articles.publish_article").filter(is_staff=True)
        else:
            co_authors = ArticleAuthor.objects.filter(article=self.article_id)
            writers = models.Q(pk__in=co_authors.values("reporter__user"))
            if self.article.reporter and self.article.reporter.user_id:
                writers |= models.Q(pk=self.article.reporter.user_id)
            told = users.filter(writers, is_active=True)
        return told.exclude(pk=self.actor_id)

    def sentence(self) -> str:
        """The step in words, for notifications and mail (in the active language)."""
        params = {
            "actor": self.actor or _("Someone"),
            "title": self.article.title,
            "time": self.publish_at and desk_time(self.publish_at),
        }
        return SENTENCES[self.action] % params


SENTENCES = {
    ArticleEvent.Action.SUBMIT: _("%(actor)s submitted “%(title)s” for review."),
    ArticleEvent.Action.RETURN: _("%(actor)s returned “%(title)s” to you."),
    ArticleEvent.Action.PUBLISH: _("%(actor)s published “%(title)s”."),
    ArticleEvent.Action.SCHEDULE: _(
        "%(actor)s scheduled “%(title)s” to be published at %(time)s (Korea time)."
    ),
    ArticleEvent.Action.EMBARGO: _(
        "%(actor)s put “%(title)s” under embargo until %(time)s (Korea time)."
    ),
    ArticleEvent.Action.WITHDRAW: _("%(actor)s withdrew “%(title)s” from the site."),
}


@dataclass(frozen=True)
class Step:
    """A workflow step: the stages it may start from, the status it leads to, and whether
    editors (articles.publish_article) take it or the story's own reporter."""

    starts_from: frozenset[str]
    leads_to: str
    editors_only: bool


NOT_PUBLIC = frozenset(
    {Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.RETURNED, Article.Status.WITHDRAWN}
)
WORKFLOW = {
    ArticleEvent.Action.SUBMIT: Step(
        frozenset({Article.Status.DRAFT, Article.Status.RETURNED, Article.Status.WITHDRAWN}),
        Article.Status.REVIEW,
        editors_only=False,
    ),
    ArticleEvent.Action.RETURN: Step(
        frozenset({Article.Status.REVIEW}), Article.Status.RETURNED, editors_only=True
    ),
    # An editor may publish a story that skipped review (the screen says so), or bring a
    # scheduled one forward.
    # Publishing or scheduling an embargoed story lifts its embargo.
    ArticleEvent.Action.PUBLISH: Step(
        NOT_PUBLIC | {SCHEDULED, EMBARGOED}, Article.Status.PUBLISHED, editors_only=True
    ),
    ArticleEvent.Action.SCHEDULE: Step(
        NOT_PUBLIC | {SCHEDULED, EMBARGOED}, Article.Status.PUBLISHED, editors_only=True
    ),
    ArticleEvent.Action.EMBARGO: Step(
        NOT_PUBLIC | {SCHEDULED, EMBARGOED}, Article.Status.PUBLISHED, editors_only=True
    ),
    ArticleEvent.Action.WITHDRAW: Step(
        frozenset({Article.Status.PUBLISHED, SCHEDULED, EMBARGOED}),
        Article.Status.WITHDRAWN,
        editors_only=True,
    ),
}
# Publishing many stories at once takes only those the desk has looked at: submitted ones
# and ones taken down before. Drafts and returned stories are published one by one.
BULK_PUBLISHABLE = frozenset({Article.Status.REVIEW, Article.Status.WITHDRAWN})


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Tells one staff member in the admin of a workflow step that concerns them."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.ForeignKey(
        ArticleEvent,
        verbose_name=_("workflow step"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.event.sentence()


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


class ArticleAutosaveQuerySet(models.QuerySet):
    def pending(self, *, user, article: Article | None) -> "ArticleAutosave | None":
        """The writer's autosaved text worth offering back: for a new article any, for a
        stored one only if it is newer than the article's last save."""
        autosaves = self.filter(user=user, article=article)
        if article is not None:
            autosaves = autosaves.filter(saved_at__gt=article.updated_at)
        return autosaves.first()


class ArticleAutosave(models.Model):
    """What a writer had typed into an article (or a new one) the last time the writing
    screen autosaved it; never part of the article until they save the article."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    fields = models.JSONField(_("text fields"), default=dict)
    saved_at = models.DateTimeField(_("autosaved at"), default=timezone.now)

    objects = ArticleAutosaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("autosaved text")
        verbose_name_plural = _("autosaved texts")
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_autosave_per_article"),
            # NULLs are distinct in the constraint above: a new article needs its own.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="one_new_article_autosave",
            ),
        ]

    def __str__(self):
        return self.fields.get("title") or str(_("(no title)"))
