"""An editor in a real browser: the partnership report at desktop and phone widths (axe-clean),
its CSV downloaded and read back; publishing a story that repeats one sent yesterday stops at
the warning step, and publishing anyway records the decision."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Origin, PortalCategory
from portals.models import ComplianceWarning

# The accessibility tests' fixtures: skip without axe, and let its inline script run.
from tests.e2e.test_accessibility import (  # noqa: F401
    axe_installed,
    browser_context_args,
    serious_violations,
)
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = (
    "<p>산업통상자원부는 올해 중소 제조업체 1천200곳에 스마트공장 구축 비용을 지원한다고 "
    "10일 발표했다. 지원 규모는 지난해보다 20% 늘었다.</p>"
    "<p>업계는 인력난을 덜 수 있을 것으로 기대했다.</p>"
)


@pytest.fixture
def desk(db):
    UserFactory(username="chief", is_staff=True, groups=["Editors"])
    industry = SectionFactory(name="산업", slug="industry", portal_category=PortalCategory.INDUSTRY)
    now = timezone.now()
    for days, origin in enumerate([Origin.OWN, Origin.OWN, Origin.WIRE, Origin.PRESS_RELEASE]):
        ArticleFactory(
            section=industry,
            origin=origin,
            title=f"산업 기사 {days}",
            body=f"<p>서로 다른 기사 {days}번 본문입니다.</p>",
            published_at=now - timedelta(days=days + 2),
        )
    ArticleFactory(
        section=industry,
        title="스마트공장 지원 20% 확대",
        body=BODY,
        published_at=now - timedelta(days=1),
    )
    return industry


def log_in(page, live_server):
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.locator("#id_username").fill("chief")
    page.locator("#id_password").fill("correct-horse-battery")
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


def assert_accessible(page):
    problems = serious_violations(page)
    assert problems == [], "\n".join(problems)


def test_the_partnership_report_on_desk_and_phone_and_its_csv(page, live_server, desk):
    log_in(page, live_server)
    page.goto(f"{live_server.url}{reverse('admin:portals_partnershipreport_changelist')}")
    expect(page.locator("h1")).to_have_text("포털 제휴 보고서")
    # 3 own stories of 5: 60%.
    expect(page.locator(".portals-figure")).to_contain_text("60.0%")
    expect(page.locator(".portals-verdict")).to_contain_text("심사 기준인 30% 이상입니다")
    expect(page.locator("svg.portals-chart")).to_be_visible()
    for width, height in ((1280, 900), (360, 780)):
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways at {width}px"

    with page.expect_download() as download:
        page.get_by_role("link", name="기사 목록 내려받기 (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == Article.objects.published().count() == 5
    assert {row["기사 출처"] for row in rows} == {"자체기사", "통신", "보도자료"}
    assert all(row["기사링크"].startswith(live_server.url) for row in rows)


def test_publishing_a_story_sent_yesterday_stops_at_the_warning(page, live_server, desk):
    again = ArticleFactory(
        section=desk,
        title="스마트공장 지원 늘린다",
        body=BODY,
        status=Article.Status.REVIEW,
        published_at=None,
    )
    log_in(page, live_server)
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[again.pk])}")
    page.get_by_role("button", name="출고…", exact=True).click()
    page.get_by_role("button", name="출고", exact=True).click()

    expect(page.locator("h1")).to_have_text("포털 제휴 규정 경고")
    expect(page.locator(".workflow-statement")).to_contain_text("아직 아무것도 출고되지 않았습니다")
    expect(page.locator(".compliance-article")).to_contain_text("최근 기사 재전송")
    expect(page.locator(".compliance-article")).to_contain_text("스마트공장 지원 20% 확대")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
    again.refresh_from_db()
    assert again.status == Article.Status.REVIEW

    page.get_by_role("button", name="그래도 진행").click()
    expect(page.locator(".messagelist")).to_contain_text("출고")
    again.refresh_from_db()
    assert again.is_published
    assert ComplianceWarning.objects.get(article=again).went_ahead
