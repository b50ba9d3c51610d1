"""The demo's advertising: a few advertisers' banners in the two sidebar slots (which come
with the migrations) and, for the larger sizes, more banners in slots of their own; each
with a month of figures."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from ads.models import AdSlot, AdStat, Advertiser, Placement
from demo import content, pictures

SIDEBAR = ["sub-right", "sub-banner"]
# Generated banners: the first ones fill the sidebar slots, the rest go to slots of their own.
SIDEBAR_BANNERS = 24
OTHER_SLOTS = 18


@dataclass(frozen=True)
class Banner:
    slot: str
    advertiser: str
    name: str
    starts_at: datetime
    ends_at: datetime
    weight: int
    position: int


def demo_banners(now: datetime) -> list[Banner]:
    return [
        Banner(
            slot=spec["slot"],
            advertiser=spec["advertiser"],
            name=spec["name"],
            starts_at=now + timedelta(days=spec["starts_in_days"]),
            ends_at=now + timedelta(days=spec["starts_in_days"] + spec["runs_for_days"]),
            weight=spec["weight"],
            position=spec["position"],
        )
        for spec in content.ADS["placements"]
    ]


def generated_banners(count: int, now: datetime) -> list[Banner]:
    """Campaigns by the demo's advertisers: most live, every tenth expired or scheduled."""
    rng = random.Random("banners")  # noqa: S311 (demo figures, not secrets)
    advertisers = [spec["name"] for spec in content.ADS["advertisers"]]
    banners = []
    for number in range(count):
        if number % 10 == 8:
            starts_at, ends_at = now - timedelta(days=60), now - timedelta(days=5)
        elif number % 10 == 9:
            starts_at, ends_at = now + timedelta(days=3), now + timedelta(days=40)
        else:
            starts_at, ends_at = now - timedelta(days=rng.randint(1, 40)), now + timedelta(days=30)
        banners.append(
            Banner(
                slot=SIDEBAR[number % 2]
                if number < SIDEBAR_BANNERS
                else f"slot-{number % OTHER_SLOTS:02d}",
                advertiser=advertisers[number % len(advertisers)],
                name=f"캠페인 {number:03d}",
                starts_at=starts_at,
                ends_at=ends_at,
                weight=rng.randint(1, 5),
                position=number,
            )
        )
    return banners


def other_slot(key: str) -> AdSlot:
    number = int(key.removeprefix("slot-"))
    sizes = content.ARCHIVE["ad_sizes"]
    width, height = sizes[number % len(sizes)]
    return AdSlot.objects.get_or_create(
        key=key, defaults={"name": f"광고{number:02d}", "width": width, "height": height}
    )[0]


def seed_ads(tally: Counter, *, banners: int = 0) -> None:
    """The demo's banners and ``banners`` more; only missing ones are created (found by
    slot, advertiser and name), so edits made in the admin survive."""
    now = timezone.now().replace(second=0, microsecond=0)
    advertisers = {}
    for spec in content.ADS["advertisers"]:
        advertisers[spec["name"]], created = Advertiser.objects.get_or_create(
            name=spec["name"], defaults={"contact_email": spec["contact_email"]}
        )
        tally["advertisers"] += created
    colours = {spec["name"]: spec["colours"] for spec in content.ADS["advertisers"]}
    slots = AdSlot.objects.in_bulk(SIDEBAR, field_name="key")
    placements = []
    for seed, banner in enumerate([*demo_banners(now), *generated_banners(banners, now)]):
        slot = slots.get(banner.slot) or slots.setdefault(banner.slot, other_slot(banner.slot))
        placement, created = Placement.objects.get_or_create(
            slot=slot,
            advertiser=advertisers[banner.advertiser],
            name=banner.name,
            defaults={
                "kind": Placement.Kind.IMAGE,
                "alt_text": f"{banner.advertiser} {banner.name}",
                "target_url": f"https://www.example.com/{banner.slot}/{seed}",
                "starts_at": banner.starts_at,
                "ends_at": banner.ends_at,
                "weight": banner.weight,
                "position": banner.position,
            },
        )
        tally["placements"] += created
        if not pictures.is_stored(placement.image):
            drawing = pictures.banner(slot.width, slot.height, colours[banner.advertiser], seed)
            placement.image = ContentFile(drawing, name=f"demo-banner-{seed}.png")
            placement.save()
        placements.append((placement, seed))
    seed_figures(tally, placements)


def seed_figures(tally: Counter, placements: list[tuple[Placement, int]]) -> None:
    """Plausible daily impressions and clicks for the days each placement ran since the
    first of last month (so that the reports' 지난달 is whole); days that already have
    figures keep them."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    rows = []
    for placement, seed in placements:
        rng = random.Random(seed)  # noqa: S311 - the same figures on every run, not a secret
        first, last = timezone.localdate(placement.starts_at), timezone.localdate(placement.ends_at)
        for offset in range((today - last_month).days + 1):
            day = today - timedelta(days=offset)
            impressions = rng.randint(300, 2500)
            clicks = rng.randint(0, impressions // 80)
            if first <= day < last:
                rows.append(
                    AdStat(placement=placement, date=day, impressions=impressions, clicks=clicks)
                )
    before = AdStat.objects.count()
    AdStat.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    tally["ad figures"] += AdStat.objects.count() - before
