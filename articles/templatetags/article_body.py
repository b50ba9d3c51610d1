"""The article body as the public page shows it (tables in their scrolling boxes)."""

from django import template

from articles import body_tables

register = template.Library()


@register.filter
def article_body(html: str) -> str:
    """The body, sanitized when saved (articles/sanitize.py), made ready for the page.

    Still plain text to the template, which marks it safe as it did the saved body:
    ``{{ article.body|article_body|safe }}``.
    """
    return body_tables.present(html or "")
