"""Walks the admin as one staff member, by following links, and reads each page's words.

Pages are found only by following links from the admin index, so screens other people add
are covered once they are linked. Each kind of page is visited once per crawl: one change
form per model, one page per filter, one history page per model, and so on.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.apps import apps
from django.db.models import CharField, JSONField, TextField
from django.urls import Resolver404, resolve
from django.utils.html import strip_tags

ADMIN_ROOT = "/admin/"
# Not pages: leaving the admin, JSON and JavaScript, and the jump to the public site.
NOT_PAGES = {"logout", "jsi18n", "autocomplete", "view_on_site"}
# Query parameters that only sort, page or pick the popup's target; their pages repeat ones
# already read.
SAME_PAGE_PARAMETERS = {"o", "p", "_to_field", "_popup", "_changelist_filters", "e"}
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_@./:-])[A-Za-z]{3,}(?![A-Za-z0-9_@-])")
URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S+/\S+")
# Markup shown as text: HTML printed where it should have been formatted.
RAW_MARKUP = re.compile(r"</?(?:p|div|span|br|a|h[1-6]|ul|ol|li|strong|em|figure|img)\b[^<>]*>")
# How Python prints values; people read 예/아니요 or Yes/No, or nothing.
PYTHON_VALUES = {"True", "False", "None"}
RAW_TIME = re.compile(r"\+00:00|\d{4}-\d\d-\d\dT\d\d:\d\d|\bUTC\b")
# Words that are the same in both languages: abbreviations staff use as such.
LEGIT_TOKENS = {
    *("RSS", "URL", "HTML", "CSV", "KST", "API", "SNS", "SSO", "LDAP"),
    "IndexNow",  # the protocol Naver and Bing take pings by, named so in their own pages
    *("PNG", "JPEG", "WebP", "WEBP", "GIF", "Ctrl"),
    "idxno",  # the old site's article number, as editors know it from its addresses
}
# Attributes a person sees or hears (tooltips, placeholders, labels read aloud, button text).
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
BUTTON_TYPES = {"submit", "button", "reset"}
# Text a browser never shows, and text that is what the person typed (form values).
UNSHOWN_ELEMENTS = {"script", "style", "template", "textarea", "noscript"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class PageText(HTMLParser):
    """The pieces of text a page shows, each as it stands in the HTML. Text inside an
    element marked with another language (the language switch's "English") is left out:
    it is meant to be in that language."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.pieces: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, hides its text)

    def hidden(self) -> bool:
        return any(hides for _tag, hides in self.open)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other_language = attributes.get("lang", self.language).split("-")[0] != self.language
        # Django's rows of hidden fields; "visually-hidden" text is read aloud, so it counts.
        not_shown = "hidden" in attributes or "hidden" in (attributes.get("class") or "").split()
        hides = tag in UNSHOWN_ELEMENTS or other_language or not_shown
        if not self.hidden() and not hides:
            self.pieces += [" ".join(v.split()) for a, v in attrs if a in SHOWN_ATTRIBUTES and v]
            if tag == "input" and attributes.get("type") in BUTTON_TYPES:
                self.pieces.append(attributes.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, hides))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if data.strip() and not self.hidden():
            self.pieces.append(" ".join(data.split()))


def shown_text(html: str, language: str) -> list[str]:
    parser = PageText(language)
    parser.feed(html)
    parser.close()
    return [piece for piece in parser.pieces if piece.strip()]


