"""메인 편집 and 속보 in a real browser: an editor pins a top story for an hour, orders the
headlines by dragging (or with the Up button on a phone), flags breaking news, and a reader
on a cached page sees each change at once; axe-core checks the board and the public page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from frontpage.models import BreakingNews, Pin
from tests.factories import ArticleFactory, PhotoFactory, UserFactory

from .test_accessibility import (  # noqa: F401
    axe_installed,
    browser_context_args,
    serious_violations,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery"  # UserFactory's


def look_again(page, url):
    """The reader comes back to ``url`` by following a link, not reloading: the browser
    asks the server again (max-age=0), which answers from its page cache."""
    page.goto(url)


@pytest.fixture
def stories(db):
    UserFactory(username="desk", display_name="김데스크", is_staff=True, groups=["Editors"])
    hours_ago = lambda n: timezone.now() - timedelta(hours=n)  # noqa: E731
    return {
        "latest": ArticleFactory(title="방금 들어온 기사", lead_photo=PhotoFactory()),
        "lead": ArticleFactory(title="편집국이 고른 톱기사", published_at=hours_ago(5)),
        "second": ArticleFactory(title="두 번째로 올린 기사", published_at=hours_ago(8)),
    }


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_an_editor_arranges_the_home_page_and_flags_breaking_news(
    new_context, live_server, stories, viewport, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    problems = {}
    reader = new_context(viewport=viewport).new_page()
    home = f"{live_server.url}/"
    reader.goto(home)  # cached now for every anonymous reader
    expect(reader.locator("article.top-story")).to_contain_text("방금 들어온 기사")

    desk = new_context(viewport=viewport).new_page()
    desk.goto(f"{live_server.url}/admin/login/?next=/admin/frontpage/pin/")
    desk.locator("#id_username").fill("desk")
    desk.locator("#id_password").fill(PASSWORD)
    desk.locator("input[type=submit]").click()
    expect(desk.get_by_role("heading", name="메인 편집")).to_be_visible()
    problems["board"] = serious_violations(desk)

    # The top story for one hour, then a headline in the last slot.
    an_hour = timezone.localtime() + timedelta(hours=1)
    desk.locator("#id_article").select_option(str(stories["lead"].pk))
    desk.get_by_label("톱 기사").check()
    desk.locator("#id_ends_at").fill(an_hour.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_role("button", name="고정", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("톱 기사")
    desk.locator("#id_article").select_option(str(stories["second"].pk))
    desk.get_by_label("헤드라인 마지막 자리").check()
    desk.get_by_role("button", name="고정", exact=True).click()
    slots = desk.locator(".front-slots > li")
    expect(slots).to_have_count(2)
    expect(slots.nth(0)).to_contain_text("남음")  # the countdown to the pin's end

    look_again(reader, home)
    expect(reader.locator("article.top-story")).to_contain_text("편집국이 고른 톱기사")

    # The second story to the top: dragged on a wide screen, with its Up button on a phone.
    if viewport["width"] > 800:
        slots.nth(1).drag_to(slots.nth(0))
    else:
        desk.get_by_role("button", name="“두 번째로 올린 기사” 위로 옮기기").click()
    expect(desk.locator(".front-slots > li").nth(0)).to_contain_text("두 번째로 올린 기사")
    assert list(Pin.objects.values_list("article__title", flat=True)) == [
        "두 번째로 올린 기사",
        "편집국이 고른 톱기사",
    ]

    # Breaking news, for the hour the form offers.
    desk.locator("#id_breaking-article").select_option(str(stories["latest"].pk))
    desk.get_by_role("button", name="속보로 내보내기").click()
    expect(desk.locator("#breaking")).to_contain_text("지금 사이트에 나가는 중")
    flag = BreakingNews.objects.get()
    assert timedelta(minutes=58) < flag.ends_at - timezone.now() <= timedelta(hours=1)

    look_again(reader, home)
    banner = reader.get_by_role("region", name="속보")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name="방금 들어온 기사")).to_be_visible()
    expect(reader.locator("article.top-story")).to_contain_text("두 번째로 올린 기사")
    problems["home with the banner"] = serious_violations(reader)
    look_again(reader, f"{live_server.url}{stories['lead'].get_absolute_url()}")
    expect(reader.get_by_role("region", name="속보")).to_be_visible()

    desk.get_by_role("button", name="지금 배너 내리기").click()
    expect(desk.locator(".messagelist")).to_contain_text("내렸습니다")
    look_again(reader, home)
    expect(reader.get_by_role("region", name="속보")).to_have_count(0)

    assert not {name: found for name, found in problems.items() if found}
