"""RSS feeds, sitemaps, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from articles.feeds import FEED_LENGTH
from articles.models import Article, DailyViews
from articles.sitemaps import ArticleSitemap
from outlet.models import SiteSettings
from tests.factories import ArticleFactory, PhotoFactory, ReporterFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(autouse=True)
def site(db):
    settings = SiteSettings.current()
    settings.name = "기계신문"
    settings.tagline = "기계산업 뉴스채널"
    settings.description = "기계·로봇 산업의 소식을 전합니다."
    settings.save()
    return settings


@pytest.fixture
def unpublished(db):
    return [
        ArticleFactory(title="아직 초안", status=Article.Status.DRAFT),
        ArticleFactory(title="검토 중", status=Article.Status.REVIEW),
        ArticleFactory(title="내일 공개", published_at=timezone.now() + timedelta(days=1)),
    ]


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, parsed to check it


def sitemap_entries(client) -> dict[str, ET.Element]:
    """Every <url> of the sitemaps the index at /sitemap.xml lists, by address."""
    index = get_xml(client, reverse("sitemap"))
    return {
        url.findtext(f"{SITEMAP}loc"): url
        for sitemap in index
        for url in get_xml(client, sitemap.findtext(f"{SITEMAP}loc"))
    }


def article_pages(client) -> int:
    """How many pages of the articles' sitemap the index at /sitemap.xml lists."""
    index = get_xml(client, reverse("sitemap"))
    locs = [item.findtext(f"{SITEMAP}loc") for item in index]
    return sum(loc.startswith("http://testserver/sitemap-articles.xml") for loc in locs)


