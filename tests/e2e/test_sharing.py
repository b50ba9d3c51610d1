"""A phone reader shares an article (the link is short), a desktop reader copies it, and a
guest edits and deletes their comment with its password; axe-clean at 1280 and 360 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, CommentRules
from tests.e2e.axe import AXE, serious_violations
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_TITLE = "스마트공장 보급 확대에 중소 제조업체 생산성 30% 향상, 정부 2027년까지 지원 늘린다"
# The phone's share sheet and the clipboard, recorded instead of opening the system's.
RECORD_SHARES = """
  window.shared = [];
  navigator.share = async (data) => { window.shared.push(data); };
  Object.defineProperty(navigator, "clipboard", {
    value: { writeText: async (text) => { window.copied = text; } },
  });
"""
RECORD_COPIES = """
  Object.defineProperty(navigator, "clipboard", {
    value: { writeText: async (text) => { window.copied = text; } },
  });
"""


@pytest.fixture(autouse=True)
def axe_installed():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (.ci/run does)")


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def article(db):
    rules = CommentRules.current()
    rules.comment_interval_seconds = 0
    rules.save()
    return ArticleFactory(title=LONG_TITLE)


def test_a_phone_reader_shares_to_kakaotalk_with_the_short_link(browser, live_server, article):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ko-KR", bypass_csp=True
    )
    context.add_init_script(RECORD_SHARES)
    phone = context.new_page()
    short = f"{live_server.url}/articles/{article.pk}/"

    phone.goto(f"{live_server.url}{article.get_absolute_url()}")
    share = phone.get_by_role("group", name="기사 공유하기")
    share.get_by_role("button", name="카카오톡").click()

    assert phone.evaluate("window.shared") == [{"title": LONG_TITLE, "url": short}]
    expect(share.get_by_role("button", name="공유")).to_be_visible()  # the share sheet
    for name in ("페이스북", "밴드", "X"):
        href = share.get_by_role("link", name=name).get_attribute("href")
        assert re.search(rf"articles%2F{article.pk}%2F(&|$)", href)  # no slug after it
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(phone) == []
    context.close()


def test_a_desktop_reader_copies_the_short_link_and_hears_so(page, live_server, article):
    page.add_init_script(RECORD_COPIES)
    page.set_viewport_size({"width": 1280, "height": 900})
    short = f"{live_server.url}/articles/{article.pk}/"

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    share = page.get_by_role("group", name="기사 공유하기")
    expect(share.get_by_role("button", name="공유")).to_be_hidden()  # no share sheet here
    share.get_by_role("button", name="링크 복사").click()

    expect(page.get_by_role("status").filter(has_text="링크를 복사했습니다")).to_have_text(
        f"링크를 복사했습니다: {short}"
    )
    assert page.evaluate("window.copied") == short
    share.get_by_role("button", name="카카오톡").click()  # no share sheet: copied to paste
    expect(page.get_by_role("status").filter(has_text="카카오톡")).to_be_visible()
    page.goto(short)  # the short link lands on the article
    expect(page.get_by_role("heading", level=1)).to_have_text(LONG_TITLE)
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [1280, 360])
def test_a_guest_edits_and_deletes_their_comment_with_its_password(
    page, live_server, article, settings, width
):
    settings.PAGE_CACHE_SECONDS = 60
    page.set_viewport_size({"width": width, "height": 900})
    url = f"{live_server.url}{article.get_absolute_url()}"
    page.goto(url)  # fills the cache for every anonymous reader
    page.context.clear_cookies()
    page.goto(url)
    box = page.locator("#comments")
    box.get_by_label("닉네임").fill("현장기사")
    box.get_by_label("비밀번호").fill("공장1234")
    box.get_by_role("textbox", name="댓글").fill("처음 쓴 의견")
    box.get_by_role("button", name="등록").click()
    expect(box.locator(".comment-body")).to_have_text("처음 쓴 의견")
    comment = Comment.objects.get()
    item = page.locator(f"#comment-{comment.pk}")

    item.get_by_role("link", name="수정").click()
    assert serious_violations(page) == []
    page.get_by_label("비밀번호").fill("틀린비밀번호")
    page.get_by_role("textbox", name="댓글").fill("고쳐 쓴 의견")
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_text("비밀번호가 맞지 않습니다.")).to_be_visible()
    expect(page.get_by_role("textbox", name="댓글")).to_have_value("고쳐 쓴 의견")  # kept
    page.get_by_label("비밀번호").fill("공장1234")
    page.get_by_role("button", name="저장").click()
    expect(item).to_contain_text("고쳐 쓴 의견")
    expect(item).to_contain_text("수정됨")

    page.context.clear_cookies()
    page.goto(url)  # the cached page shows the edit too
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("고쳐 쓴 의견")
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="삭제").click()
    assert serious_violations(page) == []
    page.get_by_label("비밀번호").fill("공장1234")
    page.get_by_role("button", name="삭제").click()
    expect(page.locator("#comments")).not_to_contain_text("고쳐 쓴 의견")
    assert Comment.objects.get().status == Comment.Status.DELETED
    assert reverse("comments:guest_edit", args=[comment.pk]) not in page.content()
