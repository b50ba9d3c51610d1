"""Guest comments as Korean news sites do them: a nickname and a password, and with that
password the guest edits or deletes the comment, under the readers' rules."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

from comments.models import COMMENT_MAX_LENGTH, Comment
from comments.services import (
    GUEST_PASSWORD_FAILURES_PER_ADDRESS,
    GUEST_PASSWORD_FAILURES_PER_COMMENT,
)
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "비밀1234"


@pytest.fixture
def guest_comment(published_article):
    return CommentFactory(
        article=published_article,
        user=None,
        guest_name="지나가던독자",
        guest_password=make_password(PASSWORD),
        body="손님이 쓴 원래 댓글",
        ip_address="10.0.0.1",
    )


@pytest.fixture
def old_guest_comment(published_article):
    """Written before guests chose passwords."""
    return CommentFactory(article=published_article, user=None, guest_name="옛손님", body="옛 댓글")


def edit(client, comment, password=PASSWORD, body="고친 댓글", **extra):
    url = reverse("comments:guest_edit", args=[comment.pk])
    return client.post(url, {"password": password, "body": body}, **extra)


def delete(client, comment, password=PASSWORD, **extra):
    return client.post(
        reverse("comments:guest_delete", args=[comment.pk]), {"password": password}, **extra
    )


class TestPosting:
    def test_a_guest_comment_keeps_only_a_hash_of_its_password(self, client, published_article):
        response = client.post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "손님 의견", "guest_name": "손님", "guest_password": PASSWORD},
        )

        assert response.status_code == 302
        comment = Comment.objects.get()
        assert comment.guest_password != PASSWORD and PASSWORD not in comment.guest_password
        assert check_password(PASSWORD, comment.guest_password)

    def test_a_guest_must_choose_a_password_and_loses_nothing_without_one(
        self, client, published_article
    ):
        response = client.post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "비밀번호를 잊은 의견", "guest_name": "손님"},
        )

        page = response.content.decode()
        assert response.status_code == 200
        assert "비밀번호를 입력하세요." in page
        assert "비밀번호를 잊은 의견</textarea>" in page and 'value="손님"' in page
        assert not Comment.objects.exists()

    def test_a_guest_refused_by_the_csrf_check_is_asked_for_the_password_again(
        self, published_article
    ):
        response = Client(enforce_csrf_checks=True).post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "오래 연 페이지", "guest_name": "손님", "guest_password": PASSWORD},
        )

        page = response.content.decode()
        assert response.status_code == 403
        assert "비밀번호를 다시 입력하고 등록을 눌러 주세요." in page
        assert "오래 연 페이지</textarea>" in page and PASSWORD not in page

    def test_a_too_short_password_is_refused_with_a_clear_message(self, client, published_article):
        response = client.post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "짧은 비밀번호", "guest_name": "손님", "guest_password": "12"},
        )

        assert "4자 이상 입력하세요." in response.content.decode()
        assert not Comment.objects.exists()

    def test_a_reader_never_gets_a_password_field_nor_a_hash(
        self, client, reader, published_article
    ):
        client.force_login(reader)
        page = client.get(published_article.get_absolute_url()).content.decode()

        client.post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "회원 의견", "guest_password": PASSWORD},
        )

        assert 'name="guest_password"' not in page
        assert Comment.objects.get().guest_password == ""

    def test_the_guest_form_asks_for_a_password_in_korean(self, client, published_article):
        page = client.get(published_article.get_absolute_url()).content.decode()

        assert 'name="guest_password"' in page and 'type="password"' in page
        assert "나중에 댓글을 수정하거나 삭제할 때 필요합니다." in page


class TestManagingWithThePassword:
    def test_the_right_password_edits_the_comment(self, client, guest_comment):
        response = edit(client, guest_comment)

        assert response.status_code == 302
        assert response["Location"].endswith(f"#comment-{guest_comment.pk}")
        guest_comment.refresh_from_db()
        assert guest_comment.body == "고친 댓글" and guest_comment.edited_at
        page = client.get(response["Location"]).content.decode()
        assert "고친 댓글" in page and "댓글을 수정했습니다" in page

    def test_the_right_password_deletes_the_comment(self, client, guest_comment):
        page = client.get(reverse("comments:guest_delete", args=[guest_comment.pk]))

        response = delete(client, guest_comment)

        assert page.status_code == 200 and "손님이 쓴 원래 댓글" in page.content.decode()
        assert response.status_code == 302
        guest_comment.refresh_from_db()
        assert guest_comment.status == Comment.Status.DELETED
        guest_comment.article.refresh_from_db()
        assert guest_comment.article.comment_count == 0

    def test_a_wrong_password_changes_nothing_and_keeps_the_new_text(self, client, guest_comment):
        response = edit(client, guest_comment, password="틀린비밀번호", body="공들여 고친 긴 글")

        page = response.content.decode()
        assert response.status_code == 403
        assert "비밀번호가 맞지 않습니다." in page and "공들여 고친 긴 글</textarea>" in page
        guest_comment.refresh_from_db()
        assert guest_comment.body == "손님이 쓴 원래 댓글" and guest_comment.edited_at is None
        assert delete(client, guest_comment, password="틀린비밀번호").status_code == 403
        guest_comment.refresh_from_db()
        assert guest_comment.status == Comment.Status.VISIBLE

    def test_an_edit_follows_the_readers_length_rule(self, client, guest_comment):
        exactly = "가" * COMMENT_MAX_LENGTH

        too_long = edit(client, guest_comment, body=exactly + "나")
        at_limit = edit(client, guest_comment, body=exactly)

        assert too_long.status_code == 200
        assert "1,001" in too_long.content.decode()
        assert at_limit.status_code == 302
        guest_comment.refresh_from_db()
        assert guest_comment.body == exactly

    def test_the_edit_page_shows_the_comment_text_to_change(self, client, guest_comment):
        response = client.get(reverse("comments:guest_edit", args=[guest_comment.pk]))

        page = response.content.decode()
        assert response.status_code == 200
        assert "손님이 쓴 원래 댓글</textarea>" in page and 'type="password"' in page
        assert 'name="robots" content="noindex"' in page

    def test_a_hidden_comment_is_not_shown_before_the_password(self, client, guest_comment):
        guest_comment.status = Comment.Status.HIDDEN
        guest_comment.save()

        pages = [
            client.get(reverse(f"comments:{action}", args=[guest_comment.pk])).content.decode()
            for action in ("guest_edit", "guest_delete")
        ]

        assert all("손님이 쓴 원래 댓글" not in page for page in pages)
        assert delete(client, guest_comment).status_code == 302  # its author may still delete it

    def test_a_deleted_comment_cannot_be_managed_any_more(self, client, guest_comment):
        delete(client, guest_comment)

        assert edit(client, guest_comment).status_code == 404
        assert (
            client.get(reverse("comments:guest_delete", args=[guest_comment.pk])).status_code == 404
        )


class TestWhoMayManage:
    def test_comments_without_a_password_stay_for_moderators_only(self, client, old_guest_comment):
        page = client.get(reverse("comments:guest_edit", args=[old_guest_comment.pk]))
        posted = edit(client, old_guest_comment, password="")
        deleted = delete(client, old_guest_comment, password="아무거나")

        assert page.status_code == posted.status_code == deleted.status_code == 403
        assert "관리자만 수정하거나 삭제할 수 있습니다" in page.content.decode()
        old_guest_comment.refresh_from_db()
        assert old_guest_comment.body == "옛 댓글"
        assert old_guest_comment.status == Comment.Status.VISIBLE

    @pytest.mark.parametrize("who", [None, "reader", "other_reader", "editor", "moderator"])
    def test_a_readers_comment_is_never_managed_as_a_guests(
        self, client, reader, published_article, who, request
    ):
        comment = CommentFactory(article=published_article, user=reader, body="회원 댓글")
        if who:
            client.force_login(request.getfixturevalue(who))

        assert edit(client, comment, password="").status_code == 404
        assert delete(client, comment, password="").status_code == 404
        comment.refresh_from_db()
        assert comment.body == "회원 댓글" and comment.status == Comment.Status.VISIBLE

    @pytest.mark.parametrize("who", ["reader", "editor", "moderator", "ad_staff"])
    def test_being_logged_in_is_no_substitute_for_the_password(
        self, client, guest_comment, who, request
    ):
        client.force_login(request.getfixturevalue(who))

        assert edit(client, guest_comment, password="모르는비번").status_code == 403
        guest_comment.refresh_from_db()
        assert guest_comment.body == "손님이 쓴 원래 댓글"

    def test_the_password_works_with_a_csrf_token_only(self, guest_comment):
        browser = Client(enforce_csrf_checks=True)

        response = edit(browser, guest_comment, body="토큰 없이 고친 글")

        page = response.content.decode()
        assert response.status_code == 403
        assert "토큰 없이 고친 글</textarea>" in page  # sent again, nothing lost
        guest_comment.refresh_from_db()
        assert guest_comment.body == "손님이 쓴 원래 댓글"


class TestThrottling:
    def test_wrong_passwords_from_one_address_are_paused(self, client, guest_comment):
        for _ in range(GUEST_PASSWORD_FAILURES_PER_ADDRESS):
            assert edit(client, guest_comment, password="틀린비밀번호").status_code == 403

        refused = edit(client, guest_comment)  # even the right one, until the pause ends

        assert refused.status_code == 429
        assert "비밀번호가 여러 번 틀렸습니다" in refused.content.decode()
        guest_comment.refresh_from_db()
        assert guest_comment.body == "손님이 쓴 원래 댓글"
        assert edit(Client(REMOTE_ADDR="10.9.9.9"), guest_comment).status_code == 302

    def test_guessing_one_comment_from_many_addresses_is_paused(self, guest_comment):
        for n in range(GUEST_PASSWORD_FAILURES_PER_COMMENT):
            address = f"10.1.{n // 200}.{n % 200 + 1}"
            edit(Client(REMOTE_ADDR=address), guest_comment, password=f"추측{n}")

        assert edit(Client(REMOTE_ADDR="10.2.0.1"), guest_comment).status_code == 429

    def test_the_right_password_counts_nothing_against_the_guest(self, client, guest_comment):
        for n in range(GUEST_PASSWORD_FAILURES_PER_ADDRESS + 2):
            assert edit(client, guest_comment, body=f"고친 댓글 {n}").status_code == 302


class TestTheCachedThread:
    def test_the_thread_links_to_the_guests_own_pages_and_holds_no_form(
        self, client, settings, guest_comment, old_guest_comment
    ):
        settings.PAGE_CACHE_SECONDS = 60
        url = guest_comment.article.get_absolute_url()

        client.get(url)  # cached for every anonymous reader
        page = client.get(url).content.decode()

        assert reverse("comments:guest_edit", args=[guest_comment.pk]) in page
        assert reverse("comments:guest_delete", args=[guest_comment.pk]) in page
        assert reverse("comments:guest_edit", args=[old_guest_comment.pk]) not in page
        assert 'name="password"' not in page
        assert guest_comment.guest_password not in page

    def test_an_edit_shows_at_once_on_the_cached_page(self, client, settings, guest_comment):
        settings.PAGE_CACHE_SECONDS = 60
        url = guest_comment.article.get_absolute_url()
        client.get(url)

        edit(Client(), guest_comment, body="캐시를 넘어 보이는 수정")

        assert "캐시를 넘어 보이는 수정" in Client().get(url).content.decode()
