import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentRules
from tests.factories import ArticleFactory, CommentFactory, UserFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FAMILY = "👨‍👩‍👧"  # five code points


@pytest.fixture
def article(db):
    rules = CommentRules.current()
    rules.comment_interval_seconds = 0
    rules.save()
    return ArticleFactory(title="댓글을 시험하는 기사")


def login(page, live_server, article):
    UserFactory(username="reader", display_name="독자")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator("#comments").get_by_role("link", name="로그인").click()
    page.get_by_label("사용자 이름").fill("reader")
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()
    expect(page).to_have_url(f"{live_server.url}{article.get_absolute_url()}#comments")


def test_counter_follows_typing_and_refuses_1001(page, live_server, article):
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    box = page.locator("#comments")
    textarea = box.get_by_role("textbox", name="댓글")
    counter = box.locator("[data-comment-count]")
    expect(box.get_by_text("0/1000")).to_be_visible()

    textarea.press_sequentially("안녕😀")
    expect(counter).to_have_text("3")

    text_1000 = "가" * 990 + FAMILY + "\n\n" + "나" * 3  # 990 + 5 + 2 + 3
    textarea.fill(text_1000)
    expect(counter).to_have_text("1000")
    expect(box.locator(".comment-over-limit")).to_be_hidden()

    textarea.press_sequentially("다")
    expect(counter).to_have_text("1001")
    expect(box.locator(".comment-over-limit")).to_be_visible()
    box.get_by_label("닉네임").fill("손님")
    box.get_by_label("비밀번호").fill("1234")
    box.get_by_role("button", name="등록").click()
    expect(textarea).to_have_value(text_1000 + "다")  # refused in the browser, nothing lost
    assert not Comment.objects.exists()

    textarea.press("Backspace")
    expect(counter).to_have_text("1000")
    box.get_by_role("button", name="등록").click()
    expect(page.locator(".comment-body").first).to_contain_text("가가가")
    stored = Comment.objects.get()
    assert len(stored.body) == 1000 and FAMILY in stored.body and "\r" not in stored.body


def test_server_refusal_keeps_the_text_without_javascript(browser, live_server, article):
    context = browser.new_context(java_script_enabled=False, locale="ko-KR")
    page = context.new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    text = "라" * 500 + "\n" + "라" * 500  # the browser sends the line break as \r\n
    page.get_by_label("닉네임").fill("손님")
    page.get_by_label("비밀번호").fill("1234")
    page.get_by_role("textbox", name="댓글").fill(text)
    page.get_by_role("button", name="등록").click()

    expect(
        page.get_by_text("댓글은 1,000자까지 쓸 수 있습니다. 지금 1,001자입니다.")
    ).to_be_visible()
    expect(page.get_by_role("textbox", name="댓글")).to_have_value(text)
    expect(page.get_by_text("1001/1000")).to_be_visible()  # counted by the server, as it counts
    context.close()


def test_the_counter_on_a_refused_comment_counts_as_the_server(page, live_server, article):
    text = "가" * 500 + "\n\n" + "나" * 499  # sent with \r\n line breaks
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    box = page.locator("#comments")
    box.get_by_label("닉네임").fill("손님")
    box.get_by_label("비밀번호").fill("1234")
    box.get_by_role("textbox", name="댓글").fill(text)

    # Sent past the counter's check, as a browser without JavaScript would send it.
    box.locator("form.comment-form").evaluate("form => form.submit()")

    expect(page.get_by_text("지금 1,001자입니다")).to_be_visible()
    expect(page.get_by_role("textbox", name="댓글")).to_have_value(text)
    expect(page.locator("[data-comment-count]")).to_have_text("1001")


def test_log_in_post_edit_and_delete(page, live_server, article):
    login(page, live_server, article)
    box = page.locator("#comments")

    box.get_by_role("textbox", name="댓글").fill("처음 쓴 의견입니다.")
    box.get_by_role("button", name="등록").click()
    comment = box.locator(".comment").filter(has_text="처음 쓴 의견입니다.")
    expect(comment).to_contain_text("독자")

    comment.get_by_role("link", name="수정").click()
    page.get_by_role("textbox", name="댓글").fill("고친 의견입니다.")
    page.get_by_role("button", name="저장").click()
    comment = page.locator("#comments .comment").filter(has_text="고친 의견입니다.")
    expect(comment).to_contain_text("(수정됨)")

    comment.get_by_role("link", name="삭제").click()
    expect(page.get_by_role("heading", name="댓글을 삭제할까요?")).to_be_visible()
    page.get_by_role("button", name="삭제").click()
    expect(page.locator("#comments")).not_to_contain_text("고친 의견입니다.")
    assert Comment.objects.get().status == Comment.Status.DELETED


def test_reply_to_a_comment(page, live_server, article):
    CommentFactory(article=article, body="원래 댓글", user=UserFactory(display_name="먼저쓴독자"))
    login(page, live_server, article)

    page.locator("#comments .comment").filter(has_text="원래 댓글").get_by_role(
        "link", name="답글"
    ).click()
    page.get_by_role("textbox", name="댓글").fill("답글을 남깁니다.")
    page.get_by_role("button", name="등록").click()

    reply = page.locator("#comments .comment-replies .comment-reply")
    expect(reply).to_contain_text("답글을 남깁니다.")
    assert Comment.objects.get(body="답글을 남깁니다.").parent.body == "원래 댓글"


def test_guest_comments_from_a_cached_page(page, live_server, article, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = f"{live_server.url}{article.get_absolute_url()}"
    page.goto(url)  # fills the cache for every anonymous reader
    page.context.clear_cookies()
    page.goto(url)

    page.get_by_label("닉네임").fill("손님")
    page.get_by_label("비밀번호").fill("1234")
    page.get_by_role("textbox", name="댓글").fill("캐시된 페이지에서 남긴 의견")
    page.get_by_role("button", name="등록").click()

    expect(page.locator("#comments")).to_contain_text("캐시된 페이지에서 남긴 의견")
    assert Comment.objects.get().guest_name == "손님"
