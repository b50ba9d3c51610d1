"""Whole pages cached for anonymous readers, and the versions that make cached HTML stale.

A story that spreads is read by people who are not logged in: they all get the
same HTML, so it is rendered once per change (and at least once a minute) per
language and layout instead of for every reader. Anyone with a session
(logged-in readers, staff) never gets or fills the cache, so nobody's name or
buttons reach another reader.

Freshness. Rendered HTML lives in the "default" cache (each worker's memory, or Redis),
filed under the versions it was made from. The versions live in the "shared" cache, which
every worker and server reads (the database, or Redis): a change bumps a version and the
next request anywhere renders afresh. Saving an article bumps the site-wide version; a
comment bumps its article's version. A scheduled article falling due changes the site
version by itself (``schedule_source``), so nothing cached before it, not even a 404 for
that article, is served after it. Whatever no version tracks (an ad starting, a view
count) shows within PAGE_CACHE_SECONDS.

The costly parts of a page (an article's head and story, its comment thread, related
articles, the most-read box) are cached on their own with ``versioned()`` or
{% cached_part %}, so that a page rendered again after a change elsewhere, for another
layout, or for a logged-in reader is cheap too.
"""

import contextvars
import functools
import hashlib
import math
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from .preferences import chosen_language, chosen_layout

SITE_VERSION_KEY = "pages:version"
# When the next scheduled change falls due, in microseconds since the epoch (as exact as
# the times stored); 0: none is.
NEXT_DUE_KEY = "pages:next-due"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Cookies that mean a reader sees something personal: never cache for them.
PERSONAL_COOKIES = ("sessionid", "messages")

# Versions that (nearly) every page reads: fetched in the request's first round trip.
_read_first = {SITE_VERSION_KEY, NEXT_DUE_KEY}

# Functions that tell when the next scheduled change to what the site shows falls due
# (a scheduled article's publication time), registered by the apps that own them.
_schedule_sources: list[Callable[[], datetime | None]] = []

# The versions read during this request: each is read once, before the rows it covers.
_versions_read: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "versions_read", default=None
)


def bump() -> None:
    """Everything changes: an article was published, edited or unpublished."""
    bump_version(SITE_VERSION_KEY)
    refresh_schedule()
    transaction.on_commit(refresh_schedule)


def bump_article(article_id: int) -> None:
    """One article's page changes: a comment was posted, edited, hidden or deleted."""
    bump_version(article_version_key(article_id))


def bump_version(key: str) -> None:
    """Whatever was cached under the version ``key`` is stale from now on.

    Bumped at once, and again when the change is committed: a reader who rendered the
    old rows in between stored them under a version that is then stale too.
    """
    _new_version(key)
    transaction.on_commit(functools.partial(_new_version, key))  # at once outside one


def _new_version(key: str) -> None:
    # A random stamp rather than a count: it never comes back, whatever happens to the key.
    value = secrets.randbits(62) + 1
    caches["shared"].set(key, value, timeout=None)
    if (read := _versions_read.get()) is not None:
        read[key] = value


def read_first(key: str) -> str:
    """Fetch the version ``key`` with the site version: what it covers is on every page."""
    _read_first.add(key)
    return key


def schedule_source(source: Callable[[], datetime | None]):
    """Register ``source``: it tells when the next scheduled change falls due (or None)."""
    _schedule_sources.append(source)
    return source


def refresh_schedule() -> None:
    """Note when the next scheduled change falls due; at that moment the site version moves."""
    due = min(filter(None, (source() for source in _schedule_sources)), default=None)
    at = _microseconds(due) if due else 0
    caches["shared"].set(NEXT_DUE_KEY, at, timeout=None)
    if (read := _versions_read.get()) is not None:
        read[NEXT_DUE_KEY] = at


def current_versions(keys: tuple[str, ...]) -> tuple:
    """The versions of ``keys`` now: read them before the rows that what you cache shows.

    The site version includes the last scheduled change that has fallen due, so that what
    was cached before it is stale as soon as it is due, in every worker.
    """
    read = _read_versions(keys)
    due = read.get(NEXT_DUE_KEY, 0)
    if 0 < due <= _microseconds(timezone.now()) and _move_schedule_on(due):
        read = _read_versions(keys)
        due = read.get(NEXT_DUE_KEY, 0)
    fallen_due = due if 0 < due <= _microseconds(timezone.now()) else 0
    return tuple(
        (read.get(key, 0), fallen_due) if key == SITE_VERSION_KEY else read.get(key, 0)
        for key in keys
    )


