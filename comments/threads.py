"""Reading a comment thread: one page of comments with their replies and the reader's votes."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from .models import Comment, CommentVote

THREAD_PAGE_SIZE = 20
SORTS = {
    "new": ["-created_at", "-id"],
    "old": ["created_at", "id"],
    "likes": ["-likes", "-created_at", "-id"],
}
DEFAULT_SORT = "new"


@dataclass
class Thread:
    page: Page
    sort: str
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    votes: dict[int, int] = field(default_factory=dict)


def load_thread(*, article, user, sort: str, page_number) -> Thread:
    """A constant number of queries, however many comments, replies and votes there are."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    shown = Comment.objects.shown_to(user)
    top_level = (
        Comment.objects.filter(article=article, parent=None)
        .annotate(
            shown_replies=Count("replies", filter=Q(replies__in=shown.filter(article=article)))
        )
        # A removed comment stays as a placeholder while others' replies hang on it.
        .filter(Q(pk__in=shown.filter(article=article)) | Q(shown_replies__gt=0))
        .select_related("user")
        .order_by(*SORTS[sort])
    )
    page = Paginator(top_level, THREAD_PAGE_SIZE).get_page(page_number)
    # The page and its replies are read by slicing the queryset ourselves, so an empty
    # thread costs the same queries as a long one: the page's budget never varies.
    offset = (page.number - 1) * THREAD_PAGE_SIZE
    page.object_list = list(top_level[offset : offset + THREAD_PAGE_SIZE])
    thread = Thread(page=page, sort=sort)
    page_ids = top_level.values("pk")[offset : offset + THREAD_PAGE_SIZE]
    for reply in shown.filter(parent__in=page_ids).select_related("user").order_by("created_at"):
        thread.replies.setdefault(reply.parent_id, []).append(reply)
    if user.is_authenticated:
        thread.votes = dict(
            CommentVote.objects.filter(user=user, comment__article=article).values_list(
                "comment_id", "value"
            )
        )
    return thread


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
