"""Sitemaps for search engines: the whole site, and Google News's last two days.

``/sitemap.xml`` is an index of the site's sitemaps (newsroom/urls.py); the articles' one
comes in pages of ARTICLES_PER_SITEMAP, so that no request lists the whole archive (at
10,000 articles a single sitemap was 2.8 MB and 0.8 s of CPU, made again after every edit).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from caching import versions
from outlet.models import SiteSettings
from web.pagination import DeferredJoinPaginator

from .feeds import xml_text
from .models import Article, Section

# Articles per page of the articles' sitemap (search engines take up to 50,000).
ARTICLES_PER_SITEMAP = 1000
# Google News reads only articles published in the last two days.
NEWS_SITEMAP_HOURS = 48
# Google News takes at most 1,000 articles from one news sitemap.
NEWS_SITEMAP_LIMIT = 1000


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)


def published_count() -> int:
    """How many articles the public may read: kept under the site's version, which every
    publication, withdrawal and deletion moves on, as does a scheduled article or an embargo
    falling due (caching/versions.py), so it is right from the next request on. Counting
    them reads all of the published index every time (1.8 ms of SQL at 10,000 articles, 0.25
    at 1,000: the sitemap index answered 3.7 times slower at 10,000; docs/scale.md)."""
    return versions.cached(
        "articles:published-count",
        (versions.SITE,),
        lambda: Article.objects.published().count(),
        versions.SETTLED_SECONDS,
    )


class ArticleSitemap(Sitemap):
    limit = ARTICLES_PER_SITEMAP

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "updated_at", "published_at")
            .order_by("-published_at", "-pk")
        )

    @property
    def paginator(self):
        """The pages of the index and of this sitemap: the count is published_count()'s,
        and a page past the first reads its rows by their keys (web/pagination.py)."""
        paginator = DeferredJoinPaginator(self._items(), self.limit)
        paginator.count = published_count()
        return paginator

    def lastmod(self, article: Article):
        return article.modified_at

    def get_latest_lastmod(self):
        """None: the index gives its pages no date. Django would go through every article
        for one, and even an aggregate reads the whole table (the index answered 3.8 times
        slower at 10,000 articles than at 1,000); it would be the same date for every page
        anyway. Each page's entries carry their own."""
        return None


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.active()


SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
}


def news_sitemap(request):
    """Google News sitemap: the articles published in the last 48 hours."""
    since = timezone.now() - timedelta(hours=NEWS_SITEMAP_HOURS)
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("pk", "slug", "title", "published_at")
        .order_by("-published_at", "-pk")[:NEWS_SITEMAP_LIMIT]
    )
    entries = [
        {
            "url": request.build_absolute_uri(article.get_absolute_url()),
            "title": xml_text(article.title),
            # Whole seconds: the W3C date format Google reads has no use for microseconds.
            "published_at": article.published_at.replace(microsecond=0),
        }
        for article in articles
    ]
    return render(
        request,
        "articles/news_sitemap.xml",
        {
            "entries": entries,
            "publication": xml_text(SiteSettings.current().name),
            "language": settings.LANGUAGE_CODE,
        },
        content_type="application/xml",
    )
