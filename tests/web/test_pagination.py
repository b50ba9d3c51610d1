"""Paginated lists: a deep page shows what OFFSET would, found by the rows' keys alone."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAuthor
from tests.factories import ArticleFactory, ReporterFactory, SectionFactory
from web.pagination import PAGE_SIZE, DeferredJoinPaginator

pytestmark = pytest.mark.django_db

# Two full pages and a short third one.
ARTICLES = 2 * PAGE_SIZE + 5


@pytest.fixture
def desk():
    """A section, a reporter and a tag with ARTICLES published articles, newest first, and
    articles elsewhere and not yet public that no page of theirs may show."""
    section = SectionFactory(slug="industry", name="산업")
    reporter = ReporterFactory(slug="kim", name="김기자")
    now = timezone.now()
    articles = [
        ArticleFactory(
            section=section,
            reporter=reporter,
            title=f"기사 {n:02d}",
            # Some without a summary: the list shows the start of the body instead.
            summary="" if n % 7 == 0 else f"요약 {n:02d}",
            body=f"<p>본문 시작 {n:02d}</p>",
            published_at=now - timedelta(minutes=n + 1),
            tags=["로봇"],
        )
        for n in range(ARTICLES)
    ]
    ArticleFactory(section=section, reporter=reporter, title="초안", status=Article.Status.DRAFT)
    ArticleFactory(
        section=section, reporter=reporter, title="내일 공개", published_at=now + timedelta(days=1)
    )
    ArticleFactory(title="다른 부서", tags=["다른"])
    return section, reporter, articles


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [article.title for article in response.context["page_obj"]]


def pages_of(articles) -> list[list[str]]:
    return [
        [a.title for a in articles[start : start + PAGE_SIZE]]
        for start in range(0, len(articles), PAGE_SIZE)
    ]


def list_urls(section, reporter) -> dict[str, str]:
    return {
        "section": section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["로봇"]),
        "reporter": reporter.get_absolute_url(),
    }


@pytest.mark.parametrize("page", ["section", "tag", "reporter"])
def test_every_page_of_a_list_shows_its_articles_newest_first(client, desk, page):
    section, reporter, articles = desk
    url = list_urls(section, reporter)[page]

    shown = [titles(client.get(f"{url}?page={number}")) for number in (1, 2, 3)]

    assert shown == pages_of(articles)


@pytest.mark.parametrize("asked", ["4", "50", "9" * 30])
@pytest.mark.parametrize("page", ["section", "tag", "reporter"])
def test_a_page_beyond_the_end_answers_with_the_last(client, desk, page, asked):
    section, reporter, articles = desk
    url = list_urls(section, reporter)[page]

    response = client.get(f"{url}?page={asked}")

    assert titles(response) == pages_of(articles)[-1]
    assert response.context["page_obj"].number == 3


@pytest.mark.parametrize("asked", ["", "abc", "%00", "1.5"])
def test_a_page_number_that_is_no_number_answers_with_the_first(client, desk, asked):
    section, _, articles = desk

    response = client.get(f"{section.get_absolute_url()}?page={asked}")

    assert titles(response) == pages_of(articles)[0]


def test_a_deep_page_shows_each_article_as_the_first_page_does(client, desk):
    """Section, reporter and photo joined, the body's start for a missing summary."""
    section, _, articles = desk

    content = client.get(f"{section.get_absolute_url()}?page=2").content.decode()

    for article in articles[PAGE_SIZE : 2 * PAGE_SIZE]:
        assert article.get_absolute_url() in content
        if article.summary:
            assert article.summary in content
        else:
            assert article.title.replace("기사", "본문 시작") in content
    assert "산업" in content and "김기자" in content


def test_a_deep_page_of_a_reporter_shows_co_authored_articles_in_their_place(client, desk):
    section, reporter, articles = desk
    other = ReporterFactory(name="이기자")
    shared = ArticleFactory(
        section=section,
        reporter=other,
        title="공동 취재",
        published_at=articles[PAGE_SIZE + 2].published_at + timedelta(seconds=1),
    )
    ArticleAuthor.objects.create(article=shared, reporter=reporter, position=1)

    shown = titles(client.get(f"{reporter.get_absolute_url()}?page=2"))

    expected = pages_of([*articles[: PAGE_SIZE + 2], shared, *articles[PAGE_SIZE + 2 :]])[1]
    assert shown == expected and "공동 취재" in shown


@pytest.mark.parametrize("page", ["section", "tag", "reporter"])
def test_a_deep_page_costs_the_queries_the_first_one_does(client, desk, page):
    section, reporter, _ = desk
    url = list_urls(section, reporter)[page]

    def cost(query: str) -> list[str]:
        client.get(url + query)  # warm the small site-wide caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url + query).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    first, deep = cost(""), cost("?page=3")

    assert len(deep) == len(first)
    # The page's rows are read by their keys: OFFSET only in a subquery of ids.
    [listing] = [sql for sql in deep if "OFFSET" in sql]
    assert listing.count("OFFSET") == 1
    assert " IN (SELECT" in listing and listing.index(" IN (SELECT") < listing.index("OFFSET")


class TestDeferredJoinPaginator:
    def test_pages_hold_what_offset_pages_hold_in_the_same_order(self, desk):
        rows = Article.objects.published().for_listing()

        ours, plain = DeferredJoinPaginator(rows, 7), Paginator(rows, 7)

        assert ours.num_pages == plain.num_pages == 7
        for number in ours.page_range:
            assert [a.pk for a in ours.page(number)] == [a.pk for a in plain.page(number)]
            assert ours.page(number).has_next() == plain.page(number).has_next()

    def test_orphans_join_the_last_page(self, desk):
        rows = Article.objects.published().for_listing()

        last = DeferredJoinPaginator(rows, 10, orphans=6).page(4)

        assert len(last) == rows.count() - 30

    def test_a_union_or_a_list_is_paged_as_it_is(self, desk):
        _, _, articles = desk
        published = Article.objects.published().order_by()
        union = published.filter(pk__lt=articles[10].pk).union(
            published.filter(pk__gt=articles[30].pk)
        )

        assert len(DeferredJoinPaginator(union.order_by("-published_at"), 5).page(2)) == 5
        assert list(DeferredJoinPaginator(list(range(12)), 5).page(3)) == [10, 11]
