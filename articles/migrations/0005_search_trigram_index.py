"""Search on PostgreSQL: pg_trgm, and two indexes over the article text (articles.search).

The trigram index serves ``text LIKE '%word%'`` and ``ILIKE``, which find a (Korean) word
of three or more characters anywhere in an article; the full-text index finds the words
that start with a shorter one. SQLite gets neither and searches without them. The
indexes live only in the database, not in the model state, as SQLite cannot build them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The expressions are articles.search.SearchText and SearchWords: PostgreSQL uses an index
# only while they stay identical. article_search_words() is to_tsvector() under a name of
# our own, so that it can declare its real cost: parsing a whole article. With to_tsvector's
# own small estimate the planner parsed every article of a small archive instead of
# reading the index (0.25 s against 3 ms for 1,000 articles).
CREATE_INDEXES = [
    """CREATE INDEX article_search_trgm_idx ON articles_article USING gin (
        (title || ' ' || subtitle || ' ' || body) gin_trgm_ops
    )""",
    """CREATE FUNCTION article_search_words(text) RETURNS tsvector
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10000
        AS $$ BEGIN RETURN to_tsvector('pg_catalog.simple'::regconfig, $1); END $$
    """,
    """CREATE INDEX article_search_words_idx ON articles_article USING gin (
        article_search_words(title || ' ' || subtitle || ' ' || body)
    )""",
]
DROP_INDEXES = [
    "DROP INDEX IF EXISTS article_search_trgm_idx",
    "DROP INDEX IF EXISTS article_search_words_idx",
    "DROP FUNCTION IF EXISTS article_search_words(text)",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE_INDEXES:
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP_INDEXES:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_legacy_ids_and_daily_views"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
