"""What changes to reporters make stale: bylines show on every list and article page."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from caching import versions
from caching.signals import rows_updated
from images.pictures import delete_stored_on_commit

from .models import Reporter


@receiver(post_save, sender=Reporter, dispatch_uid="reporter-saved")
@receiver(post_delete, sender=Reporter, dispatch_uid="reporter-deleted")
@receiver(rows_updated, sender=Reporter, dispatch_uid="reporters-updated")
def reporters_changed(sender, **kwargs) -> None:
    versions.bump(versions.SITE)


@receiver(post_delete, sender=Reporter, dispatch_uid="reporter-photo-deleted")
def reporter_deleted(sender, instance: Reporter, **kwargs) -> None:
    # Not a cache, but the same need: however a reporter goes, their photo leaves the storage.
    delete_stored_on_commit([instance.photo.name])
