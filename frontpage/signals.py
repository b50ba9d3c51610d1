"""What changes to pins and breaking news make stale (caching.versions).

Both show on shared pages (the banner on every one, pins on the home and section pages),
so any change moves the site version: save(), delete(), bulk deletes and QuerySet.update().
When one ends by its time, the schedule moves the site on (apps.py).
"""

from django.db.models.signals import post_delete, post_save

from caching import versions
from caching.signals import rows_updated

from .models import BreakingNews, Pin


def site_changed(sender, **kwargs) -> None:
    versions.bump(versions.SITE)


def connect() -> None:
    for model in (Pin, BreakingNews):
        uid = model._meta.label_lower
        post_save.connect(site_changed, sender=model, dispatch_uid=f"site-saved-{uid}")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"site-deleted-{uid}")
        rows_updated.connect(site_changed, sender=model, dispatch_uid=f"site-updated-{uid}")
