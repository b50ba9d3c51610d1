"""A slot's cached lineup (ads/lineups.py): worked out once, right at every moment it covers."""

from datetime import datetime

import pytest
from django.utils import timezone

from tests.ads.helpers import render_slot
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def seoul(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def from_ten_oclock(sub_right):
    """Live from 10:00:20 on 2 March 2026, Seoul time; its click address."""
    placement = PlacementFactory(
        slot=sub_right, starts_at=seoul(2026, 3, 2, 10, 0, 20), ends_at=seoul(2026, 3, 2, 12)
    )
    return f"/ads/{placement.pk}/click/"


def test_a_banner_starting_within_the_lineup_shows_from_its_start_with_no_query(
    clock, from_ten_oclock, django_assert_num_queries
):
    clock(2026, 3, 2, 10, 0, 0)
    assert from_ten_oclock not in render_slot("sub-right")  # fills the lineup

    with django_assert_num_queries(1):  # the versions
        clock(2026, 3, 2, 10, 0, 19)
        assert from_ten_oclock not in render_slot("sub-right")
    with django_assert_num_queries(1):
        clock(2026, 3, 2, 10, 0, 20)
        assert from_ten_oclock in render_slot("sub-right")


def test_a_server_whose_clock_is_a_little_behind_uses_the_lineup(
    clock, from_ten_oclock, django_assert_num_queries
):
    """The cache may be shared by servers (Redis); one whose clock is a few seconds behind
    the one that made the lineup takes it as at its first moment, rather than reading the
    placements on every page."""
    clock(2026, 3, 2, 10, 0, 25)
    assert from_ten_oclock in render_slot("sub-right")

    with django_assert_num_queries(1):  # the versions
        clock(2026, 3, 2, 10, 0, 22)
        assert from_ten_oclock in render_slot("sub-right")


def test_a_clock_far_behind_the_lineup_reads_the_placements_afresh(
    clock, from_ten_oclock, django_assert_num_queries
):
    clock(2026, 3, 2, 10, 0, 25)
    assert from_ten_oclock in render_slot("sub-right")

    with django_assert_num_queries(2):  # the versions, the placements
        clock(2026, 3, 2, 10, 0, 10)
        assert from_ten_oclock not in render_slot("sub-right")


def test_past_the_lineups_end_the_placements_are_read_afresh(
    clock, sub_right, django_assert_num_queries
):
    """A lineup knows the next minute only: a banner starting later is not in it."""
    later = PlacementFactory(
        slot=sub_right, starts_at=seoul(2026, 3, 2, 10, 5), ends_at=seoul(2026, 3, 2, 11)
    )
    clock(2026, 3, 2, 10, 0, 0)
    assert render_slot("sub-right").strip() == ""  # fills the lineup, empty until 10:01

    with django_assert_num_queries(2):  # the versions, the placements
        clock(2026, 3, 2, 10, 5, 0)
        assert f"/ads/{later.pk}/click/" in render_slot("sub-right")
