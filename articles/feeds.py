"""RSS 2.0 feeds: the newest published articles, of the site and of each section."""

import mimetypes
from copy import copy

from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext

from outlet.models import SiteSettings
from web.validators import without_control_characters

from .models import Article, ArticleAuthor, Photo, Section

FEED_LENGTH = 30

# XML 1.0 cannot carry these at all: one in a title would break the whole feed.
_NOT_XML = {0xFFFE: None, 0xFFFF: None}


def xml_text(text: str) -> str:
    return without_control_characters(text).translate(_NOT_XML)


DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class BylineRssFeed(Rss201rev2Feed):
    """RSS 2.0 naming every author of an item in its own dc:creator (RSS's <author> holds
    one e-mail address: the lead reporter's, when there is one)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        # Without an e-mail Django writes the name as a dc:creator itself: ours list them all.
        super().add_item_elements(
            handler, {**item, "author_name": item["author_email"] and item["author_name"]}
        )
        for name in item.get("creators", []):
            handler.addQuickElement("dc:creator", name)


class LatestArticlesFeed(Feed):
    """The site's newest articles, as the home page lists them."""

    feed_type = BylineRssFeed

    def get_feed(self, obj, request):
        # Enclosure URLs must be absolute and only the request knows the host. One feed
        # object serves every request, so each request gets a copy to hold its own.
        feed = copy(self)
        feed.request = request
        return Feed.get_feed(feed, obj, request)

    def title(self, obj) -> str:
        return xml_text(SiteSettings.current().name)

    def link(self, obj) -> str:
        return reverse("articles:home")

    def description(self, obj) -> str:
        site = SiteSettings.current()
        return xml_text(site.description or site.tagline)

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        return self.listed(self.articles(obj).for_listing().order_by("-published_at"))

    @staticmethod
    def listed(articles):
        return articles.prefetch_related(
            "tags",
            Prefetch("authors", queryset=ArticleAuthor.objects.select_related("reporter")),
        )[:FEED_LENGTH]

    def item_extra_kwargs(self, article: Article) -> dict:
        return {"creators": [xml_text(reporter.name) for reporter in article.all_authors]}

    def item_title(self, article: Article) -> str:
        return xml_text(article.title)

    def item_description(self, article: Article) -> str:
        return xml_text(article.lead)

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.modified_at

    def item_author_name(self, article: Article) -> str | None:
        return xml_text(article.reporter.name) if article.reporter else None

    def item_author_email(self, article: Article) -> str | None:
        if article.reporter and article.reporter.email:
            return article.reporter.email
        return None

    def item_author_link(self, article: Article) -> str | None:
        if article.reporter:
            return self.request.build_absolute_uri(article.reporter.get_absolute_url())
        return None

    def item_categories(self, article: Article) -> list[str]:
        return [xml_text(article.section.name), *(xml_text(tag.name) for tag in article.tags.all())]

    def item_enclosures(self, article: Article) -> list[Enclosure]:
        if not article.lead_photo:
            return []
        name = _fallback_file(article.lead_photo)
        try:
            length = default_storage.size(name)
        except OSError:  # the file went missing: the item is still worth sending
            return []
        return [
            Enclosure(
                url=self.request.build_absolute_uri(default_storage.url(name)),
                length=str(length),
                mime_type=mimetypes.guess_type(name)[0] or "image/jpeg",
            )
        ]


def _fallback_file(photo: Photo) -> str:
    """The stored file behind ``photo.fallback_url``, whose size the enclosure states."""
    url = photo.fallback_url
    stored = [rendition["jpg"] for rendition in photo.renditions if "jpg" in rendition]
    return next((name for name in stored if default_storage.url(name) == url), photo.image.name)


class SectionFeed(LatestArticlesFeed):
    """One section's newest articles."""

    def get_object(self, request, slug):
        return get_object_or_404(Section.objects.active(), slug=slug)

    def title(self, section: Section) -> str:
        return f"{super().title(section)} - {xml_text(section.name)}"

    def link(self, section: Section) -> str:
        return section.get_absolute_url()

    def articles(self, section: Section):
        return Article.objects.published().in_section(section)


class LegacySectionFeed(SectionFeed):
    """A section's feed at the old CMS's address, /rss/<its sc_section_code>.xml, which
    portals and readers may still poll."""

    def get_object(self, request, code):
        return get_object_or_404(Section.objects.active(), legacy_code=code)


class MostReadFeed(LatestArticlesFeed):
    """The week's most-read articles, most read first (the old CMS's /rss/clickTop.xml)."""

    def title(self, obj) -> str:
        return f"{super().title(obj)} - {gettext('Most read')}"

    def items(self, obj):
        return self.listed(
            Article.objects.top_read(days=7, limit=FEED_LENGTH)
            .for_listing()
            .order_by("-recent_views", "-published_at")
        )


latest_articles = LatestArticlesFeed()
