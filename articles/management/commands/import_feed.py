"""``manage.py import_feed``: move articles in from another site's RSS 2.0 or Atom export.

    python manage.py import_feed export.xml [--section-default SLUG] [--dry-run]
    python manage.py import_feed https://www.oldpaper.example/rss/allArticle.xml

Each entry becomes a published article: its author a reporter and its first category a
section (both found by name, or created), its other categories tags, and the number in
its link (``articleView.html?idxno=12345``) the article's legacy_id, so the old address
redirects to it. Running it again updates the articles it made before instead of
adding copies. An entry that cannot be imported is reported and skipped; the rest go on.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen

import feedparser
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Model, Q
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from taggit.models import Tag

from articles.legacy import parse_legacy_id
from articles.models import Article, Section
from articles.sanitize import sanitize_body
from web.validators import without_control_characters

FETCH_TIMEOUT_SECONDS = 30
USER_AGENT = "Newsroom import_feed"
# Bylines on Korean news sites end in 기자 ("reporter"); our byline adds it again.
_REPORTER_SUFFIX = re.compile(r"\s*기자$")
_EMAIL = re.compile(r"\S+@\S+")
# A number that is the link's whole last segment: /articles/20001, /news/12345.html.
_TRAILING_NUMBER = re.compile(r"/(\d+)(?:\.\w+)?/?$")


class InvalidEntry(Exception):
    """The entry lacks something an article needs."""


@dataclass
class Entry:
    """What an article is made of, read from one feed entry."""

    title: str
    body: str
    summary: str
    published_at: datetime
    author_name: str = ""
    author_email: str = ""
    categories: list[str] = field(default_factory=list)
    legacy_id: int | None = None


def plain_text(text: str) -> str:
    return " ".join(without_control_characters(strip_tags(text or "")).split())


def read_entry(raw) -> Entry:
    title = plain_text(raw.get("title", ""))
    if not title:
        raise InvalidEntry("it has no title")
    parsed = raw.get("published_parsed")
    if not parsed and "updated_parsed" in raw:  # not .get(): it warns and maps to published
        parsed = raw["updated_parsed"]
    if not parsed:
        raise InvalidEntry("it has no publication date that can be read")
    contents = [content.get("value", "") for content in raw.get("content", [])]
    body = max(contents, key=len) if contents else raw.get("summary", "")
    author = raw.get("author_detail") or {}
    return Entry(
        title=title,
        body=sanitize_body(body),
        # A separate summary only when the body came from the full content.
        summary=Truncator(plain_text(raw.get("summary", ""))).chars(500) if contents else "",
        published_at=datetime(*parsed[:6], tzinfo=UTC),  # feedparser gives dates in UTC
        author_name=reporter_name(author.get("name") or raw.get("author", "")),
        author_email=email_or_nothing(author.get("email", "")),
        categories=[
            name for tag in raw.get("tags", []) if (name := plain_text(tag.get("term", "")))
        ],
        legacy_id=legacy_id_from(raw.get("link", "")) or legacy_id_from(raw.get("id", "")),
    )


def reporter_name(byline: str) -> str:
    """오상미 기자 osm@mtnews.net → 오상미"""
    return _REPORTER_SUFFIX.sub("", _EMAIL.sub("", plain_text(byline)).strip())


def email_or_nothing(email: str) -> str:
    """A broken address is left out rather than costing the article."""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def legacy_id_from(link: str) -> int | None:
    """The old article number: the link's idxno, or the number that ends its path."""
    parts = urlsplit(link or "")
    if idxno := parse_qs(parts.query).get("idxno"):
        return parse_legacy_id(idxno[0])
    match = _TRAILING_NUMBER.search(parts.path)
    return parse_legacy_id(match.group(1)) if match else None


