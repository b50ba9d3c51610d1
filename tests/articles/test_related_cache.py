"""Related articles are cached per article, yet never miss a story for more than a minute."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def related_block(page: str) -> str:
    return (
        page.split('class="related"', 1)[1].split("</section>", 1)[0] if "related" in page else ""
    )


def test_a_newly_published_article_is_related_at_once(published_article):
    url = published_article.get_absolute_url()
    ArticleFactory(title="먼저 나온 로봇 기사", tags=["로봇"])
    assert "먼저 나온 로봇 기사" in related_block(Client().get(url).content.decode())

    ArticleFactory(title="방금 나온 로봇 기사", tags=["로봇"])

    assert "방금 나온 로봇 기사" in related_block(Client().get(url).content.decode())


def test_a_scheduled_article_is_related_within_a_minute(published_article):
    url = published_article.get_absolute_url()
    due = ArticleFactory(
        title="예약된 로봇 기사", tags=["로봇"], published_at=timezone.now() + timedelta(seconds=30)
    )
    assert "예약된 로봇 기사" not in Client().get(url).content.decode()

    with (
        mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 61),
        mock.patch(
            "django.utils.timezone.now", return_value=due.published_at + timedelta(seconds=1)
        ),
    ):
        assert "예약된 로봇 기사" in related_block(Client().get(url).content.decode())
