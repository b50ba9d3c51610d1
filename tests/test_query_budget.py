"""Every public page costs the same number of queries however much content it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    PlacementFactory,
    ReporterFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    assert client.get(url).status_code == 200  # warm the small site-wide caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def newsroom(size: int):
    """A section, a reporter and a tag with ``size`` articles, each with tags and comments."""
    section = SectionFactory(slug=f"desk-{size}")
    reporter = ReporterFactory(slug=f"writer-{size}")
    photo = PhotoFactory()
    readers = [UserFactory() for _ in range(3)]
    articles = [
        ArticleFactory(
            section=section,
            reporter=reporter,
            lead_photo=photo,
            tags=[f"태그{size}", *(f"주제{n}" for n in range(size % 7 + 1))],
        )
        for _ in range(size)
    ]
    lead = articles[0]
    lead.related.add(*articles[1:11])
    Comment.objects.bulk_create(
        Comment(article=lead, user=readers[n % 3], body=f"댓글 {n}") for n in range(size * 5)
    )
    return section, reporter, lead


@pytest.fixture
def small_and_big(db):
    return newsroom(2), newsroom(30)


# "?page=2": the big site's second page (read by its rows' keys, web/pagination.py) against the
# small site's only one.
@pytest.mark.parametrize(
    "page",
    [
        "home",
        "section",
        "tag",
        "reporter",
        "article",
        "search",
        "section ?page=2",
        "tag ?page=2",
        "reporter ?page=2",
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_page_cost_does_not_grow_with_content(client, small_and_big, page, who):
    if who == "reader":
        client.force_login(UserFactory())

    def url(section, reporter, lead):
        return {
            "home": reverse("articles:home"),
            "section": section.get_absolute_url(),
            "tag": reverse("articles:tag", args=[lead.tags.first().slug]),
            "reporter": reporter.get_absolute_url(),
            "article": lead.get_absolute_url(),
            "search": reverse("articles:search") + "?q=스마트",
            "section ?page=2": section.get_absolute_url() + "?page=2",
            "tag ?page=2": reverse("articles:tag", args=[lead.tags.first().slug]) + "?page=2",
            "reporter ?page=2": reporter.get_absolute_url() + "?page=2",
        }[page]

    small, big = small_and_big
    small_cost = queries(client, url(*small))
    for slot in ("sub-right", "sub-banner"):
        for _ in range(5):
            PlacementFactory(slot__key=slot)
    big_cost = queries(client, url(*big))

    assert big_cost <= small_cost


def test_anonymous_article_page_within_ten_queries(client, settings, django_assert_max_num_queries):
    """Nothing cached at all: the page as the first reader after a change gets it."""
    settings.FRAGMENT_CACHE_SECONDS = 0
    article = busy_article()
    client.get(article.get_absolute_url())

    with django_assert_max_num_queries(10):
        client.get(article.get_absolute_url())


def test_a_page_cache_miss_with_its_parts_cached_reads_no_row(client, django_assert_num_queries):
    """The article, its head, the story and its tags, the thread, the related articles,
    the comment form, the sidebar and the site settings are cached: what is left is
    reading the versions from the shared cache (the page's, then the thread's votes)."""
    article = busy_article()
    client.get(article.get_absolute_url())

    with django_assert_num_queries(2):
        client.get(article.get_absolute_url())


def busy_article():
    article = ArticleFactory(lead_photo=PhotoFactory(), tags=[f"태그{n}" for n in range(30)])
    article.related.add(*[ArticleFactory() for _ in range(10)])
    Comment.objects.bulk_create(
        Comment(article=article, guest_name="손님", body=f"댓글 {n}") for n in range(100)
    )
    return article
