"""Reading a comment thread: one page of comments with their replies and the reader's votes."""

import re
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import article_version
from caching import versions
from caching.csrf import own_token_field, shared_token_field, with_own_csrf_token
from web.jinja2 import render_part

from .html import comment_text, comment_url
from .models import (
    NOT_DELETED,
    VISIBLE,
    Comment,
    CommentVote,
    comments_shown_to,
    is_moderator,
    votes_version,
)

THREAD_PAGE_SIZE = 20
SORTS = {
    "new": ["-created_at", "-id"],
    "old": ["created_at", "id"],
    "likes": ["-likes", "-created_at", "-id"],
}
DEFAULT_SORT = "new"
# Beyond any thread's pages: larger numbers are not sent to the database as an offset (they
# would overflow SQLite's integers) but read as past the end, that is, the last page.
MAX_PAGE_NUMBER = 1_000_000
# Thread pages kept in the cache for anonymous readers; deeper ones, and made-up numbers,
# are rendered each time rather than crowding pages out of the cache.
CACHED_PAGE_NUMBER = re.compile(r"[1-9]\d?")


@dataclass
class Thread:
    page: Page
    sort: str
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    votes: dict[int, int] = field(default_factory=dict)


def render_thread(*, request, article, sort: str, page_number) -> str:
    """The thread's HTML.

    Every anonymous reader gets the same, and so does a logged-in reader with no part in
    it (no comment and no vote on the article, not a moderator) apart from their CSRF
    token: that HTML is cached until a comment, a vote or the article changes (and for
    at most FRAGMENT_CACHE_SECONDS). It is always rendered as for an anonymous reader,
    so nobody's name, buttons or token can be in it.
    """
    user = request.user
    sort = sort if sort in SORTS else DEFAULT_SORT

    def render(reader, shared: bool) -> str:
        thread = load_thread(article=article, user=reader, sort=sort, page_number=page_number)
        context = {
            "article": article,
            "thread": thread,
            "user": reader,
            "is_moderator": is_moderator(reader),
            "sort_choices": [
                ("new", _("Newest")),
                ("old", _("Oldest")),
                ("likes", _("Most liked")),
            ],
            # Forms in a shared thread, or on a page shared by every anonymous reader (one
            # rendered afresh), carry no one's CSRF token (caching.csrf). Asked for only if
            # a form is shown, so an empty thread sets no CSRF cookie.
            "form_token": cache(
                shared_token_field
                if shared or getattr(request, "shared_page", False)
                else lambda: own_token_field(request)
            ),
            "comment_text": comment_text,
            "comment_url": comment_url,
        }
        # A Jinja2 template (web/jinja2.py): the thread is most of a page's markup.
        return render_part("comments/comment_thread.html", context)

    if (
        settings.FRAGMENT_CACHE_SECONDS <= 0
        or not CACHED_PAGE_NUMBER.fullmatch(page_number or "1")
        or takes_part(user, article)
    ):
        return render(user, shared=False)
    html = versions.cached(
        f"comments:thread:{article.pk}:{sort}:{page_number or 1}:{get_language()}",
        (
            versions.SITE,
            article_version(article.pk),
            votes_version(article.pk),
        ),
        lambda: render(AnonymousUser(), shared=True),
        settings.FRAGMENT_CACHE_SECONDS,
    )
    # On a page of their own (logged in), the reader's forms work without JavaScript.
    return with_own_csrf_token(html, request) if user.is_authenticated else html


def takes_part(user, article) -> bool:
    """Whether the thread looks different to this reader than to an anonymous one."""
    if not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    # Asked on every logged-in reader's article page. One statement of plain SQL: the ORM
    # spent ten times the database's time building the two questions, each of which an
    # index answers (the reader's comments; the reader's votes).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM comments_comment"
            "               WHERE article_id = %s AND user_id = %s)"
            " OR EXISTS (SELECT 1 FROM comments_commentvote v"
            "            INNER JOIN comments_comment c ON c.id = v.comment_id"
            "            WHERE c.article_id = %s AND v.user_id = %s)",
            [article.pk, user.pk, article.pk, user.pk],
        )
        return bool(cursor.fetchone()[0])


def threads_top_level(article, *, moderator: bool, sort: str):
    """The article's top-level comments, in the reader's order: those the reader sees, and
    (as placeholders) removed ones others' replies still hang on."""
    shown = NOT_DELETED if moderator else VISIBLE
    own = Comment.objects.filter(article=article)
    # The replies are looked for among this article's comments, named by its id: correlated
    # with the outer row's article instead, PostgreSQL hashes every visible comment of the
    # site (55 ms at 10,000 articles; bench/explain-scale.txt), with the id it reads the
    # article's own through their index (under 1 ms).
    has_shown_reply = Exists(own.filter(shown, parent=OuterRef("pk")))
    return (
        own.filter(shown | Q(has_shown_reply), parent=None)
        .select_related("user")
        .order_by(*SORTS[sort])
    )


def requested_page(page_number) -> int:
    """The page a reader asked for, read as Django's Paginator.get_page reads it: anything
    but a whole number is the first page (numbers out of range are settled later)."""
    try:
        return int(page_number)
    except (TypeError, ValueError):
        return 1


def load_thread(*, article, user, sort: str, page_number) -> Thread:
    """One page of the thread with its replies and the reader's votes.

    One query for an empty thread; for one with comments, the page (which carries the
    thread's count) and its replies, and the reader's votes when logged in. A page number
    out of range shows the last page, as Paginator.get_page does, at one query more.
    """
    sort = sort if sort in SORTS else DEFAULT_SORT
    shown = comments_shown_to(user)
    top_level = threads_top_level(article, moderator=is_moderator(user), sort=sort)
    number = requested_page(page_number)
    rows = read_page(top_level, number) if 1 <= number <= MAX_PAGE_NUMBER else []
    if rows:
        count = rows[0].thread_count
    else:
        # Page 1 came back empty: the thread is. Any other page may be past the end.
        count = 0 if number == 1 else top_level.count()
        number = max(1, -(-count // THREAD_PAGE_SIZE))  # the last page
        rows = read_page(top_level, number) if count else []
    paginator = Paginator(top_level, THREAD_PAGE_SIZE)
    paginator.count = count  # known already: the paginator need not count again
    thread = Thread(page=Page(rows, number, paginator), sort=sort)
    if not rows:
        return thread
    page_ids = [comment.pk for comment in rows]
    replies = Comment.objects.filter(shown, parent__in=page_ids).select_related("user")
    for reply in replies.order_by("created_at", "id"):
        thread.replies.setdefault(reply.parent_id, []).append(reply)
    if user.is_authenticated:
        on_page = [*page_ids, *(reply.pk for group in thread.replies.values() for reply in group)]
        thread.votes = dict(
            CommentVote.objects.filter(user=user, comment__in=on_page).values_list(
                "comment_id", "value"
            )
        )
    return thread


def read_page(top_level, number: int) -> list[Comment]:
    """A page of top-level comments, each carrying the thread's count (a window count, so
    one query reads both; SQLite and PostgreSQL alike)."""
    offset = (number - 1) * THREAD_PAGE_SIZE
    counted = top_level.annotate(thread_count=Window(Count("*")))
    return list(counted[offset : offset + THREAD_PAGE_SIZE])


def thread_url(comment: Comment) -> str:
    """The article page at the comment, on the thread page (newest first) that shows it."""
    top = comment.parent or comment
    newer = (
        Comment.objects.visible()
        .filter(article_id=top.article_id, parent=None, created_at__gt=top.created_at)
        .count()
    )
    page = newer // THREAD_PAGE_SIZE + 1
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
