"""The page cache's front (caching.pages.StoredPagesFirst): a stored page answered before
Django's handler, as the site is served (newsroom/wsgi.py), and everything else passed on.

Asked through the WSGI application itself, as gunicorn asks it. Transactional: the front
closes a worn-out connection as Django's handler does, which a test transaction would not
survive.
"""

import sys
import threading
from io import BytesIO
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core.cache import caches
from django.db import DatabaseError, connection

from articles.models import Article
from caching.backends import DatabaseStore
from newsroom import wsgi
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def django_asked(monkeypatch):
    """How many requests reached Django's handler."""
    asked = []
    handler = wsgi.application.application

    def counting(environ, start_response):
        asked.append(environ["PATH_INFO"])
        return handler(environ, start_response)

    monkeypatch.setattr(wsgi.application, "application", counting)
    return asked


def get(path, method="GET", query="", **headers):
    """The answer of the site's WSGI application: status, headers (a list) and body."""
    environ = {
        "REQUEST_METHOD": method,
        # As a WSGI server hands it over: the address's bytes, decoded as latin-1.
        "PATH_INFO": unquote(path).encode().decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, list(response_headers)

    body = b"".join(wsgi.application(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def article():
    # A Korean address: the front must leave the environ as the server gave it to Django.
    return ArticleFactory(title="협동로봇 수출 늘어")


def test_a_stored_page_is_answered_whole_before_djangos_handler(article, django_asked):
    url = article.get_absolute_url()
    first = get(url)
    second = get(url)

    assert len(django_asked) == 1
    assert first[0] == second[0] == "200 OK"
    assert second[2] == first[2] and "협동로봇 수출 늘어" in second[2].decode()
    assert second[1] == [*first[1], ("Age", "0")]  # every header kept, security's included
    assert {"Content-Security-Policy", "ETag", "Content-Language"} <= dict(second[1]).keys()


def test_an_edit_shows_at_once_whoever_makes_it(article, django_asked):
    url = article.get_absolute_url()
    get(url)
    Article.objects.filter(pk=article.pk).update(title="이 워커의 수정")
    article.refresh_from_db()
    article.save()  # moves the versions, as the desk's save does

    assert "이 워커의 수정" in get(url)[2].decode()

    def edit_elsewhere():  # another worker: a connection of its own
        try:
            other = Article.objects.get(pk=article.pk)
            other.title = "다른 워커의 수정"
            other.save()
        finally:
            connection.close()

    thread = threading.Thread(target=edit_elsewhere)
    thread.start()
    thread.join()

    assert "다른 워커의 수정" in get(url)[2].decode()
    assert len(django_asked) == 3


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=abc", "csrftoken=x; sessionid=abc"])
def test_a_reader_with_a_session_never_gets_the_stored_page(article, django_asked, cookie):
    url = article.get_absolute_url()
    get(url)
    get(url, Cookie=cookie)

    assert len(django_asked) == 2


def test_each_language_gets_its_own_page(article, django_asked):
    url = article.get_absolute_url()
    korean = get(url)
    english = get(url, Cookie="django_language=en")
    english_again = get(url, Cookie="django_language=en")

    assert dict(korean[1])["Content-Language"] == "ko"
    assert dict(english[1])["Content-Language"] == dict(english_again[1])["Content-Language"]
    assert dict(english[1])["Content-Language"] == "en"
    assert english_again[2] == english[2] != korean[2]
    assert len(django_asked) == 2


def test_each_layout_gets_its_own_page(article, django_asked):
    url = article.get_absolute_url()
    get(url)
    mobile = get(url, Cookie="layout=mobile")
    mobile_again = get(url, Cookie="layout=mobile")

    assert 'data-layout="mobile"' in mobile_again[2].decode()
    assert mobile_again[2] == mobile[2]
    assert len(django_asked) == 2


def test_each_query_string_gets_its_own_page(article, django_asked):
    url = article.get_absolute_url()
    get(url)
    get(url, query="utm_source=newsletter")
    get(url, query="utm_source=newsletter")
    get(url, query="utm_source=portal")

    assert len(django_asked) == 3


def test_made_up_query_strings_cannot_fill_a_workers_memory(article, monkeypatch):
    # Each is a page of its own, with the query copied into its links (login, language):
    # what the worker keeps stays within its bytes however many are made up.
    memory = caches["default"]
    monkeypatch.setattr(memory, "_max_bytes", 400_000)
    url = article.get_absolute_url()
    junk = "a" * 5_000

    answers = [get(url, query=f"x={n}&p={junk}") for n in range(20)]

    assert {status for status, _headers, _body in answers} == {"200 OK"}
    assert sum(len(body) for _status, _headers, body in answers) > 400_000
    assert memory._usage.total <= 400_000
    assert get(url, query=f"x=19&p={junk}")[2] == answers[-1][2]  # the latest still kept


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("HEAD", {}),
        ("POST", {}),
        ("GET", {"If-Modified-Since": "Wed, 02 Dec 2026 00:00:00 GMT"}),
        ("GET", {"If-Unmodified-Since": "Wed, 02 Dec 2026 00:00:00 GMT"}),
        ("GET", {"If-Match": '"another"'}),
    ],
)
def test_anything_but_a_plain_get_goes_to_django(article, django_asked, method, headers):
    url = article.get_absolute_url()
    get(url)
    get(url, method, **headers)

    assert len(django_asked) == 2


def test_a_browser_revalidating_its_copy_is_told_not_modified_by_django(article, django_asked):
    url = article.get_absolute_url()
    etag = dict(get(url)[1])["ETag"]

    assert get(url, **{"If-None-Match": etag})[0] == "304 Not Modified"
    assert len(django_asked) == 2


def test_a_host_not_allowed_is_refused_as_before(article, django_asked):
    url = article.get_absolute_url()
    get(url)

    assert get(url, Host="evil.example")[0].startswith("400")
    assert len(django_asked) == 2


def test_when_the_front_cannot_read_the_versions_django_answers(article, django_asked, caplog):
    url = article.get_absolute_url()
    get(url)
    real, failures = DatabaseStore._read, [DatabaseError("the database is away")]

    def once_away(store, keys):  # the front's read fails; Django's, a moment later, does not
        if failures:
            raise failures.pop()
        return real(store, keys)

    with mock.patch.object(DatabaseStore, "_read", once_away):
        answer = get(url)

    assert answer[0] == "200 OK" and "협동로봇 수출 늘어" in answer[2].decode()
    assert len(django_asked) == 2
    assert "the database is away" in caplog.text
