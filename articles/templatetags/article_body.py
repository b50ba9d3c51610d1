"""The article body as the public page shows it: tables in their scrolling boxes, library
photos drawn with their renditions and caption."""

from django import template
from django.utils.safestring import SafeString

from articles import body_tables
from articles.body_photos import photos_in, render_body

register = template.Library()


@register.filter
def article_body(html: str) -> SafeString:
    """The body, sanitized against the allowlist when saved (articles/sanitize.py), made
    ready for the page: ``{{ article.body|article_body }}``."""
    return render_body(body_tables.present(html or ""))


@register.filter
def share_photo(article):
    """The picture link previews show: the lead photo, or else the body's first photo."""
    if article.lead_photo:
        return article.lead_photo
    return next(iter(photos_in(article.body)), None)
