import re

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reader_finds_an_article_by_part_of_a_korean_word(page, live_server):
    article = ArticleFactory(
        title="광주경제자유구역청, 미래차 기업 대상 투자설명회",
        body="<p>광주경제자유구역청은 27일 미래차 기업을 대상으로 투자설명회를 열었다.</p>",
    )
    ArticleFactory(title="협동로봇 수출 첫 1억 달러 돌파")

    page.goto(f"{live_server.url}/search/")
    page.get_by_role("main").get_by_role("searchbox").fill("경제자유")
    page.get_by_role("main").get_by_role("button", name="검색").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=%EA%B2%BD%EC%A0%9C%EC%9E%90%EC%9C%A0$"))
    results = page.locator(".search-hit")
    expect(results).to_have_count(1)
    expect(results.locator("mark").first).to_have_text("경제자유")
    expect(results.locator(".article-item-lead mark")).to_have_text("경제자유")
    results.get_by_role("link", name=article.title).click()

    expect(page).to_have_url(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_a_common_word_says_there_are_more_and_pages_through_the_most_relevant(
    page, live_server, monkeypatch, tmp_path, viewport
):
    from articles import search
    from tests.e2e.axe import AXE, serious_violations

    monkeypatch.setattr(search, "COUNT_LIMIT", 25)
    ArticleFactory(title="협동로봇 안전기준 개정", body="<p>산업용 협동로봇의 인증이 바뀐다.</p>")
    for n in range(30):
        ArticleFactory(
            title=f"제조 현장 소식 {n}",
            body=f'<p>공장 {n}곳이 <a href="https://example.com/robot">새 로봇</a>을 들였다.</p>',
        )
    page.set_viewport_size(viewport)

    page.goto(f"{live_server.url}/search/?q=로봇")

    expect(page.get_by_role("status")).to_have_text(re.compile("기사 25건 이상"))
    hits = page.locator(".search-hit")
    expect(hits).to_have_count(20)
    expect(hits.first.get_by_role("link")).to_have_text("협동로봇 안전기준 개정")
    expect(page.get_by_text("2쪽 중 1쪽")).to_be_visible()
    page.screenshot(path=tmp_path / f"search-{viewport['width']}.png", full_page=True)
    if AXE.exists():
        assert serious_violations(page) == []
    page.get_by_role("link", name="다음").click()
    expect(hits).to_have_count(5)
    expect(page.get_by_text("2쪽 중 2쪽")).to_be_visible()
