"""What a slot shows over the next minute, cached: its banners' markup and when each is live.

A slot is on every public page with a sidebar, so what each page does for it is kept
small: the placements are read and their markup rendered once per cache entry (per
language), and the slot's schedule is worked out for the whole entry at once
(``AdSlot.stretches``, by the same rule as the database's). A page then only looks up
which banners are live at its moment and picks among them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from caching import versions
from web.jinja2 import render_part

from .models import SLOTS_VERSION, AdSlot, Placement

# How long a slot's lineup is cached. Which banners are live is looked up at every render,
# so starts and ends show on time; other changes (a pause, a new banner) show within this
# many seconds, or at once when saved in the admin.
SLOT_CACHE_SECONDS = 30
# How far ahead a lineup knows the schedule: longer than it is cached.
LOOKAHEAD = timedelta(seconds=2 * SLOT_CACHE_SECONDS)
# How far behind the server that made a lineup another one's clock may be and still use it
# (the cache may be Redis, shared by servers): as if at the lineup's first moment.
CLOCK_SKEW = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class Banner:
    """A placement as its slot shows it: what ``AdSlot.pick`` chooses by, and its markup."""

    pk: int
    position: int
    weight: int
    html: SafeString


@dataclass(frozen=True, slots=True)
class Lineup:
    """A slot's banners from ``starts_at`` until ``ends_at``: each stretch of that time
    (from its start, in order) with the banners live in it."""

    slot: AdSlot | None
    starts_at: datetime
    ends_at: datetime
    stretches: tuple[tuple[datetime, tuple[Banner, ...]], ...]

    def covers(self, moment: datetime) -> bool:
        return self.starts_at - CLOCK_SKEW <= moment < self.ends_at

    def live_at(self, moment: datetime) -> tuple[Banner, ...]:
        live = self.stretches[0][1] if self.stretches else ()
        for starts_at, banners in self.stretches[1:]:
            if starts_at > moment:
                break
            live = banners
        return live


def lineup(key: str, now: datetime) -> Lineup:
    """The slot's lineup from the cache, or read afresh: at most one query."""
    cached = versions.cached(
        f"ads:lineup:{key}:{get_language()}",
        (SLOTS_VERSION,),
        lambda: read_lineup(key, now),
        SLOT_CACHE_SECONDS,
    )
    # Only a clock set back or forward (a test's) finds an entry for another time.
    return cached if cached.covers(now) else read_lineup(key, now)


def read_lineup(key: str, now: datetime) -> Lineup:
    ends_at = now + LOOKAHEAD
    placements = list(
        Placement.objects.live(within=LOOKAHEAD).filter(slot__key=key).select_related("slot")
    )
    if not placements:
        return Lineup(None, now, ends_at, ())
    slot = placements[0].slot
    banners = {
        placement.pk: Banner(
            placement.pk,
            placement.position,
            placement.weight,
            render_part("ads/banner.html", {"slot": slot, "placement": placement}),
        )
        for placement in placements
    }
    stretches = slot.stretches(placements, start=now, end=ends_at)
    return Lineup(
        slot,
        now,
        ends_at,
        tuple(
            (stretch.starts_at, tuple(banners[placement.pk] for placement in stretch.live))
            for stretch in stretches
        ),
    )