def unique_slug(model: type[Model], name: str, max_length: int) -> str:
    base = slugify(name, allow_unicode=True)[: max_length - 4] or model._meta.model_name
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def find_or_create_reporter(name: str, email: str):
    if not name:
        return None
    # The byline model, reached through the article: reporters depends on articles, not back.
    Reporter = Article._meta.get_field("reporter").related_model
    reporter = Reporter.objects.filter(name=name).first()
    if reporter is None:
        reporter = Reporter(name=name, email=email, slug=unique_slug(Reporter, name, 80))
        reporter.full_clean()
        reporter.save()
    elif email and not reporter.email:
        reporter.email = email
        reporter.save(update_fields=["email"])
    return reporter


def find_or_create_section(name: str) -> Section:
    section = Section.objects.filter(Q(name=name) | Q(legacy_code=name)).first()
    if section is None:
        section = Section(name=name, slug=unique_slug(Section, name, 60))
        section.full_clean()
        section.save()
    return section


def save_article(entry: Entry, *, default_section: Section | None) -> bool:
    """Create or update the entry's article; True when it was created."""
    categories = entry.categories
    if categories:
        section, tags = find_or_create_section(categories[0]), categories[1:]
    elif default_section:
        section, tags = default_section, []
    else:
        raise InvalidEntry("it has no category to make its section (see --section-default)")
    if entry.legacy_id:
        article = Article.objects.filter(legacy_id=entry.legacy_id).first()
    else:
        article = Article.objects.filter(
            legacy_id=None, title=entry.title, published_at=entry.published_at
        ).first()
    created = article is None
    if created:
        article = Article(slug=slugify(entry.title, allow_unicode=True)[:200] or "article")
    article.title = entry.title
    article.body = entry.body
    article.summary = entry.summary
    article.published_at = entry.published_at
    article.status = Article.Status.PUBLISHED
    article.legacy_id = entry.legacy_id
    article.section = section
    article.reporter = find_or_create_reporter(entry.author_name, entry.author_email)
    article.full_clean()
    article.save()
    # A tag's page is addressed by its slug: categories without a letter or digit make none.
    article.tags.set([name for name in tags if Tag().slugify(name)])
    return created


def parse_feed(source: str):
    if source.startswith(("http://", "https://")):
        # Only http(s) reaches urlopen: no file:// or other schemes from the command line.
        request = Request(source, headers={"User-Agent": USER_AGENT})  # noqa: S310
        with urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            headers = {name.lower(): value for name, value in response.headers.items()}
            return feedparser.parse(response.read(), response_headers=headers)
    path = Path(source)
    if not path.is_file():
        raise CommandError(f"{source} is neither a file nor an http(s) address.")
    return feedparser.parse(path.read_bytes())


class Command(BaseCommand):
    help = "Import the articles of an RSS 2.0 or Atom export (a file or an http(s) address)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The feed: a file, or an http(s) address.")
        parser.add_argument(
            "--section-default",
            metavar="SLUG",
            help="The section of entries that have no category.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, save nothing."
        )

    def handle(self, source, section_default=None, dry_run=False, **options):
        default_section = None
        if section_default:
            default_section = Section.objects.filter(slug=section_default).first()
            if default_section is None:
                raise CommandError(f"There is no section with the slug {section_default!r}.")
        feed = parse_feed(source)
        if not feed.entries:
            reason = feed.get("bozo_exception") or "it has no entries"
            raise CommandError(f"{source} is not an RSS or Atom feed with entries: {reason}")

        counts = Counter(created=0, updated=0, skipped=0)
        with transaction.atomic():
            for number, raw in enumerate(feed.entries, start=1):
                try:
                    entry = read_entry(raw)
                    with transaction.atomic():  # a failed entry leaves nothing behind
                        created = save_article(entry, default_section=default_section)
                except (InvalidEntry, ValidationError, DatabaseError) as error:
                    counts["skipped"] += 1
                    title = plain_text(raw.get("title", "")) or "untitled"
                    self.stderr.write(f"Entry {number} ({title!r}) skipped: {describe(error)}")
                    continue
                counts["created" if created else "updated"] += 1
            if dry_run:
                transaction.set_rollback(True)

        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        suffix = " (dry run: nothing was saved)" if dry_run else ""
        self.stdout.write(f"{len(feed.entries)} entries: {summary}{suffix}.")


def describe(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return str(error)
