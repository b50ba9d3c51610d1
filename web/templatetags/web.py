from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def isotime(value) -> str:
    """A time for <time datetime> and meta tags: local, to the second (HTML allows no µs)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
