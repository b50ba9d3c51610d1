"""Search over published articles: matching, relevance and highlighting.

Korean words carry their particles (공장을, 구역청은) and compounds run together
(광주경제자유구역청), so a Korean word is found anywhere inside the text, not as a
dictionary word: 로봇 finds 협동로봇 and 로봇산업. Every word of the query must be found, in
the article's text as a reader sees it (``Article.search_text``: title, subtitle and the
body without its markup, articles/search_text.py) or in a tag name (``search_tags``); a
word that only appears inside HTML - a tag, an attribute, a link's address, an image's
alt text - is never found. Relevance is the same on every database: the fields a word is
found in (title over subtitle and tags over body), then the newest first.

On PostgreSQL one GIN index answers the match (the articles migration that adds
search_text): the text is cut into tokens - every two neighbouring Korean/CJK syllables
plus the last syllable of each run, and whole Latin words and numbers - and a query word
is the phrase of its own tokens (search_tokens()): 경제자유 is '경제' <-> '제자' <-> '자유',
and 로봇 the single token '로봇', found inside 협동로봇. A single syllable, and Latin letters
at the end of a query word, match as prefixes: 'ai' finds AI로, not "said" (English words
are found from their start). On SQLite, LIKE reads the plain-text columns: it finds the
same Korean, and Latin letters anywhere in a word.

Ranking never reads an article's text or body: title, subtitle and tag names are short
columns of the row, so the matches are sorted by relevance in a top-N sort of narrow
rows, and only the page's articles are then loaded whole (SearchPaginator). Counting
stops at COUNT_LIMIT ("More than 1,000 articles found"): nobody pages through more, and
counting every match of a common word cost as much as the page.
"""

import functools
import re
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from web.pagination import PAGE_SIZE
from web.validators import without_control_characters

from .models import Article, ArticleQuerySet
from .search_text import body_text

MAX_QUERY_LENGTH = 100
# Each word is one more condition; beyond a few they only cost.
MAX_QUERY_WORDS = 8
SNIPPET_LENGTH = 160
# Matches counted at most: 50 pages of results.
COUNT_LIMIT = 1000

# What a result shows (templates/articles/search.html): the rest of the rows is not read.
RESULT_FIELDS = (
    "title",
    "slug",
    "summary",
    "published_at",
    "search_text",
    "section__name",
    "section__slug",
    "reporter__name",
    "lead_photo__image",
    "lead_photo__alt_text",
    "lead_photo__width",
    "lead_photo__height",
    "lead_photo__renditions",
)

TITLE_WEIGHT = 8
SUBTITLE_WEIGHT = 4
TAG_WEIGHT = 4
BODY_WEIGHT = 1

# Runs of the text that make tokens; article_search_tokens() in the migration cuts the
# stored text with the same classes: Latin letters and digits, and Hangul (syllables and
# compatibility jamo), kana and CJK ideographs.
_TOKEN_RUN = re.compile(r"[a-z0-9]+|[가-힣ㄱ-ㆎぁ-ヿ一-鿿]+")
# The longest Latin token the migration keeps.
_LATIN_TOKEN_LENGTH = 100


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
    return _shown(ranked(matching(words), words), words)


def matching(words: list[str]) -> ArticleQuerySet:
    """Published articles holding every one of ``words``, in no order."""
    found = _found_postgresql if connection.vendor == "postgresql" else _found
    articles = Article.objects.published()
    for word in words:
        articles = articles.filter(found(word))
    return articles


def ranked(articles: ArticleQuerySet, words: list[str]) -> ArticleQuerySet:
    """``articles`` most relevant first, then newest."""
    return articles.annotate(relevance=sum(map(_weight, words), start=Value(0))).order_by(
        "-relevance", "-published_at", "-pk"
    )


def _shown(articles: ArticleQuerySet, words: list[str]) -> ArticleQuerySet:
    """What a result shows, without the body (the snippet comes from the search text)."""
    return ranked(articles, words).select_related("section", "reporter", "lead_photo").defer("body")


