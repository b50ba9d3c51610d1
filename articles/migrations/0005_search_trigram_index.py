"""Search on PostgreSQL: the pg_trgm extension and a trigram index over the article text.

The index serves ``text LIKE '%word%'`` and ``ILIKE``, which is how articles.search finds
a (Korean) word anywhere in an article. SQLite gets neither and searches without them.
The index lives only in the database, not in the model state, as SQLite cannot build it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The expression is articles.search.SearchText: PostgreSQL uses the index only while
# the two stay identical.
CREATE_INDEX = """
    CREATE INDEX article_search_trgm_idx ON articles_article USING gin (
        (title || ' ' || subtitle || ' ' || body) gin_trgm_ops
    )
"""
DROP_INDEX = "DROP INDEX IF EXISTS article_search_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_legacy_ids_and_daily_views"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
