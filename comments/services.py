"""Everything that changes comments, with the rules readers and moderators live by."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from web.ratelimit import hit, over_limit

from .models import (
    Comment,
    CommentBan,
    CommentReport,
    CommentRules,
    CommentVote,
    active_ban_for,
)

# The same text again from the same author within this time is refused as a duplicate.
DUPLICATE_WINDOW = timedelta(minutes=10)
# Wrong guest passwords allowed before a pause: from one address (whichever comments it
# tries), and on one comment (whichever addresses try it), each per window.
GUEST_PASSWORD_FAILURES_PER_ADDRESS = 5
GUEST_PASSWORD_FAILURES_PER_COMMENT = 20
GUEST_PASSWORD_WINDOW_SECONDS = 15 * 60


class CommentRefused(Exception):
    """A rule refused the request; the message is for the reader, status for the response."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def ensure_not_banned(user) -> None:
    if ban := active_ban_for(user):
        raise CommentRefused(ban.notice, status=403)


def comment_post(
    *,
    article: Article,
    user,
    body: str,
    guest_name: str = "",
    guest_password: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
) -> Comment:
    """Post a comment or a reply, enforcing closed threads, bans, flood and duplicates.

    A guest's password is kept only as a hash (Django's password hashers), to check later.
    """
    rules = CommentRules.current()
    if not article.comments_open:
        raise CommentRefused(_("Comments on this article are closed."), status=403)
    if user.is_authenticated:
        ensure_not_banned(user)
    elif not rules.allow_guest_comments:
        raise CommentRefused(_("Log in to comment."), status=403)
    if parent is not None:
        if parent.article_id != article.pk or not parent.is_visible:
            raise CommentRefused(_("The comment you are replying to is not available."))
        parent = parent.parent or parent  # one level of replies

    author = Q(user=user) if user.is_authenticated else Q(user=None, ip_address=ip_address)
    if Comment.objects.filter(
        author, article=article, body=body, created_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).exists():
        raise CommentRefused(_("You have already posted this comment."))

    who = f"user:{user.pk}" if user.is_authenticated else f"ip:{ip_address}"
    interval = rules.comment_interval_seconds
    if interval and not hit(f"comment:{who}", limit=1, period=interval):
        raise CommentRefused(
            _("You are commenting too quickly. Please wait %(seconds)d seconds and try again.")
            % {"seconds": interval},
            status=429,
        )

    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            user=user if user.is_authenticated else None,
            guest_name="" if user.is_authenticated else guest_name,
            guest_password=(
                make_password(guest_password)
                if guest_password and not user.is_authenticated
                else ""
            ),
            body=body,
            ip_address=ip_address,
        )
        refresh_comment_count(article.pk)
    return comment


