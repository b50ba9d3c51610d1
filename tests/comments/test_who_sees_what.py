"""Which comments each reader sees: one rule for the queries, the thread and the owner's pages.

Visible comments are everyone's; hidden ones only moderators see (and their authors, on
their own pages); deleted ones nobody sees, not even their authors or moderators.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

READERS = ["anonymous", "reader", "moderator"]
SEEN_BY = {
    Comment.Status.VISIBLE: {"anonymous", "reader", "moderator"},
    Comment.Status.HIDDEN: {"moderator"},
    Comment.Status.DELETED: set(),
}


def person(request, who: str):
    return AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)


@pytest.mark.parametrize("status", list(Comment.Status))
@pytest.mark.parametrize("who", READERS)
def test_the_queryset_the_comment_and_the_thread_agree(
    client, request, published_article, who, status
):
    comment = CommentFactory(article=published_article, body="문제의 댓글", status=status)
    # A visible reply keeps its comment in the thread, as itself or as a placeholder.
    CommentFactory(article=published_article, parent=comment, body="달린 답글")
    user = person(request, who)
    if user.is_authenticated:
        client.force_login(user)
    seen = who in SEEN_BY[status]

    assert Comment.objects.shown_to(user).filter(pk=comment.pk).exists() is seen
    assert comment.is_shown_to(user) is seen
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert ("문제의 댓글" in page) is seen
    assert ("삭제된 댓글입니다." in page) is not seen
    assert "달린 답글" in page


@pytest.mark.parametrize("status", list(Comment.Status))
def test_authors_keep_their_hidden_comments_but_not_their_deleted_ones(
    client, reader, published_article, status
):
    comment = CommentFactory(
        article=published_article, user=reader, body="오늘 쓴 의견", status=status
    )
    client.force_login(reader)
    kept = status != Comment.Status.DELETED

    assert Comment.objects.not_deleted().filter(pk=comment.pk).exists() is kept
    assert ("오늘 쓴 의견" in client.get(reverse("comments:mine")).content.decode()) is kept
    for action in ("edit", "delete"):
        response = client.get(reverse(f"comments:{action}", args=[comment.pk]))
        assert response.status_code == (200 if kept else 404)


@pytest.mark.parametrize("status", list(Comment.Status))
def test_moderators_act_on_hidden_comments_but_not_on_deleted_ones(
    client, moderator, published_article, status
):
    comment = CommentFactory(article=published_article, status=status)
    client.force_login(moderator)

    response = client.post(reverse("comments:moderate", args=[comment.pk]), {"action": "restore"})

    comment.refresh_from_db()
    if status == Comment.Status.DELETED:
        assert response.status_code == 404
        assert comment.status == Comment.Status.DELETED
    else:
        assert response.status_code == 302
        assert comment.status == Comment.Status.VISIBLE
