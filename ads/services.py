"""Counting impressions and clicks: once per visitor and window, never for bots, never lost."""

import hashlib
import re
from collections.abc import Iterable
from typing import Literal

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsroom.ratelimit import client_ip

from .models import AdStat

Counter = Literal["impressions", "clicks"]

# A visitor's repeated views or clicks of one placement inside these windows count once.
REPEAT_WINDOWS: dict[Counter, int] = {"impressions": 60, "clicks": 10 * 60}

# User agents that announce themselves as programs rather than people.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|scrapy|scraper|curl|wget|python|httpclient|http-client|okhttp|java/|"
    r"libwww|perl|ruby|go-http|node-fetch|axios|headless|phantomjs|selenium|puppeteer|"
    r"playwright|lighthouse|pingdom|uptime|monitor|facebookexternalhit|preview",
    re.IGNORECASE,
)


def visitor_key(request) -> str | None:
    """A hash of the visitor's address and browser, or None when the visitor is a bot."""
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent or BOT_USER_AGENT.search(user_agent):
        return None
    return hashlib.sha256(f"{client_ip(request)}\n{user_agent}".encode()).hexdigest()[:32]


def count_visit(*, request, placement_ids: Iterable[int], kind: Counter) -> list[int]:
    """Count what this visitor saw or clicked, unless a bot or a repeat; the ids counted."""
    visitor = visitor_key(request)
    if visitor is None:
        return []
    window = REPEAT_WINDOWS[kind]
    # cache.add is atomic in every backend: of two racing requests only one adds the key.
    first_time = [
        pk for pk in placement_ids if cache.add(f"ads:seen:{kind}:{pk}:{visitor}", 1, window)
    ]
    record(placement_ids=first_time, kind=kind)
    return first_time


def record(*, placement_ids: Iterable[int], kind: Counter) -> None:
    """Add one to today's ``kind`` counter of each placement, safely under concurrency."""
    if kind not in REPEAT_WINDOWS:
        raise ValueError(f"Unknown counter {kind!r}")
    today = timezone.localdate()
    for placement_id in placement_ids:
        _increment(placement_id=placement_id, day=today, kind=kind)


def _increment(*, placement_id: int, day, kind: Counter) -> None:
    todays_row = AdStat.objects.filter(placement_id=placement_id, date=day)
    if todays_row.update(**{kind: F(kind) + 1}):
        return
    try:
        with transaction.atomic():
            AdStat.objects.create(placement_id=placement_id, date=day, **{kind: 1})
    except IntegrityError:  # another request created the day's row first: add to it
        todays_row.update(**{kind: F(kind) + 1})
