from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

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


# The query parameters that make a list page another page: its number, and the search.
CANONICAL_PARAMETERS = ("q", "page")


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address for search engines and shares: without whatever else was added
    to the query (a campaign's utm_ tags, a made-up parameter), which would make one page
    many to a search engine."""
    request = context["request"]
    kept = [(name, request.GET[name]) for name in CANONICAL_PARAMETERS if request.GET.get(name)]
    query = f"?{urlencode(kept)}" if kept else ""
    return request.build_absolute_uri(f"{request.path}{query}")
