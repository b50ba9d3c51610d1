"""The ban notice in a logged-in reader's comment box: cached per reader, never out of date."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import CommentBan
from comments.services import comment_ban_lift, comments_ban
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTICE = "댓글 작성이 제한된 계정입니다."


def page_of(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def test_a_warm_page_reads_no_ban_rows(client, banned_reader, published_article):
    client.force_login(banned_reader)
    assert NOTICE in page_of(client, published_article)

    with CaptureQueriesContext(connection) as captured:
        assert NOTICE in page_of(client, published_article)

    assert not [q for q in captured if "comments_commentban" in q["sql"]]


def test_a_lifted_ban_shows_at_once(client, banned_reader, moderator, published_article):
    client.force_login(banned_reader)
    assert NOTICE in page_of(client, published_article)

    assert comment_ban_lift(ban=CommentBan.objects.get(user=banned_reader), lifted_by=moderator)

    page = page_of(client, published_article)
    assert NOTICE not in page
    assert 'name="body"' in page


def test_a_new_ban_shows_at_once(client, reader, moderator, published_article):
    client.force_login(reader)
    assert NOTICE not in page_of(client, published_article)  # cached: no ban

    comments_ban(users=[reader], banned_by=moderator, reason="abuse", days=1)

    assert NOTICE in page_of(client, published_article)


def test_a_ban_deleted_at_the_desk_shows_at_once(client, banned_reader, published_article):
    client.force_login(banned_reader)
    assert NOTICE in page_of(client, published_article)

    CommentBan.objects.filter(user=banned_reader).delete()

    assert NOTICE not in page_of(client, published_article)


def test_a_ban_that_runs_out_shows_so_on_the_minute(
    client, moderator, published_article, monkeypatch
):
    reader = UserFactory()
    (ban,) = comments_ban(users=[reader], banned_by=moderator, reason="spam", days=1)
    client.force_login(reader)
    assert NOTICE in page_of(client, published_article)  # cached with its end

    monkeypatch.setattr(timezone, "now", lambda: ban.expires_at + timedelta(seconds=1))

    assert NOTICE not in page_of(client, published_article)


def test_one_readers_ban_is_not_shown_to_another(
    client, banned_reader, other_reader, published_article
):
    client.force_login(banned_reader)
    assert NOTICE in page_of(client, published_article)

    client.force_login(other_reader)

    assert NOTICE not in page_of(client, published_article)
