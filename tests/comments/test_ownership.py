"""Only the reader who wrote a comment edits or deletes it; everyone else gets 404/403."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_comment(reader, published_article):
    return CommentFactory(article=published_article, user=reader, body="내가 쓴 댓글")


@pytest.fixture
def guest_comment(published_article):
    return CommentFactory(article=published_article, user=None, guest_name="손님", body="손님 댓글")


def attempt(client, action, comment):
    url = reverse(f"comments:{action}", args=[comment.pk])
    data = {"body": "바뀐 내용"} if action == "edit" else {}
    return client.get(url), client.post(url, data)


@pytest.mark.parametrize("action", ["edit", "delete"])
class TestOwnershipMatrix:
    def test_owner_may(self, client, reader, own_comment, action):
        client.force_login(reader)

        get, post = attempt(client, action, own_comment)

        assert get.status_code == 200 and post.status_code == 302
        own_comment.refresh_from_db()
        if action == "edit":
            assert own_comment.body == "바뀐 내용" and own_comment.edited_at
        else:
            assert own_comment.status == Comment.Status.DELETED

    @pytest.mark.parametrize("who", ["other_reader", "moderator", "editor"])
    def test_anyone_else_gets_404(self, client, own_comment, action, who, request):
        client.force_login(request.getfixturevalue(who))

        get, post = attempt(client, action, own_comment)

        assert get.status_code == post.status_code == 404
        self.assert_unchanged(own_comment)

    def test_anonymous_visitor_gets_403(self, client, own_comment, action):
        get, post = attempt(client, action, own_comment)

        assert get.status_code == post.status_code == 403
        assert reverse("accounts:login") in get.content.decode()
        self.assert_unchanged(own_comment)

    @pytest.mark.parametrize("who", [None, "reader", "other_reader"])
    def test_guest_comments_cannot_be_changed_by_readers(
        self, client, guest_comment, action, who, request
    ):
        if who:
            client.force_login(request.getfixturevalue(who))

        get, post = attempt(client, action, guest_comment)

        assert get.status_code in (403, 404) and post.status_code in (403, 404)
        self.assert_unchanged(guest_comment, body="손님 댓글")

    def test_banned_owner_cannot_edit(self, client, banned_reader, published_article, action):
        comment = CommentFactory(article=published_article, user=banned_reader, body="옛 댓글")
        client.force_login(banned_reader)

        _get, post = attempt(client, action, comment)

        comment.refresh_from_db()
        if action == "edit":
            assert post.status_code == 403 and comment.body == "옛 댓글"

    @staticmethod
    def assert_unchanged(comment, body="내가 쓴 댓글"):
        comment.refresh_from_db()
        assert comment.body == body
        assert comment.status == Comment.Status.VISIBLE
        assert comment.edited_at is None


def test_edited_comments_say_so(client, reader, own_comment, published_article):
    client.force_login(reader)
    client.post(reverse("comments:edit", args=[own_comment.pk]), {"body": "고친 댓글"})

    content = client.get(published_article.get_absolute_url()).content.decode()

    assert "고친 댓글" in content and "(수정됨)" in content


def test_edit_over_the_limit_keeps_the_text(client, reader, own_comment):
    client.force_login(reader)

    response = client.post(reverse("comments:edit", args=[own_comment.pk]), {"body": "가" * 1001})

    assert response.status_code == 200
    assert "가" * 1001 in response.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.body == "내가 쓴 댓글"


def test_delete_asks_first_and_only_post_deletes(client, reader, own_comment):
    client.force_login(reader)

    response = client.get(reverse("comments:delete", args=[own_comment.pk]))

    assert "댓글을 삭제할까요?" in response.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.VISIBLE


def test_deleting_keeps_a_placeholder_when_there_are_replies(
    client, reader, own_comment, published_article
):
    CommentFactory(article=published_article, parent=own_comment, body="남의 답글")
    client.force_login(reader)

    client.post(reverse("comments:delete", args=[own_comment.pk]))

    content = client.get(published_article.get_absolute_url()).content.decode()
    assert "삭제된 댓글입니다." in content and "남의 답글" in content
    assert "내가 쓴 댓글" not in content
    assert Comment.objects.filter(pk=own_comment.pk).exists()  # never hard-deleted


def test_deleting_without_replies_removes_it_from_the_thread(
    client, reader, own_comment, published_article
):
    client.force_login(reader)

    client.post(reverse("comments:delete", args=[own_comment.pk]))

    content = client.get(published_article.get_absolute_url()).content.decode()
    assert "내가 쓴 댓글" not in content and "삭제된 댓글입니다." not in content
    published_article.refresh_from_db()
    assert published_article.comment_count == 0


def test_owner_sees_edit_and_delete_links_only_on_their_own(
    client, reader, own_comment, published_article
):
    other = CommentFactory(article=published_article, body="남의 댓글")
    client.force_login(reader)

    content = client.get(published_article.get_absolute_url()).content.decode()

    assert reverse("comments:edit", args=[own_comment.pk]) in content
    assert reverse("comments:edit", args=[other.pk]) not in content


class TestMyComments:
    def test_lists_the_readers_comments_with_links(self, client, reader, own_comment):
        CommentFactory(body="남의 댓글")
        client.force_login(reader)

        content = client.get(reverse("comments:mine")).content.decode()

        assert "내가 쓴 댓글" in content and "남의 댓글" not in content
        assert own_comment.get_absolute_url() in content
        assert reverse("comments:edit", args=[own_comment.pk]) in content

    def test_needs_login(self, client):
        response = client.get(reverse("comments:mine"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_banned_reader_is_refused_the_edit_form_as_the_edit_itself(
    client, banned_reader, published_article
):
    comment = CommentFactory(article=published_article, user=banned_reader, body="옛 댓글")
    client.force_login(banned_reader)

    get, post = attempt(client, "edit", comment)

    assert get.status_code == post.status_code == 403
    for response in (get, post):
        assert "댓글 작성이 제한된 계정입니다." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "옛 댓글" and comment.edited_at is None
