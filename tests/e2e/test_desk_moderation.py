"""A moderator clears the queue in a real browser: reported comments first with their reasons,
a comment hidden and restored in place, its author barred for seven days, and the author,
in a browser of their own, told why and until when."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, CommentBan, CommentRules

# The accessibility suite's fixtures too: axe must be installed, and may run under the CSP.
from tests.e2e.test_accessibility import (  # noqa: F401
    axe_installed,
    browser_context_args,
    serious_violations,
)
from tests.factories import ArticleFactory, CommentFactory, CommentReportFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture
def queue(db):
    rules = CommentRules.current()
    rules.comment_interval_seconds = 0
    rules.save()
    article = ArticleFactory(title="스마트공장 보급 확대")
    author = UserFactory(username="troll", display_name="악플러")
    CommentFactory(article=article, body="좋은 기사 감사합니다.")
    worst = CommentFactory(
        article=article, user=author, body="이런 기사를 쓰는 기자는 그만둬야 한다"
    )
    for reason in ("abuse", "abuse", "spam"):
        CommentReportFactory(comment=worst, reason=reason)
    CommentReportFactory(comment=CommentFactory(article=article), reason="privacy")
    UserFactory(username="moderator", is_staff=True, groups=["Moderators"])
    return {"article": article, "author": author, "worst": worst}


def log_in_to_the_desk(page, live_server, username):
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()


def row_of(page, text):
    return page.locator("#result_list tbody tr").filter(has_text=text)


def test_a_moderator_clears_a_reported_comment_and_bars_its_author(
    page, browser, live_server, queue
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_the_desk(page, live_server, "moderator")
    queue_url = f"{live_server.url}{reverse('admin:comments_comment_changelist')}?reported=yes"
    page.goto(queue_url)

    # Reported first, the most reported at the top, with the reasons counted.
    first = page.locator("#result_list tbody tr").first
    expect(first).to_contain_text("이런 기사를 쓰는 기자는 그만둬야 한다")
    expect(first).to_contain_text("욕설·혐오 표현 2")
    expect(first).to_contain_text("스팸·광고 1")
    assert serious_violations(page) == []

    # Hide it in place: the button asks first, then the row changes and the page stays.
    row = row_of(page, "그만둬야 한다")
    row.get_by_text("숨기기", exact=True).click()
    expect(row).to_contain_text("미처리 신고 3건은 처리 완료로 표시됩니다.")
    row.get_by_role("button", name="지금 숨기기").click()
    expect(row.locator(".mod-badge")).to_have_text("관리자가 숨김")
    expect(page.locator("#moderation-status")).to_contain_text("악플러 님의 댓글을 숨겼습니다.")
    expect(row).not_to_contain_text("욕설·혐오 표현 2")
    assert page.url == queue_url
    assert Comment.objects.get(pk=queue["worst"].pk).status == Comment.Status.HIDDEN

    # Restore it, the same way.
    row.get_by_text("되살리기", exact=True).click()
    row.get_by_role("button", name="다시 공개하기").click()
    expect(row.locator(".mod-badge")).to_have_text("공개")
    expect(page.locator("#moderation-status")).to_contain_text("다시 공개했습니다.")
    assert Comment.objects.get(pk=queue["worst"].pk).status == Comment.Status.VISIBLE

    # Bar its author for seven days, with a reason.
    row.get_by_role("link", name="작성 제한").click()
    expect(page.locator("h1")).to_have_text("독자의 댓글 작성 제한")
    expect(page.locator(".mod-lead")).to_contain_text("악플러")
    assert serious_violations(page) == []
    page.get_by_label("욕설·혐오 표현").check()
    page.get_by_label("독자에게 보일 메모").fill("기자를 향한 반복된 욕설")
    page.get_by_label("7일").check()
    page.get_by_role("button", name="댓글 작성 제한하기").click()

    # Back on the same list, which the decided comment has left: its reports are resolved.
    expect(page).to_have_url(queue_url)
    ban = CommentBan.objects.get(user=queue["author"])
    assert ban.term_days == 7 and ban.reason == "abuse"
    expect(page.locator(".messagelist")).to_contain_text("악플러 님의 댓글 작성을 7일 동안")
    expect(row_of(page, "그만둬야 한다")).to_have_count(0)
    page.goto(f"{live_server.url}{reverse('admin:comments_comment_changelist')}")
    expect(row_of(page, "그만둬야 한다")).to_contain_text("작성 제한 중")

    # The author, in a browser of their own, is told why and until when, and cannot comment.
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    reader = context.new_page()
    reader.goto(f"{live_server.url}{reverse('accounts:login')}")
    reader.get_by_label("사용자 이름").fill("troll")
    reader.get_by_label("비밀번호").fill(PASSWORD)
    reader.get_by_role("button", name="로그인").click()
    reader.goto(f"{live_server.url}{queue['article'].get_absolute_url()}")
    notice = reader.locator("#comments .comments-banned")
    expect(notice).to_contain_text("댓글 작성이 제한된 계정입니다.")
    expect(notice).to_contain_text("사유: 욕설·혐오 표현: 기자를 향한 반복된 욕설.")
    expect(notice).to_contain_text("부터 다시 댓글을 쓸 수 있습니다.")
    expect(reader.locator("#comments textarea")).to_have_count(0)
    context.close()


def test_the_queue_works_without_javascript_and_comes_back_to_the_same_list(
    browser, live_server, queue
):
    context = browser.new_context(java_script_enabled=False, locale="ko-KR")
    page = context.new_page()
    log_in_to_the_desk(page, live_server, "moderator")
    queue_url = f"{live_server.url}{reverse('admin:comments_comment_changelist')}?q=troll"
    page.goto(queue_url)

    row = row_of(page, "그만둬야 한다")
    row.get_by_text("숨기기", exact=True).click()
    row.get_by_role("button", name="지금 숨기기").click()

    expect(page).to_have_url(queue_url)
    expect(page.locator(".messagelist")).to_contain_text("악플러 님의 댓글을 숨겼습니다.")
    expect(row_of(page, "그만둬야 한다").locator(".mod-badge")).to_have_text("관리자가 숨김")
    context.close()


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_the_moderation_screens_have_no_serious_or_critical_violations(
    page, live_server, queue, viewport
):
    page.set_viewport_size(viewport)
    CommentBan.objects.create(user=UserFactory(username="barred"), reason="spam")
    log_in_to_the_desk(page, live_server, "moderator")
    worst = queue["worst"]
    screens = [
        reverse("admin:comments_comment_changelist"),
        reverse("admin:comments_comment_change", args=[worst.pk]),
        f"{reverse('admin:comments_commentban_add')}?user={worst.user_id}&comment={worst.pk}",
        reverse("admin:comments_commentban_add"),
        reverse("admin:comments_commentban_changelist"),
        reverse("admin:comments_commentban_change", args=[CommentBan.objects.get().pk]),
    ]
    found = {}
    for url in screens:
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        page.locator("details").evaluate_all("(all) => all.forEach((d) => (d.open = true))")
        if problems := serious_violations(page):
            found[url] = problems
    assert found == {}
