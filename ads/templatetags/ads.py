from datetime import timedelta

from django import template
from django.utils import timezone

from ads.models import SLOTS_VERSION, Placement
from caching import versions
from web.jinja2 import render_part

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


@register.simple_tag
def ad_slot(key: str) -> str:
    """The slot's banners: at most one query per slot, none while its cache entry lives.
    Rendered by Jinja2 (templates/jinja2/ads/): it is on every page with a sidebar."""
    now = timezone.now()
    live = [placement for placement in candidates(key) if placement.shows_at(now)]
    if not live:
        return ""
    slot = live[0].slot
    placements = slot.pick(live)
    return render_part(
        "ads/ad_slot.html",
        {
            "slot": slot,
            "placements": placements,
            "placement_ids": " ".join(str(placement.pk) for placement in placements),
        },
    )
