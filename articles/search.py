"""Search over published articles: matching, relevance and highlighting.

Korean words carry their particles (공장을, 구역청은) and compounds run together
(광주경제자유구역청), so a word is found as a substring of the title, subtitle, body or a
tag name, not as a dictionary word; every word of the query must be found. Relevance
is the same on every database: the fields a word is found in (title over subtitle and
tags over body), then the newest first.

On PostgreSQL two indexes (migration 0005) keep this fast on a newsroom's archive. A
trigram index (pg_trgm) finds words of three or more characters anywhere. One or two
characters give it nothing to look up, so those are matched by full-text search (the
'simple' configuration: there is no Korean dictionary) at the start of a word instead:
로봇 finds 로봇이 and 로봇산업 in a body, and anywhere in a title or subtitle, which are
short enough to read whole. That also keeps 'ai' from finding 'said'.

The body is searched as stored, markup included: stripping it in SQL made a search on
10,000 articles seconds slower. Only English words that are also tag or attribute names
(strong, href) can match where a reader sees nothing.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.contrib.postgres.search import Lexeme, SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, Func, OuterRef, Q, TextField, Value, When
from django.db.models.lookups import Contains
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from web.validators import without_control_characters

from .models import Article, ArticleQuerySet

MAX_QUERY_LENGTH = 100
# Each word is one more substring match; beyond a few they only cost.
MAX_QUERY_WORDS = 8
SNIPPET_LENGTH = 160
# The shortest word a trigram index can look up.
TRIGRAM_LENGTH = 3

TITLE_WEIGHT = 8
SUBTITLE_WEIGHT = 4
TAG_WEIGHT = 4
BODY_WEIGHT = 1


def clean_query(raw: str) -> str:
    """The query as searched: control characters gone, spaces collapsed, length bounded."""
    text = without_control_characters(raw or "", " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    # Longest first, so that a highlight marks 경제자유구역 rather than 경제 inside it.
    return sorted(set(query.split()[:MAX_QUERY_WORDS]), key=len, reverse=True)


def search_articles(query: str) -> ArticleQuerySet:
    """Published articles holding every word of the query, most relevant first."""
    words = query_words(query)
    if not words:
        return Article.objects.none()
    found_in_text = (
        _found_in_text_postgresql if connection.vendor == "postgresql" else _found_in_text
    )
    articles = Article.objects.published()
    for word in words:
        articles = articles.filter(found_in_text(word) | Q(pk__in=_tagged(word)))
    return (
        articles.annotate(relevance=sum(map(_weight, words), start=Value(0.0)))
        .select_related("section", "reporter", "lead_photo")
        .order_by("-relevance", "-published_at", "-pk")
    )


def _tagged(word: str) -> ArticleQuerySet:
    return Article.objects.filter(tags__name__icontains=word).values("pk")


def _weight(word: str) -> Case:
    """What the word adds to an article's relevance: the best field it is found in."""
    return Case(
        When(title__icontains=word, then=Value(TITLE_WEIGHT)),
        When(subtitle__icontains=word, then=Value(SUBTITLE_WEIGHT)),
        When(Exists(_tagged(word).filter(pk=OuterRef("pk"))), then=Value(TAG_WEIGHT)),
        # The article was found, so a word in none of the above is in the body.
        default=Value(BODY_WEIGHT),
        output_field=FloatField(),
    )


def _found_in_text(word: str) -> Q:
    """SQLite: a plain LIKE over each field; a newsroom that outgrows it moves to PostgreSQL."""
    return Q(title__icontains=word) | Q(subtitle__icontains=word) | Q(body__icontains=word)


class SearchText(Func):
    """Title, subtitle and body as one string. Migration 0005 indexes exactly this
    expression on PostgreSQL, for trigrams and for words: change them together."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(F("title"), F("subtitle"), F("body"))


class SearchWords(Func):
    """The words of a text for full-text search ('simple' configuration), made by a
    function of migration 0005 that PostgreSQL indexes: change them together."""

    function = "article_search_words"
    output_field = SearchVectorField()


class ContainsIgnoringCase(Contains):
    """``ILIKE '%word%'``, which the trigram index serves; Django's icontains compares
    UPPER() of both sides, which that index cannot."""

    def get_rhs_op(self, connection, rhs):
        return f"ILIKE {rhs}"


def _found_in_text_postgresql(word: str) -> Q:
    if len(word) < TRIGRAM_LENGTH and word.isalnum():
        return _starts_a_word_postgresql(word)
    # Hangul and digits have no case: plain LIKE finds the same and reads three times faster.
    lookup = Contains if word.lower() == word.upper() else ContainsIgnoringCase
    return Q(pk__in=Article.objects.filter(lookup(SearchText(), word)).values("pk"))


def _starts_a_word_postgresql(word: str) -> Q:
    starting = SearchQuery(Lexeme(word, prefix=True), config="simple")
    in_text = Article.objects.alias(words=SearchWords(SearchText())).filter(words=starting)
    in_headline = Article.objects.filter(Q(title__icontains=word) | Q(subtitle__icontains=word))
    return Q(pk__in=in_text.values("pk")) | Q(pk__in=in_headline.values("pk"))


@dataclass(frozen=True)
class SearchHit:
    """An article as a search result shows it: title and snippet with the words marked."""

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
    """The body text from a little before the first word found, or the article's lead."""
    text = " ".join(unescape(strip_tags(article.body)).split())
    match = _words_pattern(words).search(text) if words else None
    if not match:
        return Truncator(article.lead).chars(length)
    start = text.rfind(" ", 0, max(0, match.start() - length // 4)) + 1
    excerpt = Truncator(text[start:]).chars(length)
    return f"…{excerpt}" if start else excerpt


def highlight(text: str, words: list[str]) -> SafeString:
    """``text`` HTML-escaped, with every occurrence of the words in <mark>."""
    if not words:
        return escape(text)
    parts, end = [], 0
    for match in _words_pattern(words).finditer(text):
        parts += [escape(text[end : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        end = match.end()
    parts.append(escape(text[end:]))
    # Every piece of the text was escaped above: the only markup is our own <mark>.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def _words_pattern(words: list[str]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, words)), re.IGNORECASE)
