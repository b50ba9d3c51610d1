"""Changes that bypass the models' save(): deletes (the admin deletes in bulk, which calls
no delete() method) and tags, which taggit stores (and its own admin renames)."""

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag, TaggedItem

from newsroom import pagecache


def pages_changed(sender, **kwargs) -> None:
    pagecache.bump()


def connect() -> None:
    from reporters.models import Reporter

    from .models import Article, Photo, Section

    for model in (Article, Photo, Section, Reporter, Tag, TaggedItem):
        post_delete.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
    for model in (Tag, TaggedItem):
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-saved-{model.__name__}")