def site_version():
    """For {% cached_part %}: vary on it to be stale after any change to what articles show."""
    return current_versions((SITE_VERSION_KEY,))[0]


def seconds_until_due() -> float | None:
    """Seconds until the next scheduled change, if one is coming."""
    due = _read_versions(()).get(NEXT_DUE_KEY, 0)
    return (due - _microseconds(timezone.now())) / 1e6 if due else None


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _read_versions(keys) -> dict:
    """The versions of ``keys`` (and those every page reads), read once per request."""
    read = _versions_read.get()
    wanted = {*keys, *_read_first}
    if read is not None and wanted <= read.keys():
        return read
    missing = wanted - read.keys() if read is not None else wanted
    found = caches["shared"].get_many(sorted(missing))
    fresh = {key: found.get(key, 0) for key in missing}
    if read is None:
        return fresh
    read.update(fresh)
    return read


def _move_schedule_on(fallen_due: int) -> bool:
    """The first request after a scheduled change moves the site on, once for all workers.

    Until then every reader sees the site version paired with the change that fell due.
    """
    if not caches["shared"].add(f"pages:fell-due:{fallen_due}", 1, timeout=24 * 60 * 60):
        return False
    _new_version(SITE_VERSION_KEY)  # first, so no reader pairs the old one with no due
    refresh_schedule()
    return True


def versioned(key: str, version_keys: tuple[str, ...], compute, timeout: int):
    """``compute()``, cached for ``timeout`` seconds or until one of the versions changes.

    The versions are read before computing: a change while computing leaves an entry
    under the older versions, which the next reader finds stale.
    """
    if timeout <= 0:
        return compute()
    current = current_versions(version_keys)
    if (entry := cache.get(key)) is not None and entry[0] == current:
        return entry[1]
    value = compute()
    cache.set(key, (current, value), timeout)
    return value


def shared_page_versions(request) -> tuple[str, ...] | None:
    """The versions the page depends on, if this request gets what every anonymous reader gets."""
    if request.method not in ("GET", "HEAD") or any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    ):
        return None
    return _page_versions(request.path_info)


# Resolving the address is a fifth of a cache hit's work; the answer per path never changes
# while the process runs. Bounded, since anyone can make up paths.
@functools.lru_cache(maxsize=4096)
def _page_versions(path: str) -> tuple[str, ...] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name not in settings.PAGE_CACHE_VIEWS:
        return None
    if match.view_name == "articles:detail":
        return (SITE_VERSION_KEY, article_version_key(match.kwargs["pk"]))
    return (SITE_VERSION_KEY,)


def article_version_key(article_id: int) -> str:
    return f"pages:article:{article_id}"


def page_key(request) -> str:
    """Everything that changes a shared page's bytes: address, scheme, host, language, layout."""
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return (
        f"page:{chosen_language(request)}:{chosen_layout(request)}:"
        f"{request.scheme}:{request.get_host()}:{url}"
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _versions_read.set({})
        try:
            return self.respond(request)
        finally:
            _versions_read.reset(token)

    def respond(self, request):
        versions = shared_page_versions(request) if settings.PAGE_CACHE_SECONDS else None
        if versions is None:
            response = self.get_response(request)
            if "sessionid" in request.COOKIES:
                patch_cache_control(response, private=True)
            return response

        current = current_versions(versions)
        key = page_key(request)
        if (entry := cache.get(key)) is not None and entry[0] == current:
            _versions, stored_at, response = entry
            # Caches in front (a CDN) count max-age from the page's birth, not from now.
            response["Age"] = str(max(0, int(time.time() - stored_at)))
            return response
        # Templates render CSRF-protected forms with an empty token on shared pages
        # (the browser fetches its own); see newsroom.templatetags.newsroom.form_token.
        request.shared_page = True
        response = self.get_response(request)
        lifetime = settings.PAGE_CACHE_SECONDS
        if (due := seconds_until_due()) is not None and due > 0:
            lifetime = min(lifetime, math.ceil(due))  # caches in front must not outlive it
        if self.storable(response):
            patch_cache_control(response, public=True, max_age=lifetime)
            patch_vary_headers(response, ["Cookie"])
            if not response.has_header("ETag"):
                set_response_etag(response)  # once, not on every hit
            cache.set(key, (current, time.time(), response), lifetime)
        return response

    @staticmethod
    def storable(response) -> bool:
        return (
            response.status_code in (200, 301, 404)
            and not response.cookies
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
