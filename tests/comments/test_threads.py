from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentVote
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def thread_of(response) -> str:
    content = response.content.decode()
    return content[content.index('id="comments"') :]


class TestHiddenComments:
    def test_readers_do_not_see_hidden_comments_at_all(self, client, reader, published_article):
        CommentFactory(article=published_article, body="숨긴 댓글", status="hidden")

        for user in (None, reader):
            if user:
                client.force_login(user)
            thread = thread_of(client.get(published_article.get_absolute_url()))
            assert "숨긴 댓글" not in thread
            assert "아직 댓글이 없습니다" in thread

    def test_moderators_see_them_marked_hidden(self, client, moderator, published_article):
        comment = CommentFactory(article=published_article, body="숨긴 댓글", status="hidden")
        client.force_login(moderator)

        thread = thread_of(client.get(published_article.get_absolute_url()))

        assert "숨긴 댓글" in thread and '<span class="badge">숨김</span>' in thread
        assert f'action="{reverse("comments:moderate", args=[comment.pk])}"' in thread

    def test_hidden_comments_are_not_counted(self, client, published_article):
        CommentFactory(article=published_article, status="hidden")
        CommentFactory(article=published_article)
        from comments.services import refresh_comment_count

        refresh_comment_count(published_article.pk)
        published_article.refresh_from_db()
        assert published_article.comment_count == 1


class TestModeratorTools:
    def test_moderator_hides_and_restores_on_the_article_page(
        self, client, moderator, published_article
    ):
        comment = CommentFactory(article=published_article)
        client.force_login(moderator)
        url = reverse("comments:moderate", args=[comment.pk])

        client.post(url, {"action": "hide"})
        comment.refresh_from_db()
        assert comment.status == Comment.Status.HIDDEN

        client.post(url, {"action": "restore"})
        comment.refresh_from_db()
        assert comment.status == Comment.Status.VISIBLE

    @pytest.mark.parametrize("who", [None, "reader", "reporter_user"])
    def test_others_cannot_moderate(self, client, published_article, who, request):
        comment = CommentFactory(article=published_article)
        if who:
            client.force_login(request.getfixturevalue(who))

        response = client.post(reverse("comments:moderate", args=[comment.pk]), {"action": "hide"})

        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert reverse("accounts:login") in response["Location"]
        comment.refresh_from_db()
        assert comment.status == Comment.Status.VISIBLE

    @pytest.mark.parametrize("who", ["moderator", "editor"])
    def test_moderators_and_editors_close_and_reopen_comments(
        self, client, published_article, who, request
    ):
        client.force_login(request.getfixturevalue(who))
        url = reverse("comments:open", args=[published_article.pk])

        client.post(url, {"open": "0"})
        published_article.refresh_from_db()
        assert not published_article.comments_open

        client.post(url, {"open": "1"})
        published_article.refresh_from_db()
        assert published_article.comments_open

    def test_readers_cannot_close_comments(self, client, reader, published_article):
        client.force_login(reader)

        response = client.post(reverse("comments:open", args=[published_article.pk]), {"open": "0"})

        assert response.status_code == 403
        published_article.refresh_from_db()
        assert published_article.comments_open


class TestSortingAndPaging:
    @pytest.fixture
    def three(self, published_article):
        now = timezone.now()
        return [
            CommentFactory(
                article=published_article,
                body=body,
                likes=likes,
                created_at=now - timedelta(hours=age),
            )
            for body, likes, age in [
                ("오래된 댓글", 1, 3),
                ("중간 댓글", 9, 2),
                ("최신 댓글", 5, 1),
            ]
        ]

    @pytest.mark.parametrize(
        "sort, expected",
        [("new", ["최신 댓글", "중간 댓글", "오래된 댓글"]),
         ("old", ["오래된 댓글", "중간 댓글", "최신 댓글"]),
         ("likes", ["중간 댓글", "최신 댓글", "오래된 댓글"]),
         ("bogus", ["최신 댓글", "중간 댓글", "오래된 댓글"])],
    )  # fmt: skip
    def test_sort_orders(self, client, published_article, three, sort, expected):
        thread = thread_of(client.get(published_article.get_absolute_url(), {"csort": sort}))

        positions = [thread.index(f'"comment-body">{body}<') for body in expected]
        assert positions == sorted(positions)

    @pytest.mark.parametrize("page", ["2", "99", "x", "-1"])
    def test_long_threads_are_paged_and_bad_pages_are_safe(self, client, published_article, page):
        for n in range(25):
            CommentFactory(article=published_article, body=f"댓글번호{n:02d}")

        response = client.get(published_article.get_absolute_url(), {"cpage": page})

        assert response.status_code == 200
        thread = thread_of(response)
        assert "2쪽 중" in thread
        if page in ("2", "99"):
            assert "댓글번호00" in thread and "댓글번호24" not in thread

    def test_redirect_after_a_reply_finds_the_parents_page(self, client, reader, published_article):
        old = CommentFactory(
            article=published_article, created_at=timezone.now() - timedelta(days=1)
        )
        for _ in range(25):
            CommentFactory(article=published_article)
        client.force_login(reader)

        response = client.post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "답글", "parent": old.pk},
        )

        assert "?cpage=2#comment-" in response["Location"]


def test_comment_count_on_the_article_page_and_in_lists(client, reader):
    article = ArticleFactory()
    client.force_login(reader)
    client.post(reverse("comments:post", args=[article.pk]), {"body": "하나"})

    page = client.get(article.get_absolute_url()).content.decode()
    listing = client.get(article.section.get_absolute_url()).content.decode()

    assert "댓글 1" in page
    assert "댓글 1" in listing


def article_page_queries(client, article) -> int:
    client.get(article.get_absolute_url())  # warm the site-wide caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", [None, "reader", "moderator"])
def test_query_count_is_the_same_with_1_and_500_comments(client, who, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    quiet, busy = ArticleFactory(), ArticleFactory()
    CommentFactory(article=quiet)
    readers = [UserFactory() for _ in range(10)]
    comments = Comment.objects.bulk_create(
        Comment(article=busy, user=readers[n % 10], body=f"댓글 {n}") for n in range(400)
    )
    Comment.objects.bulk_create(
        Comment(article=busy, user=readers[n % 10], parent=comments[n % 20], body=f"답글 {n}")
        for n in range(100)
    )
    CommentVote.objects.bulk_create(
        CommentVote(comment=comment, user=user, value=1)
        for comment in comments[:20]
        for user in readers
    )

    assert article_page_queries(client, busy) == article_page_queries(client, quiet)
    # A thread with no comments at all reads less: its page comes back empty, and there are
    # no replies or votes to read (tests/comments/test_thread_cost.py pins each count).
    assert article_page_queries(client, ArticleFactory()) <= article_page_queries(client, quiet)
