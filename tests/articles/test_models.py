from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_includes_articles_whose_time_has_come():
    article = ArticleFactory(published_at=timezone.now() - timedelta(minutes=1))
    assert list(Article.objects.published()) == [article]
    assert article.is_published


def test_a_future_time_is_a_scheduled_article_that_appears_by_itself():
    article = ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
    assert not Article.objects.published().exists()
    assert article.is_scheduled
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert list(Article.objects.published()) == [article]


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_drafts_and_articles_in_review_are_not_published(status):
    ArticleFactory(status=status, published_at=timezone.now() - timedelta(days=1))
    assert not Article.objects.published().exists()


def test_published_article_without_a_time_is_not_public():
    ArticleFactory(published_at=None)
    assert not Article.objects.published().exists()


def test_related_articles_are_editor_picks_first_then_shared_tags():
    article = ArticleFactory(tags=["로봇"])
    picked = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    sharing_old = ArticleFactory(tags=["로봇"], published_at=timezone.now() - timedelta(days=2))
    sharing_new = ArticleFactory(tags=["로봇"], published_at=timezone.now() - timedelta(hours=2))
    draft = ArticleFactory(tags=["로봇"], status=Article.Status.DRAFT)
    scheduled_pick = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    article.related.add(picked, scheduled_pick, article)

    related = article.related_articles()

    assert related == [picked, sharing_new, sharing_old]
    assert draft not in related and article not in related


def test_related_articles_are_limited():
    article = ArticleFactory(tags=["로봇"])
    for _ in range(8):
        ArticleFactory(tags=["로봇"])
    assert len(article.related_articles(limit=6)) == 6


def test_modified_only_when_changed_after_publishing():
    article = ArticleFactory(published_at=timezone.now())
    assert not article.was_modified
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(hours=3))
    article.refresh_from_db()
    article.save()
    assert article.was_modified


def test_lead_falls_back_to_the_start_of_the_body():
    article = ArticleFactory(summary="", body="<p>첫 문단입니다.</p><p>둘째 문단.</p>")
    assert article.lead.startswith("첫 문단입니다.")
    assert "<p>" not in article.lead


@pytest.mark.parametrize(
    ("status", "published_at", "public", "scheduled"),
    [
        (Article.Status.PUBLISHED, timedelta(0), True, False),  # its time is this very moment
        (Article.Status.PUBLISHED, timedelta(microseconds=1), False, True),
        (Article.Status.PUBLISHED, -timedelta(microseconds=1), True, False),
        (Article.Status.PUBLISHED, None, False, True),
        (Article.Status.DRAFT, -timedelta(days=1), False, False),
        (Article.Status.REVIEW, -timedelta(days=1), False, False),
    ],
    ids=["due-now", "due-in-a-moment", "due-a-moment-ago", "no-time", "draft", "in-review"],
)
def test_the_queryset_and_the_article_agree_on_what_is_published(
    monkeypatch, status, published_at, public, scheduled
):
    now = timezone.now()
    article = ArticleFactory(
        status=status, published_at=None if published_at is None else now + published_at
    )
    monkeypatch.setattr(timezone, "now", lambda: now)

    assert Article.objects.published().filter(pk=article.pk).exists() is public
    assert article.is_published is public
    assert article.is_scheduled is scheduled
