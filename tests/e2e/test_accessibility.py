"""WCAG 2.2 AA basics checked by axe-core (npm, loaded from node_modules) on the public pages."""

import contextlib

import pytest
from django.urls import NoReverseMatch, reverse

from tests.e2e.axe import AXE, serious_violations
from tests.factories import ArticleFactory, CommentFactory, PhotoFactory, UserFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def axe_installed():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (.ci/run does)")


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def site_pages(db):
    article = ArticleFactory(lead_photo=PhotoFactory(), tags=["로봇", "스마트공장"])
    comment = CommentFactory(article=article, body="접근성을 확인하는 댓글입니다.")
    CommentFactory(article=article, parent=comment, body="답글입니다.")
    ArticleFactory(section=article.section, reporter=article.reporter)
    pages = {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["로봇"]),
        "reporter": article.reporter.get_absolute_url(),
        "comment reply": reverse("comments:reply", args=[comment.pk]),
        "email": reverse("articles:email", args=[article.pk]),
        "login": reverse("accounts:login"),
        "signup": reverse("accounts:signup"),
        "not found": "/no-such-page/",
    }
    with contextlib.suppress(NoReverseMatch):  # search arrives with its own change
        pages["search"] = reverse("articles:search") + "?q=스마트"
    return pages


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_public_pages_have_no_serious_or_critical_violations(
    page, live_server, site_pages, viewport
):
    page.set_viewport_size(viewport)
    found = {}
    for name, url in site_pages.items():
        page.goto(f"{live_server.url}{url}")
        if problems := serious_violations(page):
            found[name] = problems
    assert found == {}


def test_logged_in_comment_pages(page, live_server, site_pages, db):
    reader = UserFactory(username="a11y")
    comment = CommentFactory(user=reader, body="내 댓글")
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("사용자 이름").fill("a11y")
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()
    found = {}
    for url in (
        comment.article.get_absolute_url(),
        reverse("comments:mine"),
        reverse("comments:edit", args=[comment.pk]),
        reverse("comments:delete", args=[comment.pk]),
        reverse("comments:report", args=[CommentFactory(article=comment.article).pk]),
    ):
        page.goto(f"{live_server.url}{url}")
        if problems := serious_violations(page):
            found[url] = problems
    assert found == {}
