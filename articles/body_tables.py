"""Tables in the article body: what the sanitizer keeps, and how the public page shows them.

A table pasted from HWP (한글), Word, Excel, LibreOffice or Google Sheets arrives full of
``style``, ``class``, ``width``, ``mso-*`` and ``<o:p>`` junk. The sanitizer keeps the
structure — rows, header and data cells, spans, the caption — and nothing of the look:
no ``style``, ``class``, ``width``, ``border`` or colours; the site's CSS draws every
table the same way.

On the page each table sits in a box that scrolls sideways by itself on a narrow phone
(never the whole page), which keyboard users can focus and scroll and screen readers
announce by the table's caption or number; header cells get the ``scope`` they imply.
"""

import re
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext

TAGS = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
ATTRIBUTES = {"th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}
SCOPES = {"col", "row", "colgroup", "rowgroup"}
# HTML's own limits for spans.
_SPAN_LIMITS = {"colspan": 1000, "rowspan": 65534}


def filter_attribute(attribute: str, value: str) -> str | None:
    """A span that is a whole number above 1 (1 is the default: noise), a known scope."""
    value = value.strip()
    if attribute in _SPAN_LIMITS:
        if value.isascii() and value.isdigit() and 1 < int(value) <= _SPAN_LIMITS[attribute]:
            return str(int(value))
        return None
    if attribute == "scope":
        value = value.lower()
        return value if value in SCOPES else None
    return None


_EMPTY_ROW = re.compile(r"<tr>\s*(?:<td>\s*</td>\s*)+</tr>")


def drop_empty_rows(html: str) -> str:
    """Rows of nothing but empty cells removed (Word adds one for "misaligned columns")."""
    return _EMPTY_ROW.sub("", html) if "<tr>" in html else html


_TAG = re.compile(r"<(/?)table>", re.IGNORECASE)
_CAPTION = re.compile(r"\s*<caption>(.*?)</caption>", re.DOTALL)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<(th|td)\b([^>]*)>")


def _scope_row(match: re.Match) -> str:
    """A row of header cells only is a header row (its cells head columns); otherwise a
    header cell first in its row heads that row."""
    row = match.group(1)
    if "<table" in row:  # a table inside a cell: leave this row alone
        return match.group(0)
    cells = _CELL.findall(row)
    if not cells or cells[0][0] != "th":
        return match.group(0)
    header_row = all(name == "th" for name, _ in cells)
    first = True

    def scope(cell: re.Match) -> str:
        nonlocal first
        name, attributes = cell.groups()
        is_first, first = first, False
        if name != "th" or "scope=" in attributes or not (header_row or is_first):
            return cell.group(0)
        return f'<th{attributes} scope="{"col" if header_row else "row"}">'

    return "<tr>" + _CELL.sub(scope, row) + "</tr>"


def present(html: str) -> str:
    """Sanitized body HTML with each table in its labelled scrolling box, header scopes set.

    Works on the sanitizer's output, where table tags carry no attributes but spans and
    scope, and attribute values have ``<``, ``>`` and ``"`` escaped.
    """
    if "<table>" not in html:
        return html
    html = _ROW.sub(_scope_row, html)
    number = 0

    def box(match: re.Match) -> str:
        nonlocal number
        if match.group(1):
            return "</table></div>"
        number += 1
        caption = _CAPTION.match(html, match.end())
        label = " ".join(unescape(strip_tags(caption.group(1))).split()) if caption else ""
        label = label or gettext("Table %(number)s") % {"number": number}
        return (
            f'<div class="table-scroll" role="region" tabindex="0" '
            f'aria-label="{escape(label)}"><table>'
        )

    return _TAG.sub(box, html)
