"""Search over published articles: matching, relevance and highlighting.

Korean words carry their particles (공장을, 구역청은) and compounds run together
(광주경제자유구역청), so a word is matched as a substring of the title, subtitle, body
text or a tag name, never as a whole dictionary word: there is no Korean dictionary
for PostgreSQL's full-text search. Every word of the query must be found somewhere.

Relevance is the same on every database: a word in the title weighs most, then the
subtitle or a tag, then the body; newer articles first among equals. PostgreSQL adds
its full-text rank (words found whole or as a word's start) within the same weight,
and finds the substrings through a trigram index (migration 0005).
"""

import re
from dataclasses import dataclass
from html import unescape

from django.contrib.postgres.search import Lexeme, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, Func, OuterRef, Q, TextField, Value, When
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .models import Article, ArticleQuerySet

MAX_QUERY_LENGTH = 100
# More words than this add nothing but cost: each one is another substring match.
MAX_QUERY_WORDS = 8
SNIPPET_LENGTH = 160

TITLE_WEIGHT = 8
SUBTITLE_WEIGHT = 4
TAG_WEIGHT = 4
BODY_WEIGHT = 1

# Control characters (NUL above all: PostgreSQL refuses it in a string) are never words.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_MARKUP = re.compile(r"<[^>]*>")


def clean_query(raw: str) -> str:
    """The query as searched: control characters gone, spaces collapsed, length bounded."""
    text = _CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    # The longest first, so that highlighting marks 경제자유구역 rather than 경제 inside it.
    return sorted(set(query.split()[:MAX_QUERY_WORDS]), key=len, reverse=True)


def search_articles(query: str) -> ArticleQuerySet:
    """Published articles holding every word of the query, most relevant first."""
    words = query_words(query)
    if not words:
        return Article.objects.none()
    articles = Article.objects.published()
    if connection.vendor == "postgresql":
        articles = _postgresql_matches(articles, words)
    else:
        articles = _portable_matches(articles, words)
    return articles.select_related("section", "reporter", "lead_photo").order_by(
        "-relevance", "-published_at", "-pk"
    )


def _tagged(word: str) -> Exists:
    return Exists(Article.objects.filter(pk=OuterRef("pk"), tags__name__icontains=word))


def _field_weight(word: str, *, body: bool) -> Case:
    """What finding ``word`` is worth: by the best field that holds it."""
    whens = [
        When(title__icontains=word, then=Value(TITLE_WEIGHT)),
        When(subtitle__icontains=word, then=Value(SUBTITLE_WEIGHT)),
        When(_tagged(word), then=Value(TAG_WEIGHT)),
    ]
    if body:
        whens.append(When(body__icontains=word, then=Value(BODY_WEIGHT)))
    return Case(*whens, default=Value(0), output_field=FloatField())


def _relevance(words: list[str], *, body: bool = True):
    return sum((_field_weight(word, body=body) for word in words), start=Value(0.0))


def _portable_matches(articles: ArticleQuerySet, words: list[str]) -> ArticleQuerySet:
    """SQLite and the rest: LIKE over the stored fields (the body still has its markup)."""
    for word in words:
        articles = articles.filter(
            Q(title__icontains=word)
            | Q(subtitle__icontains=word)
            | Q(body__icontains=word)
            | _tagged(word)
        )
    return articles.annotate(relevance=_relevance(words))


class SearchText(Func):
    """Title, subtitle and body text as one string (PostgreSQL). Migration 0005 indexes
    exactly this expression for trigram search: change the two together."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(F("title"), F("subtitle"), F("body"))


def _postgresql_matches(articles: ArticleQuerySet, words: list[str]) -> ArticleQuerySet:
    """PostgreSQL: substrings found through the trigram index, ranked by full-text rank too."""
    for word in words:
        in_text = Article.objects.alias(text=SearchText()).filter(text__icontains=word)
        in_tags = Article.objects.filter(tags__name__icontains=word)
        articles = articles.filter(Q(pk__in=in_text.values("pk")) | Q(pk__in=in_tags.values("pk")))
    vector = (
        SearchVector("title", weight="A", config="simple")
        + SearchVector("subtitle", weight="B", config="simple")
    )
    lexemes = Lexeme(words[0], prefix=True)
    for word in words[1:]:
        lexemes |= Lexeme(word, prefix=True)
    # Normalisation 32 keeps the rank below 1, so it orders only within one field weight.
    rank = SearchRank(vector, SearchQuery(lexemes, config="simple"), normalization=32)
    return articles.annotate(relevance=_relevance(words, body=False) + rank)


@dataclass(frozen=True)
class SearchHit:
    """One search result as shown: the article, its title and a snippet with the words marked."""

    article: Article
    title: SafeString
    snippet: SafeString


def search_hits(articles, query: str) -> list[SearchHit]:
    words = query_words(query)
    return [
        SearchHit(
            article=article,
            title=highlight(article.title, words),
            snippet=highlight(snippet(article, words), words),
        )
        for article in articles
    ]


def snippet(article: Article, words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """The body text around the first word found, or the article's lead."""
    text = " ".join(unescape(strip_tags(article.body)).split())
    pattern = _words_pattern(words)
    match = pattern.search(text) if pattern else None
    if not match:
        return Truncator(article.lead).chars(length)
    start = max(0, match.start() - length // 4)
    excerpt = Truncator(text[start:]).chars(length)
    return f"…{excerpt}" if start else excerpt


def highlight(text: str, words: list[str]) -> SafeString:
    """``text`` HTML-escaped, with each occurrence of the words in <mark>."""
    pattern = _words_pattern(words)
    if not pattern:
        return escape(text)
    parts, end = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[end : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        end = match.end()
    parts.append(escape(text[end:]))
    # Every piece of text was escaped above; only our own <mark> tags are markup.
    return mark_safe("".join(parts))  # noqa: S308


def _words_pattern(words: list[str]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