class SearchPaginator(Paginator):
    """Pages of results whose count stops at COUNT_LIMIT (``more`` says it did).

    A page of a search that finds something is two queries: the first ranks the matches
    reading only the columns ranking needs and answers how many there are (up to the
    limit) in a subquery of its own, without a round trip and a query of its own; the
    second loads the page's articles with what a result shows, with their section,
    reporter and photo (joining and carrying every match's row through the sort cost more
    than the search itself). A search that finds nothing, and a page past the last one,
    are counted first, as Django's Paginator does, to answer the first or the last page."""

    def __init__(self, words: list[str], per_page: int):
        self.words = words
        self.matches = matching(words) if words else Article.objects.none()
        super().__init__(ranked(self.matches, words).values_list("pk", flat=True), per_page)

    def get_page(self, number):
        wanted = _page_number(number)
        if 1 <= wanted <= -(-COUNT_LIMIT // self.per_page):
            bottom = (wanted - 1) * self.per_page
            rows = list(
                ranked(self.matches, self.words)
                .annotate(counted=self._counted_in_sql())
                # The last page ends at the limit, as the count does.
                .values_list("pk", "counted")[bottom : min(bottom + self.per_page, COUNT_LIMIT)]
            )
            if rows:
                # The cached property, answered by the same query.
                self.__dict__["counted"] = rows[0][1]
                page = self._get_page([pk for pk, _found in rows], wanted, self)
                page.object_list = _loaded(page.object_list)
                return page
        return super().get_page(number)

    def page(self, number):
        page = super().page(number)
        page.object_list = _loaded(list(page.object_list))
        return page

    def _bounded(self) -> ArticleQuerySet:
        return self.matches.order_by().values("pk")[: COUNT_LIMIT + 1]

    def _counted_in_sql(self) -> RawSQL | Window:
        """``counted`` as a column of the page's query, whichever costs less.

        When every word is one token of the PostgreSQL index, the index alone says which
        rows match: a subquery that does not depend on the row, counted once (an InitPlan)
        and only up to the limit, costs less than a window count over every match (at
        10,000 articles, 2 ms against 5 for 6,700 matches). Otherwise each candidate row
        is read to be sure (a phrase's token positions, LIKE on SQLite), and counting would
        read them all a second time: the window counts the rows the ranking reads anyway
        (11 ms against 16 for 스마트공장)."""
        if connection.vendor != "postgresql" or not all(map(_one_token, self.words)):
            return Window(Count("pk"))
        sql, params = self._bounded().query.sql_with_params()
        # ``sql`` is Django's own compilation of the query, its values left as parameters.
        counting = f"SELECT COUNT(*) FROM ({sql}) AS bounded"  # noqa: S608  # nosec B608
        return RawSQL(counting, params, IntegerField())  # noqa: S611  # nosec B611

    @cached_property
    def counted(self) -> int:
        return self._bounded().count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, COUNT_LIMIT)

    @property
    def more(self) -> bool:
        return self.counted > COUNT_LIMIT


def _one_token(word: str) -> bool:
    tokens = search_tokens(word)
    return tokens is not None and "<->" not in tokens


def _page_number(number) -> int:
    """The page number as Paginator.get_page() reads it: the first page if it is none."""
    try:
        if isinstance(number, float) and not number.is_integer():
            return 1
        return int(number)
    except (TypeError, ValueError):
        return 1


def _loaded(pks: list[int]) -> list[Article]:
    """The articles of a page of results, in the order of ``pks``, with what a result
    shows (the snippet comes from the search text: the body is not loaded)."""
    # Published still: an article withdrawn between the two queries is left out.
    articles = Article.objects.published().filter(pk__in=pks).order_by()
    related = articles.select_related("section", "reporter", "lead_photo").only(*RESULT_FIELDS)
    by_pk = {article.pk: article for article in related}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def search_page(query: str, page, per_page: int = PAGE_SIZE):
    """The requested page of results; a bad or out-of-range number gives the first or last."""
    return SearchPaginator(query_words(query), per_page).get_page(page)


