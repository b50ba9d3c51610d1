from django import template

from ..body_photos import render_body

register = template.Library()


@register.filter
def with_photos(body: str):
    """An article's body with its library photos rendered (articles/body_photos.py)."""
    return render_body(body)
