"""A comment as HTML: its text and the addresses of what a reader can do with it.

Used by the comment thread (a Jinja2 template, comments/threads.py) and, as the filters
``comment_text`` and ``comment_url``, by Django's templates (templatetags/comments.py).
"""

import re

from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from web.addresses import address_of

# What urlize could turn into a link: a scheme, "www." or an e-mail address.
LINK_HINT = re.compile(r"://|www\.|@|\.(?:com|net|org|kr)\b", re.IGNORECASE)


def comment_text(body: str) -> str:
    """A reader's text as HTML: escaped, line breaks kept, web links made safe to follow."""
    if not LINK_HINT.search(body):  # urlize is slow, and most comments hold no link
        return linebreaksbr(body, autoescape=True)
    linked = urlize(body, nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow ugc noopener" target="_blank"'
    )
    # urlize escaped everything it did not turn into a link, so this is safe to mark.
    return mark_safe(linebreaksbr(linked, autoescape=False))  # noqa: S308  # nosec B308 B703


def comment_url(comment, name: str) -> str:
    """{% url "comments:<name>" comment.pk %}, remembered for the process (web.addresses):
    a thread of many comments asks for several addresses of each."""
    return address_of(f"comments:{name}", comment.pk)
