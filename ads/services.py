"""Counting impressions and clicks: once per visitor and window, never for bots.
Clicks are written at once; impressions, one per page view, in batches (web.counters).

Also keeping a banner uploaded with a placement form that came back, until it is saved.
"""

from collections.abc import Iterable
from typing import Literal

from django.core import signing
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from images.pictures import reencode_upload
from web.counters import BatchedCounter, add_to_days_rows, lock_in_order
from web.visitors import visitor_key

from .models import AdStat, Placement

Counter = Literal["impressions", "clicks"]

# A visitor's repeated views or clicks of one placement inside these windows count once.
REPEAT_WINDOWS: dict[Counter, int] = {"impressions": 60, "clicks": 10 * 60}


def count_visit(*, request, placement_ids: Iterable[int], kind: Counter) -> list[int]:
    """Count what this visitor saw or clicked, unless a bot or a repeat; the ids counted."""
    visitor = visitor_key(request)
    if visitor is None:
        return []
    window = REPEAT_WINDOWS[kind]
    # add() is atomic in the shared cache: of two racing requests, in whichever workers
    # or servers, only one adds the key.
    shared = caches["shared"]
    first_time = [
        pk for pk in placement_ids if shared.add(f"ads:seen:{kind}:{pk}:{visitor}", 1, window)
    ]
    if kind == "impressions":
        # Every page view shows ads: their impressions are written in batches.
        for placement_id in first_time:
            impressions.add(placement_id)
    else:
        record(placement_ids=first_time, kind=kind)
    return first_time


def record(*, placement_ids: Iterable[int], kind: Counter, amount: int = 1) -> None:
    """Add ``amount`` to today's ``kind`` counter of each placement, safely under concurrency."""
    if kind not in REPEAT_WINDOWS:
        raise ValueError(f"Unknown counter {kind!r}")
    today = timezone.localdate()
    for placement_id in placement_ids:
        _increment(placement_id=placement_id, day=today, kind=kind, amount=amount)


def _increment(*, placement_id: int, day, kind: Counter, amount: int) -> None:
    todays_row = AdStat.objects.filter(placement_id=placement_id, date=day)
    if todays_row.update(**{kind: F(kind) + amount}):
        return
    try:
        with transaction.atomic():
            AdStat.objects.create(placement_id=placement_id, date=day, **{kind: amount})
    except IntegrityError:  # another request created the day's row first: add to it
        todays_row.update(**{kind: F(kind) + amount})


def _write_impressions(batch: dict[int, int]) -> None:
    """Add a batch of impressions to today's rows, all or nothing (web.counters)."""
    with transaction.atomic():
        live = Placement.objects.live().filter(pk__in=batch)
        counts = {pk: batch[pk] for pk in lock_in_order(live)}
        add_to_days_rows(AdStat, "placement_id", "impressions", counts, timezone.localdate())


impressions = BatchedCounter(_write_impressions)


HELD_BANNER_SALT = "ads.held-banner"
# Long enough for a person to read a warning, change the dates and save.
HELD_BANNER_SECONDS = 24 * 60 * 60


def hold_banner(*, upload) -> str:
    """Store a checked banner upload, re-encoded where placements keep their banners, and
    return a signed token naming it for the form to send back (``held_banner``)."""
    content, _image = reencode_upload(upload)
    name = Placement._meta.get_field("image").generate_filename(None, content.name)
    return signing.dumps(default_storage.save(name, content), salt=HELD_BANNER_SALT)


def held_banner(token: str) -> str | None:
    """The stored name of the banner a token from ``hold_banner`` names, if it is genuine
    and recent."""
    try:
        return signing.loads(token, salt=HELD_BANNER_SALT, max_age=HELD_BANNER_SECONDS)
    except signing.BadSignature:
        return None
