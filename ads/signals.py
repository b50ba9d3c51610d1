"""What changes to slots and placements make stale: the placements each slot has cached."""

from django.db.models.signals import post_delete, post_save

from caching import versions
from caching.signals import rows_updated

from .models import SLOTS_VERSION, AdSlot, Placement


def slots_changed(sender, **kwargs) -> None:
    versions.bump(SLOTS_VERSION)


for model in (AdSlot, Placement):
    for signal in (post_save, post_delete, rows_updated):
        signal.connect(slots_changed, sender=model, dispatch_uid=f"ad-slots-{signal}-{model}")
