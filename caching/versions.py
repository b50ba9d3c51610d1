"""Versions: what makes cached HTML stale, in every worker and server at once.

Whatever is rendered and cached (a whole page, a part of one) is filed under the versions
of what it shows, read before the rows it is made from. A change moves a version on
(``bump``), and the next reader anywhere finds the copy stale and renders afresh. The
versions live in the "shared" cache (the database, or Redis), which every worker reads;
the copies may live in each worker's own memory.

Each app says what moves which version in its own ``signals.py``, next to its models.
``SITE`` covers what every public page may show (articles, sections, reporters, the
outlet's settings); an app may add finer ones (one article's comments, the ad slots).

A scheduled article falling due moves ``SITE`` by itself: apps register when their next
scheduled change is (``schedule_source``), and the first request after that moment
moves the site on, once for all workers, so nothing cached before it is served after it.
"""

import contextvars
import functools
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.core.cache import cache, caches
from django.db import transaction
from django.utils import timezone

SITE = "site"
# When the next scheduled change falls due, in microseconds since the epoch (as exact as
# the times stored); 0: none is.
NEXT_DUE = "next-due"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STAMP_BITS = 11  # random bits below the time in a version (see _new_version)
# How long small values that only a change can make stale (settings, the navigation) are
# kept: as long as nothing moves their versions, this only bounds the memory they hold.
SETTLED_SECONDS = 60 * 60

# Versions of what every page shows: part of every shared page's versions, and fetched in
# the request's first round trip.
_on_every_page = {SITE}

# Functions that tell when the next scheduled change to what the site shows falls due
# (a scheduled article's publication time), registered by the apps that own them.
_schedule_sources: list[Callable[[], datetime | None]] = []

# The versions read during this request: each is read once, before the rows it covers.
_read: contextvars.ContextVar[dict | None] = contextvars.ContextVar("versions_read", default=None)


def bump(*names: str) -> None:
    """Whatever was cached under these versions is stale from now on.

    Bumped at once, and again when the change is committed: a reader who rendered the
    old rows in between stored them under a version that is then stale too.
    """
    for name in names:
        _new_version(name)
        transaction.on_commit(functools.partial(_new_version, name))  # at once outside one
    if SITE in names:
        refresh_schedule()
        transaction.on_commit(refresh_schedule)


def bump_everything() -> None:
    """Every version every page shows moves on, and the schedule is read again (after the
    database was replaced by a restore: what the shared cache held belongs to other data)."""
    bump(*_on_every_page)


def current(*names: str) -> tuple:
    """The versions of ``names`` now: read them before the rows of what you cache.

    The site version includes the last scheduled change that has fallen due, so that what
    was cached before it is stale as soon as it is due, in every worker.
    """
    read = _read_versions(names)
    due = read.get(NEXT_DUE, 0)
    fallen_due = due if 0 < due <= _microseconds(timezone.now()) else 0
    if fallen_due:
        _move_schedule_on(fallen_due)  # for the requests after this one
    return tuple((read.get(n, 0), fallen_due) if n == SITE else read.get(n, 0) for n in names)


def cached(key: str, names: tuple[str, ...], compute: Callable, timeout: int):
    """``compute()``, cached for ``timeout`` seconds or until one of the versions moves.

    The versions are read before computing: a change while computing leaves an entry
    under the older versions, which the next reader finds stale.
    """
    if timeout <= 0:
        return compute()
    versions = current(*names)
    if (entry := cache.get(key)) is not None and entry[0] == versions:
        return entry[1]
    value = compute()
    cache.set(key, (versions, value), timeout)
    return value


def on_every_page(name: str) -> str:
    """Declare that what the version ``name`` covers shows on every page (the ad slots)."""
    _on_every_page.add(name)
    return name


def every_page() -> tuple[str, ...]:
    """The versions of what every page shows."""
    return tuple(sorted(_on_every_page))


def schedule_source(source: Callable[[], datetime | None]):
    """Register ``source``: it tells when the next scheduled change falls due (or None)."""
    _schedule_sources.append(source)
    return source


def refresh_schedule() -> None:
    """Note when the next scheduled change falls due; at that moment the site moves on."""
    due = min(filter(None, (source() for source in _schedule_sources)), default=None)
    _store(NEXT_DUE, _microseconds(due) if due else 0)


def seconds_until_due() -> float | None:
    """Seconds until the next scheduled change, if one is coming."""
    due = _read_versions(()).get(NEXT_DUE, 0)
    return (due - _microseconds(timezone.now())) / 1e6 if due else None


def seconds_since_change(*names: str) -> float:
    """Seconds since any of ``names`` (and what every page shows) last moved: an edit, a
    comment, an article falling due. A read replica may not have replayed a change yet, so
    a page is rendered from the primary in the first seconds after one (newsroom/routers.py).
    Read from the versions themselves, in the request's one round trip."""
    read = _read_versions(names)
    now = _microseconds(timezone.now())
    moved = [read.get(name, 0) >> STAMP_BITS for name in {*names, *_on_every_page}]
    # 0: never moved. A time ahead of now is a stamp from before versions carried one.
    moved = [at for at in moved if 0 < at <= now]
    return (now - max(moved)) / 1e6 if moved else float("inf")


def reading_once_per_request():
    """Within the block, each version is read once (one request: the page cache's WSGI
    front and its middleware both open one; the inner block reads what the outer read)."""
    return _ReadOnce()


class _ReadOnce:
    def __enter__(self):
        self.token = _read.set({}) if _read.get() is None else None

    def __exit__(self, *exc):
        if self.token is not None:
            _read.reset(self.token)


def _new_version(name: str) -> None:
    # A stamp rather than a count: it never comes back, whatever happens to the key. The
    # time of the change in microseconds with random low bits, so that two workers moving it in
    # the same microsecond still make two versions; fits a signed bigint until 2112.
    now = _microseconds(timezone.now())
    _store(name, (now << STAMP_BITS) | secrets.randbits(STAMP_BITS))


def _store(name: str, value: int) -> None:
    # Not into this request's versions: what it read before is older than the new value.
    caches["shared"].set(f"version:{name}", value, timeout=None)


def _read_versions(names) -> dict:
    """The versions of ``names`` (and those every page shows), read once per request."""
    read = _read.get()
    wanted = {*names, *_on_every_page, NEXT_DUE}
    if read is not None and wanted <= read.keys():
        return read
    missing = sorted(wanted - read.keys() if read is not None else wanted)
    found = caches["shared"].get_many([f"version:{name}" for name in missing])
    fresh = {name: found.get(f"version:{name}", 0) for name in missing}
    if read is None:
        return fresh
    read.update(fresh)
    return read


def _move_schedule_on(fallen_due: int) -> None:
    """The first request after a scheduled change moves the site on, once for all workers.

    Until then every reader sees the site version paired with the change that fell due.
    """
    if caches["shared"].add(f"version:fell-due:{fallen_due}", 1, timeout=24 * 60 * 60):
        _new_version(SITE)  # first, so no reader pairs the old one with no due
        refresh_schedule()


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)
