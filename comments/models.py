from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

from caching import versions
from caching.models import OneRow
from caching.signals import NotifyingQuerySet
from web.conditions import holds
from web.templatetags.web import minute

# The 1,000-character rule (DESIGN.md): code points, after \r\n -> \n.
COMMENT_MAX_LENGTH = 1000


def normalize_newlines(text: str) -> str:
    """Line endings as the browser counts them: every \r\n or lone \r becomes \n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def votes_version(article_id: int) -> str:
    """Moved on by every vote: like counts show in the thread, not in the page's own version
    (pages take a vote up within PAGE_CACHE_SECONDS; a spreading story is not re-rendered
    per vote)."""
    return f"votes:{article_id}"


# Moved on by every change to any ban: what a reader is told in the comment box is cached
# per reader under it (``shown_ban_for``).
BANS_VERSION = "comment-bans"
BAN_CACHE_SECONDS = 10 * 60


def is_moderator(user) -> bool:
    # Moderators are staff: readers' pages need no permission queries.
    return user.is_staff and user.has_perm("comments.moderate_comments")


class CommentRules(OneRow):
    """The outlet's comment rules: who may comment, how often, when reports hide a comment.
    One row, edited in the admin."""

    cache_key = "comments:rules"

    allow_guest_comments = models.BooleanField(
        _("allow guest comments"),
        default=True,
        help_text=_(
            "Visitors who are not logged in may comment under a nickname and a password, "
            "with which they can edit or delete their comment later."
        ),
    )
    comment_interval_seconds = models.PositiveSmallIntegerField(
        _("seconds between comments"),
        default=15,
        help_text=_("Flood control: one comment per reader or address in this many seconds."),
    )
    comment_reports_to_hide = models.PositiveSmallIntegerField(
        _("reports that hide a comment"),
        default=5,
        help_text=_("A comment is hidden automatically once this many readers report it."),
    )

    class Meta:
        verbose_name = _("comment rules")
        verbose_name_plural = _("comment rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="comment_rules_singleton")
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


# How many of a comment's reports no moderator has dealt with yet.
OPEN_REPORTS = models.Count("reports", filter=models.Q(reports__resolved=False))


class CommentQuerySet(NotifyingQuerySet):
    def visible(self):
        return self.filter(VISIBLE)

    def not_deleted(self):
        return self.filter(NOT_DELETED)

    def shown_to(self, user):
        return self.filter(comments_shown_to(user))

    def by(self, user):
        return self.filter(user=user)

    def moderation_queue(self):
        """Every comment, reported ones first (most open reports first), then the newest."""
        return self.annotate(open_reports=OPEN_REPORTS).order_by(
            "-open_reports", "-created_at", "-id"
        )


class Comment(models.Model):
    """A reader's comment on an article (나도 한마디), or a reply to one."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a moderator")
        DELETED = "deleted", _("Deleted")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    guest_name = models.CharField(_("guest nickname"), max_length=20, blank=True)
    # A hash made by Django's password hashers, never the password itself. Empty for readers'
    # comments and for guest comments written before guests chose passwords: only
    # moderators can change those.
    guest_password = models.CharField(
        _("guest password"), max_length=128, blank=True, editable=False
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    likes = models.PositiveIntegerField(_("likes"), default=0, editable=False)
    dislikes = models.PositiveIntegerField(_("dislikes"), default=0, editable=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [
            (
                "moderate_comments",
                _("Can moderate comments: see hidden ones, hide, restore, close threads"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), COMMENT_MAX_LENGTH),
                name="comment_body_max_length",
            ),
            models.CheckConstraint(condition=~models.Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(guest_name=""),
                name="comment_has_an_author",
            ),
        ]
        indexes = [
            models.Index(
                fields=["article", "parent", "status", "-created_at"], name="comment_thread_idx"
            ),
            # A thread's pages, newest first: walked in order, stopping at a page's end.
            models.Index(
                fields=["article", "-created_at", "-id"],
                condition=models.Q(parent=None),
                name="comment_page_idx",
            ),
            models.Index(fields=["user", "-created_at"], name="comment_user_idx"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def author_name(self) -> str:
        return self.user.public_name if self.user_id else self.guest_name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def guest_may_manage(self) -> bool:
        """Whether a guest can edit or delete this comment with its password."""
        return self.is_guest and bool(self.guest_password)

    @property
    def is_visible(self) -> bool:
        return holds(VISIBLE, self)

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN

    def is_shown_to(self, user) -> bool:
        """Whether ``user`` sees this comment in the thread, or a placeholder in its place."""
        return holds(comments_shown_to(user), self)


# Who sees which comments, for the queries (CommentQuerySet) and for a comment in hand.
# Every reader sees the visible ones.
VISIBLE = models.Q(status=Comment.Status.VISIBLE)
# A comment is never erased (DESIGN.md): deleted ones stay, seen by nobody. The rest,
# visible or hidden by a moderator, are still there for their authors and for moderators.
NOT_DELETED = ~models.Q(status=Comment.Status.DELETED)


def comments_shown_to(user) -> models.Q:
    """What a reader sees in a thread; moderators see hidden comments as well."""
    return NOT_DELETED if is_moderator(user) else VISIBLE


class CommentVote(models.Model):
    """One reader's like (+1) or dislike (-1) of a comment; one per reader."""

    class Value(models.IntegerChoices):
        LIKE = 1, _("Like")
        DISLIKE = -1, _("Dislike")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("comment vote")
        verbose_name_plural = _("comment votes")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_vote_per_reader"),
        ]

    def __str__(self):
        return f"{self.user} {self.value:+d} {self.comment_id}"


class CommentReportQuerySet(models.QuerySet):
    def open(self):
        """Reports no moderator has dealt with yet."""
        return self.filter(resolved=False)


class CommentReport(models.Model):
    """A reader's report (신고) of a comment; one per reader and comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abuse or hate speech")
        PRIVACY = "privacy", _("Personal information")
        FALSE = "false", _("False information")
        OTHER = "other", _("Other")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    detail = models.CharField(_("details"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved = models.BooleanField(
        _("resolved"), default=False, help_text=_("Checked once a moderator has dealt with it.")
    )

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_report_per_reader"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment}"


def active_bans() -> models.Q:
    """Bans in force now: not lifted, and either with no end or ending later. Expiry needs no
    job: every check asks this at the moment it is made."""
    return models.Q(lifted_at__isnull=True) & (
        models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
    )


class CommentBanQuerySet(NotifyingQuerySet):
    def active(self):
        return self.filter(active_bans())


class CommentBan(models.Model):
    """A reader barred from commenting for a term: no posting, replying, voting or editing.
    Bans are kept after they end, as the reader's history."""

    # The terms a moderator chooses from, in days; None is a ban with no end.
    TERMS = [
        (1, pgettext_lazy("moderation", "1 day")),
        (7, pgettext_lazy("moderation", "7 days")),
        (30, pgettext_lazy("moderation", "30 days")),
        (None, pgettext_lazy("moderation", "Permanent")),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="comment_bans",
    )
    # The same reasons readers report comments for.
    reason = models.CharField(
        _("reason"),
        max_length=10,
        choices=CommentReport.Reason.choices,
        default=CommentReport.Reason.OTHER,
    )
    note = models.CharField(
        _("note to the reader"),
        max_length=300,
        blank=True,
        help_text=_("Shown to the reader with the reason, in the comment box."),
    )
    expires_at = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Leave empty for a permanent ban.")
    )
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("banned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("banned"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommentBanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comment ban")
        verbose_name_plural = _("comment bans")

    def __str__(self):
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return holds(active_bans(), self)

    @property
    def term_days(self) -> int | None:
        """The term chosen when banning, in days (None: permanent)."""
        if self.expires_at is None:
            return None
        return round((self.expires_at - self.created_at) / timedelta(days=1))

    @property
    def term_label(self) -> str:
        return self.label_for_term(self.term_days)

    @classmethod
    def label_for_term(cls, days: int | None) -> str:
        """1일, 7일, 영구 …: a term as people read it."""
        labels = dict(cls.TERMS)
        if days in labels:
            return str(labels[days])
        return npgettext("moderation", "%(days)d day", "%(days)d days", days) % {"days": days}

    @property
    def reason_text(self) -> str:
        """The reason as the reader and the desk read it: the label, then the note."""
        label = self.get_reason_display()
        return f"{label}: {self.note}" if self.note else str(label)

    @property
    def notice(self) -> str:
        """What the barred reader is told wherever they would comment."""
        until = (
            _("You can comment again from %(time)s.") % {"time": minute(self.expires_at)}
            if self.expires_at
            else _("The ban has no end date.")
        )
        return " ".join(
            [
                str(_("You have been barred from commenting.")),
                str(_("Reason: %(reason)s.") % {"reason": self.reason_text}),
                str(until),
            ]
        )


def active_ban_for(user) -> CommentBan | None:
    """The ban keeping this reader from commenting now (the longest, if several)."""
    if not user.is_authenticated:
        return None
    return (
        CommentBan.objects.active()
        .filter(user=user)
        .order_by(models.F("expires_at").desc(nulls_first=True))
        .first()
    )


def shown_ban_for(user) -> CommentBan | None:
    """``active_ban_for``, for the comment box a logged-in reader sees on every article:
    cached per reader until any ban changes, instead of a query on every page. What the
    reader may do is still checked against the database (comments.services)."""
    if not user.is_authenticated:
        return None
    ban = versions.cached(
        f"comments:ban:{user.pk}",
        (BANS_VERSION,),
        lambda: active_ban_for(user),
        BAN_CACHE_SECONDS,
    )
    # The longest ban has run out: so have the others (bans end by time, with no job).
    return ban if ban is not None and holds(active_bans(), ban) else None
