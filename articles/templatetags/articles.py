import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles.models import Article
from caching import versions

register = template.Library()

MOST_READ_CACHE_KEY = "articles:most-read"
MOST_READ_CACHE_SECONDS = 60
# Characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(data) -> str:
    """Serialise ``data`` for a <script type="application/ld+json"> element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Reviewed: <, > and & are escaped above, so the text cannot leave the script element.
    return mark_safe(text)  # noqa: S308  # nosec B308 B703


@register.simple_tag
def most_read(limit: int = 10) -> str:
    """The most-read lists of the last day and the last week. The same on every page, so
    rendered once a minute per language (views add up without a version), and again as
    soon as any article changes."""

    def render() -> str:
        rankings = [
            (period, list(Article.objects.most_read(days=days).only("id", "slug", "title")[:limit]))
            for period, days in (("day", 1), ("week", 7))
        ]
        return render_to_string("includes/most_read.html", {"rankings": rankings})

    return versions.cached(
        f"{MOST_READ_CACHE_KEY}:{limit}:{get_language()}",
        (versions.SITE,),
        render,
        MOST_READ_CACHE_SECONDS,
    )
