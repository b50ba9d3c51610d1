"""Whole pages cached for anonymous readers, for at most PAGE_CACHE_SECONDS.

A story that spreads is read by people who are not logged in: they all get the
same HTML, so it is rendered once a minute per language and layout instead of
for every reader. Anyone with a session (logged-in readers, staff) never gets
or fills the cache, so nobody's name or buttons reach another reader.

Freshness: every entry expires within PAGE_CACHE_SECONDS, which bounds how late
a scheduled article, an ad that starts or ends, or a new comment count shows up.
Changes people wait to see are immediate: saving an article bumps the site-wide
version, and a comment bumps its article's version, so the next request renders
afresh.

The costly parts of a page (an article's head and story, its comment thread, related
articles, the most-read box) are also cached on their own, with ``versioned()`` or
{% cached_part %}, under the same versions, so that a page rendered again after its
minute is up, for another layout, or for a logged-in reader is cheap too. Without a
shared cache, a page made from a part is kept only until that part is a minute old.
"""

import contextvars
import functools
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from .preferences import chosen_language, chosen_layout

SITE_VERSION_KEY = "pages:version"
# Cookies that mean a reader sees something personal: never cache for them.
PERSONAL_COOKIES = ("sessionid", "messages")


def bump() -> None:
    """Everything changes: an article was published, edited or unpublished."""
    bump_version(SITE_VERSION_KEY)


def bump_article(article_id: int) -> None:
    """One article's page changes: a comment was posted, edited, hidden or deleted."""
    bump_version(article_version_key(article_id))


def site_version() -> int:
    """For parts cached with {% cached_part %}: vary on it to be stale after any change.

    Read it before the rows the part shows, as versioned() does: a part rendered from
    rows older than the version it is stored under would outlive the change.
    """
    return cache.get(SITE_VERSION_KEY, 0)


def bump_version(key: str) -> None:
    """Whatever was cached under the version ``key`` is stale from now on.

    Bumped at once, and again when the change is committed: a reader who rendered the
    old rows in between stored them under a version that is then stale too.
    """
    _incr(key)
    transaction.on_commit(functools.partial(_incr, key))  # at once outside a transaction


def forget(key: str) -> None:
    """Drop a cached value, now and again when the change commits (as bump_version)."""
    cache.delete(key)
    transaction.on_commit(functools.partial(cache.delete, key))


def _incr(key: str) -> None:
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.set(key, 1, timeout=None)


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


def versioned(
    key: str, version_keys: tuple[str, ...], compute, timeout: int, *, bounds_page: bool = True
):
    """``compute()``, cached until ``timeout`` (seconds, or a function giving them, asked
    only on a miss) or until one of the versions changes.

    The versions come back with the entry in one round trip. A change while computing
    leaves an entry under the older versions, which the next reader finds stale. With
    per-worker caches, a page made from an older part expires that much sooner (see
    _oldest_part), unless ``bounds_page`` is off: for what every page shows (the
    most-read box), which would otherwise cut every page's life short.
    """
    if not callable(timeout) and timeout <= 0:
        return compute()
    found = cache.get_many([key, *version_keys])
    current = tuple(found.get(version, 0) for version in version_keys)
    if (entry := found.get(key)) is not None and entry[0] == current:
        _versions, stored_at, value = entry
        oldest = _oldest_part.get()
        if bounds_page and oldest is not None and stored_at < oldest:
            _oldest_part.set(stored_at)
        return value
    value = compute()
    if (seconds := timeout() if callable(timeout) else timeout) > 0:
        cache.set(key, (current, time.time(), value), seconds)
    return value


# When the oldest cached part of the page being rendered was made. Without a shared cache
# a worker's versions move only for changes made through it, so a part may hold what
# another worker has changed since; a page is then kept only until its oldest part is
# PAGE_CACHE_SECONDS old, and a change shows within that time wherever it was made.
# With a shared cache (Redis) every worker sees every version at once: pages live their
# full time.
_oldest_part: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "oldest_part", default=None
)


def _per_worker_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache")


def page_key(request) -> str:
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    host = request.get_host()
    return f"page:{chosen_language(request)}:{chosen_layout(request)}:{host}:{url}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        versions = shared_page_versions(request) if settings.PAGE_CACHE_SECONDS else None
        if versions is None:
            response = self.get_response(request)
            if "sessionid" in request.COOKIES:
                patch_cache_control(response, private=True)
            return response

        # The page and the versions it depends on come back in one round trip (Redis);
        # a page stored under older versions is stale.
        key = page_key(request)
        found = cache.get_many([key, *versions])
        current = tuple(found.get(version, 0) for version in versions)
        if (entry := found.get(key)) is not None and entry[0] == current:
            _versions, stored_at, response = entry
            # Caches in front (a CDN) count max-age from the page's birth, not from now.
            response["Age"] = str(max(0, int(time.time() - stored_at)))
            return response
        # Templates render CSRF-protected forms with an empty token on shared pages
        # (the browser fetches its own); see newsroom.templatetags.newsroom.form_token.
        request.shared_page = True
        started = time.time()
        token = _oldest_part.set(started if _per_worker_cache() else None)
        try:
            response = self.get_response(request)
            born = _oldest_part.get() or started
        finally:
            _oldest_part.reset(token)
        lifetime = settings.PAGE_CACHE_SECONDS - math.ceil(started - born)
        if self.storable(response) and lifetime > 0:
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
