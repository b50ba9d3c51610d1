"""The demo holds one story under embargo, lifting a day after the demo is seeded."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent
from demo.seeding import DEMO_ARTICLES, seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_story_under_embargo_lifting_in_a_day():
    seed(articles=DEMO_ARTICLES)

    (story,) = Article.objects.embargoed()
    left = story.embargo_until - timezone.now()
    assert timedelta(hours=23) < left <= timedelta(hours=24)
    assert story.events.last().action == ArticleEvent.Action.EMBARGO
    assert Client().get(story.get_absolute_url()).status_code == 404
    assert story.title not in Client().get(reverse("articles:home")).content.decode()
