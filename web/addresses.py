"""Addresses of the site's objects, worked out once per process.

``reverse()`` matches the address it builds against the URL pattern on every call, about
30 µs; an article page asks for dozens of its objects' addresses (related articles, the
sections' menu, the byline), so the articles and reporters ask ``address_of`` instead. The
answer depends only on the URL configuration and the script prefix, both of which stay as
they are while the process runs (and are part of the key all the same).
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def address_of(viewname: str, *args) -> str:
    """``reverse(viewname, args=args)``, remembered for the process."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(get_script_prefix(), urlconf, viewname, args)


# Bounded: anyone can ask for made-up addresses (an article number that no longer exists).
@functools.lru_cache(maxsize=20_000)
def _reverse(prefix: str, urlconf: str, viewname: str, args: tuple) -> str:
    return reverse(viewname, urlconf=urlconf, args=args)
