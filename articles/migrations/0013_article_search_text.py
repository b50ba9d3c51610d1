"""Search over what readers read: Article.search_text and search_tags
(articles/search_text.py), filled for every existing article, and on PostgreSQL an index
that finds any part of a Korean word.

PostgreSQL has no Korean dictionary, so the text is cut into tokens the way
articles.search.search_tokens() cuts a query: Korean (and other CJK) text into every pair
of neighbouring syllables plus the last syllable of each run, Latin letters and digits
into whole words. ``article_search_tokens()`` does it in SQL; a generated column,
``search_words``, keeps the tokens as a full-text vector ('simple' configuration) of the
search text and the tag names, and a GIN index serves it. A query is the phrase of its own tokens, so
로봇 is found inside 협동로봇 and 경제자유 inside 광주경제자유구역청, from the index. The column
and index exist only in the database, not in the model state, as SQLite has neither; on
SQLite search reads the plain-text column with LIKE.

The indexes of migration 0005 (over title, subtitle and body with its markup) are dropped:
nothing queries them any more.
"""

import importlib

from django.db import migrations, models

import articles.search_text

BATCH = 500

# Tokens, in order, separated by spaces: for each run of Latin letters or digits, the run
# (its first 100 characters); for each run of Hangul/CJK syllables, every two neighbouring
# syllables, then the run's last syllable. Must cut exactly as articles.search does.
CREATE_FUNCTION = r"""
CREATE FUNCTION article_search_tokens(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    WITH runs AS (
        SELECT m[1] AS run, n
        FROM regexp_matches(
            lower($1), '([a-z0-9]+|[가-힣ㄱ-ㆎぁ-ヿ一-鿿]+)', 'g'
        ) WITH ORDINALITY AS found(m, n)
    ), tokens AS (
        SELECT n, 0 AS k, left(run, 100) AS token FROM runs WHERE run ~ '^[a-z0-9]'
        UNION ALL
        SELECT n, k, substr(run, k, 2)
        FROM runs, generate_series(1, char_length(run) - 1) AS k
        WHERE run !~ '^[a-z0-9]'
        UNION ALL
        SELECT n, char_length(run), right(run, 1) FROM runs WHERE run !~ '^[a-z0-9]'
    )
    SELECT coalesce(string_agg(token, ' ' ORDER BY n, k), '') FROM tokens
    $$
"""
CREATE = [
    CREATE_FUNCTION,
    """ALTER TABLE articles_article ADD COLUMN search_words tsvector GENERATED ALWAYS AS (
        to_tsvector(
            'pg_catalog.simple'::regconfig,
            article_search_tokens(search_text || E'\\n' || search_tags)
        )
    ) STORED""",
    # No statistics for the column: with them, a word found in a third of the articles made
    # the planner read every row's token vector (a sequential scan, 0.2 s at 10,000
    # articles) rather than the index and the rows it names (no vector read: 1,951 pages
    # in 8 ms). Without them it estimates few matches and always takes the index.
    "ALTER TABLE articles_article ALTER COLUMN search_words SET STATISTICS 0",
    "CREATE INDEX article_search_words_gin ON articles_article USING gin (search_words)",
]
DROP = [
    "DROP INDEX IF EXISTS article_search_words_gin",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_words",
    "DROP FUNCTION IF EXISTS article_search_tokens(text)",
]
OLD = importlib.import_module("articles.migrations.0005_search_trigram_index")


def fill_search_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type = ContentType.objects.filter(app_label="articles", model="article").first()
    last = 0
    while True:
        batch = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "title", "subtitle", "body")[:BATCH]
        )
        if not batch:
            return
        tags = {}
        if article_type:
            tagged = (
                TaggedItem.objects.filter(
                    content_type=article_type, object_id__in=[a.pk for a in batch]
                )
                .order_by("tag__name")
                .values_list("object_id", "tag__name")
            )
            for article_id, name in tagged:
                tags.setdefault(article_id, []).append(name)
        for article in batch:
            article.search_text = articles.search_text.search_text_of(article)
            article.search_tags = "\n".join(tags.get(article.pk, []))
        Article.objects.bulk_update(batch, ["search_text", "search_tags"])
        last = batch[-1].pk


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in OLD.DROP_INDEXES[:2]:  # the function article_search_words() may stay
            schema_editor.execute(sql)
        for sql in CREATE:
            schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)
        schema_editor.execute(OLD.CREATE_INDEXES[0])
        schema_editor.execute(OLD.CREATE_INDEXES[2])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_article_authors_and_corrections"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=articles.search_text.SearchTextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_tags",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
