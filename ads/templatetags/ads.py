from django import template
from django.utils import timezone

from ads.lineups import lineup
from web.jinja2 import render_part

register = template.Library()


@register.simple_tag
def ad_slot(key: str) -> str:
    """The slot's banners: at most one query per slot, none while its lineup is cached.
    Rendered by Jinja2 (templates/jinja2/ads/): it is on every page with a sidebar."""
    now = timezone.now()
    slot_lineup = lineup(key, now)
    if not (live := slot_lineup.live_at(now)):
        return ""
    banners = slot_lineup.slot.pick(list(live))
    return render_part(
        "ads/ad_slot.html",
        {
            "slot": slot_lineup.slot,
            "banners": banners,
            "placement_ids": " ".join(str(banner.pk) for banner in banners),
        },
    )
