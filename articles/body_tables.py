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


_TAG = re.compile(r"<(/?)(table|caption|tr|th|td)\b([^>]*)>", re.IGNORECASE)
_CAPTION = re.compile(r"\s*<caption>(.*?)</caption>", re.DOTALL)


def present(html: str) -> str:
    """Sanitized body HTML with each table in its labelled scrolling box, header scopes set.

    Works on the sanitizer's output, where a table's tags carry no attributes but spans
    and scope, and attribute values have ``<``, ``>`` and ``"`` escaped.
    """
    if "<table" not in html:
        return html
    out: list[str] = []
    tables: list[dict] = []  # one per open table (tables may nest in cells)
    number = 0
    position = 0
    for match in _TAG.finditer(html):
        out.append(html[position : match.start()])
        position = match.end()
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        tag = match.group(0)
        if name == "table" and not closing:
            number += 1
            caption = _CAPTION.match(html, match.end())
            label = " ".join(unescape(strip_tags(caption.group(1))).split()) if caption else ""
            label = label or gettext("Table %(number)s") % {"number": number}
            tables.append({"rows": 0, "cells": 0})
            tag = (
                f'<div class="table-scroll" role="region" tabindex="0" '
                f'aria-label="{escape(label)}">{tag}'
            )
        elif name == "table":
            if tables:
                tables.pop()
            tag += "</div>"
        elif not tables:
            pass
        elif name == "tr" and not closing:
            tables[-1]["rows"] += 1
            tables[-1]["cells"] = 0
        elif name in ("th", "td") and not closing:
            state = tables[-1]
            state["cells"] += 1
            if name == "th" and "scope=" not in attributes:
                scope = "col" if state["rows"] == 1 else "row" if state["cells"] == 1 else None
                if scope:
                    tag = f'<th{attributes} scope="{scope}">'
        out.append(tag)
    out.append(html[position:])
    return "".join(out)
