"""Every path that changes what a page shows makes its cached copies stale at once:
save(), delete(), bulk deletes, QuerySet.update(), many-to-many changes, third-party
models (taggit) — through each app's signals.py (caching.versions)."""

import pytest
from django.test import Client
from django.urls import reverse

from ads.models import AdSlot, Placement
from articles.models import Article, Section
from comments.models import Comment, CommentRules
from reporters.models import Reporter
from tests.factories import ArticleFactory, CommentFactory, PlacementFactory, ReporterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def page(url) -> str:
    return Client().get(url).content.decode()


def test_an_update_of_articles_in_bulk(published_article):
    home = reverse("articles:home")
    page(home)

    Article.objects.filter(pk=published_article.pk).update(title="일괄로 고친 제목")

    assert "일괄로 고친 제목" in page(home)


def test_a_section_renamed_in_bulk(published_article):
    url = published_article.get_absolute_url()
    page(url)

    Section.objects.filter(pk=published_article.section_id).update(name="새 섹션 이름")

    assert "새 섹션 이름" in page(url)


def test_a_reporter_renamed_in_bulk():
    article = ArticleFactory(reporter=ReporterFactory(name="옛이름"))
    page(article.get_absolute_url())

    Reporter.objects.filter(pk=article.reporter_id).update(name="새이름")

    assert "새이름" in page(article.get_absolute_url())


def test_a_related_article_added(published_article):
    other = ArticleFactory(title="편집자가 고른 관련기사")
    page(published_article.get_absolute_url())

    published_article.related.add(other)

    assert "편집자가 고른 관련기사" in page(published_article.get_absolute_url())


def test_a_tag_added_to_an_article(published_article):
    page(published_article.get_absolute_url())

    published_article.tags.add("새태그")

    assert "#새태그" in page(published_article.get_absolute_url())


def test_comments_hidden_in_bulk(published_article):
    CommentFactory(article=published_article, body="한꺼번에 숨길 댓글")
    url = published_article.get_absolute_url()
    assert "한꺼번에 숨길 댓글" in page(url)

    Comment.objects.filter(article=published_article).update(status=Comment.Status.HIDDEN)

    assert "한꺼번에 숨길 댓글" not in page(url)


def test_guests_turned_away_by_the_comment_rules(published_article):
    url = published_article.get_absolute_url()
    assert 'name="guest_name"' in page(url)

    rules = CommentRules.current()
    rules.allow_guest_comments = False
    rules.save()

    assert 'name="guest_name"' not in page(url)


def test_a_placement_paused_in_bulk(published_article):
    placement = PlacementFactory(slot=AdSlot.objects.get(key="sub-right"))
    url = published_article.get_absolute_url()
    assert f"/ads/{placement.pk}/click/" in page(url)

    Placement.objects.filter(pk=placement.pk).update(is_active=False)

    assert f"/ads/{placement.pk}/click/" not in page(url)


def test_view_counts_do_not_make_every_page_stale(published_article, django_assert_num_queries):
    url = published_article.get_absolute_url()
    page(url)

    Article.objects.filter(pk=published_article.pk).update(view_count=100)

    with django_assert_num_queries(1):  # the versions: the page itself comes from the cache
        page(url)