def comment_edit(*, comment: Comment, body: str) -> Comment:
    if comment.user is not None:  # guests are not banned; they have no account to bar
        ensure_not_banned(comment.user)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def guest_password_check(*, comment: Comment, password: str, ip_address: str | None) -> None:
    """Let a guest manage their comment only with its password; refuse a comment written
    without one, and pause whoever keeps guessing (the counts live in the shared cache, so
    they hold across every worker)."""
    if not comment.guest_may_manage:
        raise CommentRefused(
            _("This comment was posted without a password; only moderators can change it."),
            status=403,
        )
    limits = [
        (f"guest-password:address:{ip_address}", GUEST_PASSWORD_FAILURES_PER_ADDRESS),
        (f"guest-password:comment:{comment.pk}", GUEST_PASSWORD_FAILURES_PER_COMMENT),
    ]
    if any(over_limit(key, limit=limit) for key, limit in limits):
        raise CommentRefused(
            _("Too many wrong passwords. Please try again in %(minutes)d minutes.")
            % {"minutes": GUEST_PASSWORD_WINDOW_SECONDS // 60},
            status=429,
        )

    def upgrade(raw: str) -> None:  # a hash made with older settings is made again
        Comment.objects.filter(pk=comment.pk).update(guest_password=make_password(raw))

    if not check_password(password, comment.guest_password, setter=upgrade):
        for key, limit in limits:
            hit(key, limit=limit, period=GUEST_PASSWORD_WINDOW_SECONDS)
        raise CommentRefused(_("The password is not correct."), status=403)


def set_status(comment_pks, status: str) -> int:
    """Hide, restore or delete comments (never a hard delete) and keep the counts right."""
    with transaction.atomic():
        changed = Comment.objects.filter(pk__in=comment_pks).exclude(status=status)
        article_ids = set(changed.values_list("article_id", flat=True))
        count = changed.update(status=status)
        for article_id in sorted(article_ids):  # one lock order for every request
            refresh_comment_count(article_id)
    return count


@dataclass(frozen=True)
class Moderation:
    """What a moderator's decision changed: comments whose status changed, reports resolved."""

    comments: int
    reports: int


def comments_moderate(*, comments, status: str) -> Moderation:
    """A moderator hides, restores or deletes comments.

    The decision deals with every open report on them, whichever way it goes (hiding upholds
    the reports, restoring rejects them), so a decided comment leaves the top of the queue.
    Hiding by enough readers' reports (comment_report) resolves nothing: a moderator still
    decides. Restoring keeps a visible comment and brings back a hidden one; a deleted one
    stays deleted (its author may have deleted it).
    """
    decided = Comment.objects.filter(pk__in=[comment.pk for comment in comments])
    if status == Comment.Status.VISIBLE:
        decided = decided.not_deleted()
    with transaction.atomic():
        pks = list(decided.values_list("pk", flat=True))
        reports = CommentReport.objects.open().filter(comment__in=pks).update(resolved=True)
        changed = set_status(pks, status)
    return Moderation(comments=changed, reports=reports)


def comment_delete(*, comment: Comment) -> None:
    set_status([comment.pk], Comment.Status.DELETED)


def comment_vote(*, comment: Comment, user, value: int) -> None:
    """Like or dislike; voting the other way changes the vote, the same way again takes it back."""
    ensure_not_banned(user)
    with transaction.atomic():
        vote = CommentVote.objects.select_for_update().filter(comment=comment, user=user).first()
        if vote is None:
            try:
                with transaction.atomic():
                    CommentVote.objects.create(comment=comment, user=user, value=value)
            except IntegrityError:
                return  # the same reader's other request voted a moment ago
            _count(comment, value, +1)
        elif vote.value == value:
            vote.delete()
            _count(comment, value, -1)
        else:
            vote.value = value
            vote.save(update_fields=["value", "created_at"])
            _count(comment, value, +1)
            _count(comment, -value, -1)


def _count(comment: Comment, value: int, change: int) -> None:
    field = "likes" if value == CommentVote.Value.LIKE else "dislikes"
    Comment.objects.filter(pk=comment.pk).update(**{field: F(field) + change})


def comment_report(*, comment: Comment, user, reason: str, detail: str = "") -> bool:
    """File a reader's report once; hide the comment when enough readers agree.

    Returns False when this reader had already reported the comment.
    """
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, user=user, reason=reason, detail=detail)
    except IntegrityError:
        return False
    threshold = CommentRules.current().comment_reports_to_hide
    open_reports = CommentReport.objects.open().filter(comment=comment)
    if threshold and comment.is_visible and open_reports.count() >= threshold:
        set_status([comment.pk], Comment.Status.HIDDEN)
    return True


def comments_ban(
    *, users, banned_by, reason: str, days: int | None, note: str = ""
) -> list[CommentBan]:
    """Bar readers from commenting for ``days`` (None: with no end). A reader's ban in force
    gives way to the new one, which ends it; both stay in the reader's history."""
    now = timezone.now()
    expires_at = now + timedelta(days=days) if days is not None else None
    with transaction.atomic():
        CommentBan.objects.active().filter(user__in=users).update(
            lifted_at=now, lifted_by=banned_by
        )
        return [
            CommentBan.objects.create(
                user=user, reason=reason, note=note, expires_at=expires_at, banned_by=banned_by
            )
            for user in users
        ]


def comment_ban_lift(*, ban: CommentBan, lifted_by) -> bool:
    """End a ban now, before its term; False if it had already ended."""
    lifted = (
        CommentBan.objects.active()
        .filter(pk=ban.pk)
        .update(lifted_at=timezone.now(), lifted_by=lifted_by)
    )
    return bool(lifted)


def set_comments_open(*, article: Article, is_open: bool) -> None:
    Article.objects.filter(pk=article.pk).update(comments_open=is_open)


def refresh_comment_count(article_id: int) -> None:
    """Recount an article's visible comments (the change shows: comments.signals)."""
    with transaction.atomic():
        # The article is locked before counting, so a comment saved meanwhile by another
        # request waits here and counts with ours instead of being overwritten by our total.
        # "No key" leaves comments free to point at the article while we count.
        locked = Article.objects.select_for_update(no_key=True).filter(pk=article_id)
        list(locked.values_list("pk"))
        count = Comment.objects.visible().filter(article_id=article_id).aggregate(n=Count("pk"))
        locked.update(comment_count=count["n"])
