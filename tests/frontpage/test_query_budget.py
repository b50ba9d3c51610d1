"""Pinned stories cost the home and section pages the same few queries however many there
are, and nothing once cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frontpage import services
from frontpage.models import PINS_PER_PAGE
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def pin_many(section, count):
    for _ in range(count):
        article = ArticleFactory(
            section=section or SectionFactory(slug="desk"), lead_photo=PhotoFactory()
        )
        services.pin(article=article, section=section, ends_at=None, by=None, top=False)


@pytest.mark.parametrize("page", ["home", "section"])
def test_a_full_page_of_pins_costs_no_more_than_one(client, settings, page):
    settings.FRAGMENT_CACHE_SECONDS = 0  # nothing cached: the pins are read every time
    section = SectionFactory(slug="pinned") if page == "section" else None
    url = section.get_absolute_url() if section else reverse("articles:home")
    pin_many(section, 1)
    one = queries(client, url)

    pin_many(section, PINS_PER_PAGE - 1)

    assert queries(client, url) <= one


def test_cached_pins_cost_the_home_page_nothing(client):
    url = reverse("articles:home")
    ArticleFactory(section=SectionFactory(slug="desk"))
    unpinned = queries(client, url)

    pin_many(None, PINS_PER_PAGE)

    assert queries(client, url) <= unpinned
