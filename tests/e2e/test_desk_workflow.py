"""The newsroom workflow in a real browser: a reporter submits, an editor returns it with a
note, the reporter reads it and submits again, the editor schedules it, and bulk publishing
asks first. axe-core checks every admin screen on the way."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory, ReporterFactory, UserFactory

# The accessibility tests' fixtures: skip without axe-core, and let it run under the CSP.
from .test_accessibility import (  # noqa: F401
    axe_installed,
    browser_context_args,
    serious_violations,
)

# Transactional with serialized_rollback, like every browser test here, so that the flushes of
# browser tests treat the database alike (the staff groups come from staff_groups below).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery"  # UserFactory's
# The change form's fields and editor are the writing screen's; these parts are the workflow's.


@pytest.fixture
def newsroom(db):
    reporter = UserFactory(
        username="oh", display_name="오기자", is_staff=True, groups=["Reporters"]
    )
    ReporterFactory(user=reporter, name="오기자")
    UserFactory(username="desk", display_name="김데스크", is_staff=True, groups=["Editors"])
    story = ArticleFactory(
        reporter=reporter.reporter,
        status=Article.Status.DRAFT,
        published_at=None,
        title="협동로봇 안전 인증 간소화",
    )
    return story


def log_in(new_context, live_server, username, viewport):
    """A page of its own (a reporter and an editor work side by side), signed in."""
    page = new_context(viewport=viewport).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


class Axe:
    """Runs axe on each screen the journey reaches and keeps what it finds."""

    def __init__(self):
        self.found = {}

    def check(self, page, name):
        if problems := serious_violations(page):
            self.found[name] = problems


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_submit_return_resubmit_schedule_and_bulk_publish(
    new_context, live_server, newsroom, viewport
):
    axe = Axe()
    story_url = f"{live_server.url}/admin/articles/article/{newsroom.pk}/change/"

    # The reporter fixes the title and submits: the button saves first, then asks.
    reporter = log_in(new_context, live_server, "oh", viewport)
    reporter.goto(story_url)
    axe.check(reporter, "reporter's draft")
    reporter.locator("#id_title").fill("협동로봇 안전 인증 간소화…업계 환영")
    reporter.get_by_role("button", name="검토 요청…").click()
    expect(reporter.get_by_text("변경 내용을 저장했습니다.")).to_be_visible()
    expect(
        reporter.get_by_text("편집자가 출고하기 전까지 사이트에는 보이지 않습니다.")
    ).to_be_visible()
    axe.check(reporter, "submit confirmation")
    reporter.get_by_role("button", name="검토 요청", exact=True).click()
    expect(reporter.get_by_text("기사를 검토 요청했습니다. 편집자에게 알렸습니다.")).to_be_visible()
    expect(reporter.locator(".workflow-state")).to_contain_text("검토 요청")

    # The editor sees it waiting, first in the list, and returns it with a note.
    editor = log_in(new_context, live_server, "desk", viewport)
    expect(editor.get_by_role("link", name="기사 검토 대기 1건")).to_be_visible()
    axe.check(editor, "index with counts")
    editor.goto(f"{live_server.url}/admin/articles/article/")
    editor.get_by_role("link", name="검토 대기 1", exact=True).click()
    first = editor.locator("#result_list tbody tr").first
    expect(first).to_contain_text("업계 환영")
    expect(first).to_contain_text("검토 요청")
    axe.check(editor, "article list, waiting filter")
    first.get_by_role("link").first.click()
    editor.get_by_role("button", name="반려…").click()
    editor.get_by_role("button", name="반려", exact=True).click()
    expect(editor.get_by_text("기자가 고칠 점을 적어 주세요.")).to_be_visible()
    axe.check(editor, "return confirmation with an error")
    editor.get_by_label("기자에게 남길 메모").fill("업계 반응을 두 곳 이상 취재해 주세요.")
    editor.get_by_role("button", name="반려", exact=True).click()
    expect(editor.get_by_text("메모와 함께 기자에게 반려했습니다.")).to_be_visible()

    # The reporter is told, reads the note on the story and submits again.
    reporter.goto(f"{live_server.url}/admin/")
    expect(reporter.get_by_role("link", name="알림 읽지 않은 알림 1건")).to_be_visible()
    reporter.get_by_role("link", name="알림 읽지 않은 알림 1건").click()
    expect(reporter.get_by_text("업계 반응을 두 곳 이상 취재해 주세요.")).to_be_visible()
    axe.check(reporter, "notifications")
    reporter.get_by_role("link", name="기사를 반려했습니다").click()
    expect(reporter.locator(".workflow-note")).to_contain_text("업계 반응을 두 곳 이상")
    reporter.locator(".workflow-timeline summary").click()
    expect(reporter.locator(".workflow-timeline li")).to_have_count(3)
    axe.check(reporter, "returned story with its timeline")
    reporter.get_by_role("button", name="검토 요청…").click()
    reporter.get_by_role("button", name="검토 요청", exact=True).click()

    # The editor schedules it: the confirmation states the time in Korea time.
    editor.goto(story_url)
    editor.get_by_label("출고 시각 (한국 시각)").fill("2099-12-02T09:00")
    editor.get_by_role("button", name="예약 출고…").click()
    expect(
        editor.get_by_text("이 기사는 2099-12-02 09:00 (한국 시각)에 출고됩니다.")
    ).to_be_visible()
    axe.check(editor, "schedule confirmation")
    editor.get_by_role("button", name="예약 출고", exact=True).click()
    expect(editor.get_by_text("기사는 2099-12-02 09:00 (한국 시각)에 출고됩니다.")).to_be_visible()
    newsroom.refresh_from_db()
    assert newsroom.is_scheduled and not Article.objects.published().exists()

    # Bulk publishing lists what would happen and changes nothing until confirmed.
    ArticleFactory(title="[초안] 아직 쓰는 중", status=Article.Status.DRAFT, published_at=None)
    editor.goto(f"{live_server.url}/admin/articles/article/")
    editor.locator("#action-toggle").check()
    editor.locator("select[name=action]").select_option("publish")
    editor.locator(".actions button[type=submit]").click()
    expect(
        editor.get_by_text("검토를 거치지 않은 기사 1건(작성 중)은 출고하지 않습니다.")
    ).to_be_visible()
    expect(editor.get_by_text("예약된 기사 1건은 예약한 시각에 그대로 출고됩니다.")).to_be_visible()
    axe.check(editor, "bulk publish confirmation")
    editor.get_by_role("link", name="목록으로 돌아가기").click()
    assert not Article.objects.published().exists()

    # Withdrawing the scheduled story asks first, then calls the schedule off.
    editor.goto(story_url)
    editor.get_by_role("button", name="출고 취소…").click()
    expect(editor.get_by_text("출고 예약을 취소합니다. 기사는 출고되지 않습니다.")).to_be_visible()
    axe.check(editor, "withdraw confirmation")
    editor.get_by_role("button", name="출고 취소", exact=True).click()
    expect(editor.locator(".workflow-state")).to_contain_text("출고 취소")
    newsroom.refresh_from_db()
    assert newsroom.status == Article.Status.WITHDRAWN and newsroom.published_at is None
    assert newsroom.events.count() == 5

    assert axe.found == {}


def test_a_reporter_cannot_reach_an_editors_step(new_context, live_server, newsroom):
    reporter = log_in(new_context, live_server, "oh", {"width": 1280, "height": 900})
    newsroom.status = Article.Status.REVIEW
    newsroom.save()

    response = reporter.goto(
        f"{live_server.url}/admin/articles/article/{newsroom.pk}/workflow/publish/"
    )

    assert response.status == 403
    expect(reporter.get_by_role("button", name="출고…")).to_have_count(0)
    newsroom.refresh_from_db()
    assert newsroom.status == Article.Status.REVIEW and newsroom.published_at is None
