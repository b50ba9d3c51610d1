import pytest

from articles.models import Article, Photo
from demo.seeding import DEMO_ARTICLES, seed
from demo.stories import demo_stories

pytestmark = pytest.mark.django_db


def test_a_demo_story_shows_a_library_photo_in_its_body(client):
    seed(articles=DEMO_ARTICLES)
    story = next(story for story in demo_stories() if story.key == "gwangju-fez")
    article = Article.objects.get(slug=story.slug)
    photo = Photo.objects.get(caption="디지털 트윈으로 연결된 공장 설비를 나타낸 그래픽")

    assert f'<figure data-photo-id="{photo.pk}">' in article.body
    assert article.history.earliest().body == article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="body-photo">' in page and f"▲ {photo.caption}" in page
