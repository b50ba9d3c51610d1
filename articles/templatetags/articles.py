import json

from django import template
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from articles.models import Article

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


@register.inclusion_tag("includes/most_read.html")
def most_read(limit: int = 10):
    """The most-read lists of the last day and the last week, cached for a minute."""
    rankings = cache.get(MOST_READ_CACHE_KEY)
    if rankings is None:
        rankings = [
            (key, list(Article.objects.most_read(days=days).only("id", "slug", "title")[:limit]))
            for key, days in (("day", 1), ("week", 7))
        ]
        cache.set(MOST_READ_CACHE_KEY, rankings, MOST_READ_CACHE_SECONDS)
    return {"rankings": rankings}
