"""Narrow article rows on PostgreSQL, so that search reads a few hundred bytes of each match.

Ranking a common word's matches (articles/search.py) reads every matching row for its title,
subtitle, tag names and date. With the body, the search text and the token vector kept in
the row (compressed), a row was about 2 kB: 로봇's 3,200 matches at 10,000 articles were
1,900 pages of the table. Here the row keeps what ranking reads and the long texts go to the
table's TOAST storage as soon as a row passes 512 bytes (``toast_tuple_target``); title,
subtitle and tag names are ``STORAGE MAIN``, kept in the row. The same matches are then
under 600 pages, and the ranking and counting query took 6 ms instead of 15 + 8 (two
queries before). Reading one article's body costs one more index lookup into the TOAST
table, a few microseconds.

Existing rows are rewritten once (the UPDATE, which also recomputes their token vector:
1.7 s for 10,000 articles on the 2-core test machine) so that they are stored the new way; the
table's old pages are reused after the next (auto)vacuum, and ``VACUUM FULL
articles_article`` at a quiet moment gives the space back. SQLite has no such storage: a
no-op there.
"""

from django.db import migrations

NARROW = [
    "ALTER TABLE articles_article SET (toast_tuple_target = 512)",
    "ALTER TABLE articles_article ALTER COLUMN title SET STORAGE MAIN, "
    "ALTER COLUMN subtitle SET STORAGE MAIN, ALTER COLUMN search_tags SET STORAGE MAIN",
    "UPDATE articles_article SET body = body",
]
WIDE = [
    "ALTER TABLE articles_article RESET (toast_tuple_target)",
    "ALTER TABLE articles_article ALTER COLUMN title SET STORAGE EXTENDED, "
    "ALTER COLUMN subtitle SET STORAGE EXTENDED, ALTER COLUMN search_tags SET STORAGE EXTENDED",
]


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in NARROW:
            schema_editor.execute(sql)


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in WIDE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_published_indexes_cover_the_embargo"),
    ]

    operations = [
        migrations.RunPython(narrow, widen),
    ]
