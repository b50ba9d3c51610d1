"""Which placements are live and when, how a slot picks among them, what may be saved."""

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ads.models import AdSlot, Placement, in_time_window
from tests.ads.helpers import render_slot
from tests.factories import AdSlotFactory, PlacementFactory
from web.conditions import holds

pytestmark = pytest.mark.django_db


def seoul(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def ten_to_eleven(sub_right):
    """A banner running from 10:00 to 11:00 on 2 March 2026, Seoul time."""
    return PlacementFactory(
        slot=sub_right, starts_at=seoul(2026, 3, 2, 10, 0), ends_at=seoul(2026, 3, 2, 11, 0)
    )


class TestSchedule:
    @pytest.mark.parametrize(
        ("moment", "live"),
        [
            ((2026, 3, 2, 9, 59, 59), False),
            ((2026, 3, 2, 10, 0, 0), True),
            ((2026, 3, 2, 10, 0, 1), True),
            ((2026, 3, 2, 10, 59, 59), True),
            ((2026, 3, 2, 11, 0, 0), False),
            ((2026, 3, 2, 11, 0, 1), False),
        ],
    )
    def test_a_placement_is_live_from_its_start_minute_until_its_end_minute(
        self, clock, ten_to_eleven, moment, live
    ):
        clock(*moment)

        assert Placement.objects.live().filter(pk=ten_to_eleven.pk).exists() is live
        assert (f"/ads/{ten_to_eleven.pk}/click/" in render_slot("sub-right")) is live

    def test_a_cached_slot_still_starts_and_ends_on_the_minute(
        self, clock, ten_to_eleven, django_assert_num_queries
    ):
        click_url = f"/ads/{ten_to_eleven.pk}/click/"
        clock(2026, 3, 2, 9, 59, 45)
        assert click_url not in render_slot("sub-right")  # fills the slot's cache entry

        with django_assert_num_queries(1):  # the versions; the placements are cached
            clock(2026, 3, 2, 10, 0, 0)
            assert click_url in render_slot("sub-right")

        ten_to_eleven.ends_at = seoul(2026, 3, 2, 10, 1)
        ten_to_eleven.save()
        clock(2026, 3, 2, 10, 0, 59)
        assert click_url in render_slot("sub-right")
        with django_assert_num_queries(1):
            clock(2026, 3, 2, 10, 1, 0)
            assert click_url not in render_slot("sub-right")

    def test_paused_placements_and_inactive_slots_show_nothing(self, sub_right):
        paused = PlacementFactory(slot=sub_right, is_active=False)
        running = PlacementFactory(slot=AdSlotFactory(is_active=False))

        assert not Placement.objects.live().exists()
        assert paused.status == Placement.Status.PAUSED
        assert running.status == Placement.Status.PAUSED

    def test_status_agrees_with_the_querysets(self, sub_right):
        now = timezone.now()
        placements = {
            Placement.Status.LIVE: PlacementFactory(slot=sub_right),
            Placement.Status.SCHEDULED: PlacementFactory(
                slot=sub_right, starts_at=now + timedelta(hours=1)
            ),
            Placement.Status.EXPIRED: PlacementFactory(
                slot=sub_right, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1)
            ),
            Placement.Status.PAUSED: PlacementFactory(slot=sub_right, is_active=False),
        }

        for status, placement in placements.items():
            assert placement.status == status
            assert list(Placement.objects.with_status(status)) == [placement]


class TestOneRuleForLive:
    """The queryset, the status ad staff read and the check a cached slot makes at every
    render are one rule: they agree at its edges."""

    LIVE, SCHEDULED, EXPIRED, PAUSED = (
        Placement.Status.LIVE,
        Placement.Status.SCHEDULED,
        Placement.Status.EXPIRED,
        Placement.Status.PAUSED,
    )

    @pytest.mark.parametrize(
        ("times", "placement", "slot", "status"),
        [
            ((10, 0, 0), {}, {}, LIVE),  # starts at this very moment
            ((9, 59, 59), {}, {}, SCHEDULED),
            ((10, 59, 59), {}, {}, LIVE),
            ((11, 0, 0), {}, {}, EXPIRED),  # ends at this very moment
            ((10, 30, 0), {"is_active": False}, {}, PAUSED),
            ((10, 30, 0), {}, {"is_active": False}, PAUSED),
            ((9, 0, 0), {"is_active": False}, {}, PAUSED),
            ((11, 0, 0), {"is_active": False}, {"is_active": False}, EXPIRED),
        ],
        ids=[
            "starts-now",
            "starts-in-a-second",
            "ends-in-a-second",
            "ends-now",
            "paused",
            "slot-inactive",
            "paused-before-its-start",
            "ended-while-paused",
        ],
    )
    def test_the_queryset_the_status_and_a_slots_render_agree(
        self, clock, times, placement, slot, status
    ):
        ad = PlacementFactory(
            slot=AdSlotFactory(key="sidebar-test", **slot),
            starts_at=seoul(2026, 3, 2, 10, 0),
            ends_at=seoul(2026, 3, 2, 11, 0),
            **placement,
        )
        now = clock(2026, 3, 2, *times)
        live = status == Placement.Status.LIVE

        assert Placement.objects.live().filter(pk=ad.pk).exists() is live
        assert list(Placement.objects.with_status(status)) == [ad]
        assert Placement.objects.get(pk=ad.pk).status == status
        assert (f"/ads/{ad.pk}/click/" in render_slot("sidebar-test")) is live
        in_window = Placement.objects.filter(in_time_window(now), pk=ad.pk).exists()
        assert holds(in_time_window(now), ad) is in_window


