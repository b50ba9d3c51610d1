"""Where each request reads from, with a read replica configured (newsroom/routers.py).

The decisions, one by one; tests/newsroom/test_replica.py shows them on a real streaming
replica under gunicorn.
"""

import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import OperationalError, ProgrammingError
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import User
from articles.models import Article
from caching.models import SharedValue
from newsroom import routers

router = routers.ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """A replica that answers and a site that has not changed for a while."""
    health = routers.ReplicaHealth()
    monkeypatch.setattr(routers, "health", health)
    monkeypatch.setattr(health, "_ask", lambda: (True, ""))
    monkeypatch.setattr(routers, "settled", lambda request: True)
    replica_connection = mock.Mock(errors_occurred=True)  # as after a failed query
    monkeypatch.setattr(routers, "connections", {routers.REPLICA: replica_connection})
    return health


def serve(request, view=None, user=None):
    """``request`` through the middleware as Django serves it; what the view saw, and the
    response."""
    seen = {}

    def default_view(request):
        seen["article"] = router.db_for_read(Article)
        seen["shared cache"] = router.db_for_read(SharedValue)
        seen["user"] = router.db_for_read(User)
        seen["session"] = router.db_for_read(Session)
        return HttpResponse("ok")

    view = view or default_view
    request.user = user or AnonymousUser()
    middleware = routers.ReplicaMiddleware(lambda request: handle(middleware, view, request))
    response = middleware(request)
    return seen, response


def handle(middleware, view, request):
    middleware.process_view(request, view, (), {})
    try:
        return view(request)
    except Exception as error:
        if (response := middleware.process_exception(request, error)) is None:
            raise
        return response


def test_outside_a_request_everything_reads_from_the_primary():
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"


def test_an_anonymous_get_reads_content_from_the_replica(replica):
    seen, _ = serve(RequestFactory().get("/"))

    assert seen == {
        "article": "replica",
        "shared cache": "default",  # versions and rate limits
        "user": "default",
        "session": "default",
    }
    assert router.db_for_read(Article) == "default"  # the request is over


def test_an_app_may_keep_its_reads_on_the_primary(replica, settings):
    settings.REPLICA_PRIMARY_APPS = ["articles"]
    keeps = routers.ReplicaRouter()

    def view(request):
        return HttpResponse(keeps.db_for_read(Article))

    assert serve(RequestFactory().get("/"), view)[1].content == b"default"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_anything_but_a_read_reads_from_the_primary(replica, method):
    seen, _ = serve(getattr(RequestFactory(), method)("/"))

    assert seen["article"] == "default"


def test_staff_read_from_the_primary(replica, editor, reader):
    assert serve(RequestFactory().get("/"), user=editor)[0]["article"] == "default"
    assert serve(RequestFactory().get("/"), user=reader)[0]["article"] == "replica"


def test_after_a_write_the_request_and_the_readers_next_ones_read_from_the_primary(replica):
    seen = {}

    def writes(request):
        seen["before"] = router.db_for_read(Article)
        router.db_for_write(Article)
        seen["after"] = router.db_for_read(Article)
        return HttpResponse("ok")

    _, response = serve(RequestFactory().get("/"), writes)
    pin = response.cookies["primary"]
    later = RequestFactory().get("/", HTTP_COOKIE=f"primary={pin.value}")
    elsewhere = RequestFactory().get("/", HTTP_COOKIE="primary=1")  # not ours

    assert seen == {"before": "replica", "after": "default"}
    assert pin["httponly"] and pin["max-age"] == 10
    assert serve(later)[0]["article"] == "default"
    assert serve(elsewhere)[0]["article"] == "replica"


def test_a_rate_limit_or_a_seen_key_does_not_pin_the_reader(replica):
    def counts(request):
        router.db_for_write(SharedValue)
        return HttpResponse("ok")

    _, response = serve(RequestFactory().get("/"), counts)

    assert "primary" not in response.cookies


def test_the_pin_expires(replica, settings):
    settings.REPLICA_PIN_SECONDS = 10

    def writes(request):
        router.db_for_write(Article)
        return HttpResponse("ok")

    value = serve(RequestFactory().post("/"), writes)[1].cookies["primary"].value

    with mock.patch("time.time", return_value=time.time() + 11):
        seen, _ = serve(RequestFactory().get("/", HTTP_COOKIE=f"primary={value}"))

    assert seen["article"] == "replica"


