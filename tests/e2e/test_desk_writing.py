"""The writing screen in a real browser: a reporter writes, links, autosaves, previews,
leaves and comes back; the editor speaks Korean; axe finds nothing serious."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, ArticleAutosave
from tests.factories import ArticleFactory

from .desk import log_in
from .test_accessibility import AXE, serious_violations

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADD_URL = reverse("admin:articles_article_add")


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the admin's Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def nothing_reaches_the_server_after_the_test(page):
    """A writing screen closed with unsaved text autosaves as it goes: let that fail in
    the browser, not reach the live server while the database is being reset."""
    yield
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    page.close()


def body_editor(page):
    return page.locator(".tiptap")


def test_a_reporter_writes_previews_and_saves_a_new_article(page, live_server, reporter):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")

    page.locator("#id_title").fill("로봇 감속기 국산화 😀")
    expect(page.locator("#id_title_count")).to_have_text("글자 수 12 / 200자")

    body = body_editor(page)
    body.click()
    body.press_sequentially("감속기 국산화율이 높아졌다.")
    body.press("Enter")
    body.press_sequentially("가" * 200)
    # 15 + 1 line break + 200 characters; without the two spaces and the break: 213.
    expect(page.locator("#id_body_editor_count")).to_have_text(
        "글자 수 216자 (공백 제외 213자) · 원고지 2매 (200자 기준, 올림)"
    )

    page.locator("#id_section").select_option(label="기계·로봇")
    with page.expect_response(re.compile(r"/autosave/$")):
        page.locator("#id_subtitle").click()  # leaving a field autosaves, a moment later
    status = page.locator("[data-autosave-status]")
    expect(status).to_have_text(re.compile(r"자동 저장됨 \d\d:\d\d"))
    autosave = ArticleAutosave.objects.get()
    assert autosave.article is None and "가" * 200 in autosave.fields["body"]
    saved_at = timezone.localtime(autosave.saved_at).strftime("%H:%M")
    expect(status).to_have_text(f"자동 저장됨 {saved_at}")
    assert not Article.objects.exists()

    with page.context.expect_page() as opened:
        page.get_by_role("button", name="미리보기").click()
    preview = opened.value
    expect(preview.get_by_text("미리보기 — 저장되지 않았습니다")).to_be_visible()
    expect(preview.get_by_role("heading", level=1)).to_have_text("로봇 감속기 국산화 😀")
    expect(preview.locator(".article-body")).to_contain_text("감속기 국산화율이 높아졌다.")
    preview.close()
    assert not Article.objects.exists() and dialogs == []

    page.get_by_role("link", name="기사", exact=True).first.click()  # leaving: asked first
    assert dialogs == ["beforeunload"]
    page.goto(f"{live_server.url}{ADD_URL}")
    expect(page.get_by_text("자동 저장된 글이 있습니다")).to_be_visible()
    page.get_by_role("button", name="불러오기").click()
    expect(page.locator("#id_title")).to_have_value("로봇 감속기 국산화 😀")
    expect(body_editor(page)).to_contain_text("감속기 국산화율이 높아졌다.")
    page.locator("#id_section").select_option(label="기계·로봇")

    page.get_by_role("button", name="저장", exact=True).click()  # saving leaves unasked
    expect(page.locator(".messagelist")).to_be_visible()
    assert dialogs == ["beforeunload"]
    article = Article.objects.get()
    assert article.title == "로봇 감속기 국산화 😀" and article.reporter.name == "오기자"
    assert "가" * 200 in article.body
    assert not ArticleAutosave.objects.exists()


def test_typing_after_a_link_writes_plain_text(page, live_server, reporter):
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    body = body_editor(page)
    body.click()
    body.press_sequentially("기계신문")
    body.press("Shift+Home")

    page.get_by_role("button", name="링크 넣기").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading")).to_have_text("링크 편집")
    dialog.get_by_label("주소(URL)").fill("https://www.mtnews.net/")
    dialog.get_by_role("button", name="적용").click()
    body.press("End")
    body.press_sequentially(" 기사입니다")

    expect(body.locator("a")).to_have_text("기계신문")
    html = page.locator("#id_body").input_value()
    assert re.search(r'<a href="https://www.mtnews.net/"[^>]*>기계신문</a> 기사입니다', html)


def test_the_editor_toolbar_is_korean_and_english(page, live_server, reporter):
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    toolbar = page.locator(".prose-menubar").first
    for name in ("굵게", "기울임", "밑줄", "인용문", "번호 목록", "사진 넣기", "실행 취소"):
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_have_attribute(
            "title", name
        )
    toolbar.locator(".prose-menubar__selected").click()
    expect(page.locator(".prose-menubar__picker")).to_contain_text("소제목 2")

    page.get_by_role("button", name="사진 넣기").click()
    expect(page.get_by_role("dialog").get_by_role("heading")).to_have_text("사진 넣기")
    page.get_by_role("dialog").get_by_role("button", name="취소").click()

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}{ADD_URL}")
    expect(page.get_by_role("button", name="Bold", exact=True)).to_have_attribute("title", "Bold")
    expect(page.get_by_role("button", name="Preview")).to_be_visible()
    body_editor(page).press_sequentially("abc")
    expect(page.locator("#id_body_editor_count")).to_contain_text("Characters: 3")


def test_discarding_an_autosave_keeps_the_saved_article(page, live_server, reporter):
    article = ArticleFactory(
        reporter=reporter.reporter, status=Article.Status.DRAFT, title="저장된 제목"
    )
    ArticleAutosave.objects.create(
        user=reporter,
        article=article,
        fields={"title": "자동 저장된 제목", "subtitle": "", "summary": "", "body": "<p>x</p>"},
        saved_at=timezone.now() + timedelta(minutes=1),
    )
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")

    page.get_by_role("button", name="버리기").click()

    expect(page.locator("[data-autosave-status]")).to_have_text("자동 저장된 글을 버렸습니다.")
    expect(page.get_by_text("자동 저장된 글이 있습니다")).to_have_count(0)
    expect(page.locator("#id_title")).to_have_value("저장된 제목")
    assert not ArticleAutosave.objects.exists()


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_writing_screens_have_no_serious_or_critical_violations(
    page, live_server, reporter, viewport
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (.ci/run does)")
    draft = ArticleFactory(reporter=reporter.reporter, status=Article.Status.DRAFT)
    ArticleAutosave.objects.create(
        user=reporter, article=draft, fields={"title": "t"}, saved_at=timezone.now()
    )
    published = ArticleFactory(reporter=reporter.reporter)
    page.set_viewport_size(viewport)
    log_in(page, live_server, "writer")
    change = "admin:articles_article_change"
    found = {}
    for url in (ADD_URL, reverse(change, args=[draft.pk]), reverse(change, args=[published.pk])):
        page.goto(f"{live_server.url}{url}")
        body_editor(page).or_(page.locator(".rich-text-as-read")).first.wait_for()
        if problems := serious_violations(page):
            found[url] = problems
    page.goto(f"{live_server.url}{reverse(change, args=[draft.pk])}")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="미리보기").click()
    preview = opened.value
    preview.wait_for_load_state()
    if problems := serious_violations(preview):
        found["preview"] = problems
    assert found == {}, found


def test_an_autosave_after_the_session_ended_says_so_and_keeps_the_text(
    page, live_server, reporter
):
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    page.context.clear_cookies(name="sessionid")

    page.locator("#id_title").fill("로그아웃된 뒤에 쓴 제목")
    page.locator("#id_subtitle").click()

    expect(page.locator("[data-autosave-status]")).to_have_text(
        "자동 저장하지 못했습니다: 로그인이 끝났습니다. 다른 탭에서 다시 로그인한 뒤 저장하세요."
    )
    expect(page.locator("#id_title")).to_have_value("로그아웃된 뒤에 쓴 제목")
    assert not ArticleAutosave.objects.exists()


def test_text_is_autosaved_every_twenty_seconds_while_typing_goes_on(page, live_server, reporter):
    page.clock.install()
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    body = body_editor(page)
    body.click()
    body.press_sequentially("쓰는 중인 본문")

    assert not ArticleAutosave.objects.exists()  # typing alone sends nothing
    page.clock.run_for("00:21")

    expect(page.locator("[data-autosave-status]")).to_contain_text("자동 저장됨")
    assert "쓰는 중인 본문" in ArticleAutosave.objects.get().fields["body"]
