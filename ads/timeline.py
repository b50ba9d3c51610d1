"""A slot's placements over a few weeks, for its page in the admin: each placement's bar, the
stretches its full slot leaves it out, and where the slot holds more than it shows at once.
Positions are percentages of the window, drawn with CSS."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import AdSlot, Placement

DAYS_BEFORE = 7
DAYS_SHOWN = 63
TICK_DAYS = 7


@dataclass
class Span:
    """Part of the window, from ``starts_at`` to ``ends_at``, placed on it."""

    starts_at: datetime
    ends_at: datetime
    left: str = ""
    width: str = ""


@dataclass
class Row:
    placement: Placement
    bar: Span | None  # None when the placement starts after the window
    left_out: list[Span]


@dataclass
class Timeline:
    starts_at: datetime
    ends_at: datetime
    rows: list[Row]
    overbooked: list[Span]
    ticks: list[Span]
    now: str


def slot_timeline(slot: AdSlot) -> Timeline:
    """The slot's placements that have not ended a week ago, from a week ago for nine weeks."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = today - timedelta(days=DAYS_BEFORE), today + timedelta(days=DAYS_SHOWN)

    def placed(starts_at, ends_at) -> Span:
        first, last = max(starts_at, start), min(ends_at, end)
        return Span(starts_at, ends_at, share(first - start), share(last - first))

    def share(duration: timedelta) -> str:
        # Formatted here, so no locale's decimal comma reaches the style attribute.
        return f"{100 * duration / (end - start):.3f}%"

    placements = list(
        slot.placements.filter(ends_at__gt=start)
        .with_displacement()
        .select_related("slot", "advertiser")
        .order_by("position", "starts_at", "pk")
    )
    overbooked, left_out = [], {placement: [] for placement in placements}
    for stretch in slot.stretches(placements, start=start, end=end):
        if stretch.overbooked:
            joined(overbooked, stretch)
        for placement in stretch.left_out:
            joined(left_out[placement], stretch)
    rows = [
        Row(
            placement,
            placed(placement.starts_at, placement.ends_at) if placement.starts_at < end else None,
            [placed(*times) for times in left_out[placement]],
        )
        for placement in placements
    ]
    ticks = [
        placed(start + timedelta(days=day), start + timedelta(days=day + TICK_DAYS))
        for day in range(0, DAYS_BEFORE + DAYS_SHOWN, TICK_DAYS)
    ]
    return Timeline(
        start,
        end,
        rows,
        [placed(*times) for times in overbooked],
        ticks,
        share(timezone.now() - start),
    )


def joined(times: list[list[datetime]], stretch) -> None:
    """Adds the stretch's times to the list, as one with the last if they meet."""
    if times and times[-1][1] == stretch.starts_at:
        times[-1][1] = stretch.ends_at
    else:
        times.append([stretch.starts_at, stretch.ends_at])
