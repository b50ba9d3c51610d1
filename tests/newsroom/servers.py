"""What the tests that run real servers share: a visitor with its own cookies, requests
sent many at once (so that they land on different workers or servers), a site's seed, and
a site started from scratch (a fresh database, migrated, seeded, its static files collected).
"""

import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

from bench.harness import manage

CONCURRENT = 16
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0.0.0 Safari/537.36"
SEED = """
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from ads.models import Advertiser, AdSlot, Placement
from articles.models import Article, Section
from PIL import Image
from io import BytesIO
from django.core.files.base import ContentFile
for name, staff in (("editor", True), ("reader", False), ("flooder", False)):
    user = User.objects.create_user(name, f"{name}@example.com", "long-enough-password-1")
    user.is_staff = user.is_superuser = staff
    user.save()
section = Section.objects.create(name="산업", slug="industry")
Article.objects.create(
    title="여러 워커의 기사", slug="workers", section=section, body="<p>본문</p>",
    status="published", published_at=timezone.now() - timedelta(hours=1),
)
slot = AdSlot.objects.get(key="sub-right")
buffer = BytesIO()
Image.new("RGB", (slot.width, slot.height), "navy").save(buffer, "PNG")
Placement.objects.create(
    slot=slot, advertiser=Advertiser.objects.create(name="광고주"), name="배너",
    image=ContentFile(buffer.getvalue(), "banner.png"), alt_text="배너",
    target_url="https://advertiser.example/", starts_at=timezone.now() - timedelta(days=1),
    ends_at=timezone.now() + timedelta(days=1),
)
"""


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: its own cookies, a desktop browser's user agent."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), NoRedirects)
        self.headers = {}  # of the last answer

    def request(self, path: str, form: dict | None = None, headers: dict | None = None):
        data = urlencode(form).encode() if form is not None else None
        headers = {"User-Agent": DESKTOP, "Referer": self.base + "/", **(headers or {})}
        try:
            request = Request(self.base + path, data, headers)  # noqa: S310 - our own http://
            with self.opener.open(request, timeout=30) as answer:
                self.headers = dict(answer.headers)
                return answer.status, answer.read().decode()
        except HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            self.headers = dict(error.headers)
            return error.code, error.read().decode()

    def at(self, base: str) -> "Browser":
        """The same visitor (the same cookies) on another server."""
        other = Browser(base)
        other.cookies = self.cookies
        other.opener = build_opener(HTTPCookieProcessor(self.cookies), NoRedirects)
        return other

    def forget(self, name: str) -> None:
        """Drop the cookie ``name``, as if it had expired."""
        for cookie in [cookie for cookie in self.cookies if cookie.name == name]:
            self.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def csrf_token(self) -> str:
        return re.search(r'"token": "([^"]+)"', self.request("/csrf/")[1]).group(1)

    def log_in(self, username: str, password: str, path: str = "/accounts/login/") -> int:
        token = self.csrf_token()
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.request(path, form)[0]


def at_once(function, times: int) -> list:
    with ThreadPoolExecutor(CONCURRENT) as pool:
        return list(pool.map(lambda _: function(), range(times)))


@contextmanager
def fresh_database(suite_url: str, tmp: Path):
    """A new, empty database on the suite's engine: a SQLite file, or a database on the
    suite's PostgreSQL server, dropped afterwards."""
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp / 'site.sqlite3'}"
        return
    import psycopg

    server, name = suite_url.rsplit("/", 1)[0], f"newsroom_servers_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_site(env: dict) -> None:
    """Migrate, collect the static files and seed (``SEED``) the site ``env`` describes."""
    manage("migrate", "--no-input", "-v0", env=env)
    manage("collectstatic", "--no-input", "-v0", env=env)
    manage("shell", "-c", SEED, env=env)


def shell(env: dict, code: str) -> str:
    """What ``code`` prints, run by ``manage.py shell`` against the site ``env`` describes."""
    return manage("shell", "-v0", "-c", code, env=env).strip()


def no_tracebacks(log: Path) -> None:
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
