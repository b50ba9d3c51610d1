import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory, PhotoFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reader_opens_an_article_from_the_home_page(page, live_server):
    article = ArticleFactory(
        title="협동로봇 수출 첫 1억 달러 돌파",
        lead_photo=PhotoFactory(caption="협동로봇이 전시장에서 시연하고 있다."),
    )

    page.goto(live_server.url)
    page.get_by_role("link", name=article.title).first.click()

    expect(page).to_have_url(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(page.locator(".byline")).to_contain_text(f"{article.reporter.name} 기자")
    expect(page.locator(".lead-photo figcaption")).to_contain_text(
        "▲ 협동로봇이 전시장에서 시연하고 있다."
    )
    expect(page.locator(".lead-photo img")).to_have_js_property("complete", True)
