"""The old site's addresses, kept alive for readers' bookmarks, links and search engines.

Outlets move here from the common Korean news CMS, whose article pages are
``/news/articleView.html?idxno=<n>`` and section lists ``/news/articleList.html?
sc_section_code=<code>``. Imported articles and sections keep those numbers and codes.
"""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from .models import Article, Section

# The largest value a PositiveBigIntegerField holds on every database.
_MAX_LEGACY_ID = 2**63 - 1
# The old CMS's section codes look like S1N1 or S2N15; nothing else is worth a query.
_SECTION_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")


def parse_legacy_id(value: str | None) -> int | None:
    """An old article number (idxno) as a number, if it is one the database can hold."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= _MAX_LEGACY_ID else None


def article_view(request):
    """An old article address: permanently to the article imported with that number."""
    legacy_id = parse_legacy_id(request.GET.get("idxno"))
    if legacy_id is None:  # the database is never asked about anything else
        raise Http404
    article = get_object_or_404(Article.objects.published(), legacy_id=legacy_id)
    return redirect(article, permanent=True)


def article_list(request):
    """An old section list: permanently to the section with that code.

    Without a code it was the old site's list of all articles, which is our home page.
    An unknown code is a 404 rather than a redirect home: search engines then drop the
    address instead of indexing the home page under it.
    """
    code = request.GET.get("sc_section_code", "")
    if not code:
        return redirect("articles:home", permanent=True)
    section = None
    if _SECTION_CODE.fullmatch(code):
        section = Section.objects.active().filter(legacy_code=code).first()
    if section is None:
        raise Http404
    return redirect(section, permanent=True)
