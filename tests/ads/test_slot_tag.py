"""The sidebar's ad slots on the public pages: what they render and what they cost."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ads.models import Placement
from tests.ads.helpers import render_slot
from tests.factories import ArticleFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_banner_is_labelled_sized_and_linked_as_sponsored(sub_right):
    placement = PlacementFactory(slot=sub_right, alt_text="협동로봇 <신제품> 출시")

    html = render_slot("sub-right")

    assert '<p class="ad-label">광고</p>' in html
    assert 'aria-label="광고"' in html
    link = re.search(r"<a [^>]*>", html).group(0)
    assert f'href="{reverse("ads:click", args=[placement.pk])}"' in link
    assert 'rel="sponsored noopener"' in link and 'target="_blank"' in link
    image = re.search(r"<img [^>]*>", html).group(0)
    assert f'src="{placement.image.url}"' in image
    assert 'width="300" height="250"' in image
    assert 'alt="협동로봇 &lt;신제품&gt; 출시"' in image
    assert 'loading="lazy"' in image
    assert f'data-ad-placements="{placement.pk}"' in html
    assert f'data-ad-beacon="{reverse("ads:impressions")}"' in html


def test_network_tag_renders_as_a_sandboxed_frame(sub_right):
    placement = PlacementFactory(
        slot=sub_right, kind=Placement.Kind.NETWORK, image="", network_code="<script>x()</script>"
    )

    html = render_slot("sub-right")

    assert "<script>x()" not in html
    frame = re.search(r"<iframe [^>]*>", html).group(0)
    assert f'src="{reverse("ads:frame", args=[placement.pk])}"' in frame
    assert 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"' in frame
    assert "allow-same-origin" not in frame and "allow-top-navigation" not in frame
    assert 'width="300" height="250"' in frame and 'title="광고"' in frame


@pytest.mark.parametrize("page", ["home", "section", "tag", "reporter", "article"])
def test_both_slots_appear_in_the_sidebar_of_every_listing_and_article_page(
    client, published_article, sub_right, sub_banner, page
):
    right = PlacementFactory(slot=sub_right)
    banner = PlacementFactory(slot=sub_banner)
    url = {
        "home": reverse("articles:home"),
        "section": published_article.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["로봇"]),
        "reporter": published_article.reporter.get_absolute_url(),
        "article": published_article.get_absolute_url(),
    }[page]

    content = client.get(url).content.decode()

    sidebar = content[content.index('<aside class="sidebar"') :]
    assert "ad-slot-sub-right" in sidebar and "ad-slot-sub-banner" in sidebar
    assert reverse("ads:click", args=[right.pk]) in sidebar
    assert reverse("ads:click", args=[banner.pk]) in sidebar


def test_no_empty_ad_box_when_nothing_is_live(client, published_article, sub_right, sub_banner):
    content = client.get(published_article.get_absolute_url()).content.decode()

    assert "ad-slot" not in content
    assert "광고" not in content


class TestQueryCost:
    def test_a_slot_costs_one_query_when_cold_and_none_when_warm(
        self, sub_right, django_assert_num_queries
    ):
        """Besides reading the versions from the shared cache (once per request on a page)."""
        for position in range(10):
            PlacementFactory(slot=sub_right, position=position)
        cache.clear()

        with django_assert_num_queries(2):
            render_slot("sub-right")
        with django_assert_num_queries(1):
            render_slot("sub-right")

    def test_an_empty_slot_is_cached_too(self, sub_right, django_assert_num_queries):
        render_slot("sub-right")

        with django_assert_num_queries(1):  # the versions
            render_slot("sub-right")

    def test_article_page_query_count_is_the_same_with_ten_live_placements_per_slot(
        self, client, sub_right, sub_banner
    ):
        article = ArticleFactory()

        def queries() -> int:
            client.get(article.get_absolute_url())  # warm the site-wide caches
            with CaptureQueriesContext(connection) as captured:
                assert client.get(article.get_absolute_url()).status_code == 200
            return len(captured)

        without_ads = queries()
        for slot in (sub_right, sub_banner):
            for _ in range(10):
                PlacementFactory(slot=slot)
        with_ads = queries()

        assert with_ads == without_ads
        html = client.get(article.get_absolute_url()).content.decode()
        assert html.count('class="ad-banner"') == 3 + 4


def test_saving_a_placement_updates_its_slot_at_once(sub_right):
    placement = PlacementFactory(slot=sub_right)
    assert "<img" in render_slot("sub-right")

    placement.is_active = False
    placement.save()

    assert render_slot("sub-right").strip() == ""


def test_each_language_gets_its_own_cached_banners(sub_right):
    """A slot's banner markup is rendered once per cache entry, and holds translated words."""
    PlacementFactory(slot=sub_right, kind=Placement.Kind.NETWORK, image="", network_code="<b>x</b>")

    korean = render_slot("sub-right")
    with translation.override("en"):
        english = render_slot("sub-right")

    assert 'title="광고"' in korean and 'title="Advertisement"' not in korean
    assert 'title="Advertisement"' in english and 'title="광고"' not in english
