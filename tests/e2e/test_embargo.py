"""엠바고 in a real browser: an editor schedules a submitted story under embargo with the
change form's KST picker and confirms it; the screen, the list and the dashboard mark it and
count it down; its reporter sees the embargo but no step and no page; a reader finds it
nowhere until it lifts, then reads it. axe-core checks each screen."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory, ReporterFactory, UserFactory

from .test_accessibility import (  # noqa: F401
    axe_installed,
    browser_context_args,
    serious_violations,
)
from .test_desk_workflow import Axe, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TITLE = "11월 기계류 수출 역대 최대"


@pytest.fixture
def story(db):
    reporter = UserFactory(
        username="oh", display_name="오기자", is_staff=True, groups=["Reporters"]
    )
    ReporterFactory(user=reporter, name="오기자", slug="oh")
    UserFactory(username="desk", display_name="김데스크", is_staff=True, groups=["Editors"])
    ArticleFactory(title="이미 나간 기사", tags=["수출"])
    return ArticleFactory(
        reporter=reporter.reporter,
        status=Article.Status.REVIEW,
        published_at=None,
        title=TITLE,
        tags=["수출"],
    )


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_an_editor_embargoes_a_story_that_nobody_sees_until_it_lifts(
    new_context, live_server, story, viewport
):
    axe = Axe()
    lifts = (timezone.localtime() + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    shown = lifts.strftime("%Y-%m-%d 09:00")

    editor = log_in(new_context, live_server, "desk", viewport)
    editor.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    editor.get_by_label("엠바고 해제 시각 (한국 시각)").fill(lifts.strftime("%Y-%m-%dT%H:%M"))
    editor.get_by_role("button", name="엠바고 예약…").click()
    expect(editor.get_by_text(f"이 기사는 {shown} (한국 시각)까지 엠바고이며")).to_be_visible()
    axe.check(editor, "embargo confirmation")
    editor.get_by_role("button", name="엠바고 예약", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text(f"{shown} (한국 시각)까지 엠바고")
    state = editor.locator(".workflow-state")
    expect(state).to_contain_text("엠바고 중")
    expect(state.locator("time[data-embargo-left]")).to_contain_text("남음")
    axe.check(editor, "embargoed story's screen")

    editor.goto(f"{live_server.url}/admin/articles/article/?embargo=yes")
    row = editor.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".embargo-badge")).to_have_text("엠바고")
    axe.check(editor, "list of embargoed stories")
    editor.goto(f"{live_server.url}/admin/")
    expect(editor.get_by_text(shown, exact=True)).to_be_visible()
    axe.check(editor, "editor's dashboard")
    # The editor may open the page itself, marked as a preview not to share.
    editor.goto(f"{live_server.url}/articles/{story.pk}/")
    expect(editor.locator(".preview-notice")).to_contain_text("엠바고")

    # Its reporter sees that it is under embargo, and nothing they could pass on.
    reporter = log_in(new_context, live_server, "oh", viewport)
    reporter.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(reporter.locator(".workflow-state")).to_contain_text("엠바고 중")
    expect(reporter.locator("button[name=_workflow]")).to_have_count(0)
    assert reporter.goto(f"{live_server.url}/articles/{story.pk}/").status == 404

    # A reader finds it nowhere before its time, and everywhere after it.
    reader = new_context(viewport=viewport).new_page()
    surfaces = [
        "/",
        "/rss/",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
        "/search/?q=수출",
        "/reporters/oh/",
    ]
    for path in surfaces:
        reader.goto(f"{live_server.url}{path}")
        assert TITLE not in reader.content(), path
    assert reader.goto(f"{live_server.url}/articles/{story.pk}/").status == 404
    with mock.patch("django.utils.timezone.now", return_value=lifts + timedelta(seconds=1)):
        reader.goto(f"{live_server.url}/")
        expect(reader.get_by_role("link", name=TITLE).first).to_be_visible()
        assert reader.goto(f"{live_server.url}/articles/{story.pk}/").status == 200
        expect(reader.get_by_role("heading", name=TITLE)).to_be_visible()
        axe.check(reader, "the story after the embargo lifted")

    assert axe.found == {}
