"""The ad staff's desk: no live banner pushed off the site by surprise, every placement's
status at a glance, a slot's timeline, report quick ranges, and who may use any of it."""

import re
from datetime import date, datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from ads.models import AdSlot, Placement
from tests.ads.helpers import render_slot
from tests.ads.test_admin import banner_upload
from tests.ads.test_reports import read_csv
from tests.factories import AdStatFactory, AdvertiserFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db


def seoul(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def booked(slot, *, starts: tuple, ends: tuple, **fields) -> Placement:
    """A placement in ``slot`` from ``starts`` to ``ends``, (year, month, day[, hour, minute])
    in Seoul."""
    return PlacementFactory(slot=slot, starts_at=seoul(*starts), ends_at=seoul(*ends), **fields)


def form_data(slot, *, starts_at, ends_at, **overrides) -> dict:
    """What the placement form posts, with times typed in KST as the admin's widgets send them."""
    data = {
        "advertiser": AdvertiserFactory(name="미르센서텍").pk,
        "name": "연말 특별 배너",
        "slot": slot.pk,
        "kind": "image",
        "alt_text": "연말 특별 할인",
        "target_url": "https://mir.example/year-end",
        "starts_at_0": f"{starts_at:%Y-%m-%d}",
        "starts_at_1": f"{starts_at:%H:%M:%S}",
        "ends_at_0": f"{ends_at:%Y-%m-%d}",
        "ends_at_1": f"{ends_at:%H:%M:%S}",
        "weight": "1",
        "position": "4",
        "is_active": "on",
    }
    return data | overrides


@pytest.fixture
def full_slot(clock, sub_right):
    """It is 2026-03-02 09:00 in Seoul; 서브우측 shows three banners, and three are live."""
    clock(2026, 3, 2, 9, 0)
    return {
        "slot": sub_right,
        "first": booked(
            sub_right,
            name="스마트팩토리 솔루션",
            position=1,
            starts=(2026, 2, 1),
            ends=(2026, 4, 1),
        ),
        "second": booked(
            sub_right, name="협동로봇 신제품", position=2, starts=(2026, 2, 20), ends=(2026, 3, 31)
        ),
        "third": booked(
            sub_right, name="유압 실린더 특가", position=3, starts=(2026, 2, 25), ends=(2026, 3, 20)
        ),
    }


@pytest.fixture
def displaced(full_slot) -> Placement:
    """A fourth placement in the full slot, behind the others, from 1 to 10 March."""
    return booked(
        full_slot["slot"],
        name="연말 특별 배너",
        position=5,
        starts=(2026, 3, 1),
        ends=(2026, 3, 10),
    )


class TestWhatOverbookedMeans:
    """More live placements than the slot shows at once, at some moment of a placement's
    schedule from now on: by position the lowest positions show and the others are
    displaced; by weight none is left out, and all share the rotation."""

    def unsaved(self, slot, **fields) -> Placement:
        return PlacementFactory.build(slot=slot, advertiser=AdvertiserFactory(), **fields)

    def test_by_position_a_fourth_placement_ahead_displaces_the_last_while_they_overlap(
        self, full_slot
    ):
        new = self.unsaved(
            full_slot["slot"], position=0, starts_at=seoul(2026, 3, 10), ends_at=seoul(2026, 4, 10)
        )

        [overbooking] = new.overbooking()

        assert (overbooking.starts_at, overbooking.ends_at) == (
            seoul(2026, 3, 10),
            seoul(2026, 3, 20),  # the third ends then: from there, three are live again
        )
        assert overbooking.pushed_off == [full_slot["third"]]
        assert not overbooking.placement_left_out

    def test_by_position_a_fourth_placement_behind_is_itself_left_out(self, full_slot):
        new = self.unsaved(
            full_slot["slot"], position=9, starts_at=seoul(2026, 3, 10), ends_at=seoul(2026, 3, 15)
        )

        [overbooking] = new.overbooking()

        assert overbooking.pushed_off == []
        assert overbooking.placement_left_out

    def test_times_with_the_same_outcome_are_told_as_one(self, full_slot):
        booked(full_slot["slot"], position=5, starts=(2026, 3, 12), ends=(2026, 3, 14))
        new = self.unsaved(
            full_slot["slot"], position=2, starts_at=seoul(2026, 3, 10), ends_at=seoul(2026, 3, 18)
        )

        [overbooking] = new.overbooking()

        assert (overbooking.starts_at, overbooking.ends_at) == (
            seoul(2026, 3, 10),
            seoul(2026, 3, 18),
        )
        assert overbooking.most_live == 5
        assert overbooking.pushed_off == [full_slot["third"]]

    def test_by_weight_all_live_placements_share_the_rotation(self, clock, sub_banner):
        clock(2026, 3, 2, 9, 0)
        live = [
            booked(sub_banner, starts=(2026, 3, 1), ends=(2026, 4, 1)) for _ in range(4)
        ]  # in the order they were made, as all have position 0
        new = self.unsaved(sub_banner, starts_at=seoul(2026, 3, 5), ends_at=seoul(2026, 3, 6))

        [overbooking] = new.overbooking()

        assert overbooking.live == [*live, new]
        assert overbooking.pushed_off == [] and not overbooking.placement_left_out

    @pytest.mark.parametrize(
        "fields",
        [
            {"starts_at": (2026, 3, 20), "ends_at": (2026, 3, 25)},  # starts as the third ends
            {"starts_at": (2026, 4, 1), "ends_at": (2026, 4, 5)},
            {"starts_at": (2026, 3, 10), "ends_at": (2026, 3, 15), "is_active": False},
        ],
        ids=["meets-an-end", "after-all", "paused"],
    )
    def test_no_overbooking_when_they_never_overlap_or_it_is_paused(self, full_slot, fields):
        times = {name: seoul(*fields.pop(name)) for name in ("starts_at", "ends_at")}
        new = self.unsaved(full_slot["slot"], **times, **fields)

        assert new.overbooking() == []

    def test_paused_placements_and_an_inactive_slot_hold_no_place(self, full_slot):
        full_slot["third"].is_active = False
        full_slot["third"].save()
        new = self.unsaved(
            full_slot["slot"], starts_at=seoul(2026, 3, 10), ends_at=seoul(2026, 3, 15)
        )
        assert new.overbooking() == []

        AdSlot.objects.filter(pk=full_slot["slot"].pk).update(is_active=False)
        full_slot["slot"].refresh_from_db()
        new.is_active = True
        assert new.overbooking() == []

    def test_the_past_is_not_counted(self, full_slot, clock):
        clock(2026, 3, 25, 12, 0)  # the third ended on the 20th
        new = self.unsaved(
            full_slot["slot"], starts_at=seoul(2026, 3, 1), ends_at=seoul(2026, 3, 30)
        )

        assert new.overbooking() == []


class TestStatuses:
    def test_a_full_slot_by_position_displaces_the_highest_positions_as_the_site_does(
        self, full_slot, displaced
    ):

        listed = Placement.objects.with_displacement()
        assert {p.name: p.status for p in listed} == {
            "스마트팩토리 솔루션": Placement.Status.LIVE,
            "협동로봇 신제품": Placement.Status.LIVE,
            "유압 실린더 특가": Placement.Status.LIVE,
            "연말 특별 배너": Placement.Status.DISPLACED,
        }
        assert displaced.status == Placement.Status.DISPLACED  # without the annotation too
        assert list(Placement.objects.with_status(Placement.Status.DISPLACED)) == [displaced]
        assert displaced not in Placement.objects.with_status(Placement.Status.LIVE)
        html = render_slot("sub-right")
        assert f"/ads/{displaced.pk}/click/" not in html
        assert html.count("<img") == 3

    def test_a_full_slot_by_weight_displaces_nobody(self, sub_banner):
        for _ in range(6):
            PlacementFactory(slot=sub_banner)

        assert {p.status for p in Placement.objects.with_displacement()} == {Placement.Status.LIVE}
        assert not Placement.objects.with_status(Placement.Status.DISPLACED).exists()


@pytest.fixture
def logged_in(client, ad_staff):
    client.force_login(ad_staff)
    return client


ADD = reverse("admin:ads_placement_add")


class TestOverbookingWarning:
    def post_fourth(self, client, full_slot, **overrides):
        data = form_data(
            full_slot["slot"],
            starts_at=datetime(2026, 3, 10, 0, 0),
            ends_at=datetime(2026, 3, 25, 18, 30),
            position="2",
            image=banner_upload(),
        )
        return client.post(ADD, data | overrides)

    def test_names_what_would_be_displaced_and_when_and_saves_nothing(self, logged_in, full_slot):
        response = self.post_fourth(logged_in, full_slot)

        assert response.status_code == 200
        assert not Placement.objects.filter(name="연말 특별 배너").exists()
        content = response.content.decode()
        warning = content[content.index('class="overbooking"') :].split("</section>")[0]
        assert "저장하면 광고 자리가 초과 예약됩니다" in warning
        assert "유압 실린더 특가" in warning and "밀려나" in warning
        assert "2026-03-10 00:00" in warning and "2026-03-20 00:00" in warning  # KST
        assert "+00:00" not in warning and "+09:00</" not in warning
        assert "자리 3개에 게재 최대 4개" in warning
        assert 'name="confirm_overbooking"' in warning and ">저장</button>" in warning
        assert ">취소</a>" in warning

    def test_keeps_everything_typed_and_the_banner_chosen(self, logged_in, full_slot, media_root):
        response = self.post_fourth(logged_in, full_slot)

        content = response.content.decode()
        assert 'value="연말 특별 배너"' in content
        assert 'value="https://mir.example/year-end"' in content
        assert 'value="2026-03-25"' in content and 'value="18:30:00"' in content
        token = re.search(r'name="held_banner" value="([^"]+)"', content).group(1)
        held = response.context["adminform"].form.instance.image.name
        assert default_storage.exists(held) and held in content  # its preview
        assert "고른 배너는 그대로 보관되어 있습니다" in content
        assert token

    def test_saving_needs_the_confirmation_of_the_warning_shown(self, logged_in, full_slot, clock):
        warned = self.post_fourth(logged_in, full_slot)
        form = warned.context["adminform"].form
        kept = {"held_banner": form.data["held_banner"], "image": ""}

        forged = self.post_fourth(logged_in, full_slot, confirm_overbooking="yes", **kept)
        assert forged.status_code == 200
        assert not Placement.objects.filter(name="연말 특별 배너").exists()

        saved = self.post_fourth(
            logged_in, full_slot, confirm_overbooking=form.confirmation, **kept
        )
        assert saved.status_code == 302
        placement = Placement.objects.get(name="연말 특별 배너")
        assert placement.image.name == form.instance.image.name  # the banner chosen first
        assert (placement.image_width, placement.image_height) == (300, 250)
        clock(2026, 3, 10, 0, 0)
        full_slot["third"].refresh_from_db()
        assert full_slot["third"].status == Placement.Status.DISPLACED

    def test_a_confirmation_given_before_the_slot_changed_brings_the_warning_back(
        self, logged_in, full_slot
    ):
        confirmation = self.post_fourth(logged_in, full_slot).context["adminform"].form.confirmation
        slot = full_slot["slot"]
        booked(slot, name="전시회 초청", position=0, starts=(2026, 3, 12), ends=(2026, 3, 14))

        response = self.post_fourth(logged_in, full_slot, confirm_overbooking=confirmation)

        assert response.status_code == 200
        content = response.content.decode()
        assert "2026-03-12 00:00" in content and "이 게재는 보이지 않습니다" in content
        assert not Placement.objects.filter(name="연말 특별 배너").exists()

    def test_after_changing_the_dates_it_saves_without_a_warning(self, logged_in, full_slot):
        warned = self.post_fourth(logged_in, full_slot)
        held = warned.context["adminform"].form.data["held_banner"]

        response = self.post_fourth(
            logged_in,
            full_slot,
            starts_at_0="2026-04-01",
            ends_at_0="2026-04-30",
            held_banner=held,
            image="",
        )

        assert response.status_code == 302
        assert Placement.objects.get(name="연말 특별 배너").status == Placement.Status.SCHEDULED

    def test_moving_a_placement_ahead_in_a_full_slot_warns_too(
        self, logged_in, full_slot, displaced
    ):
        behind = displaced
        data = form_data(
            full_slot["slot"],
            starts_at=datetime(2026, 3, 1),
            ends_at=datetime(2026, 3, 10),
            advertiser=behind.advertiser.pk,
            position="5",
        )
        url = reverse("admin:ads_placement_change", args=[behind.pk])

        renamed = logged_in.post(url, data | {"name": "연말 배너"})
        moved = logged_in.post(url, data | {"position": "0"})

        assert renamed.status_code == 302  # its schedule is unchanged: nothing new to warn of
        assert moved.status_code == 200
        assert "유압 실린더 특가" in moved.content.decode()
        behind.refresh_from_db()
        assert (behind.name, behind.position) == ("연말 배너", 5)

    def test_by_weight_it_names_every_placement_that_would_share_the_rotation(
        self, logged_in, clock, sub_banner
    ):
        clock(2026, 3, 2, 9, 0)
        names = ["5축 가공기", "공장 자동화 상담", "산업용 센서", "하반기 캠페인"]
        for name in names:
            PlacementFactory(
                slot=sub_banner, name=name, starts_at=seoul(2026, 3, 1), ends_at=seoul(2026, 4, 1)
            )

        response = logged_in.post(
            ADD,
            form_data(
                sub_banner,
                starts_at=datetime(2026, 3, 3),
                ends_at=datetime(2026, 3, 4),
                image=banner_upload(300, 100),
            ),
        )

        content = response.content.decode()
        assert "돌아가며 보입니다" in content
        assert all(name in content for name in names)
        assert "밀려나" not in content.split('class="overbooking"')[1].split("</section>")[0]
        assert not Placement.objects.filter(name="연말 특별 배너").exists()

    def test_in_english_when_the_admin_is_in_english(self, logged_in, full_slot, settings):
        logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

        content = self.post_fourth(logged_in, full_slot).content.decode()

        assert "Saving would overbook the slot" in content
        assert "Would be displaced, no longer shown:" in content
        assert "2026-03-10 00:00" in content


class TestPlacementList:
    def test_shows_each_status_with_its_badge_and_kst_times(self, logged_in, full_slot):
        booked(
            full_slot["slot"],
            name="연말 특별 배너",
            position=5,
            starts=(2026, 3, 1, 14, 5),
            ends=(2026, 3, 10),
        )
        PlacementFactory(slot=full_slot["slot"], name="중지 배너", is_active=False)

        response = logged_in.get(reverse("admin:ads_placement_changelist"))

        content = response.content.decode()
        row = content[content.index("연말 특별 배너") :].split("</tr>")[0]
        assert 'class="placement-status placement-status-displaced">밀려남<' in row
        assert "2026-03-01 14:05</time> ~" in row and "2026-03-10 00:00" in row
        assert 'placement-status-live">노출 중<' in content
        assert 'placement-status-paused">일시 중지<' in content
        assert "+00:00" not in content and "True" not in row

    def test_the_status_filter_offers_displaced(self, logged_in, full_slot):
        PlacementFactory(slot=full_slot["slot"], name="연말 특별 배너", position=5)
        url = reverse("admin:ads_placement_changelist")

        displaced = logged_in.get(url, {"status": "displaced"})
        live = logged_in.get(url, {"status": "live"})

        assert [p.name for p in displaced.context["cl"].result_list] == ["연말 특별 배너"]
        assert "연말 특별 배너" not in [p.name for p in live.context["cl"].result_list]
        assert len(live.context["cl"].result_list) == 3


class TestSlotPage:
    def test_lists_the_slots_placements_on_a_timeline_with_their_states(
        self, logged_in, full_slot, displaced
    ):
        slot = full_slot["slot"]
        booked(slot, name="전시회 초청", position=4, starts=(2026, 3, 25), ends=(2026, 4, 5))

        response = logged_in.get(reverse("admin:ads_adslot_change", args=[full_slot["slot"].pk]))

        timeline = response.context["timeline"]
        assert [row.placement.name for row in timeline.rows] == [
            "스마트팩토리 솔루션",
            "협동로봇 신제품",
            "유압 실린더 특가",
            "전시회 초청",
            "연말 특별 배너",
        ]
        content = response.content.decode()
        assert '밀려남: <span class="placement-period">' in content
        assert "2026-03-01 00:00</time> ~</span> <time" in content  # displaced from, in KST
        assert 'placement-status-scheduled">예약<' in content
        assert content.count('class="slot-timeline-displaced"') == 1
        assert "초과 예약" in content


class TestReportQuickRanges:
    @pytest.fixture
    def figures(self, sub_right):
        placement = PlacementFactory(slot=sub_right, name="우측 배너")
        for day in range(1, 31):
            AdStatFactory(placement=placement, date=date(2026, 11, day), impressions=10, clicks=1)
        AdStatFactory(placement=placement, date=date(2026, 10, 31), impressions=999, clicks=99)
        AdStatFactory(placement=placement, date=date(2026, 12, 1), impressions=777, clicks=77)
        return placement

    def test_last_month_is_the_kst_calendar_month_and_the_numbers_agree(
        self, logged_in, figures, clock
    ):
        clock(2026, 12, 1, 0, 30)  # still 30 November in UTC
        url = reverse("admin:ads_placement_report", args=[figures.pk])

        response = logged_in.get(url, {"range": "last-month"})

        days = response.context["days"]
        assert (days[0].date, days[-1].date) == (date(2026, 11, 1), date(2026, 11, 30))
        totals = response.context["totals"]
        assert (totals.impressions, totals.clicks) == (300, 30)
        assert len(response.context["chart"]["bars"]) == 30
        content = response.content.decode()
        assert '<a href="?range=last-month" aria-current="true">지난달</a>' in content
        assert "2026-11-01 ~ 2026-11-30 (30일)" in content
        rows = read_csv(logged_in.get(response.context["csv_url"]))[1:]
        assert sum(int(row[3]) for row in rows) == 300 and len(rows) == 30

    @pytest.mark.parametrize(
        ("today", "quick", "expected"),
        [
            ((2026, 12, 10), "this-month", ((2026, 12, 1), (2026, 12, 10))),
            ((2026, 12, 10), "last-7-days", ((2026, 12, 4), (2026, 12, 10))),
            ((2026, 1, 15), "last-month", ((2025, 12, 1), (2025, 12, 31))),
            ((2026, 3, 1), "last-month", ((2026, 2, 1), (2026, 2, 28))),
        ],
    )
    def test_each_quick_range(self, logged_in, figures, clock, today, quick, expected):
        clock(*today, 23, 59)

        response = logged_in.get(
            reverse("admin:ads_placement_report", args=[figures.pk]), {"range": quick}
        )

        form = response.context["form"]
        assert (form.cleaned_data["start"], form.cleaned_data["end"]) == tuple(
            date(*day) for day in expected
        )

    def test_a_custom_range_still_works_and_marks_no_quick_range(self, logged_in, figures):
        response = logged_in.get(
            reverse("admin:ads_placement_report", args=[figures.pk]),
            {"start": "2026-11-03", "end": "2026-11-04"},
        )

        assert response.context["totals"].impressions == 20
        assert "aria-current" not in response.content.decode().split("ad-report-quick")[1][:400]

    def test_the_advertiser_report_has_them_too(self, logged_in, figures, clock):
        clock(2026, 12, 5, 9, 0)

        response = logged_in.get(
            reverse("admin:ads_advertiser_report", args=[figures.advertiser.pk]),
            {"range": "last-month"},
        )

        assert response.context["totals"].impressions == 300


NOT_AD_STAFF = ["anonymous", "reader", "reporter_user", "editor", "moderator"]


def ahead_of_the_others(slot, **overrides) -> dict:
    """The form of a placement ahead of every other in ``slot``, from 10 to 12 March."""
    data = form_data(
        slot,
        starts_at=datetime(2026, 3, 10),
        ends_at=datetime(2026, 3, 12),
        position="0",
        image=banner_upload(),
    )
    return data | overrides


class TestOnlyAdStaffAndSuperusers:
    @pytest.mark.parametrize("role", NOT_AD_STAFF)
    def test_nobody_else_can_save_a_confirmed_overbooking_or_read_the_desk(
        self, client, request, full_slot, role
    ):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        data = ahead_of_the_others(full_slot["slot"], confirm_overbooking="anything")

        responses = [
            client.post(ADD, data),
            client.get(reverse("admin:ads_adslot_change", args=[full_slot["slot"].pk])),
            client.get(
                reverse("admin:ads_placement_report", args=[full_slot["first"].pk]),
                {"range": "last-month"},
            ),
            client.get(reverse("admin:ads_placement_changelist"), {"status": "displaced"}),
        ]

        expected = 302 if role in ("anonymous", "reader") else 403
        assert [response.status_code for response in responses] == [expected] * 4
        assert Placement.objects.count() == 3

    def test_a_superuser_gets_the_same_warning_and_may_confirm_it(self, client, full_slot):
        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
        data = ahead_of_the_others(full_slot["slot"])

        warned = client.post(ADD, data)
        form = warned.context["adminform"].form
        saved = client.post(
            ADD,
            data
            | {
                "image": "",
                "held_banner": form.data["held_banner"],
                "confirm_overbooking": form.confirmation,
            },
        )

        assert warned.status_code == 200 and saved.status_code == 302
        assert Placement.objects.count() == 4
