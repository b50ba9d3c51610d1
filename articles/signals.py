"""What changes to articles make stale (caching.versions), however they are made.

Articles, sections and photos, and the tags taggit keeps for them, show on every public
page (lists, article pages, related articles, feeds, sitemaps): any change to them —
save(), delete(), the admin's bulk deletes and actions, QuerySet.update(), an import,
taggit's own admin — moves the site version. A change that only the article's own page
shows moves that article's version; counters move nothing (lists show them within
PAGE_CACHE_SECONDS).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag, TaggedItem

from caching import versions
from caching.signals import rows_updated
from images.pictures import delete_stored_on_commit

from .models import Article, ArticleAuthor, Correction, Photo, Section, article_version

COUNTERS = {"view_count", "comment_count"}
ARTICLE_PAGE_ONLY = {"comments_open"}


def site_changed(sender, **kwargs) -> None:
    versions.bump(versions.SITE)


def photo_saved(sender, created: bool, **kwargs) -> None:
    if not created:  # a new photo is on no page yet
        versions.bump(versions.SITE)


def photo_deleted(sender, instance: Photo, **kwargs) -> None:
    # Not a cache, but the same need: every way a photo row goes (the admin's bulk delete
    # included) must take its picture and renditions out of the media storage with it.
    delete_stored_on_commit(instance.stored_names())


def rows_changed(sender, pks, fields, **kwargs) -> None:
    if fields <= COUNTERS:
        return
    if sender is Article and fields <= COUNTERS | ARTICLE_PAGE_ONLY:
        versions.bump(*map(article_version, pks))
    else:
        versions.bump(versions.SITE)


def connect() -> None:
    for model in (Article, Section, Photo, Tag, TaggedItem):
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"site-deleted-{model}")
    for model in (Article, Section, Tag, TaggedItem):
        post_save.connect(site_changed, sender=model, dispatch_uid=f"site-saved-{model}")
    post_save.connect(photo_saved, sender=Photo, dispatch_uid="site-saved-photo")
    post_delete.connect(photo_deleted, sender=Photo, dispatch_uid="photo-files-deleted")
    for model in (Article, Section, Photo):
        rows_updated.connect(rows_changed, sender=model, dispatch_uid=f"site-updated-{model}")
    m2m_changed.connect(site_changed, sender=Article.related.through, dispatch_uid="related")
    # Bylines show on lists, article pages, reporter pages and feeds; corrections on the
    # article page and the corrections page.
    for model in (ArticleAuthor, Correction):
        post_save.connect(site_changed, sender=model, dispatch_uid=f"site-saved-{model}")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"site-deleted-{model}")
        rows_updated.connect(rows_changed, sender=model, dispatch_uid=f"site-updated-{model}")
