"""What changes to slots and placements make stale: the placements each slot has cached."""

from django.db.models.signals import post_delete, post_save

from caching import versions
from caching.signals import rows_updated
from images.pictures import delete_stored_on_commit

from .models import SLOTS_VERSION, AdSlot, Placement


def slots_changed(sender, **kwargs) -> None:
    versions.bump(SLOTS_VERSION)


for model in (AdSlot, Placement):
    for signal in (post_save, post_delete, rows_updated):
        signal.connect(slots_changed, sender=model, dispatch_uid=f"ad-slots-{signal}-{model}")


def placement_deleted(sender, instance: Placement, **kwargs) -> None:
    # Not a cache, but the same need: however a placement goes, its banner leaves the storage.
    delete_stored_on_commit([instance.image.name])


post_delete.connect(placement_deleted, sender=Placement, dispatch_uid="placement-banner-deleted")
