"""The tags in the desk: under their own Korean name, with the articles each is on, and
merged only after a page that says what merging does."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


@pytest.fixture
def twin_tags(db):
    """The same subject tagged two ways, on a published article and a draft."""
    published = ArticleFactory(tags=["로봇"])
    draft = ArticleFactory(tags=["로보트"], status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(tags=["수출"])
    return published, draft


def merge(client, *names, **data):
    ids = Tag.objects.filter(name__in=names).values_list("pk", flat=True)
    return client.post(CHANGELIST, {"action": "merge", ACTION_CHECKBOX_NAME: list(ids), **data})


def test_the_tags_are_listed_under_their_korean_name_with_their_article_counts(
    client, editor, twin_tags
):
    client.force_login(editor)

    index = client.get(reverse("admin:index")).content.decode()
    page = client.get(CHANGELIST).content.decode()

    assert "Taggit" not in index and "태그" in index
    assert '<td class="field-article_count">1</td>' in page


def test_a_tag_page_lists_its_articles_not_content_types_and_object_ids(client, editor, twin_tags):
    client.force_login(editor)
    tag = Tag.objects.get(name="로봇")

    page = client.get(reverse("admin:taggit_tag_change", args=[tag.pk])).content.decode()

    assert twin_tags[0].title in page
    assert "object_id" not in page and "콘텐츠 유형" not in page


def test_merging_first_says_what_it_will_do(client, editor, twin_tags):
    client.force_login(editor)

    response = merge(client, "로봇", "로보트")

    page = response.content.decode()
    assert response.status_code == 200
    assert "이 태그가 붙은 기사 2건에 아래 이름의 태그가 붙고" in page
    assert "그중 1건은 출고된 기사라" in page
    assert Tag.objects.filter(name__in=["로봇", "로보트"]).count() == 2


def test_merging_puts_the_named_tag_on_every_article_and_deletes_the_others(
    client, editor, twin_tags
):
    published, draft = twin_tags
    client.force_login(editor)

    response = merge(client, "로봇", "로보트", post="yes", name="로봇")

    assert response.status_code == 302
    assert list(published.tags.names()) == ["로봇"]
    assert list(draft.tags.names()) == ["로봇"]
    assert not Tag.objects.filter(name="로보트").exists()
    assert Tag.objects.filter(name="수출").exists()


def test_a_merge_without_a_name_asks_again_and_changes_nothing(client, editor, twin_tags):
    client.force_login(editor)

    response = merge(client, "로봇", "로보트", post="yes", name="")

    assert response.status_code == 200
    page = response.content.decode()
    assert "아래 오류를 수정하세요." in page and "필수 항목입니다" in page
    assert Tag.objects.filter(name__in=["로봇", "로보트"]).count() == 2


def test_a_reporter_may_not_merge_tags_by_posting_the_action(client, reporter_user, twin_tags):
    client.force_login(reporter_user)

    merge(client, "로봇", "로보트", post="yes", name="로봇")

    assert Tag.objects.filter(name__in=["로봇", "로보트"]).count() == 2


def test_an_anonymous_visitor_is_sent_to_log_in(client, twin_tags):
    response = merge(client, "로봇", "로보트", post="yes", name="로봇")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Tag.objects.filter(name__in=["로봇", "로보트"]).count() == 2
