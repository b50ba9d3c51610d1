"""Ad staff in a real browser: a fourth banner in a full three-banner slot is stopped by a
warning naming the banner it would push off and when; they cancel, move the dates and save;
the list shows every placement's state; last month's report is one click away."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ads.models import Placement

# The accessibility tests' fixtures: skip without axe, and let its inline script run.
from tests.e2e.test_accessibility import (  # noqa: F401
    axe_installed,
    browser_context_args,
    serious_violations,
)
from tests.factories import (
    AdSlotFactory,
    AdStatFactory,
    AdvertiserFactory,
    PlacementFactory,
    UserFactory,
    image_bytes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def full_slot(db):
    """서브우측 shows three banners, and three are live for the next month."""
    slot = AdSlotFactory(key="sub-right", name="서브우측", max_placements=3)
    now = timezone.now().replace(second=0, microsecond=0)
    names = ["스마트팩토리 솔루션", "협동로봇 신제품", "유압 실린더 특가"]
    placements = [
        PlacementFactory(
            slot=slot,
            name=name,
            position=position,
            starts_at=now - timedelta(days=3),
            ends_at=now + timedelta(days=30),
        )
        for position, name in enumerate(names, start=1)
    ]
    AdvertiserFactory(name="미르센서텍")
    return {"slot": slot, "placements": placements, "ends_at": now + timedelta(days=30)}


def log_in(page, live_server):
    UserFactory(username="adstaff", is_staff=True, groups=["Ad staff"])
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.locator("#id_username").fill("adstaff")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


# Django's date shortcuts read "오늘" but are labelled "Today (date)" until the Korean JS
# catalogue (locale/ko/LC_MESSAGES/djangojs.po, the desk's translations) has that string;
# from then on they are checked like the rest.
UNTRANSLATED_SHORTCUTS = (
    "typeof gettext === 'function' && gettext('Today (%(date)s)') === 'Today (%(date)s)'"
)


def assert_accessible(page):
    excused = (".datetimeshortcuts",) if page.evaluate(UNTRANSLATED_SHORTCUTS) else ()
    problems = serious_violations(page, exclude=excused)
    assert problems == [], "\n".join(problems)


def choose_advertiser(page, name):
    page.locator("#id_advertiser + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(name)
    page.locator(".select2-results__option", has_text=name).click()


def test_ad_staff_are_warned_before_a_fourth_banner_pushes_one_off(page, live_server, full_slot):
    log_in(page, live_server)
    slot_url = reverse("admin:ads_adslot_change", args=[full_slot["slot"].pk])
    page.goto(f"{live_server.url}{slot_url}")
    timeline = page.locator(".slot-schedule")
    expect(timeline.locator(".placement-status-live")).to_have_count(3)
    assert_accessible(page)

    page.get_by_role("link", name="이 자리에 게재 추가").click()
    expect(page.locator("#id_slot")).to_have_value(str(full_slot["slot"].pk))
    choose_advertiser(page, "미르센서텍")
    page.locator("#id_name").fill("연말 특별 배너")
    page.locator("#id_image").set_input_files(
        {"name": "banner.png", "mimeType": "image/png", "buffer": image_bytes(300, 250)}
    )
    page.locator("#id_alt_text").fill("연말 특별 할인")
    page.locator("#id_target_url").fill("https://mir.example/year-end")
    starts = timezone.localtime() + timedelta(days=2)
    page.locator("#id_starts_at_0").fill(f"{starts:%Y-%m-%d}")
    page.locator("#id_starts_at_1").fill("09:00:00")
    page.locator("#id_position").fill("0")
    page.locator("input[name=_save]").click()

    warning = page.locator(".overbooking")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("저장하면 광고 자리가 초과 예약됩니다")
    expect(warning.locator(".overbooking-displaced")).to_contain_text("유압 실린더 특가")
    expect(warning.locator(".overbooking-when")).to_contain_text(f"{starts:%Y-%m-%d} 09:00 ~")
    expect(warning.locator(".overbooking-when")).to_contain_text(
        f"{timezone.localtime(full_slot['ends_at']):%Y-%m-%d %H:%M}"
    )
    assert not Placement.objects.filter(name="연말 특별 배너").exists()
    assert_accessible(page)

    warning.get_by_role("link", name="취소").click()
    expect(warning).to_be_hidden()
    expect(page.locator("#id_starts_at_0")).to_be_focused()
    expect(page.locator("#id_name")).to_have_value("연말 특별 배너")
    expect(page.locator("#id_target_url")).to_have_value("https://mir.example/year-end")
    expect(page.locator(".field-banner_preview img")).to_be_visible()  # the banner is kept

    after = timezone.localtime(full_slot["ends_at"]) + timedelta(days=1)
    page.locator("#id_starts_at_0").fill(f"{after:%Y-%m-%d}")
    page.locator("#id_ends_at_0").fill(f"{after + timedelta(days=14):%Y-%m-%d}")
    page.locator("input[name=_save]").click()

    expect(page).to_have_url(f"{live_server.url}{reverse('admin:ads_placement_changelist')}")
    expect(page.locator(".messagelist")).to_contain_text("연말 특별 배너")
    row = page.locator("#result_list tr", has_text="연말 특별 배너")
    expect(row.locator(".placement-status")).to_have_text("예약")
    for placement in full_slot["placements"]:
        row = page.locator("#result_list tr", has_text=placement.name)
        expect(row.locator(".placement-status")).to_have_text("노출 중")
    saved = Placement.objects.get(name="연말 특별 배너")
    assert (saved.image_width, saved.image_height) == (300, 250)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)


def test_the_list_shows_a_displaced_banner_and_fits_a_phone(page, live_server, full_slot):
    PlacementFactory(slot=full_slot["slot"], name="연말 특별 배너", position=9)
    log_in(page, live_server)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}{reverse('admin:ads_placement_changelist')}")

    row = page.locator("#result_list tr", has_text="연말 특별 배너")
    expect(row.locator(".placement-status")).to_have_text("밀려남")
    expect(row.locator(".field-impressions")).to_contain_text("오늘 노출")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_last_months_report_is_one_click_away(page, live_server, full_slot):
    placement = full_slot["placements"][0]
    first_of_this_month = timezone.localdate().replace(day=1)
    last_day = first_of_this_month - timedelta(days=1)
    for day in range(1, last_day.day + 1):
        AdStatFactory(
            placement=placement, date=last_day.replace(day=day), impressions=100, clicks=2
        )
    AdStatFactory(placement=placement, date=first_of_this_month, impressions=5000, clicks=50)
    log_in(page, live_server)
    page.goto(f"{live_server.url}{reverse('admin:ads_placement_report', args=[placement.pk])}")

    page.get_by_role("link", name="지난달").click()

    expect(page.get_by_role("link", name="지난달")).to_have_attribute("aria-current", "true")
    expect(page.locator(".ad-report-period")).to_contain_text(
        f"{last_day.replace(day=1):%Y-%m-%d} ~ {last_day:%Y-%m-%d}"
    )
    totals = page.locator(".ad-report-totals")
    expect(totals).to_contain_text(f"{100 * last_day.day:,}")
    expect(totals).to_contain_text(f"{2 * last_day.day:,}")
    expect(page.locator(".ad-report-chart .impressions rect")).to_have_count(last_day.day)
    assert_accessible(page)
