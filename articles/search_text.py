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
On PostgreSQL a generated column made from it is indexed (see the articles migration
that adds the column).
"""

import re
from html import unescape

from django.db import models
from django.utils.html import strip_tags

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
        [" ".join(article.title.split()), " ".join(article.subtitle.split()), plain_text(article.body)]
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
