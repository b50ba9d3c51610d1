"""The desk in a real browser: an editor signs in to a Korean desk, switches it to English and
back, and restores an earlier version of a live story, which stays live; axe-core finds no
serious or critical problem on the desk's screens, on a desktop or a phone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.axe import AXE, serious_violations
from tests.factories import ArticleFactory, PhotoFactory, UserFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, groups=["Editors"])


@pytest.fixture
def live_story(db):
    """A published story whose latest edit went wrong: 20% became 2%, a tag was mistyped."""
    article = ArticleFactory(
        title="로봇 수출 20% 증가",
        body="<p>로봇 수출이 20% 늘었다.</p><p>업계는 하반기도 낙관한다.</p>",
        lead_photo=PhotoFactory(caption="수출 선적 현장"),
        tags=["로봇", "수출"],
        published_at=timezone.now() - timedelta(hours=2),
    )
    article.save()  # a revision with its tags
    article.title = "로봇 수출 2% 증가"
    article.body = "<p>로봇 수출이 2% 늘었다.</p><p>업계는 하반기도 낙관한다.</p>"
    article.tags.set(["로봇", "숫출"])
    article.save()
    return article


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()


def test_an_editor_restores_a_live_story_which_stays_live(page, live_server, editor, live_story):
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[live_story.pk])}")

    page.get_by_role("link", name="이력").click()
    expect(page.get_by_role("heading", name="“로봇 수출 2% 증가” 수정 이력")).to_be_visible()
    page.get_by_role("link", name="지금과 비교").nth(1).click()

    comparison = page.locator(".revision-compare").first
    expect(comparison.locator("del", has_text="2%")).to_be_visible()
    expect(comparison.locator("ins", has_text="20%")).to_be_visible()
    expect(comparison.locator("del", has_text="숫출")).to_be_visible()
    expect(page.get_by_text("기사는 출고 상태 그대로이며")).to_be_visible()
    page.get_by_role("button", name="이 버전으로 복원").click()

    message = page.locator(".messagelist .success")
    expect(message).to_contain_text("버전에서 제목, 본문, 태그 항목을 복원했습니다.")
    expect(message).to_contain_text("기사는 출고 상태 그대로이며")
    restored = Article.objects.get(pk=live_story.pk)
    assert restored.title == "로봇 수출 20% 증가"
    assert sorted(restored.tags.names()) == ["로봇", "수출"]
    page.goto(f"{live_server.url}{restored.get_absolute_url()}")
    expect(page.get_by_role("heading", name="로봇 수출 20% 증가")).to_be_visible()


def test_the_desk_switches_to_english_and_back_on_the_same_page(page, live_server, editor):
    sign_in(page, live_server, "editor")
    page.goto(
        f"{live_server.url}{reverse('admin:articles_article_changelist')}?status__exact=draft"
    )
    expect(page.get_by_role("heading", name="변경할 기사 선택")).to_be_visible()

    page.get_by_role("navigation", name="언어").get_by_role("link", name="English").click()

    expect(page).to_have_url(
        f"{live_server.url}{reverse('admin:articles_article_changelist')}?status__exact=draft"
    )
    expect(page.get_by_role("heading", name="Select article to change")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="한국어").click()
    expect(page.get_by_role("heading", name="변경할 기사 선택")).to_be_visible()


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_the_desks_screens_have_no_serious_or_critical_violations(
    page, live_server, editor, live_story, viewport
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (.ci/run does)")
    page.set_viewport_size(viewport)
    first = live_story.history.last()
    screens = {
        "login": reverse("admin:login"),
        "index": reverse("admin:index"),
        "articles": reverse("admin:articles_article_changelist"),
        "revisions": reverse("admin:articles_article_history", args=[live_story.pk]),
        "comparison": reverse(
            "admin:articles_article_simple_history", args=[live_story.pk, first.history_id]
        ),
        "tags": reverse("admin:taggit_tag_changelist"),
    }
    found = {}
    page.goto(f"{live_server.url}{screens.pop('login')}")
    found["login"] = serious_violations(page)
    sign_in(page, live_server, "editor")
    for name, url in screens.items():
        page.goto(f"{live_server.url}{url}")
        found[name] = serious_violations(page)

    page.goto(f"{live_server.url}{screens['tags']}")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("input[name=_selected_action]").nth(1).check()
    page.get_by_label("액션:").select_option("merge")
    page.get_by_role("button", name="실행").click()
    expect(page.get_by_role("button", name="태그 합치기")).to_be_visible()
    found["merge"] = serious_violations(page)

    problems = [
        f"{name}: {problem}" for name, found_there in found.items() for problem in found_there
    ]
    assert not problems, "\n".join(problems)


@pytest.fixture
def page_in_utc(browser, browser_context_args):
    """A browser nine hours behind the site's time zone."""
    context = browser.new_context(**{**browser_context_args, "timezone_id": "UTC"})
    yield context.new_page()
    context.close()


def test_the_admins_scripts_speak_korean_too(page_in_utc, live_server):
    """On a form with Django's date and time widgets: a placement's schedule."""
    UserFactory(username="adstaff", is_staff=True, groups=["Ad staff"])
    page = page_in_utc
    sign_in(page, live_server, "adstaff")

    page.goto(f"{live_server.url}{reverse('admin:ads_placement_add')}")

    expect(page.locator(".timezonewarning").first).to_have_text(
        "참고: 시각은 Asia/Seoul 시간대로 입력하세요. (지금 계신 곳이 9시간 느립니다.)"
    )
    expect(page.locator(".datetimeshortcuts").first).to_contain_text("오늘")
