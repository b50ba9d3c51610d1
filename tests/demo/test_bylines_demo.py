"""The demo shows a co-authored story with a 사진 credit and a correction."""

import re

import pytest

from articles.models import ArticleAuthor, Correction
from demo.seeding import DEMO_ARTICLES, seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_co_authored_story_and_a_correction(client):
    seed(articles=DEMO_ARTICLES)

    photo = ArticleAuthor.objects.get(role=ArticleAuthor.Role.PHOTO)
    correction = Correction.objects.get()
    story = client.get(photo.article.get_absolute_url()).content.decode()
    corrected = client.get(correction.article.get_absolute_url()).content.decode()

    byline = " ".join(re.sub(r"<[^>]+>", "", story.split('<p class="byline">')[1]).split())
    assert byline.startswith("박서연·정태윤 기자 사진=오세린 기자")
    assert "정정보도" in corrected and correction.article.is_published
    assert seed(articles=DEMO_ARTICLES)["corrections"] == 0
