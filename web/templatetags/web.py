from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def isotime(value) -> str:
    """A time for <time datetime> and meta tags: local, to the second (HTML allows no µs)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def minute(value) -> str:
    """A time as the desk and readers read it, in the site's time zone: 2026-12-01 14:05."""
    if not value:
        return ""
    return date_format(timezone.localtime(value), "Y-m-d H:i")


@register.filter
def absolute(url: str, request) -> str:
    """``url`` as a full address: a path on this site gets its scheme and host, an address
    elsewhere (media in an S3 bucket or on a CDN) stays as it is."""
    return request.build_absolute_uri(url)
