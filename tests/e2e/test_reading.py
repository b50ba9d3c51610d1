import pytest
from playwright.sync_api import expect

from articles.popularity import article_views
from tests.factories import ArticleFactory, PhotoFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def article(db):
    return ArticleFactory(
        title="모바일에서 읽는 긴 제목의 기사: 스마트공장 보급이 지역 제조업을 바꾼다",
        lead_photo=PhotoFactory(),
        tags=["스마트공장"],
    )


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phones_get_the_mobile_layout_and_can_switch_to_pc_and_back(page, live_server, article):
    page.set_viewport_size(PHONE)
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
        page.goto(f"{live_server.url}{url}")
        assert no_sideways_scroll(page), url
    expect(page.locator(".to-mobile")).to_be_hidden()

    page.get_by_role("link", name="PC 버전").click()
    expect(page.locator("html")).to_have_attribute("data-layout", "pc")
    expect(page.locator('meta[name="viewport"]')).to_have_attribute("content", "width=1200")

    page.get_by_role("link", name="모바일 버전 바로가기").click()
    expect(page.locator("html")).to_have_attribute("data-layout", "mobile")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")  # remembered on every page
    expect(page.locator("html")).to_have_attribute("data-layout", "mobile")
    assert no_sideways_scroll(page)


def test_desktop_readers_reach_the_mobile_layout_from_every_page(page, live_server, article):
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    page.get_by_role("link", name="모바일 버전 바로가기").click()

    expect(page.locator("html")).to_have_attribute("data-layout", "mobile")
    assert page.evaluate("document.body.getBoundingClientRect().width") <= 480
    page.get_by_role("link", name="PC 버전").click()
    expect(page.locator("html")).to_have_attribute("data-layout", "pc")


def test_text_size_is_remembered(page, live_server, article):
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    body = page.locator(".article-body")
    before = body.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")

    page.get_by_role("button", name="글자 크게").click()
    page.get_by_role("button", name="글자 크게").click()
    page.reload()

    after = body.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")
    assert after > before * 1.2


def test_reading_the_article_counts_a_view(page, live_server, article, settings):
    settings.COUNTER_FLUSH_SECONDS = 0
    article_views.pending.clear()

    with page.expect_request(f"**/articles/{article.pk}/viewed/"):
        page.goto(f"{live_server.url}{article.get_absolute_url()}")

    page.wait_for_timeout(300)
    article.refresh_from_db()
    assert article.view_count == 1


def test_most_read_tabs(page, live_server, article):
    from django.utils import timezone

    from articles.models import DailyViews

    DailyViews.objects.create(article=article, date=timezone.localdate(), views=3)
    page.goto(live_server.url)

    today, week = page.get_by_role("tab", name="오늘"), page.get_by_role("tab", name="이번 주")
    expect(today).to_have_attribute("aria-selected", "true")
    expect(page.locator("#most-read-week")).to_be_hidden()
    week.click()
    expect(page.locator("#most-read-week")).to_be_visible()
    expect(page.locator("#most-read-day")).to_be_hidden()


def test_switching_to_english_and_back(page, live_server, article):
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Email this article")).to_be_visible()

    page.get_by_role("link", name="한국어").click()
    expect(page.get_by_role("link", name="기사 메일전송")).to_be_visible()
