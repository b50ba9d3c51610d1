"""The text of an article as a reader sees it, kept in ``Article.search_text`` for search.

Search (articles/search.py) matches words in this column, never in the stored HTML, so a
word that only appears inside markup - a tag or attribute name, a link's address, a
class, an image's alt text - finds nothing. Alt text is left out on purpose: a sighted
reader never sees it, and the photo's caption, which is what the page shows, is text.

The column is ``title``, ``subtitle`` and the body's text, one to a line (the body's text
is on one line: its whitespace collapsed, a space between blocks, entities unescaped).
It is kept on every write path: ``SearchTextField.pre_save`` fills it on save() and
bulk_create(), ``Article.save(update_fields=...)`` adds it when a text field is saved,
``ArticleQuerySet.bulk_update`` adds it, and a ``rows_updated`` receiver
(``refresh_search_text``) rewrites it after a ``QuerySet.update()`` of a text field.

``Article.search_tags`` holds the article's tag names, one to a line, so that search
neither joins the tag tables nor reads a set of tagged articles per row. Tags are stored
after the article (taggit's manager), so it is kept by ``refresh_search_tags()``: after
every change through ``article.tags`` (m2m_changed), a tag's rename or deletion
(``connect()``), and by whoever writes TaggedItem rows directly (the demo's seeder).

On PostgreSQL a generated column made from both is indexed (see the articles migration
that adds them).
"""

import re
from html import unescape

from django.apps import apps
from django.db import connections, models
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.html import strip_tags

from caching.signals import rows_updated

# The article fields the column is made of.
TEXT_FIELDS = frozenset({"title", "subtitle", "body"})

# Block boundaries become spaces, so the last word of a paragraph does not run into the
# first of the next (<p>로봇</p><p>산업</p> is not 로봇산업); inline tags (<strong>) join.
_BLOCK_TAG = re.compile(
    r"<(?:/?(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|thead|tbody|tfoot|tr|"
    r"td|th|caption|div|iframe|hr)\b|br\b)[^>]*>",
    re.IGNORECASE,
)


def plain_text(html: str) -> str:
    """What a reader reads of some stored HTML: text only, on one line."""
    text = unescape(strip_tags(_BLOCK_TAG.sub(" ", html or "")))
    return " ".join(text.split())


def search_text_of(article) -> str:
    return "\n".join(
        [
            " ".join(article.title.split()),
            " ".join(article.subtitle.split()),
            plain_text(article.body),
        ]
    )


def body_text(search_text: str) -> str:
    """The body's part of a search text."""
    parts = search_text.split("\n", 2)
    return parts[2] if len(parts) == 3 else ""


class SearchTextField(models.TextField):
    """Filled from the article's own fields whenever the row is written."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = search_text_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


class SearchTextQuerySetMixin:
    """bulk_update() of a text field updates the search text with it."""

    def bulk_update(self, objs, fields, *args, **kwargs):
        fields = list(fields)
        if TEXT_FIELDS & set(fields) and "search_text" not in fields:
            objs = list(objs)
            for obj in objs:
                obj.search_text = search_text_of(obj)
            fields.append("search_text")
        return super().bulk_update(objs, fields, *args, **kwargs)


def refresh_search_text(sender, pks, fields, **kwargs) -> None:
    """After ``QuerySet.update()`` of a text field: the rows' search text again."""
    if not TEXT_FIELDS & fields or "search_text" in fields:
        return
    rows = list(sender._base_manager.filter(pk__in=pks).only("pk", *TEXT_FIELDS))
    for article in rows:
        article.search_text = search_text_of(article)
    sender._base_manager.bulk_update(rows, ["search_text"], batch_size=500)


def refresh_search_tags(article_ids) -> None:
    """Store the tag names of these articles (primary keys) in their search_tags, in one
    statement."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    Article = apps.get_model("articles", "Article")
    # Sorted where the database can (SQLite before 3.44 cannot): only the order differs.
    features = connections[Article._base_manager.db].features
    ordered = {"order_by": "tag__name"} if features.supports_aggregate_order_by_clause else {}
    names = (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=OuterRef("pk")
        )
        .order_by()
        .values("object_id")
        .annotate(names=StringAgg("tag__name", Value("\n"), **ordered))
        .values("names")
    )
    Article._base_manager.filter(pk__in=list(article_ids)).update(
        search_tags=Coalesce(Subquery(names), Value(""))
    )


def _tags_changed(sender, instance, action, **kwargs) -> None:
    Article = apps.get_model("articles", "Article")
    # Tags of other models share taggit's TaggedItem: only an article's concern us.
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        # The article in memory too: a save() of it later must not write back its old tags
        # (restoring a revision sets the tags, then saves the article).
        names = sorted(instance.tags.values_list("name", flat=True))
        instance.search_tags = "\n".join(names)
        Article._base_manager.filter(pk=instance.pk).update(search_tags=instance.search_tags)


def _tagged_articles(tag) -> list[int]:
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    article_type = ContentType.objects.get_for_model(apps.get_model("articles", "Article"))
    return list(
        TaggedItem.objects.filter(tag=tag, content_type=article_type).values_list(
            "object_id", flat=True
        )
    )


def _tag_saved(sender, instance, created, **kwargs) -> None:
    if not created:  # a new tag is on no article yet
        refresh_search_tags(_tagged_articles(instance))


def _tag_deleting(sender, instance, **kwargs) -> None:
    instance._search_articles = _tagged_articles(instance)


def _tag_deleted(sender, instance, **kwargs) -> None:
    refresh_search_tags(getattr(instance, "_search_articles", []))


def connect() -> None:
    from taggit.models import Tag, TaggedItem

    Article = apps.get_model("articles", "Article")
    rows_updated.connect(refresh_search_text, sender=Article, dispatch_uid="search-text")
    m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid="search-tags")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="search-tag-saved")
    pre_delete.connect(_tag_deleting, sender=Tag, dispatch_uid="search-tag-deleting")
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="search-tag-deleted")
