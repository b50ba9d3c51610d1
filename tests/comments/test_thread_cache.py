"""The comment thread anonymous readers share: rendered once, never stale, never personal.

The page cache is off here (tests/conftest.py), so these are the thread's own cache:
what a page rendered again after its minute, or for another layout, is built from.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def comment_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if "comments_comment" in query["sql"]]


def likes(page: str, comment) -> int:
    item = page.split(f'id="comment-{comment.pk}"', 1)[1]
    return int(re.search(r'value="like"[^>]*>[^<]*<span>(\d+)</span>', item).group(1))


def thread(page: str) -> str:
    return re.search(r'<ol class="comment-list">.*</ol>', page, re.S).group(0)


def test_anonymous_readers_share_one_rendering_of_the_thread(published_article):
    CommentFactory.create_batch(3, article=published_article)
    url = published_article.get_absolute_url()
    first = Client().get(url).content.decode()

    assert comment_queries(Client(), url) == []
    assert thread(Client().get(url).content.decode()) == thread(first)


def test_a_new_comment_shows_at_once(published_article):
    url = published_article.get_absolute_url()
    Client().get(url)
    author = Client()
    author.force_login(UserFactory(display_name="새독자"))

    author.post(reverse("comments:post", args=[published_article.pk]), {"body": "방금 쓴 댓글"})

    assert "방금 쓴 댓글" in Client().get(url).content.decode()


def test_a_vote_shows_at_once(client, reader, published_article):
    comment = CommentFactory(article=published_article)
    url = published_article.get_absolute_url()
    assert likes(Client().get(url).content.decode(), comment) == 0
    client.force_login(reader)

    client.post(reverse("comments:vote", args=[comment.pk]), {"value": "like"})

    assert likes(Client().get(url).content.decode(), comment) == 1


def test_closing_comments_takes_the_reply_links_away(client, moderator, published_article):
    comment = CommentFactory(article=published_article)
    url = published_article.get_absolute_url()
    reply = reverse("comments:reply", args=[comment.pk])
    assert reply in Client().get(url).content.decode()
    client.force_login(moderator)

    client.post(reverse("comments:open", args=[published_article.pk]), {"open": "0"})

    assert reply not in Client().get(url).content.decode()


class TestTheSharedThreadIsNobodys:
    def test_a_reader_gets_their_own_buttons_and_anonymous_readers_none(
        self, reader, published_article
    ):
        own = CommentFactory(article=published_article, user=reader)
        url = published_article.get_absolute_url()
        edit = reverse("comments:edit", args=[own.pk])
        Client().get(url)  # the shared thread is in the cache
        browser = Client()
        browser.force_login(reader)

        mine = browser.get(url).content.decode()
        anonymous = Client().get(url).content.decode()

        assert edit in mine and edit not in anonymous
        assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', mine)

    def test_the_shared_thread_carries_no_ones_csrf_token(self, published_article):
        CommentFactory(article=published_article)
        url = published_article.get_absolute_url()
        visitor = Client()
        visitor.get(reverse("csrf"))  # this visitor has a token of their own

        for page in (visitor.get(url), Client().get(url)):
            vote_form = page.content.decode().split('class="comment-vote"', 1)[1]
            assert re.search(r'name="csrfmiddlewaretoken" value="" data-csrf=', vote_form)


@pytest.mark.parametrize("address", ["?cpage=" + "9" * 30, "?cpage=100"])
def test_a_thread_rendered_afresh_on_a_shared_page_carries_no_ones_token(
    settings, published_article, address
):
    """Pages beyond those the thread's cache keeps are rendered for each request, but the
    page around them is still shared by every anonymous reader (and stored)."""
    settings.PAGE_CACHE_SECONDS = 60
    CommentFactory(article=published_article)
    visitor = Client()
    page = visitor.get(published_article.get_absolute_url() + address).content.decode()

    vote_form = page.split('class="comment-vote"', 1)[1]
    assert re.search(r'name="csrfmiddlewaretoken" value="" data-csrf=', vote_form)
    assert not re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', page)
    assert "csrftoken" not in visitor.cookies


def test_with_no_parts_cached_the_shared_page_carries_no_ones_token(settings, published_article):
    settings.PAGE_CACHE_SECONDS, settings.FRAGMENT_CACHE_SECONDS = 60, 0
    CommentFactory(article=published_article)
    visitor = Client()
    page = visitor.get(published_article.get_absolute_url()).content.decode()

    vote_form = page.split('class="comment-vote"', 1)[1]
    assert re.search(r'name="csrfmiddlewaretoken" value="" data-csrf=', vote_form)
    assert "csrftoken" not in visitor.cookies


def test_made_up_page_numbers_are_rendered_not_cached(published_article):
    CommentFactory(article=published_article)
    url = published_article.get_absolute_url() + "?cpage=" + "9" * 30
    Client().get(url)

    assert comment_queries(Client(), url)


class TestLoggedInReadersWithNoPartInTheThread:
    """They see what anonymous readers see, so they get the cached thread too."""

    def test_they_get_the_shared_thread_with_their_own_token(self, reader, published_article):
        CommentFactory(article=published_article)
        url = published_article.get_absolute_url()
        Client().get(url)  # an anonymous reader filled the cache
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(reader)

        # Only "has this reader commented or voted here?" is asked; no comment is read.
        queries = comment_queries(browser, url)
        assert [query for query in queries if query.startswith("SELECT EXISTS")]
        assert not [query for query in queries if '"comments_comment"."body"' in query]
        page = browser.get(url).content.decode()
        vote_form = page.split('class="comment-vote"', 1)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)">', vote_form).group(1)
        comment_id = re.search(r"/comments/(\d+)/vote/", page).group(1)

        # Without JavaScript, the token in the page is enough to vote.
        response = browser.post(
            reverse("comments:vote", args=[comment_id]),
            {"value": "like", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302

        mine = browser.get(url).content.decode()
        assert 'value="like" aria-pressed="true"' in mine
        anonymous = Client().get(url).content.decode()
        assert 'aria-pressed="true"' not in anonymous and token not in anonymous

    def test_a_shared_thread_they_rendered_holds_nothing_of_theirs(self, published_article):
        CommentFactory(article=published_article)
        url = published_article.get_absolute_url()
        reader = UserFactory(display_name="한번도안쓴독자")
        browser = Client()
        browser.force_login(reader)
        mine = browser.get(url).content.decode()  # the reader's request fills the cache
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)">', thread(mine)).group(1)

        anonymous = thread(Client().get(url).content.decode())

        assert token not in anonymous
        assert 'value="" data-csrf=' in anonymous
        assert reader.display_name not in anonymous