@dataclass
class Content:
    """What the database holds (titles, names, bodies' paragraphs, every row's str()): it is
    shown as written, in whatever language it was written. Indexed by first word, so a page
    finds the values it shows without trying them all."""

    by_first_word: dict[str, set[str]] = field(default_factory=dict)
    raw_codes: set[str] = field(default_factory=set)

    @classmethod
    def of_database(cls) -> "Content":
        content = cls()
        for model in apps.get_models():
            fields = model._meta.concrete_fields
            content.raw_codes |= {
                str(value)
                for f in fields
                if f.choices
                for value, label in f.flatchoices
                if str(value).isalpha() and str(value) != str(label)
            }
            # A field with choices stores codes, which are never to be shown as such.
            text_fields = [
                f.attname
                for f in fields
                if isinstance(f, CharField | TextField | JSONField) and not f.choices
            ]
            if not text_fields:
                continue
            for values in model._default_manager.values_list(*text_fields).iterator():
                for value in _strings(values):
                    content.add(value)
        return content

    def add(self, value: str):
        """The value whole, and each of its lines and paragraphs: a list shows the start of
        a comment on one line, a comparison shows a body paragraph by paragraph."""
        for part in [strip_tags(value), *re.split(r"<[^>]+>|\n", value)]:
            words = part.split()
            if words:
                self.by_first_word.setdefault(_bare(words[0]), set()).add(" ".join(words))

    def without_content(self, piece: str) -> str:
        """The piece with the database's values blanked out, also where the admin cut one
        short: at least 8 characters of its start, then the end, a space or an ellipsis."""
        content = [False] * len(piece)
        for value in {v for word in piece.split() for v in self.by_first_word.get(_bare(word), ())}:
            for start in _occurrences(piece, value.split()[0]):
                shown = len(_common_prefix(piece[start:], value).rstrip())
                rest = piece[start + shown :]
                cut_short = shown >= 8 and (not rest or rest[0].isspace() or rest[0] in ".…")
                if shown == len(value) or cut_short:
                    content[start : start + shown] = [True] * shown
        return "".join(" " if hidden else char for char, hidden in zip(piece, content, strict=True))


def _occurrences(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


def _bare(word: str) -> str:
    """A word without the quotes and brackets around it."""
    return re.sub(r"^\W+|\W+$", "", word)


def _strings(value) -> Iterator[str]:
    """The text in a row's values, JSON included (a queued mail keeps its subject there)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        yield from _strings(list(value.values()))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _common_prefix(a: str, b: str) -> str:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return a[:length]


def foreign_words(piece: str, language: str, content: Content, usernames: set[str]) -> list[str]:
    """The UI words in a piece of page text that are not in the page's language."""
    own_text = URL_OR_EMAIL.sub(" ", content.without_content(piece))
    if language == "ko":
        return [
            word
            for word in ENGLISH_WORD.findall(own_text)
            if word not in LEGIT_TOKENS and word not in usernames
        ]
    return [word for word in own_text.split() if HANGUL.search(word)]


def raw_values(piece: str, content: Content) -> list[str]:
    """Values shown as stored, not as people read them: UTC offsets, ISO times, status
    codes, Python's True/False/None, HTML markup."""
    found = RAW_TIME.findall(piece) + RAW_MARKUP.findall(piece)
    piece = content.without_content(piece)
    parts = re.split(r"\s*(?:→|:)\s*", piece.strip())
    found += [part for part in parts if part in content.raw_codes or part in PYTHON_VALUES]
    return found


@dataclass
class Page:
    url: str
    status: int
    html: str  # empty for what is not HTML (a CSV report, JSON)

    @classmethod
    def of(cls, url: str, response) -> "Page":
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        is_html = "html" in response.get("Content-Type", "")
        return cls(url, response.status_code, response.content.decode() if is_html else "")

    def again(self, client) -> "Page":
        """The same page read again (in the language the client now asks for)."""
        return self.of(self.url, client.get(self.url))


def page_kinds(url: str) -> set[tuple[str, str]]:
    """What an admin address shows: its view, and the view with each query parameter it
    is given (a filter). Empty for what is not an admin page. A page is read if it shows
    something no page read before showed, so filters are read one at a time, not in every
    combination."""
    parts = urlsplit(url)
    if not parts.path.startswith(ADMIN_ROOT) or parts.netloc:
        return set()
    try:
        match = resolve(parts.path)
    except Resolver404:
        return set()
    if match.url_name in NOT_PAGES:
        return set()
    parameters = {key for key, _value in parse_qsl(parts.query, keep_blank_values=True)}
    return {(match.url_name, ""), *((match.url_name, p) for p in parameters - SAME_PAGE_PARAMETERS)}


class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "javascript:", "mailto:")):
            self.links.append(href)


def crawl(client, start: str = ADMIN_ROOT) -> Iterator[Page]:
    """Every kind of admin page this client's user can reach from ``start``, once each."""
    seen = page_kinds(start)
    queue = [start]

    def follow(url):
        if not (kinds := page_kinds(url)) <= seen:
            seen.update(kinds)
            queue.append(url)

    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code in (301, 302):
            follow(urljoin(url, response["Location"]))
            continue
        page = Page.of(url, response)
        yield page
        finder = LinkFinder()
        finder.feed(page.html)
        for link in finder.links:
            follow(urljoin(url, link))
