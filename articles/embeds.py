"""Videos and maps an editor may put in an article body, as safe iframes.

Only two kinds of embed exist, each with a fixed pattern for its address:

- **YouTube** — any watch, short, youtu.be or embed link becomes the privacy-enhanced
  player on ``www.youtube-nocookie.com`` (no cookies until the reader plays it).
- **Google Maps** — the "Embed a map" address (``https://www.google.com/maps/embed?pb=…``),
  a plain page that needs no script on ours.

Naver and Kakao maps are not accepted: their "embed" snippets (지도 퍼가기) load a script
from the map provider into our page (``roughmapLoader.js``), which the Content Security
Policy rightly forbids, and which would run with the page's own rights. Their links stay
plain links.

Everything else — other hosts, ``javascript:`` and ``data:`` URLs, other paths on these
hosts — is dropped by the sanitizer. ``FRAME_HOSTS`` is what the CSP's ``frame-src``
allows besides ``'self'`` and the ad networks (see newsroom/settings.py), and a test keeps
the two equal.
"""

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

YOUTUBE_HOST = "https://www.youtube-nocookie.com"
MAPS_HOST = "https://www.google.com"
FRAME_HOSTS = (YOUTUBE_HOST, MAPS_HOST)

# The iframe's fixed attributes. No sandbox: YouTube's player fails in a sandbox without
# allow-same-origin, and with it the sandbox is invalid HTML and adds little. The frames are
# always another origin, from the two hosts above only (and the CSP's frame-src), so they
# cannot reach our page; `allow` names the only features they get.
# YouTube refuses to play without a referrer; the origin alone is enough. Full screen is
# allowed through `allow` (the older allowfullscreen attribute would only repeat it).
REFERRER_POLICY = "strict-origin-when-cross-origin"
ALLOW = "fullscreen; picture-in-picture; encrypted-media"

_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {
    "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
    "youtube-nocookie.com", "www.youtube-nocookie.com",
}  # fmt: skip
_MAPS_HOSTS = {"www.google.com", "google.com", "maps.google.com"}
# Google's map descriptor: protobuf-like text of letters, digits and !.-_% only.
_MAPS_PB = re.compile(r"^[A-Za-z0-9!._%*:-]{1,4000}$")
# What the browser's encodeURIComponent leaves as it is (static/js/admin/body_extensions.js).
# A name, not a literal inside the f-string below: xgettext (make messages) cannot read an
# f-string with the same quotes nested in it, and skips the rest of the file.
URI_COMPONENT_SAFE = "!._*-~'()"
_START = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")


@dataclass(frozen=True)
class Embed:
    kind: str  # "video" or "map"
    src: str

    @property
    def default_title(self) -> str:
        # Stored in the body, so in the site's language whoever saves it.
        with translation.override(settings.LANGUAGE_CODE):
            return gettext("YouTube video") if self.kind == "video" else gettext("Map")


def _seconds(value: str) -> int | None:
    match = _START.match(value or "")
    if not value or not match:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return total or None


def _youtube(parts, query: dict[str, list[str]]) -> str | None:
    host = parts.hostname
    path = parts.path
    video_id = None
    if host == "youtu.be":
        video_id = path.strip("/")
    elif host in _YOUTUBE_HOSTS:
        if path == "/watch":
            video_id = query.get("v", [""])[0]
        else:
            match = re.match(r"^/(?:embed|shorts|live|v)/([^/]+)/?$", path)
            video_id = match.group(1) if match else None
    if not video_id or not _VIDEO_ID.match(video_id):
        return None
    src = f"{YOUTUBE_HOST}/embed/{video_id}"
    start = _seconds(query.get("start", query.get("t", [""]))[0])
    return f"{src}?{urlencode({'start': start})}" if start else src


def _google_map(parts, query: dict[str, list[str]]) -> str | None:
    if parts.hostname not in _MAPS_HOSTS or parts.path != "/maps/embed":
        return None
    pb = query.get("pb", [""])[0]
    if not _MAPS_PB.match(pb):
        return None
    return f"{MAPS_HOST}/maps/embed?pb={quote(pb, safe=URI_COMPONENT_SAFE)}"


def parse_embed(url: str) -> Embed | None:
    """The safe embed for a pasted address (or an iframe's src), or None if it has none."""
    url = (url or "").strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return None
    if parts.port not in (None, 80, 443):
        return None
    query = parse_qs(parts.query)
    if src := _youtube(parts, query):
        return Embed("video", src)
    if src := _google_map(parts, query):
        return Embed("map", src)
    return None


def iframe_html(embed: Embed, title: str = "") -> str:
    """The one iframe markup every embed is stored as."""
    title = " ".join((title or "").split())[:200]
    if not title or title.lower() == "youtube video player":  # YouTube's own, in English
        title = embed.default_title
    return (
        f'<iframe src="{escape(embed.src)}" title="{escape(title)}" '
        f'referrerpolicy="{REFERRER_POLICY}" loading="lazy" '
        f'allow="{ALLOW}"></iframe>'
    )


_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')


def rebuild_iframes(html: str) -> str:
    """Each iframe in already-sanitized HTML rebuilt from its src and title, or removed.

    nh3 escapes ``<``, ``>`` and ``"`` inside attribute values, so an iframe's start tag
    ends at the first ``>`` and its attributes are ``name="value"`` pairs.
    """

    def rebuild(match: re.Match) -> str:
        attributes = {
            name: unescape(value) for name, value in _ATTRIBUTE.findall(" " + match.group(1))
        }
        embed = parse_embed(attributes.get("src", ""))
        return iframe_html(embed, attributes.get("title", "")) if embed else ""

    return _IFRAME.sub(rebuild, html)


def filter_attribute(attribute: str, value: str) -> str | None:
    """The sanitizer's rule for an iframe's attributes: a known embed's src, a short title."""
    if attribute == "src":
        embed = parse_embed(value)
        return embed.src if embed else None
    return value
