"""The article body's HTML allowlist, applied with nh3 whenever a body is saved."""

import re

import nh3
from django.conf import settings

from . import body_tables, embeds

TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "b", "em", "i", "u", "s",
    "sub", "sup", "blockquote", "figure", "figcaption", "img", "hr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    # A photo from the library (articles/body_photos.py renders it on the page).
    "figure": {"data-photo-id"},
}
# Tables pasted from HWP, Word or a spreadsheet, and video/map embeds (articles/embeds.py).
TAGS |= body_tables.TAGS | {"iframe"}
ATTRIBUTES |= body_tables.ATTRIBUTES | {"iframe": {"src", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images only from our own media storage: no tracking pixels, no data: URLs.
    if tag == "img" and attribute == "src":
        if value.startswith(settings.MEDIA_URL) and not value.startswith("//"):
            return value
        return None
    if attribute == "data-photo-id":
        return value if value.isascii() and value.isdigit() and len(value) < 12 else None
    if tag == "iframe":
        return embeds.filter_attribute(attribute, value)
    if tag in body_tables.TAGS:
        return body_tables.filter_attribute(attribute, value)
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    attribute_filter=_filter_attribute,
    strip_comments=True,
)


# What the allowlist leaves behind when it drops a bad address: an image with nothing to
# show, a link that goes nowhere (invalid HTML, and an image without alt text to axe).
_IMG_WITHOUT_SRC = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>")
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)")
_LINK_WITHOUT_HREF = re.compile(r"<a\b(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)


def _without_leftovers(html: str) -> str:
    html = _IMG_WITHOUT_SRC.sub("", html)
    html = _IMG_WITHOUT_ALT.sub('<img alt=""', html)
    return _LINK_WITHOUT_HREF.sub(r"\1", html)


def sanitize_body(html: str) -> str:
    """The body reduced to the allowlist; an editor's empty paragraph becomes ''."""
    cleaned = _without_leftovers(_cleaner.clean(html or ""))
    cleaned = body_tables.drop_empty_rows(embeds.rebuild_iframes(cleaned)).strip()
    return "" if cleaned in ("<p></p>", "<p><br></p>") else cleaned