def _weight(word: str) -> Case:
    """What the word adds to an article's relevance: the best field it is found in. Only
    short columns of the row are read (title, subtitle, tag names), never the text."""
    return Case(
        When(_contains("title", word), then=Value(TITLE_WEIGHT)),
        When(_contains("subtitle", word), then=Value(SUBTITLE_WEIGHT)),
        When(_contains("search_tags", word), then=Value(TAG_WEIGHT)),
        # The article was found, so a word in none of the above is in the body.
        default=Value(BODY_WEIGHT),
        output_field=IntegerField(),
    )


class ContainsIgnoringCase(Contains):
    """``ILIKE '%word%'``; Django's icontains compares UPPER() of both sides."""

    def get_rhs_op(self, connection, rhs):
        return f"ILIKE {rhs}"


def _contains(field: str, word: str):
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__icontains": word})
    # Hangul and digits have no case: plain LIKE finds the same, faster.
    lookup = Contains if word.lower() == word.upper() else ContainsIgnoringCase
    return lookup(F(field), word)


def _found(word: str) -> Q:
    """SQLite: LIKE over the plain text; a newsroom that outgrows it moves to PostgreSQL."""
    return Q(search_text__icontains=word) | Q(search_tags__icontains=word)


def search_tokens(word: str) -> str | None:
    """The word as a phrase of the tokens the index holds (tsquery syntax), or None when
    the word has no letter or digit to look up."""
    runs = _TOKEN_RUN.findall(word.lower())
    tokens = []
    for position, run in enumerate(runs):
        last = position == len(runs) - 1
        if run.isascii():
            tokens.append(_lexeme(run[:_LATIN_TOKEN_LENGTH], prefix=last))
        elif len(run) == 1:
            tokens.append(_lexeme(run, prefix=last))
        else:
            tokens += [_lexeme(run[i : i + 2]) for i in range(len(run) - 1)]
            if not last:  # the run ends here in the text too: its last-syllable token
                tokens.append(_lexeme(run[-1]))
    return " <-> ".join(tokens) or None


def _lexeme(token: str, *, prefix: bool = False) -> str:
    # Tokens hold only letters, digits and CJK characters: nothing to quote.
    return f"'{token}'" + (":*" if prefix else "")


def _found_postgresql(word: str) -> Q:
    tokens = search_tokens(word)
    if tokens is None:  # punctuation only (%, &): rare, and read row by row
        return Q(search_text__contains=word) | Q(search_tags__contains=word)
    in_text = RawSQL(
        "search_words @@ to_tsquery('pg_catalog.simple'::regconfig, %s)",
        [tokens],
        output_field=BooleanField(),
    )
    return Q(in_text)


@dataclass(frozen=True)
class SearchHit:
    """An article as a search result shows it: title and snippet with the words marked."""

    article: Article
    title: SafeString
    snippet: SafeString
    # The article's address, made once: the result links to it twice (photo and title).
    url: str


def search_hits(articles, query: str) -> list[SearchHit]:
    words = query_words(query)
    return [
        SearchHit(
            article=article,
            title=highlight(article.title, words),
            snippet=highlight(snippet(article, words), words),
            url=article.get_absolute_url(),
        )
        for article in articles
    ]


def snippet(article: Article, words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """The body text from a little before the first word found, or the article's summary
    (or the body's start). Read from the search text: the body itself is not loaded."""
    text = body_text(article.search_text)
    match = _words_pattern(words).search(text) if words else None
    if not match:
        return Truncator((article.summary or text)[: length + 1]).chars(length)
    start = text.rfind(" ", 0, max(0, match.start() - length // 4)) + 1
    # Truncator reads all it is given: a little more than the snippet is enough.
    excerpt = Truncator(text[start : start + length + 1]).chars(length)
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


@functools.lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, words)), re.IGNORECASE)


def _words_pattern(words: list[str]) -> re.Pattern:
    return _pattern(tuple(words))
