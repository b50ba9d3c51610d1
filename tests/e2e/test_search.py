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
