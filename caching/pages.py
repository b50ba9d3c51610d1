"""Whole pages cached for anonymous readers, until what they show changes.

A story that spreads is read by people who are not logged in: they all get the same
HTML, so it is rendered once per change (and at least once every PAGE_CACHE_SECONDS)
per language and layout instead of for every reader. Anyone with a session (logged-in
readers, staff) never gets or fills the cache, so nobody's name or buttons reach another
reader. A view takes part by declaring the versions its page shows (``shared_page``);
the versions are read before the view reads a row (caching.versions), for every reader.

A stored page is answered twice over: by ``StoredPagesFirst``, in front of Django's
handler (newsroom/wsgi.py: a plain GET, as served), and by the middleware for whatever
reaches Django's handler directly (the test client, a revalidating browser). Both ask
``stored_page``; only the middleware stores.
"""

import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from web.preferences import chosen_language, chosen_layout

from . import versions
from .versions import SITE

logger = logging.getLogger(__name__)

# Cookies that mean a reader sees something personal: never cache for them.
PERSONAL_COOKIES = ("sessionid", "messages")


def shared_page(view=None, *, versions_of: Callable[..., tuple[str, ...]] = lambda **_: (SITE,)):
    """Mark ``view`` as a page every anonymous reader may share, showing the versions that
    ``versions_of(**url_kwargs)`` names (the site's, unless told otherwise) and those of
    what every page shows (caching.versions.on_every_page)."""

    def mark(view):
        @functools.wraps(view)
        def shared(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        shared.shared_page_versions = versions_of
        return shared

    return mark(view) if view is not None else mark


@functools.lru_cache(maxsize=4096)
def page_versions(path: str) -> tuple[str, ...] | None:
    """The versions the page at ``path`` shows, or None if it is no shared page.

    Resolving the address is a fifth of a cache hit's work, and the answer per path never
    changes while the process runs. Bounded, since anyone can make up paths.
    """
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if (versions_of := getattr(match.func, "shared_page_versions", None)) is None:
        return None
    return tuple(dict.fromkeys((*versions_of(**match.kwargs), *versions.every_page())))


def page_key(request) -> str:
    """Everything that changes a shared page's bytes: address, scheme, host, language, layout."""
    # The address as it came (get_full_path() would percent-encode it first, on every
    # hit): two spellings of one address are two entries, each right.
    address = f"{request.path}?{request.META.get('QUERY_STRING', '')}"
    url = hashlib.sha256(address.encode()).hexdigest()[:32]
    return (
        f"page:{chosen_language(request)}:{chosen_layout(request)}:"
        f"{request.scheme}:{request.get_host()}:{url}"
    )


def is_shared(request) -> bool:
    """Whether this request gets what every anonymous reader gets."""
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    )


class StoredPage(NamedTuple):
    """A shared page as stored: the versions it shows, and the bytes of its answer.

    Plain values rather than the HttpResponse: unpickling a response object was most of
    what taking a page out of the cache cost.
    """

    versions: tuple
    stored_at: float
    status: str  # as in the WSGI status line: "200 OK"
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, response, versions_: tuple) -> "StoredPage":
        status = f"{response.status_code} {response.reason_phrase}"
        return cls(versions_, time.time(), status, tuple(response.items()), response.content)

    def age(self) -> str:
        # Caches in front (a CDN) count s-maxage from the page's birth, not from now.
        return str(max(0, int(time.time() - self.stored_at)))

    def response(self) -> HttpResponse:
        code, _, reason = self.status.partition(" ")
        response = HttpResponse(self.content, status=int(code), reason=reason, headers=self.headers)
        response["Age"] = self.age()
        return response


def stored_page(request, current: tuple) -> StoredPage | None:
    """The page stored for ``request`` if it was made from the ``current`` versions."""
    if not (settings.PAGE_CACHE_SECONDS and is_shared(request)):
        return None
    page = cache.get(page_key(request))
    return page if isinstance(page, StoredPage) and page.versions == current else None


class StoredPagesFirst:
    """WSGI: a plain GET for a stored, current shared page is answered before Django's
    handler, with the stored bytes, the way a caching proxy in front would answer it.

    What the hit does is the middleware's (``stored_page``: the same key, the same
    versions, read first), minus the handler's work around it. Of what Django's request
    signals do, a hit needs one thing, done here directly (sending the two signals cost
    as much as reading the versions): a database connection that is too old or broken is
    closed before and after, as ``CONN_MAX_AGE`` and a pool expect. Anything else, and any
    page that cannot be answered here (a miss, a session, a bad Host, a failed read), goes
    to Django as before: it answers, and reports an error, as it does for any request (a
    database that is away is then tried twice before the reader gets the error page).
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        with versions.reading_once_per_request():
            if self.may_be_stored(environ):
                close_old_connections()
                page = self.stored(environ)
                if page is not None:
                    start_response(page.status, [*page.headers, ("Age", page.age())])
                    close_old_connections()
                    return [page.content]
            return self.application(environ, start_response)

    @staticmethod
    def may_be_stored(environ) -> bool:
        # Not a conditional request: Django's middleware answers "not modified" and
        # "precondition failed".
        conditional = any(header in environ for header in CONDITIONAL_HEADERS)
        return (
            environ["REQUEST_METHOD"] == "GET" and not conditional and settings.PAGE_CACHE_SECONDS
        )

    @staticmethod
    def stored(environ) -> StoredPage | None:
        try:
            # A copy: WSGIRequest rewrites PATH_INFO in the environ it is given.
            request = WSGIRequest(environ.copy())
            if (names := page_versions(request.path_info)) is None:
                return None
            return stored_page(request, versions.current(*names))
        except DisallowedHost:
            return None  # Django answers 400
        except Exception:
            # Whatever failed here (the shared cache, the database) is Django's to answer.
            logger.warning("The page cache's front passed a request on", exc_info=True)
            return None


CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class SharedPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with versions.reading_once_per_request():
            return self.respond(request)

    def respond(self, request):
        names = page_versions(request.path_info)
        if names is None:
            return self.personal(request)
        current = versions.current(*names)  # before the view reads a row
        if not (settings.PAGE_CACHE_SECONDS and is_shared(request)):
            return self.personal(request)

        if (page := stored_page(request, current)) is not None:
            response = page.response()
            # A browser that has this very page gets "not modified", as from
            # ConditionalGetMiddleware, which a hit does not pass through.
            return get_conditional_response(request, etag=response.get("ETag"), response=response)
        # Templates render CSRF-protected forms with an empty token on shared pages (the
        # browser fetches its own); see caching.csrf.
        request.shared_page = True
        response = self.get_response(request)
        lifetime = settings.PAGE_CACHE_SECONDS
        if (due := versions.seconds_until_due()) is not None and due > 0:
            lifetime = min(lifetime, math.ceil(due))  # caches in front must not outlive it
        if self.storable(response):
            # A CDN keeps it as long as this cache would; a browser asks each time (an
            # ETag: a 304 while nothing changed), so an edit or a hidden comment is gone
            # at the reader's next look, not a minute later.
            patch_cache_control(response, public=True, max_age=0, s_maxage=lifetime)
            patch_vary_headers(response, ["Cookie"])
            if not response.has_header("ETag"):
                set_response_etag(response)  # once, not on every hit
            cache.set(page_key(request), StoredPage.of(response, current), lifetime)
        return response

    def personal(self, request):
        response = self.get_response(request)
        # What its maker marked public is the same for everyone (a static file).
        if "sessionid" in request.COOKIES and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
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
