"""The article page's own parts (head, story, related articles) are cached on their own,
yet every change shows at once, and a scheduled story within the minute. The page cache
is off here (tests/conftest.py)."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import DailyViews
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


def test_a_scheduled_article_is_related_as_soon_as_it_falls_due(published_article):
    url = published_article.get_absolute_url()
    due = ArticleFactory(
        title="예약된 로봇 기사", tags=["로봇"], published_at=timezone.now() + timedelta(seconds=30)
    )
    assert "예약된 로봇 기사" not in Client().get(url).content.decode()

    with (
        mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 31),
        mock.patch(
            "django.utils.timezone.now", return_value=due.published_at + timedelta(seconds=1)
        ),
    ):
        assert "예약된 로봇 기사" in related_block(Client().get(url).content.decode())


def test_an_edited_title_shows_in_the_most_read_box_at_once(client, published_article):
    DailyViews.objects.create(article=published_article, date=timezone.localdate(), views=5)
    client.get(reverse("articles:home"))

    published_article.title = "많이 읽힌 기사의 새 제목"
    published_article.save()

    home = client.get(reverse("articles:home")).content.decode()
    assert "많이 읽힌 기사의 새 제목" in home.split('id="most-read-title"', 1)[1]


class TestTheStoryShowsChangesAtOnce:
    def test_an_edited_article(self, published_article):
        url = published_article.get_absolute_url()
        Client().get(url)

        published_article.body = "<p>고쳐 쓴 본문</p>"
        published_article.save()

        assert "고쳐 쓴 본문" in Client().get(url).content.decode()

    def test_a_renamed_reporter(self, published_article):
        url = published_article.get_absolute_url()
        Client().get(url)

        published_article.reporter.name = "새이름"
        published_article.reporter.save()

        page = Client().get(url).content.decode()
        assert "새이름" in page.split('class="byline"', 1)[1]
        assert '<meta name="author" content="새이름">' in page

    def test_a_new_photo_caption(self, published_article):
        url = published_article.get_absolute_url()
        Client().get(url)

        published_article.lead_photo.caption = "새로 단 사진 설명"
        published_article.lead_photo.save()

        assert "새로 단 사진 설명" in Client().get(url).content.decode()


def test_the_edit_link_is_only_for_those_who_may_edit(client, editor, published_article):
    url = published_article.get_absolute_url()
    edit = reverse("admin:articles_article_change", args=[published_article.pk])
    client.force_login(editor)

    assert edit in client.get(url).content.decode()
    assert edit not in Client().get(url).content.decode()
    assert edit in client.get(url).content.decode()


def test_a_story_rendered_before_the_edit_was_committed_is_not_kept(
    published_article, django_capture_on_commit_callbacks
):
    """Another reader may render the old rows after the save but before its commit."""
    url = published_article.get_absolute_url()
    old_title = published_article.title
    Client().get(url)

    with django_capture_on_commit_callbacks(execute=True):
        published_article.title = "커밋된 새 제목"
        published_article.save()
        # Until the commit, other connections still read the old row.
        type(published_article).objects.filter(pk=published_article.pk).update(title=old_title)
        assert old_title in Client().get(url).content.decode()
        type(published_article).objects.filter(pk=published_article.pk).update(
            title="커밋된 새 제목"
        )

    page = Client().get(url).content.decode()
    assert 'class="article-title">커밋된 새 제목</h1>' in page  # the story
    assert '<meta property="og:title" content="커밋된 새 제목">' in page  # the head


def test_a_story_read_just_before_an_edit_is_not_kept(published_article, monkeypatch):
    """The version is read before the article: an edit landing in between leaves the
    copy rendered from the old row under the old version."""
    from articles import views

    url = published_article.get_absolute_url()
    read_article = views._readable_article

    def read_then_someone_edits(request, pk):
        article = read_article(request, pk)
        edited = type(article).objects.get(pk=pk)
        edited.title = "그새 고친 제목"
        edited.save()
        return article

    monkeypatch.setattr(views, "_readable_article", read_then_someone_edits)
    Client().get(url)
    monkeypatch.undo()

    page = Client().get(url).content.decode()
    assert 'class="article-title">그새 고친 제목</h1>' in page
    assert '<meta property="og:title" content="그새 고친 제목">' in page


class TestChangesOutsideSaveShowAtOnce:
    def test_an_article_deleted_in_bulk_leaves_related_lists(
        self, client, editor, published_article
    ):
        gone = ArticleFactory(title="지워질 로봇 기사", tags=["로봇"])
        url = published_article.get_absolute_url()
        assert "지워질 로봇 기사" in related_block(Client().get(url).content.decode())
        editor.is_superuser = True  # the admin's bulk delete needs the delete permission
        editor.save()
        client.force_login(editor)

        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"},
        )

        assert not type(gone).objects.filter(pk=gone.pk).exists()
        assert "지워질 로봇 기사" not in related_block(Client().get(url).content.decode())

    def test_a_renamed_tag(self, published_article):
        url = published_article.get_absolute_url()
        Client().get(url)
        tag = published_article.tags.get(name="로봇")

        tag.name = "협동로봇"
        tag.save()

        assert "#협동로봇" in Client().get(url).content.decode()


def test_an_editor_sees_the_story_as_it_is_now(client, editor, published_article):
    """Another worker may hold an older story; the editor's own page is never cached."""
    url = published_article.get_absolute_url()
    Client().get(url)
    client.force_login(editor)
    # Saved through another worker: this worker's versions do not move.
    type(published_article).objects.filter(pk=published_article.pk).update(title="방금 고친 제목")

    assert 'class="article-title">방금 고친 제목</h1>' in client.get(url).content.decode()
