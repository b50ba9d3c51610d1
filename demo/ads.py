"""Demo advertising: two sidebar slots, a few advertisers' banners and a month of figures."""

import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from ads.models import AdSlot, AdStat, Advertiser, Placement

SLOTS = [
    {
        "key": "sub-right",
        "name": "서브우측",
        "width": 300,
        "height": 250,
        "max_placements": 3,
        "rotation": AdSlot.Rotation.POSITION,
    },
    {
        "key": "sub-banner",
        "name": "서브광고",
        "width": 300,
        "height": 100,
        "max_placements": 4,
        "rotation": AdSlot.Rotation.WEIGHT,
    },
]

# (advertiser, e-mail, colours) — invented companies.
ADVERTISERS = [
    ("한결정밀기계", "ad@hangyeol-precision.example", ("#0b4a8b", "#f2b705")),
    ("대은로보틱스", "marketing@daeeun-robotics.example", ("#1f7a4d", "#e8f1ec")),
    ("소명유압", "sales@somyung-hydraulics.example", ("#8b1e3f", "#f4d6cc")),
    ("청림공작기계", "pr@chungrim-machine.example", ("#3a3f58", "#9ad1d4")),
    ("태온에프에이", "hello@taeon-fa.example", ("#d35400", "#fdebd0")),
    ("미르센서텍", "ad@mir-sensortech.example", ("#5b2c6f", "#d7bde2")),
]

# (slot, advertiser index, name, starts in days, runs for days, weight, position)
PLACEMENTS = [
    ("sub-right", 0, "스마트팩토리 솔루션", -35, 70, 1, 1),
    ("sub-right", 1, "협동로봇 신제품", -10, 40, 1, 2),
    ("sub-right", 2, "유압 실린더 특가", -5, 30, 1, 3),
    ("sub-right", 3, "전시회 초청", 3, 14, 1, 4),
    ("sub-banner", 3, "5축 가공기", -45, 90, 3, 0),
    ("sub-banner", 4, "공장 자동화 상담", -15, 45, 2, 0),
    ("sub-banner", 5, "산업용 센서", -12, 40, 1, 0),
    ("sub-banner", 0, "하반기 캠페인", 7, 30, 1, 0),
    ("sub-banner", 2, "봄맞이 프로모션", -40, 20, 1, 0),
]

STATS_DAYS = 30


def banner(width: int, height: int, colours: tuple[str, str], seed: int) -> ContentFile:
    """A simple drawn banner: a ground colour, a band, circles and a button shape."""
    rng = random.Random(seed)  # noqa: S311 - the same drawing on every run, not a secret
    ground, accent = colours
    image = Image.new("RGB", (width, height), ground)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(height * 0.7), width, height], fill=accent)
    for _ in range(4):
        radius = rng.randint(height // 8, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=accent, width=3)
    draw.rounded_rectangle(
        [width - 110, int(height * 0.72), width - 12, height - 8], radius=8, fill=ground
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=f"demo-banner-{seed}.png")


def seed_ads(stdout=None) -> None:
    """Create or update the demo slots, advertisers, placements and figures; safe to rerun."""
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    slots = {
        spec["key"]: AdSlot.objects.update_or_create(key=spec["key"], defaults=spec)[0]
        for spec in SLOTS
    }
    advertisers = [
        Advertiser.objects.update_or_create(name=name, defaults={"contact_email": email})[0]
        for name, email, _colours in ADVERTISERS
    ]
    for seed, (slot_key, who, name, starts_in, days, weight, position) in enumerate(PLACEMENTS):
        slot, advertiser = slots[slot_key], advertisers[who]
        placement, _created = Placement.objects.update_or_create(
            slot=slot,
            advertiser=advertiser,
            name=name,
            defaults={
                "kind": Placement.Kind.IMAGE,
                "alt_text": f"{advertiser.name} {name}",
                "target_url": f"https://www.example.com/{slot_key}/{seed}",
                "starts_at": now + timedelta(days=starts_in),
                "ends_at": now + timedelta(days=starts_in + days),
                "weight": weight,
                "position": position,
                "is_active": True,
            },
        )
        if not placement.image or not placement.image.storage.exists(placement.image.name):
            placement.image = banner(slot.width, slot.height, ADVERTISERS[who][2], seed)
            placement.save()
        record_demo_figures(placement, today=today, seed=seed)
    if stdout:
        stdout.write(
            f"Ads: {len(slots)} slots, {len(advertisers)} advertisers, "
            f"{len(PLACEMENTS)} placements with {STATS_DAYS} days of figures."
        )


def record_demo_figures(placement: Placement, *, today, seed: int) -> None:
    """Plausible daily impressions and clicks for the days the placement ran."""
    rng = random.Random(seed)  # noqa: S311 - the same figures on every run, not a secret
    for offset in range(STATS_DAYS):
        day = today - timedelta(days=offset)
        impressions = rng.randint(300, 2500)
        clicks = rng.randint(0, impressions // 80)
        runs = (
            timezone.localdate(placement.starts_at) <= day < timezone.localdate(placement.ends_at)
        )
        if runs:
            AdStat.objects.update_or_create(
                placement=placement,
                date=day,
                defaults={"impressions": impressions, "clicks": clicks},
            )
