from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from ads.models import AdSlot, AdStat, Advertiser, Placement
from demo.ads import seed_ads
from tests.ads.helpers import render_slot

pytestmark = pytest.mark.django_db

MODELS = (AdSlot, Advertiser, Placement, AdStat)


def test_seed_ads_makes_a_complete_demo_and_can_run_again(media_root):
    tally = Counter()
    seed_ads(tally)
    counts = [m.objects.count() for m in MODELS]

    again = Counter()
    seed_ads(again)

    assert [m.objects.count() for m in MODELS] == counts
    assert +again == Counter()
    assert tally["placements"] == Placement.objects.count()
    for slot in AdSlot.objects.all():
        live = Placement.objects.live(slot)
        assert live.count() >= 2
        for placement in live:
            assert (placement.image_width, placement.image_height) == (slot.width, slot.height)
            assert (media_root / placement.image.name).exists()
        assert render_slot(slot.key).count("<img") == min(live.count(), slot.max_placements)
    statuses = {p.status for p in Placement.objects.select_related("slot")}
    assert statuses == {
        Placement.Status.LIVE,
        Placement.Status.DISPLACED,  # a fourth banner in the three-banner sub-right slot
        Placement.Status.SCHEDULED,
        Placement.Status.EXPIRED,
    }
    today = timezone.localdate()
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    days = AdStat.objects.values("date").distinct().count()
    assert days == (today - first_of_last_month).days + 1  # the reports' 지난달 is whole


def test_an_edited_placement_keeps_its_edits():
    seed_ads(Counter())
    placement = Placement.objects.get(name="협동로봇 신제품")
    placement.alt_text = "광고국이 고친 설명"
    placement.weight = 9
    placement.save()

    seed_ads(Counter())

    placement.refresh_from_db()
    assert (placement.alt_text, placement.weight) == ("광고국이 고친 설명", 9)


def test_more_banners_fill_the_sidebar_and_slots_of_their_own(media_root):
    seed_ads(Counter(), banners=30)

    assert Placement.objects.count() == 12 + 30
    assert Placement.objects.filter(slot__key__startswith="slot-").count() == 30 - 24
    for placement in Placement.objects.select_related("slot"):
        assert (media_root / placement.image.name).exists()
        assert placement.image_width == placement.slot.width
