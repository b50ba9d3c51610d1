"""Search on PostgreSQL: pg_trgm, and two indexes over the article text (articles.search).

The trigram index serves ``text LIKE '%word%'`` and ``ILIKE``, which find a (Korean) word
of three or more characters anywhere in an article; the full-text index finds the words
that start with a shorter one. SQLite gets neither and searches without them. The
indexes live only in the database, not in the model state, as SQLite cannot build them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The expressions are articles.search.SearchText, and SearchVector(SearchText(), config=
# "simple") as Django writes it: PostgreSQL uses an index only while they stay identical.
CREATE_INDEXES = [
    """CREATE INDEX article_search_trgm_idx ON articles_article USING gin (
        (title || ' ' || subtitle || ' ' || body) gin_trgm_ops
    )""",
    """CREATE INDEX article_search_words_idx ON articles_article USING gin (
        to_tsvector('simple'::regconfig, COALESCE((title || ' ' || subtitle || ' ' || body), ''))
    )""",
]
DROP_INDEXES = [
    "DROP INDEX IF EXISTS article_search_trgm_idx",
    "DROP INDEX IF EXISTS article_search_words_idx",
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
