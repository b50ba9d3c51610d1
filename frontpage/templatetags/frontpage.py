"""The front pages' template tags: the pinned top story and headlines, the breaking banner.

The home and section templates (articles) load these, as the article page loads the
comment box: articles knows nothing of pins.
"""

from dataclasses import dataclass, field

from django import template
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from caching import versions

from ..models import BreakingNews, Pin

register = template.Library()


@dataclass
class FrontPage:
    top: Article | None = None
    headlines: list[Article] = field(default_factory=list)
    pinned_top: bool = False


@register.simple_tag
def front_page(section=None, fallback=None) -> FrontPage:
    """The page's top story and headlines as the editors ordered them.

    With no pin, the top story is ``fallback`` (the page's own choice: the latest story).
    A pinned top story that displaces it moves the fallback under the pinned headlines, so
    the page loses nothing it showed before.
    """
    pinned = _pinned_articles(section)
    if not pinned:
        return FrontPage(top=fallback)
    top, *headlines = pinned
    if fallback is not None and all(a.pk != fallback.pk for a in pinned):
        headlines.append(fallback)
    return FrontPage(top=top, headlines=headlines, pinned_top=True)


def _pinned_articles(section) -> list[Article]:
    """Cached until a pin, an article or a section changes, or a pin ends (the site version)."""
    key = f"frontpage:pins:{section.pk if section else 'home'}"

    def compute():
        ids = list(Pin.objects.on(section).shown().values_list("article_id", flat=True))
        if not ids:
            return []
        articles = Article.objects.published().for_listing().in_bulk(ids)
        return [articles[pk] for pk in ids if pk in articles]

    return versions.cached(key, (versions.SITE,), compute, settings.FRAGMENT_CACHE_SECONDS)


@register.inclusion_tag("frontpage/breaking_news.html")
def breaking_news_banner():
    """The breaking-news banner, on every public page while a flag lasts.

    Cached under the site version, which a flag, a change to it and its end (the schedule)
    all move; the end is checked again at each render all the same.
    """
    flags = versions.cached(
        "frontpage:breaking",
        (versions.SITE,),
        lambda: [
            (flag.ends_at, flag.article.title, flag.article.get_absolute_url())
            for flag in BreakingNews.objects.shown()
            .select_related("article")
            .only("ends_at", "article__title", "article__slug")
        ],
        versions.SETTLED_SECONDS,
    )
    now = timezone.now()
    return {
        "breaking": [{"title": title, "url": url} for ends_at, title, url in flags if ends_at > now]
    }
