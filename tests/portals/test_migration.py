"""The migration that added origins and portal categories gave every section a category
guessed from its name and every existing article its section's."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0013_article_search_text")]
AFTER = [("articles", "0014_article_origin_and_portal_category")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_articles_are_filled_from_their_sections():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Section = old.get_model("articles", "Section")
    Article = old.get_model("articles", "Article")
    sections = {
        slug: Section.objects.create(name=name, slug=slug)
        for slug, name in [("opinion", "오피니언"), ("world", "국제"), ("machinery", "기계·로봇")]
    }
    for slug, section in sections.items():
        Article.objects.create(title=slug, slug=slug, section=section, body="<p>본문</p>")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    filled = dict(
        new.get_model("articles", "Article").objects.values_list("slug", "portal_category")
    )
    assert filled == {"opinion": "opinion", "world": "world", "machinery": "industry"}
    assert set(new.get_model("articles", "Article").objects.values_list("origin", flat=True)) == {
        "own"
    }

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
