"""Reads from a PostgreSQL streaming replica, when REPLICA_DATABASE_URL names one.

A reader's ``GET`` or ``HEAD`` (anonymous or logged in) reads the site's content from the
replica; everything else reads from the primary, as it did without one:

- every write, and the rest of a request once it has written;
- every request that is not a ``GET`` or ``HEAD``; and for ``REPLICA_PIN_SECONDS`` after a
  request that wrote, that reader's next requests (a signed cookie), so that a reader who
  posts a comment is redirected to a page that shows it (the beacons write nothing
  themselves, so reading an article does not pin its reader);
- staff (the admin and the public pages they look at), sessions, logins, the task queue,
  and the shared cache (``caching.backends.DatabaseStore``: the versions that decide
  whether a page is fresh, rate limits), so a lagging replica can never serve a page an
  edit made stale or let a limit slip;
- work outside a request: management commands, the task worker, the counters' writer;
- everything in the first ``REPLICA_MAX_LAG_SECONDS`` after a change moved the cached
  pages' versions (``caching.versions``), so that a page the change made stale is not
  rendered again from a replica that has not replayed it and stored under its new versions;
- everything, while the replica is stopped or lags more than ``REPLICA_MAX_LAG_SECONDS``
  behind the primary. Each worker asks the replica at most every
  ``REPLICA_CHECK_SECONDS``; a ``GET`` that fails on a replica that has just gone away is
  answered again from the primary, so the reader sees a page, not an error.

The settings install the router and the middleware; no app imports this module.
"""

import logging
import threading
import time

from asgiref.local import Local
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

from caching import versions
from caching.pages import page_versions

REPLICA = "replica"
PRIMARY = "default"
# The primary's own: who someone is, what the task worker claims under a lock (and the
# mail it sends), the shared cache's versions and limits, and the admin's log. An app whose
# public pages look up a row another request has only just written (a confirmation link
# opened seconds after the form was sent) adds itself with the REPLICA_PRIMARY_APPS setting.
PRIMARY_ONLY = {
    "sessions",
    "auth",
    "accounts",
    "admin",
    "contenttypes",
    "django_tasks_database",
    "mailqueue",
    "caching",
}
PIN_COOKIE = "primary"
PIN_SALT = "newsroom.routers.pin"
READS = ("GET", "HEAD")

log = logging.getLogger(__name__)
_request = Local()  # what the request being served on this thread reads from


def _reads_from() -> str:
    return getattr(_request, "reads_from", PRIMARY)


class ReplicaRouter:
    """Sends the reads of a reader's ``GET`` to the replica, and all else to the primary."""

    def __init__(self):
        self.primary_only = PRIMARY_ONLY | set(getattr(settings, "REPLICA_PRIMARY_APPS", ()))

    def db_for_read(self, model, **hints):
        if model._meta.app_label in self.primary_only:
            return PRIMARY
        return _reads_from()

    def db_for_write(self, model, **hints):
        if model._meta.app_label != "caching":  # a rate limit or a seen-key is not content
            _request.reads_from = PRIMARY  # the rest of the request reads what it wrote
            _request.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaHealth:
    """Whether the replica may serve reads, asked of it at most every few seconds.

    A replica is behind when it has received WAL it has not replayed: by the age of the last
    transaction it replayed, unless it replays what it had received within a moment (WAL
    arriving at an idle replica is not lag). One whose replay is paused with WAL waiting is
    behind however recent that was. One that is not in recovery is a primary: never behind.
    """

    STATE = """
        SELECT pg_is_in_recovery(),
               pg_is_in_recovery() AND pg_is_wal_replay_paused(),
               pg_last_wal_receive_lsn(),
               pg_last_wal_replay_lsn(),
               COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
    """
    REPLAYED = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
    MOMENT = 0.05  # seconds a replica that keeps up takes to replay what it has received

    def __init__(self):
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = True
        self.reason = ""

    def is_usable(self) -> bool:
        with self.lock:
            if time.monotonic() - self.checked_at >= settings.REPLICA_CHECK_SECONDS:
                self.usable, self.reason = self._ask()
                self.checked_at = time.monotonic()
                if not self.usable:
                    log.warning("Reading from the primary: the replica %s.", self.reason)
            return self.usable

    def failed(self, error: Exception) -> None:
        """A query on the replica failed: use the primary until the next check."""
        with self.lock:
            self.usable, self.reason = False, f"failed ({error})"
            self.checked_at = time.monotonic()
        connections[REPLICA].close()  # a fresh connection next time
        log.warning("Reading from the primary: the replica failed: %s", error)

    def _ask(self) -> tuple[bool, str]:
        connection = connections[REPLICA]
        if connection.vendor != "postgresql":
            return True, ""
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute(self.STATE)
                recovering, paused, received, replayed, age = cursor.fetchone()
                if not recovering or received == replayed:
                    return True, ""
                if paused:
                    return False, "has paused its replay with WAL waiting"
                time.sleep(self.MOMENT)
                cursor.execute(self.REPLAYED, [received])
                if cursor.fetchone()[0]:
                    return True, ""
        except DatabaseError as error:
            connection.close()
            return False, f"does not answer ({error})"
        if age > settings.REPLICA_MAX_LAG_SECONDS:
            return False, f"is {age:.1f} s behind"
        return True, ""


health = ReplicaHealth()


def pinned(request) -> bool:
    """Whether this request must read from the primary whatever the replica's state."""
    if request.method not in READS:
        return True
    # An expired or forged cookie counts for nothing: that request reads as anyone's would.
    pin = request.get_signed_cookie(
        PIN_COOKIE, default=None, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS
    )
    return pin is not None


def settled(request) -> bool:
    """Whether the last change to what this page shows is old enough for the replica to
    have replayed it.

    A page rendered from a replica that has not replayed an edit yet would be stored under
    the edit's new versions and outlive it; the first seconds after a change are read from
    the primary instead (the versions are read in the request's first round trip anyway).
    """
    names = page_versions(request.path_info) or ()
    return versions.seconds_since_change(*names) >= settings.REPLICA_MAX_LAG_SECONDS


class ReplicaMiddleware:
    """Decides, per request, whether its reads may go to the replica (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.wrote = False
        _request.retried = False
        _request.reads_from = PRIMARY
        if not pinned(request) and settled(request) and health.is_usable():
            _request.reads_from = REPLICA
        try:
            response = self.get_response(request)
        finally:
            wrote = _request.wrote
            _request.reads_from = PRIMARY  # whatever runs after the request
        if wrote:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view, args, kwargs):
        # After AuthenticationMiddleware: staff read what they (and other editors) wrote.
        user = getattr(request, "user", None)
        if _reads_from() == REPLICA and user is not None and user.is_staff:
            _request.reads_from = PRIMARY
        request._replica_view = (view, args, kwargs)

    def process_exception(self, request, exception):
        """A page that failed on a replica that went away is made again from the primary."""
        if _request.retried or _reads_from() != REPLICA or _request.wrote:
            return None
        # Only the replica's connection failing, not a bug that would fail anywhere.
        lost = isinstance(exception, (OperationalError, InterfaceError))
        if not lost or not getattr(connections[REPLICA], "errors_occurred", False):
            return None
        health.failed(exception)
        _request.retried = True
        _request.reads_from = PRIMARY
        view, args, kwargs = request._replica_view
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