def get_xml(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    return parse_xml(response.content)


def item_titles(channel: ET.Element) -> list[str]:
    return [item.findtext("title") for item in channel.iter("item")]


class TestMainFeed:
    def test_is_rss_2_with_the_outlets_name_and_description(self, client):
        rss = get_xml(client, reverse("articles:feed"))

        channel = rss.find("channel")
        assert rss.tag == "rss" and rss.get("version") == "2.0"
        assert channel.findtext("title") == "기계신문"
        assert channel.findtext("description") == "기계·로봇 산업의 소식을 전합니다."
        assert channel.findtext("link") == "http://testserver/"

    def test_lists_published_articles_only_newest_first(self, client, unpublished):
        older = ArticleFactory(title="어제 기사", published_at=timezone.now() - timedelta(days=1))
        newer = ArticleFactory(title="오늘 기사")

        channel = get_xml(client, reverse("articles:feed")).find("channel")

        assert item_titles(channel) == [newer.title, older.title]

    def test_item_carries_summary_author_categories_date_guid_and_photo(self, client):
        article = ArticleFactory(lead_photo=PhotoFactory(), tags=["로봇", "스마트공장"])

        item = get_xml(client, reverse("articles:feed")).find("channel/item")

        url = f"http://testserver{article.get_absolute_url()}"
        assert item.findtext("link") == url
        assert item.findtext("guid") == url
        assert item.findtext("description") == article.lead
        assert item.findtext("author") == f"{article.reporter.email} ({article.reporter.name})"
        assert [c.text for c in item.findall("category")] == [
            article.section.name,
            "로봇",
            "스마트공장",
        ]
        assert parsedate_to_datetime(item.findtext("pubDate")) == article.published_at.replace(
            microsecond=0
        )
        enclosure = item.find("enclosure")
        path = enclosure.get("url").removeprefix("http://testserver/media/")
        assert enclosure.get("url") == f"http://testserver{article.lead_photo.fallback_url}"
        assert enclosure.get("type") == "image/jpeg"
        assert enclosure.get("length") == str(default_storage.size(path))

    def test_a_reporter_without_email_is_named_without_one(self, client):
        ArticleFactory(reporter=ReporterFactory(name="한기자", email=""))

        item = get_xml(client, reverse("articles:feed")).find("channel/item")

        assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "한기자"
        assert item.find("author") is None

    def test_a_photo_whose_file_is_gone_leaves_out_the_enclosure(self, client):
        article = ArticleFactory(lead_photo=PhotoFactory())
        for rendition in article.lead_photo.renditions:
            default_storage.delete(rendition["jpg"])

        item = get_xml(client, reverse("articles:feed")).find("channel/item")

        assert item.find("enclosure") is None and item.findtext("title") == article.title

    def test_holds_the_newest_thirty(self, client):
        for n in range(FEED_LENGTH + 2):
            ArticleFactory(published_at=timezone.now() - timedelta(minutes=n))

        channel = get_xml(client, reverse("articles:feed")).find("channel")

        assert len(item_titles(channel)) == FEED_LENGTH

    def test_control_characters_in_a_title_do_not_break_the_feed(self, client):
        ArticleFactory(title="로봇\x0b수출\x1f급증", summary="요약\x08입니다")

        item = get_xml(client, reverse("articles:feed")).find("channel/item")

        assert item.findtext("title") == "로봇수출급증"
        assert item.findtext("description") == "요약입니다"

    def test_markup_in_titles_stays_text(self, client):
        ArticleFactory(title="<script>alert(1)</script> 로봇")

        response = client.get(reverse("articles:feed"))

        assert b"<script>" not in response.content
        assert parse_xml(response.content).findtext("channel/item/title").startswith("<script>")


class TestSectionAndReporterFeeds:
    def test_section_feed_lists_that_sections_published_articles(self, client, unpublished):
        section = SectionFactory(name="정책")
        mine = ArticleFactory(section=section)
        ArticleFactory(section=section, status=Article.Status.DRAFT)
        ArticleFactory(title="다른 섹션")

        channel = get_xml(client, reverse("articles:section_feed", args=[section.slug]))

        assert item_titles(channel) == [mine.title]
        assert channel.findtext("channel/title") == "기계신문 - 정책"

    @pytest.mark.parametrize("active", [False, None])
    def test_unknown_or_inactive_section_has_no_feed(self, client, active):
        slug = SectionFactory(is_active=False).slug if active is False else "nowhere"

        assert client.get(reverse("articles:section_feed", args=[slug])).status_code == 404

    def test_reporter_feed_lists_that_reporters_published_articles(self, client, unpublished):
        reporter = ReporterFactory(name="오상미")
        mine = ArticleFactory(reporter=reporter)
        ArticleFactory(reporter=reporter, published_at=timezone.now() + timedelta(hours=2))
        ArticleFactory(title="다른 기자")

        channel = get_xml(client, reverse("reporters:feed", args=[reporter.slug]))

        assert item_titles(channel) == [mine.title]
        assert channel.findtext("channel/title") == "기계신문 - 오상미 기자"

    @pytest.mark.parametrize("path", ["/sections/%00/rss/", "/reporters/%00/rss/"])
    def test_a_nul_byte_in_the_slug_is_404(self, client, path):
        assert client.get(path).status_code == 404

    def test_inactive_reporter_has_no_feed(self, client):
        reporter = ReporterFactory(is_active=False)

        assert client.get(reverse("reporters:feed", args=[reporter.slug])).status_code == 404


class TestMostReadFeed:
    """/rss/clickTop.xml, the old CMS's address: the week's most-read articles."""

    def test_ranks_the_weeks_reads_most_read_first(self, client, unpublished):
        today = timezone.localdate()
        steady = ArticleFactory(title="꾸준히 읽힌 기사")
        spike = ArticleFactory(title="오늘 읽힌 기사")
        old_news = ArticleFactory(title="지난달 화제")
        for days_ago in range(7):  # 7 x 30 = 210 over the week, today included
            DailyViews.objects.create(article=steady, date=today - timedelta(days_ago), views=30)
        DailyViews.objects.create(article=spike, date=today, views=200)
        DailyViews.objects.create(article=spike, date=today - timedelta(days=7), views=5000)
        DailyViews.objects.create(article=old_news, date=today - timedelta(days=20), views=9999)
        for draft in unpublished:
            DailyViews.objects.create(article=draft, date=today, views=10_000)

        channel = get_xml(client, reverse("articles:legacy_most_read_feed")).find("channel")

        assert item_titles(channel) == ["꾸준히 읽힌 기사", "오늘 읽힌 기사"]

    def test_lists_the_top_thirty_newest_first_among_equals(self, client):
        today = timezone.localdate()
        articles = [
            ArticleFactory(published_at=timezone.now() - timedelta(minutes=n)) for n in range(33)
        ]
        DailyViews.objects.bulk_create(
            DailyViews(article=article, date=today, views=100 if n % 2 else 50)
            for n, article in enumerate(articles)
        )

        channel = get_xml(client, reverse("articles:legacy_most_read_feed")).find("channel")

        odd, even = articles[1::2], articles[0::2]
        assert len(item_titles(channel)) == FEED_LENGTH == 30
        assert item_titles(channel) == [a.title for a in [*odd, *even][:FEED_LENGTH]]


class TestDiscoveryLinks:
    def test_every_page_announces_the_main_feed_and_the_sitemap(self, client):
        content = client.get(reverse("articles:home")).content.decode()

        assert (
            f'<link rel="alternate" type="application/rss+xml" title="기계신문" '
            f'href="{reverse("articles:feed")}">'
        ) in content
        assert f'<link rel="sitemap" type="application/xml" href="{reverse("sitemap")}">' in content

    def test_section_and_reporter_pages_announce_their_own_feeds(self, client, published_article):
        section_page = client.get(published_article.section.get_absolute_url()).content.decode()
        reporter_page = client.get(published_article.reporter.get_absolute_url()).content.decode()

        section_feed = reverse("articles:section_feed", args=[published_article.section.slug])
        reporter_feed = reverse("reporters:feed", args=[published_article.reporter.slug])
        assert f'href="{section_feed}"' in section_page
        assert f'href="{reporter_feed}"' in reporter_page


class TestSitemaps:
    def test_sitemap_lists_home_sections_published_articles_and_reporters(
        self, client, unpublished
    ):
        article = ArticleFactory()
        inactive = SectionFactory(is_active=False)

        entries = sitemap_entries(client)

        base = "http://testserver"
        assert f"{base}/" in entries
        assert f"{base}{article.section.get_absolute_url()}" in entries
        assert f"{base}{article.reporter.get_absolute_url()}" in entries
        assert f"{base}{inactive.get_absolute_url()}" not in entries
        article_entry = entries[f"{base}{article.get_absolute_url()}"]
        assert article_entry.findtext(f"{SITEMAP}lastmod")
        for draft in unpublished:
            assert f"{base}{draft.get_absolute_url()}" not in entries

    def test_an_article_edited_before_its_scheduled_time_was_last_modified_when_published(
        self, client
    ):
        article = ArticleFactory(published_at=timezone.now() - timedelta(minutes=5))
        Article.objects.filter(pk=article.pk).update(
            updated_at=article.published_at - timedelta(days=3)
        )

        entry = sitemap_entries(client)[f"http://testserver{article.get_absolute_url()}"]
        published_on = timezone.localdate(article.published_at).isoformat()
        assert entry.findtext(f"{SITEMAP}lastmod") == published_on

    def test_sitemap_xml_is_an_index_with_the_articles_in_pages(self, client, monkeypatch):
        monkeypatch.setattr(ArticleSitemap, "limit", 2)
        articles = [
            ArticleFactory(published_at=timezone.now() - timedelta(hours=hours))
            for hours in (1, 2, 3, 4, 5)
        ]

        index = get_xml(client, reverse("sitemap"))

        assert index.tag == f"{SITEMAP}sitemapindex"
        sitemaps = {item.findtext(f"{SITEMAP}loc"): item for item in index}
        base = "http://testserver/sitemap-articles.xml"
        assert [loc for loc in sitemaps if loc.startswith(base)] == [
            base,
            f"{base}?p=2",
            f"{base}?p=3",
        ]
        # No date for a page in the index (working it out reads every article); its
        # entries carry theirs.
        assert all(item.find(f"{SITEMAP}lastmod") is None for item in index)
        pages = [
            [url.findtext(f"{SITEMAP}loc") for url in get_xml(client, loc)]
            for loc in sitemaps
            if loc.startswith(base)
        ]
        expected = [f"http://testserver{article.get_absolute_url()}" for article in articles]
        assert pages == [expected[:2], expected[2:4], expected[4:]]  # newest first
        assert client.get(f"{base}?p=4").status_code == 404
        assert client.get("/sitemap-unknown.xml").status_code == 404

    def test_the_index_lists_the_right_pages_right_after_a_publish_or_a_withdrawal(
        self, client, monkeypatch
    ):
        """The index keeps the count of published articles (so as not to count them all on
        every request); every change to what is published shows at once."""
        monkeypatch.setattr(ArticleSitemap, "limit", 2)
        articles = [ArticleFactory() for _ in range(4)]
        draft = ArticleFactory(status=Article.Status.DRAFT)
        assert article_pages(client) == 2

        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
        assert article_pages(client) == 3
        newest = get_xml(client, "/sitemap-articles.xml")[0].findtext(f"{SITEMAP}loc")
        assert newest == f"http://testserver{draft.get_absolute_url()}"
        assert len(get_xml(client, "/sitemap-articles.xml?p=3")) == 1

        draft.status = Article.Status.DRAFT
        draft.save()
        assert article_pages(client) == 2
        assert client.get("/sitemap-articles.xml?p=3").status_code == 404

        articles[0].delete()
        Article.objects.filter(pk=articles[1].pk).update(status=Article.Status.REVIEW)
        assert article_pages(client) == 1

    def test_the_index_counts_a_scheduled_article_once_it_falls_due(self, client, monkeypatch):
        monkeypatch.setattr(ArticleSitemap, "limit", 2)
        ArticleFactory.create_batch(2)
        due = ArticleFactory(published_at=timezone.now() + timedelta(seconds=30))
        embargoed = ArticleFactory(embargo_until=timezone.now() + timedelta(minutes=5))
        assert article_pages(client) == 1

        with mock.patch(
            "django.utils.timezone.now", return_value=due.published_at + timedelta(seconds=1)
        ):
            assert article_pages(client) == 2
            assert len(get_xml(client, "/sitemap-articles.xml?p=2")) == 1
        with mock.patch(
            "django.utils.timezone.now", return_value=embargoed.embargo_until + timedelta(seconds=1)
        ):
            assert article_pages(client) == 2
            assert len(get_xml(client, "/sitemap-articles.xml?p=2")) == 2

    def test_a_deep_page_of_the_articles_sitemap_lists_what_offset_would(
        self, client, monkeypatch, django_assert_num_queries
    ):
        monkeypatch.setattr(ArticleSitemap, "limit", 3)
        articles = [
            ArticleFactory(published_at=timezone.now() - timedelta(minutes=n)) for n in range(8)
        ]
        client.get("/sitemap-articles.xml")  # the count, and the small site-wide values

        with django_assert_num_queries(2):  # the versions, the page's rows
            third = get_xml(client, "/sitemap-articles.xml?p=3")

        expected = [f"http://testserver{article.get_absolute_url()}" for article in articles[6:]]
        assert [url.findtext(f"{SITEMAP}loc") for url in third] == expected

    def test_news_sitemap_lists_the_last_48_hours_only(self, client, unpublished):
        fresh = ArticleFactory(title="오늘의 <로봇> & 소식")
        ArticleFactory(title="사흘 전 기사", published_at=timezone.now() - timedelta(hours=49))

        response = client.get(reverse("articles:news_sitemap"))

        assert response["Content-Type"] == "application/xml"
        urlset = parse_xml(response.content)
        urls = urlset.findall(f"{SITEMAP}url")
        assert len(urls) == 1
        news = urls[0].find(f"{NEWS}news")
        assert urls[0].findtext(f"{SITEMAP}loc") == f"http://testserver{fresh.get_absolute_url()}"
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "기계신문"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "ko"
        assert news.findtext(f"{NEWS}title") == "오늘의 <로봇> & 소식"
        published = news.findtext(f"{NEWS}publication_date")
        assert timezone.datetime.fromisoformat(published) == fresh.published_at.replace(
            microsecond=0
        )

    def test_news_sitemap_without_recent_articles_is_an_empty_urlset(self, client):
        urlset = get_xml(client, reverse("articles:news_sitemap"))

        assert urlset.tag == f"{SITEMAP}urlset" and len(urlset) == 0


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemaps(client, db):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines
    for path in ("/admin/", "/accounts/", "/comments/", "/search/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
