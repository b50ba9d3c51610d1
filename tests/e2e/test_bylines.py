"""Co-authors and corrections in a real browser: an editor adds a second author with the 사진
role and a correction on the article's screen; readers on a phone and a desktop see the
byline, the notice and the corrections page, axe-clean at 1280 and 360 px."""

import json
import shutil
import subprocess  # nosec B404 - runs the Nu checker, a fixed command
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles import services
from articles.models import ArticleAuthor, Correction
from tests.factories import ArticleFactory, ReporterFactory, UserFactory

# The accessibility tests' fixtures: skip without axe-core, and let it run under the CSP.
from .test_accessibility import (  # noqa: F401
    axe_installed,
    browser_context_args,
    serious_violations,
)
from .test_html_validity import VNU

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery"  # UserFactory's
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def story(db):
    UserFactory(username="desk", display_name="김데스크", is_staff=True, groups=["Editors"])
    ReporterFactory(name="박사진", slug="park-photo")
    return ArticleFactory(
        title="협동로봇 박람회 개막", reporter=ReporterFactory(name="홍길동", slug="hong")
    )


def test_an_editor_adds_a_photographer_and_a_correction_readers_see_both(
    new_context, live_server, story
):
    desk = new_context(viewport=DESKTOP).new_page()
    desk.goto(f"{live_server.url}/admin/login/")
    desk.locator("#id_username").fill("desk")
    desk.locator("#id_password").fill(PASSWORD)
    desk.locator("input[type=submit]").click()
    desk.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    desk.locator("#authors-group .add-row a").click()
    desk.locator("#authors-0 .select2-selection").click()
    desk.locator(".select2-dropdown .select2-search__field").fill("박사진")
    desk.locator(".select2-results__option", has_text="박사진").click()
    desk.locator("#id_authors-0-role").select_option(label="사진")
    desk.locator("#corrections-group .add-row a").click()
    desk.locator("#id_corrections-0-kind").select_option(label="정정보도")
    desk.locator("#id_corrections-0-text").fill("개막일은 3일이 아니라 4일입니다.")
    assert not serious_violations(desk, exclude=(".select2-container",))
    desk.locator("input[name=_continue]").click()
    expect(desk.locator(".messagelist")).to_contain_text("변경")
    expect(desk.locator("#authors-group")).to_contain_text("박사진 (사진)")

    for viewport in (PHONE, DESKTOP):
        reader = new_context(viewport=viewport).new_page()
        reader.goto(f"{live_server.url}{story.get_absolute_url()}")
        expect(reader.locator(".byline")).to_contain_text("홍길동 기자 사진=박사진 기자")
        expect(reader.get_by_role("link", name="박사진 기자")).to_have_attribute(
            "href", "/reporters/park-photo/"
        )
        notice = reader.locator(".correction-notice")
        expect(notice.get_by_role("heading", name="정정보도")).to_be_visible()
        expect(notice).to_contain_text("개막일은 3일이 아니라 4일입니다.")
        assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert not serious_violations(reader), viewport

        reader.get_by_role("link", name="정정·반론보도", exact=True).click()
        expect(reader.get_by_role("heading", level=1)).to_have_text("정정·반론보도")
        reader.get_by_role("link", name="협동로봇 박람회 개막").click()
        expect(reader.locator(".correction-notice")).to_be_in_viewport()
        reader.go_back()
        assert not serious_violations(reader), viewport


def test_bylines_and_corrections_are_valid_html(tmp_path, story):
    if not VNU.exists() or not shutil.which("java"):
        pytest.skip("the Nu checker needs `npm ci` and Java (.ci/run has both)")
    photographer = ArticleAuthor.objects.create(
        article=story,
        reporter=ReporterFactory(name="박사진", slug="park-2"),
        role=ArticleAuthor.Role.PHOTO,
    ).reporter
    editor = UserFactory(username="desk2", is_staff=True, groups=["Editors"])
    for placement in Correction.Placement.values:
        services.add_correction(
            article=story,
            by=editor,
            kind="reply",
            text="반론 <b>내용</b>\n둘째 줄",
            placement=placement,
        )
    pages = {
        "article": story.get_absolute_url(),
        "corrections": reverse("articles:corrections"),
        "co-author": photographer.get_absolute_url(),
    }
    for name, url in pages.items():
        response = Client().get(url)
        assert response.status_code == 200, name
        (tmp_path / f"{name}.html").write_bytes(response.content)

    result = subprocess.run(  # nosec B603
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
         *sorted(str(path) for path in tmp_path.glob("*.html"))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
    ] == []
