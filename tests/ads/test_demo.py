import io

import pytest
from django.utils import timezone

from ads.models import AdSlot, AdStat, Advertiser, Placement
from demo.ads import seed_ads
from tests.ads.helpers import render_slot

pytestmark = pytest.mark.django_db


def test_seed_ads_makes_a_complete_demo_and_can_run_again(media_root):
    output = io.StringIO()
    seed_ads(stdout=output)
    counts = [m.objects.count() for m in (AdSlot, Advertiser, Placement, AdStat)]

    seed_ads()

    assert [m.objects.count() for m in (AdSlot, Advertiser, Placement, AdStat)] == counts
    assert "Ads:" in output.getvalue()
    for slot in AdSlot.objects.all():
        live = Placement.objects.live(slot)
        assert live.count() >= 2
        for placement in live:
            assert (placement.image_width, placement.image_height) == (slot.width, slot.height)
            assert (media_root / placement.image.name).exists()
        assert render_slot(slot.key).count("<img") == min(live.count(), slot.max_placements)
    statuses = {p.status for p in Placement.objects.select_related("slot")}
    assert statuses == {Placement.Status.LIVE, Placement.Status.SCHEDULED, Placement.Status.EXPIRED}
    days = AdStat.objects.values("date").distinct().count()
    assert days == 30
    assert AdStat.objects.filter(date=timezone.localdate()).exists()
