import re

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from ..forms import CommentBodyField, CommentForm
from ..models import COMMENT_MAX_LENGTH, CommentRules, active_ban_for, is_moderator
from ..threads import render_thread

register = template.Library()

# What urlize could turn into a link: a scheme, "www." or an e-mail address.
LINK_HINT = re.compile(r"://|www\.|@|\.(?:com|net|org|kr)\b", re.IGNORECASE)


@register.inclusion_tag("comments/comment_box.html", takes_context=True)
def comment_box(context, article):
    """나도 한마디: the thread and the form under an article."""
    request = context["request"]
    user = request.user
    return {
        "request": request,
        "user": user,
        "article": article,
        "thread_html": render_thread(
            request=request,
            article=article,
            sort=request.GET.get("csort", ""),
            page_number=request.GET.get("cpage"),
        ),
        "form": CommentForm(user=user),
        "allow_guests": CommentRules.current().allow_guest_comments,
        "ban": active_ban_for(user),
        "is_moderator": is_moderator(user),
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }


@register.filter
def comment_text(body: str) -> str:
    """A reader's text as HTML: escaped, line breaks kept, web links made safe to follow."""
    if not LINK_HINT.search(body):  # urlize is slow, and most comments hold no link
        return linebreaksbr(body, autoescape=True)
    linked = urlize(body, nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow ugc noopener" target="_blank"'
    )
    # urlize escaped everything it did not turn into a link, so this is safe to mark.
    return mark_safe(linebreaksbr(linked, autoescape=False))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def comment_limit() -> int:
    return COMMENT_MAX_LENGTH


@register.filter
def comment_length(text: str) -> int:
    """The characters the server counts in a comment (\\r\\n is one, see COMMENT_MAX_LENGTH)."""
    return len(CommentBodyField().to_python(text))


@register.simple_tag
def vote_of(votes: dict, comment) -> int:
    return votes.get(comment.pk, 0)


@register.filter
def is_shown_to(comment, user) -> bool:
    return comment.is_shown_to(user)


@register.filter
def replies_of(thread, comment) -> list:
    return thread.replies.get(comment.pk, [])
