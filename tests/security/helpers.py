"""Tools of the security suites: read pages as browsers do, send what browsers never would."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.test.client import BOUNDARY, encode_multipart
from django.utils.http import urlencode

# A stand-in for bytes that are not UTF-8: requests are built with it, then it is swapped for
# RAW_BROKEN_UTF8 in the encoded body or query string, as a broken client would send them.
BROKEN_UTF8 = "\ue000broken-utf-8\ue000"
RAW_BROKEN_UTF8 = b"\xff\xfe\xc0\xaf"
# What Django makes of those bytes (errors="replace"): one replacement character per byte.
DECODED_BROKEN_UTF8 = "\ufffd" * len(RAW_BROKEN_UTF8)

# Attributes whose value a browser follows or runs.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class _MarkupScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES:
                followed = re.sub(r"[\x00-\x20]", "", value).lower()
                if followed.startswith(DANGEROUS_SCHEMES) or name == "srcdoc":
                    self.findings.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and (dict(attrs).get("type") or "").lower() in SCRIPT_TYPES:
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            code = "".join(self._script)
            if "alert(" in code:
                self.findings.append(f"<script>{code[:80]}</script>")
            self._script = None


def executable_markup(content: str) -> list[str]:
    """Event handlers, dangerous URLs and script code that a browser would run from this page.

    Our own pages have no inline event handlers or javascript: links at all (the Content
    Security Policy forbids them), so anything found came from input.
    """
    scanner = _MarkupScanner()
    scanner.feed(content)
    scanner.close()
    raw = content.lower()
    for fragment in ("<script>alert", "<img src=x onerror", "<svg onload", "<svg/onload"):
        if fragment in raw:
            scanner.findings.append(f"raw {fragment!r}")
    return scanner.findings


class _FormReader(HTMLParser):
    """The fields one form would submit: inputs, checked boxes, selected options, textareas."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_values: list[str] = []
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(attrs["name"], []).append(attrs.get("value", default))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data.setdefault(self._textarea, []).append("")
        elif tag == "select":
            self._select, self._select_values, self._first_option = attrs["name"], [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self._select_values.append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # Browsers drop the newline that starts a textarea's content.
            text = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = text.removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._multiple and self._first_option is not None:
                values = [self._first_option]
            if values:
                self.data.setdefault(self._select, []).extend(values)
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_data(content: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    """What a browser would submit from the page's form (``form_id``, or every form)."""
    reader = _FormReader(form_id)
    reader.feed(content)
    reader.close()
    return {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}


def with_broken_utf8(body: bytes) -> bytes:
    """Swap the BROKEN_UTF8 stand-in, plain or percent-encoded, for raw non-UTF-8 bytes."""
    plain = BROKEN_UTF8.encode()
    quoted = urlencode({"": BROKEN_UTF8})[1:].encode()
    encoded_raw = b"".join(b"%%%02X" % byte for byte in RAW_BROKEN_UTF8)
    return body.replace(plain, RAW_BROKEN_UTF8).replace(quoted, encoded_raw)


def post_raw(client, url: str, data: dict, *, multipart: bool = False, **extra):
    """POST ``data`` the way a form would, with the BROKEN_UTF8 stand-in sent as raw bytes."""
    if multipart:
        body = encode_multipart(BOUNDARY, data)
        # Not the client's MULTIPART_CONTENT object, which would make it encode the body again.
        content_type = f"multipart/form-data; boundary={BOUNDARY}"
    else:
        body = urlencode(data, doseq=True).encode()
        content_type = "application/x-www-form-urlencoded"
    return client.post(url, with_broken_utf8(body), content_type=content_type, **extra)


def get_raw(client, url: str, params: dict, **extra):
    query = with_broken_utf8(urlencode(params, doseq=True).encode()).decode("ascii")
    return client.get(f"{url}?{query}", **extra)


def as_received(value: str) -> str:
    """The text the server gets for ``value`` (the broken bytes arrive as replacement marks)."""
    return value.replace(BROKEN_UTF8, DECODED_BROKEN_UTF8)


def stays_on_site(location: str, host: str = "testserver") -> bool:
    """Whether a browser following this Location header stays on our site.

    Browsers read backslashes as slashes and skip leading spaces and control characters.
    """
    followed = re.sub(r"^[\x00-\x20]+", "", location).replace("\\", "/")
    followed = re.sub(r"[\t\n\r]", "", followed)
    parts = urlsplit(followed)
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        return False  # "http:evil.example" is evil.example to a browser on an https page
    return parts.netloc in ("", host) and not followed.startswith("//")
