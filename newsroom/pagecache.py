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
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from .preferences import chosen_language, chosen_layout

SITE_VERSION_KEY = "pages:version"
# Cookies that mean a reader sees something personal: never cache for them.
PERSONAL_COOKIES = ("sessionid", "messages")


def bump() -> None:
    """Everything changes: an article was published, edited or unpublished."""
    _incr(SITE_VERSION_KEY)


def bump_article(article_id: int) -> None:
    """One article's page changes: a comment was posted, edited, hidden or deleted."""
    _incr(f"pages:article:{article_id}")


def _incr(key: str) -> None:
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.set(key, 1, timeout=None)


def shared_page(request) -> ResolverMatch | None:
    """The matched view if this request gets the page every anonymous reader gets."""
    if request.method not in ("GET", "HEAD") or any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    ):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match if match.view_name in settings.PAGE_CACHE_VIEWS else None


def version_keys(match: ResolverMatch) -> list[str]:
    """The versions a page depends on: the site's, and its article's for an article page."""
    if match.view_name == "articles:detail":
        return [SITE_VERSION_KEY, f"pages:article:{match.kwargs['pk']}"]
    return [SITE_VERSION_KEY]


def page_key(request) -> str:
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    host = request.get_host()
    return f"page:{chosen_language(request)}:{chosen_layout(request)}:{host}:{url}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = shared_page(request) if settings.PAGE_CACHE_SECONDS else None
        if match is None:
            response = self.get_response(request)
            if "sessionid" in request.COOKIES:
                patch_cache_control(response, private=True)
            return response

        # The page and the versions it depends on come back in one round trip (Redis);
        # a page stored under older versions is stale.
        key, versions = page_key(request), version_keys(match)
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
        response = self.get_response(request)
        if self.storable(response):
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)
            patch_vary_headers(response, ["Cookie"])
            if not response.has_header("ETag"):
                set_response_etag(response)  # once, not on every hit
            cache.set(key, (current, time.time(), response), settings.PAGE_CACHE_SECONDS)
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
