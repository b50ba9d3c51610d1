"""The feed addresses of the old CMS (NDSoft) that portals may already poll: valid RSS 2.0,
the same items as the site's own feeds, nothing scheduled or under embargo."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, DailyViews
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def rss_items(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to check it
    assert root.tag == "rss" and root.get("version") == "2.0"
    [channel] = root.findall("channel")
    assert channel.findtext("title") and channel.findtext("link")
    assert channel.find("description") is not None
    items = channel.findall("item")
    for item in items:
        assert item.findtext("title") and item.findtext("link") and item.findtext("pubDate")
    return [item.findtext("link") for item in items]


@pytest.fixture
def stories(db):
    industry = SectionFactory(name="산업", slug="industry", legacy_code="S1N1")
    policy = SectionFactory(name="정책", slug="policy", legacy_code="S1N12")
    now = timezone.now()
    live = [ArticleFactory(section=industry, published_at=now - timedelta(hours=h)) for h in (1, 2)]
    live.append(ArticleFactory(section=policy, published_at=now - timedelta(hours=3)))
    ArticleFactory(section=industry, published_at=now + timedelta(hours=2))  # scheduled
    ArticleFactory(
        section=industry,
        published_at=now - timedelta(hours=1),
        embargo_until=now + timedelta(hours=5),
    )
    ArticleFactory(section=industry, status=Article.Status.DRAFT, published_at=None)
    return {"industry": industry, "policy": policy, "live": live}


def test_all_articles_at_the_old_address_is_the_site_feed(client, stories):
    old = rss_items(client.get("/rss/allArticle.xml"))
    assert old == rss_items(client.get(reverse("articles:feed")))
    assert len(old) == 3


def test_a_section_feed_at_its_old_code(client, stories):
    industry = rss_items(client.get("/rss/S1N1.xml"))
    assert industry == rss_items(client.get(reverse("articles:section_feed", args=["industry"])))
    assert len(industry) == 2
    assert len(rss_items(client.get("/rss/S1N12.xml"))) == 1


def test_an_unknown_or_inactive_section_code_is_404(client, stories):
    assert client.get("/rss/S9N9.xml").status_code == 404
    stories["policy"].is_active = False
    stories["policy"].save()
    assert client.get("/rss/S1N12.xml").status_code == 404


def test_most_read_lists_the_weeks_most_read_first(client, stories):
    first, second, third = stories["live"]
    today = timezone.localdate()
    DailyViews.objects.create(article=second, date=today, views=50)
    DailyViews.objects.create(article=third, date=today - timedelta(days=2), views=80)
    DailyViews.objects.create(article=first, date=today - timedelta(days=10), views=999)
    hidden = Article.objects.get(embargo_until__isnull=False)
    DailyViews.objects.create(article=hidden, date=today, views=5000)

    links = rss_items(client.get("/rss/clickTop.xml"))
    assert [link.split("testserver")[-1] for link in links] == [
        third.get_absolute_url(),
        second.get_absolute_url(),
    ]
