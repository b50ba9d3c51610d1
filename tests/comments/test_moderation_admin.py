import pytest
from django.urls import reverse

from comments.models import Comment, CommentBan
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


def act(client, action, comments, **confirmed):
    """A bulk action, confirmed on the page that asks first."""
    selected = [comment.pk for comment in comments]
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": selected, "post": "yes", **confirmed},
    )


@pytest.mark.parametrize(
    "action, status",
    [("hide", "hidden"), ("delete_softly", "deleted")],
)
def test_moderator_bulk_hides_and_deletes(client, moderator, action, status):
    comments = [CommentFactory(), CommentFactory()]
    client.force_login(moderator)

    act(client, action, comments)

    assert set(Comment.objects.values_list("status", flat=True)) == {status}
    assert Comment.objects.count() == 2  # never erased


def test_moderator_restores_and_resolves_reports(client, moderator, reader):
    comment = CommentFactory(status="hidden")
    comment.reports.create(user=reader, reason="spam")
    client.force_login(moderator)

    act(client, "restore", [comment])

    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert comment.reports.get().resolved


def test_reported_comments_come_first_in_the_queue(client, moderator, reader):
    CommentFactory(body="평범한 댓글")
    reported = CommentFactory(body="신고된 댓글")
    reported.reports.create(user=reader, reason="abuse")
    client.force_login(moderator)

    content = client.get(reverse(CHANGELIST)).content.decode()
    filtered = client.get(reverse(CHANGELIST), {"reported": "yes"}).content.decode()

    assert content.index("신고된 댓글") < content.index("평범한 댓글")
    assert "신고된 댓글" in filtered and "평범한 댓글" not in filtered


def test_banning_the_author_stops_them(client, moderator, published_article):
    comment = CommentFactory(article=published_article)
    client.force_login(moderator)

    act(client, "ban_authors", [comment], reason="abuse", term="7")

    assert CommentBan.objects.get().user == comment.user
    client.force_login(comment.user)
    response = client.post(
        reverse("comments:post", args=[published_article.pk]), {"body": "다시 쓰기"}
    )
    assert response.status_code == 403


def test_nobody_hard_deletes_comments_in_the_admin(client, editor):
    comment = CommentFactory()
    client.force_login(editor)

    response = client.post(
        reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize("who", ["reader", "reporter_user"])
def test_readers_and_reporters_cannot_moderate(client, who, request):
    comment = CommentFactory()
    client.force_login(request.getfixturevalue(who))

    response = act(client, "hide", [comment])

    assert response.status_code in (302, 403)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
