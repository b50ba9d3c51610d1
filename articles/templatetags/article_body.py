"""The article body as the public page shows it (tables in their scrolling boxes)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles import body_tables

register = template.Library()


@register.filter
def article_body(html: str) -> SafeString:
    """The body, sanitized when saved (articles/sanitize.py), made ready for the page."""
    return mark_safe(body_tables.present(html or ""))  # noqa: S308 - sanitized on save