class TestSlot:
    def test_shows_at_most_its_maximum_in_order_of_position(self, sub_right):
        placements = [PlacementFactory(slot=sub_right, position=n) for n in (5, 1, 4, 2, 3)]

        html = render_slot("sub-right")

        shown = [p for p in placements if f"/ads/{p.pk}/click/" in html]
        assert sorted(p.position for p in shown) == [1, 2, 3]
        assert html.count("<img") == 3

    def test_weighted_rotation_shows_each_placement_in_proportion_to_its_weight(self):
        slot = AdSlot(rotation=AdSlot.Rotation.WEIGHT, max_placements=1)
        heavy, light = Placement(pk=1, weight=3), Placement(pk=2, weight=1)
        rng = random.Random(20260302)

        shown = Counter(slot.pick([heavy, light], rng=rng)[0].pk for _ in range(2000))

        assert shown[1] / 2000 == pytest.approx(0.75, abs=0.03)

    def test_weighted_rotation_never_repeats_a_placement(self):
        slot = AdSlot(rotation=AdSlot.Rotation.WEIGHT, max_placements=3)
        placements = [Placement(pk=n, weight=n) for n in range(1, 6)]
        rng = random.Random(7)

        for _ in range(200):
            picked = slot.pick(placements, rng=rng)
            assert len({p.pk for p in picked}) == 3

    def test_weighted_slot_renders_within_its_maximum(self, sub_banner):
        for weight in (1, 2, 3, 4, 5, 6):
            PlacementFactory(slot=sub_banner, weight=weight)

        assert render_slot("sub-banner").count("<img") == 4

    def test_an_empty_slot_renders_nothing(self, sub_right):
        PlacementFactory(slot=sub_right, starts_at=timezone.now() + timedelta(days=1))

        assert render_slot("sub-right").strip() == ""
        assert render_slot("no-such-slot").strip() == ""


class TestTargetAddress:
    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://files.example.com/banner",
            "//evil.example/",
            "/ads/1/click/",
        ],
    )
    def test_only_http_and_https_addresses_are_accepted(self, sub_right, url):
        placement = PlacementFactory.build(slot=sub_right, advertiser=None, target_url=url)

        with pytest.raises(ValidationError) as error:
            placement.full_clean(exclude=["advertiser", "image"])

        assert "target_url" in error.value.message_dict

    def test_the_database_refuses_other_schemes_too(self, sub_right):
        placement = PlacementFactory(slot=sub_right)

        with pytest.raises(IntegrityError), transaction.atomic():
            Placement.objects.filter(pk=placement.pk).update(target_url="javascript:alert(1)")

    def test_upper_case_schemes_are_valid(self, sub_right):
        placement = PlacementFactory(slot=sub_right, target_url="HTTPS://WWW.EXAMPLE.COM/")

        placement.full_clean()
        placement.save()


def test_a_placement_must_start_before_it_ends(sub_right):
    now = timezone.now()
    placement = PlacementFactory.build(slot=sub_right, starts_at=now, ends_at=now)

    with pytest.raises(ValidationError) as error:
        placement.full_clean(exclude=["advertiser"])
    assert "ends_at" in error.value.message_dict

    placement = PlacementFactory(slot=sub_right)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(ends_at=placement.starts_at)


def test_a_network_placement_needs_its_tag(sub_right):
    placement = PlacementFactory.build(
        slot=sub_right, advertiser=None, kind=Placement.Kind.NETWORK, image="", network_code=" "
    )

    with pytest.raises(ValidationError) as error:
        placement.full_clean(exclude=["advertiser"])

    assert "네트워크 태그가 필요합니다" in str(error.value)


def test_the_sidebars_slots_exist_on_a_new_install():
    slots = {
        slot.key: (slot.width, slot.height, slot.max_placements) for slot in AdSlot.objects.all()
    }

    assert slots == {"sub-right": (300, 250, 3), "sub-banner": (300, 100, 4)}
