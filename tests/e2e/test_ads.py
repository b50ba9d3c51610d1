import time
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from ads.models import AdStat, Placement
from tests.ads.helpers import BROWSER
from tests.factories import AdSlotFactory, ArticleFactory, PlacementFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Stands in for an ad network's tag: inline script that must run inside the sandboxed frame.
NETWORK_TAG = (
    '<p id="ad">대기</p>'
    '<script>document.getElementById("ad").textContent = "네트워크 광고"</script>'
)
LONG_BODY = "".join(
    f"<p>스마트공장 보급 사업 {n}번째 문단입니다. 업계는 환영했다.</p>" for n in range(40)
)


@contextmanager
def counted_beacon(page):
    """Waits until the server has answered the impression beacon the block makes the page send.

    The live server shares an in-memory SQLite database with this thread, which must not
    read while the server writes; and browsers do not report a beacon's response.
    """
    answers = []

    def forward(route):
        answers.append(route.fetch().status)
        route.fulfill(status=answers[-1])

    page.route("**/ads/impressions/", forward)
    yield
    while not answers:
        page.wait_for_timeout(20)
    page.unroute("**/ads/impressions/")
    assert answers == [204]


def counts(placement) -> tuple[int, int]:
    stat = AdStat.objects.filter(placement=placement).first()
    return (stat.impressions, stat.clicks) if stat else (0, 0)


@pytest.fixture
def phone(browser):
    """A phone-sized page with an ordinary browser's user agent (bots are not counted)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640},
        user_agent=BROWSER,
        locale="ko-KR",
        timezone_id="Asia/Seoul",
    )
    yield context.new_page()
    context.close()


def test_a_reader_sees_a_banner_counted_when_scrolled_into_view_and_clicks_it(phone, live_server):
    article = ArticleFactory(title="협동로봇 수출 첫 1억 달러 돌파", body=LONG_BODY)
    target = f"{live_server.url}/static/img/favicon.svg"  # a landing page that needs no database
    placement = PlacementFactory(
        slot=AdSlotFactory(key="sub-right", width=300, height=250),
        alt_text="한빛정밀 협동로봇 신제품",
        target_url=target,
    )

    phone.goto(f"{live_server.url}{article.get_absolute_url()}")

    slot = phone.locator(".ad-slot-sub-right")
    expect(slot.locator(".ad-label")).to_have_text("광고")
    banner = slot.get_by_role("link", name="한빛정밀 협동로봇 신제품")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    time.sleep(0.3)
    assert counts(placement) == (0, 0)  # below the article: not seen yet

    with counted_beacon(phone):
        banner.scroll_into_view_if_needed()
    assert counts(placement) == (1, 0)

    with phone.expect_popup() as popup:
        banner.click()
    popup.value.wait_for_load_state()
    assert popup.value.url == target
    assert counts(placement) == (1, 1)


def test_a_network_tag_runs_in_its_sandboxed_frame_and_is_counted(phone, live_server):
    article = ArticleFactory(body=LONG_BODY)
    network = PlacementFactory(
        slot=AdSlotFactory(key="sub-banner", width=300, height=100),
        kind=Placement.Kind.NETWORK,
        image="",
        network_code=NETWORK_TAG,
    )

    phone.goto(f"{live_server.url}{article.get_absolute_url()}")
    with counted_beacon(phone):
        phone.locator(".ad-slot-sub-banner iframe").scroll_into_view_if_needed()

    expect(phone.frame_locator(".ad-slot-sub-banner iframe").locator("#ad")).to_have_text(
        "네트워크 광고"
    )
    assert counts(network) == (1, 0)