def test_an_unusable_replica_or_a_fresh_change_sends_reads_to_the_primary(replica, monkeypatch):
    monkeypatch.setattr(replica, "_ask", lambda: (False, "is 9.0 s behind"))
    assert serve(RequestFactory().get("/"))[0]["article"] == "default"

    monkeypatch.setattr(replica, "_ask", lambda: (True, ""))
    replica.checked_at = float("-inf")
    monkeypatch.setattr(routers, "settled", lambda request: False)
    assert serve(RequestFactory().get("/"))[0]["article"] == "default"


def test_the_replica_is_asked_at_most_every_few_seconds(replica, monkeypatch, settings):
    settings.REPLICA_CHECK_SECONDS = 60
    asked = mock.Mock(return_value=(True, ""))
    monkeypatch.setattr(replica, "_ask", asked)

    for _ in range(5):
        serve(RequestFactory().get("/"))

    assert asked.call_count == 1


def test_a_page_that_fails_on_the_replica_is_made_again_from_the_primary(replica):
    tried = []

    def fails_on_the_replica(request):
        tried.append(router.db_for_read(Article))
        if tried[-1] == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("from the primary")

    _, response = serve(RequestFactory().get("/"), fails_on_the_replica)

    assert tried == ["replica", "default"]
    assert response.content == b"from the primary"
    assert not replica.usable  # until the next check
    routers.connections[routers.REPLICA].close.assert_called_once()
    assert serve(RequestFactory().get("/"))[0]["article"] == "default"


def test_a_bug_is_not_taken_for_a_lost_replica(replica):
    def broken(request):
        raise ProgrammingError('column "nope" does not exist')

    with pytest.raises(ProgrammingError):
        serve(RequestFactory().get("/"), broken)

    assert replica.usable


def test_a_failure_on_the_primary_is_not_retried(replica):
    def fails(request):
        raise OperationalError("primary down")

    with pytest.raises(OperationalError):
        serve(RequestFactory().post("/"), fails)


def test_the_settings_install_the_router_only_with_a_replica():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASE_ROUTERS, 'newsroom.routers.ReplicaMiddleware' in s.MIDDLEWARE, "
        "s.DATABASES.get('replica', {}).get('HOST'))"
    )

    def run(**env):
        environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
        environ.pop("REPLICA_DATABASE_URL", None)
        environ.update(env)
        return subprocess.run(
            [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False
        )

    without = run()
    with_replica = run(
        DATABASE_URL="postgres://app@primary.internal/news",
        REPLICA_DATABASE_URL="postgres://app@replica.internal/news",
    )
    mismatched = run(
        DATABASE_URL="sqlite:///site.sqlite3",
        REPLICA_DATABASE_URL="postgres://app@replica.internal/news",
    )

    assert without.stdout.split() == ["[]", "False", "None"]
    router_installed = ["['newsroom.routers.ReplicaRouter']", "True", "replica.internal"]
    assert with_replica.stdout.split() == router_installed
    assert "must name a replica of DATABASE_URL" in mismatched.stderr


class FakeReplica:
    """A replica's answers to the health check: its state, then whether it replayed."""

    vendor = "postgresql"

    def __init__(self, state, replayed_since=False, error=None):
        self.answers = [state, (replayed_since,)]
        self.error = error
        self.closed = False

    def ensure_connection(self):
        if self.error:
            raise self.error

    def cursor(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def execute(self, query, params=None):
        pass

    def fetchone(self):
        return self.answers.pop(0)

    def close(self):
        self.closed = True


@pytest.mark.parametrize(
    ("replica", "usable"),
    [
        (FakeReplica((False, False, None, "0/30", 0)), True),  # a primary: never behind
        (FakeReplica((True, False, "0/30", "0/30", 600)), True),  # idle, replayed everything
        (FakeReplica((True, True, "0/40", "0/30", 0.1)), False),  # paused, WAL waiting
        (FakeReplica((True, True, "0/30", "0/30", 600)), True),  # paused, nothing waiting
        (FakeReplica((True, False, "0/40", "0/30", 600), replayed_since=True), True),  # keeps up
        (FakeReplica((True, False, "0/40", "0/30", 9.0)), False),  # 9 s behind
        (FakeReplica((True, False, "0/40", "0/30", 1.0)), True),  # 1 s behind: within 5 s
        (FakeReplica(None, error=OperationalError("connection refused")), False),
    ],
)
def test_the_health_check_reads_the_replicas_state(monkeypatch, settings, replica, usable):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    monkeypatch.setattr(routers, "connections", {routers.REPLICA: replica})

    assert routers.ReplicaHealth()._ask()[0] is usable
    assert replica.closed is (replica.error is not None)
