from datetime import timedelta

from django import template
from django.utils import timezone

from ads.models import SLOTS_VERSION, Placement
from caching import versions

register = template.Library()

# How long a slot's placements are cached. Whether each one is inside its time window
# is decided at every render, so starts and ends show on time; other changes (a pause,
# a new banner) show within this many seconds, or at once when saved in the admin.
SLOT_CACHE_SECONDS = 30


def candidates(key: str) -> list[Placement]:
    """The slot's placements that are live now or start before the cache entry expires."""
    return versions.cached(
        f"ads:slot:{key}",
        (SLOTS_VERSION,),
        lambda: list(
            Placement.objects.live(within=timedelta(seconds=2 * SLOT_CACHE_SECONDS))
            .filter(slot__key=key)
            .select_related("slot")
        ),
        SLOT_CACHE_SECONDS,
    )


@register.inclusion_tag("ads/ad_slot.html")
def ad_slot(key: str):
    """The slot's banners: at most one query per slot, none while its cache entry lives."""
    now = timezone.now()
    live = [placement for placement in candidates(key) if placement.shows_at(now)]
    if not live:
        return {"placements": []}
    slot = live[0].slot
    placements = slot.pick(live)
    return {
        "slot": slot,
        "placements": placements,
        "placement_ids": " ".join(str(placement.pk) for placement in placements),
    }
