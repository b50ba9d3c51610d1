import html
import re
import threading
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, CommentReport, CommentRules, CommentVote
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def report_link(response, comment) -> str:
    """Where the comment's 신고 link on the article page leads."""
    item = response.content.decode().split(f'id="comment-{comment.pk}"', 1)[1]
    return html.unescape(re.search(r'<a href="([^"]+)">신고</a>', item).group(1))


def vote(client, comment, value):
    return client.post(reverse("comments:vote", args=[comment.pk]), {"value": value})


class TestVotes:
    def test_one_vote_per_reader_changeable_and_retractable(self, client, reader):
        comment = CommentFactory()
        client.force_login(reader)

        vote(client, comment, "like")
        vote(client, comment, "like")  # the same again takes it back
        comment.refresh_from_db()
        assert (comment.likes, comment.dislikes) == (0, 0)

        vote(client, comment, "like")
        vote(client, comment, "dislike")  # changes the vote
        comment.refresh_from_db()
        assert (comment.likes, comment.dislikes) == (0, 1)
        assert CommentVote.objects.get().value == -1

    def test_votes_from_different_readers_add_up(self, client, reader, other_reader):
        comment = CommentFactory()
        for user in (reader, other_reader):
            client.force_login(user)
            vote(client, comment, "like")

        comment.refresh_from_db()
        assert comment.likes == 2

    def test_anonymous_visitors_cannot_vote(self, client):
        comment = CommentFactory()

        response = vote(client, comment, "like")

        assert response.status_code == 403
        assert not CommentVote.objects.exists()

    def test_banned_reader_cannot_vote(self, client, banned_reader):
        comment = CommentFactory()
        client.force_login(banned_reader)

        assert vote(client, comment, "like").status_code == 403
        assert not CommentVote.objects.exists()

    def test_get_does_not_vote(self, client, reader):
        comment = CommentFactory()
        client.force_login(reader)

        response = client.get(reverse("comments:vote", args=[comment.pk]), {"value": "like"})

        assert response.status_code == 405
        assert not CommentVote.objects.exists()

    def test_bad_value_changes_nothing(self, client, reader):
        comment = CommentFactory()
        client.force_login(reader)

        response = vote(client, comment, "lots")

        assert response.status_code == 302
        assert not CommentVote.objects.exists()

    def test_the_readers_vote_is_shown_pressed(self, client, reader, published_article):
        comment = CommentFactory(article=published_article)
        client.force_login(reader)
        vote(client, comment, "like")

        content = client.get(published_article.get_absolute_url()).content.decode()

        assert 'value="like" aria-pressed="true"' in content


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrency (PostgreSQL; .ci/run)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("values", [(1, 1), (1, -1)])
def test_concurrent_votes_by_one_reader_keep_one_vote(values):
    comment = CommentFactory()
    reader = UserFactory()
    barrier = threading.Barrier(len(values))
    errors = []

    def cast(value):
        try:
            barrier.wait()
            services.comment_vote(comment=comment, user=reader, value=value)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=[value]) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    comment.refresh_from_db()
    votes = CommentVote.objects.filter(comment=comment)
    assert votes.filter(user=reader).count() <= 1
    assert comment.likes == votes.filter(value=1).count()
    assert comment.dislikes == votes.filter(value=-1).count()


class TestReports:
    def report(self, client, comment, reason="abuse", detail=""):
        return client.post(
            reverse("comments:report", args=[comment.pk]), {"reason": reason, "detail": detail}
        )

    def test_report_with_a_reason_once_per_reader(self, client, reader):
        comment = CommentFactory()
        client.force_login(reader)

        first = self.report(client, comment, detail="욕설이 있습니다")
        second = self.report(client, comment)

        assert first.status_code == second.status_code == 302
        report = CommentReport.objects.get()
        assert (report.user, report.reason, report.detail) == (reader, "abuse", "욕설이 있습니다")

    def test_report_form_needs_a_reason(self, client, reader):
        comment = CommentFactory()
        client.force_login(reader)

        response = self.report(client, comment, reason="", detail="이유 없음")

        assert response.status_code == 200
        assert "이유 없음" in response.content.decode()
        assert not CommentReport.objects.exists()

    def test_anonymous_visitors_cannot_report(self, client):
        comment = CommentFactory()

        response = self.report(client, comment)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert not CommentReport.objects.exists()

    def test_the_report_link_takes_an_anonymous_reader_to_log_in_and_back(
        self, client, reader, published_article
    ):
        comment = CommentFactory(article=published_article, body="신고할 댓글")
        link = report_link(client.get(published_article.get_absolute_url()), comment)

        to_login = client.get(link)
        logged_in = client.post(
            to_login["Location"], {"username": "reader", "password": "correct-horse-battery"}
        )
        form = client.get(logged_in["Location"])

        assert to_login.status_code == 302
        assert to_login["Location"] == f"{reverse('accounts:login')}?next={quote(link)}"
        assert logged_in["Location"] == link
        assert form.status_code == 200 and "신고할 댓글" in form.content.decode()

    def test_the_shared_threads_report_link_serves_anonymous_and_logged_in_readers_alike(
        self, settings, reader, published_article
    ):
        settings.FRAGMENT_CACHE_SECONDS = 60  # one thread, cached for both readers below
        comment = CommentFactory(article=published_article)
        anonymous, logged_in = Client(), Client()
        logged_in.force_login(reader)

        links = [
            report_link(visitor.get(published_article.get_absolute_url()), comment)
            for visitor in (anonymous, logged_in)
        ]

        assert links[0] == links[1] == reverse("comments:report", args=[comment.pk])
        assert anonymous.get(links[0])["Location"].startswith(reverse("accounts:login"))
        assert logged_in.get(links[1]).status_code == 200

    def test_readers_cannot_report_their_own_comment(self, client, reader):
        comment = CommentFactory(user=reader)
        client.force_login(reader)

        self.report(client, comment)

        assert not CommentReport.objects.exists()

    def test_enough_reports_hide_the_comment(self, client, published_article):
        rules = CommentRules.current()
        rules.comment_reports_to_hide = 3
        rules.save()
        comment = CommentFactory(article=published_article, body="문제의 댓글")
        for _ in range(3):
            client.force_login(UserFactory())
            self.report(client, comment)

        comment.refresh_from_db()
        assert comment.status == Comment.Status.HIDDEN
        client.logout()
        assert (
            "문제의 댓글" not in client.get(published_article.get_absolute_url()).content.decode()
        )
