"""Sharing an article: plain links with the short address, no service's script; the short
address copied, e-mailed and printed."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_title_article(db):
    title = "스마트공장 보급 확대에 중소 제조업체 생산성 30% 향상, 정부 2027년까지 지원 늘린다"
    return ArticleFactory(title=title)


def share_links(page: str) -> dict[str, str]:
    links = re.findall(r'<a class="share-button share-(\w+)" href="([^"]+)"', page)
    return {key: unescape(href) for key, href in links}


def test_the_short_address_redirects_to_the_article(client, long_title_article):
    response = client.get(long_title_article.get_short_url())

    assert long_title_article.get_short_url() == f"/articles/{long_title_article.pk}/"
    assert response.status_code == 301
    assert response["Location"] == long_title_article.get_absolute_url()


def test_the_short_address_of_an_unpublished_article_is_not_found(client):
    draft = ArticleFactory(status="draft")

    assert client.get(draft.get_short_url()).status_code == 404


def test_every_share_link_carries_the_short_address(client, long_title_article):
    page = client.get(long_title_article.get_absolute_url()).content.decode()
    short = f"http://testserver/articles/{long_title_article.pk}/"

    links = share_links(page)

    assert set(links) == {"facebook", "band", "x"}
    facebook = urlsplit(links["facebook"])
    assert (facebook.netloc, facebook.path) == ("www.facebook.com", "/sharer/sharer.php")
    assert parse_qs(facebook.query) == {"u": [short]}
    band = urlsplit(links["band"])
    assert (band.netloc, band.path) == ("band.us", "/plugin/share")
    assert parse_qs(band.query) == {
        "body": [f"{long_title_article.title}\n{short}"],
        "route": ["testserver"],
    }
    x = urlsplit(links["x"])
    assert (x.netloc, x.path) == ("x.com", "/intent/post")
    assert parse_qs(x.query) == {"text": [long_title_article.title], "url": [short]}
    # Nothing that identifies the reader or the campaign rides along.
    assert "utm_" not in page and "fbclid" not in page


def test_the_long_slug_is_never_what_is_shared(client, long_title_article):
    page = client.get(long_title_article.get_absolute_url()).content.decode()
    slug_url = long_title_article.get_absolute_url()

    shared = re.findall(r'data-(?:copy-link|share-url)="([^"]+)"', page)

    assert shared and all(url.endswith(f"/articles/{long_title_article.pk}/") for url in shared)
    assert all(slug_url not in href for href in share_links(page).values())


def test_no_third_party_script_is_loaded(client, published_article):
    page = client.get(published_article.get_absolute_url()).content.decode()

    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", page)

    assert sources and all(src.startswith("/static/") for src in sources)
    assert "kakao" not in " ".join(sources).lower()


def test_share_links_open_safely_and_say_they_open_a_window(client, published_article):
    page = client.get(published_article.get_absolute_url()).content.decode()

    anchors = re.findall(r'<a class="share-button[^>]*>.*?</a>', page, flags=re.S)

    assert len(anchors) == 3
    for anchor in anchors:
        assert 'target="_blank"' in anchor and 'rel="noopener noreferrer"' in anchor
        assert "(새 창)" in anchor


def test_kakaotalk_and_copy_need_javascript_and_are_hidden_without_it(client, published_article):
    page = client.get(published_article.get_absolute_url()).content.decode()

    assert re.search(r"<li data-needs-js hidden><button[^>]*data-share-kakao[^>]*>카카오톡<", page)
    assert re.search(r"<li data-needs-js hidden><button[^>]*data-copy-link[^>]*>링크 복사<", page)
    assert 'role="status"' in page  # the copy is confirmed to screen readers too


def test_the_address_is_printed_after_the_article(client, published_article, settings):
    page = client.get(published_article.get_absolute_url()).content.decode()
    short = f"http://testserver/articles/{published_article.pk}/"
    print_css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()

    article_end = page.index("</article>")
    address = page.index(f'class="article-address">기사 주소 <a href="{short}">{short}</a>')

    assert address < article_end
    assert ".article-address" in print_css and ".share" in print_css


def test_english_readers_get_the_share_bar_in_english(client, published_article):
    client.cookies["django_language"] = "en"

    page = client.get(published_article.get_absolute_url()).content.decode()

    assert ">Facebook<" in page and ">BAND<" in page and "Article address" in page


def test_the_email_form_sends_the_short_address(client, published_article, mailoutbox):
    client.post(
        reverse("articles:email", args=[published_article.pk]),
        {"recipient": "friend@example.com", "sender_name": "홍길동", "message": ""},
    )

    [message] = mailoutbox
    assert f"http://testserver/articles/{published_article.pk}/" in message.body


def test_a_draft_previewed_by_an_editor_offers_nothing_to_share(client, editor):
    draft = ArticleFactory(status="draft")
    client.force_login(editor)

    page = client.get(draft.get_absolute_url()).content.decode()

    assert draft.title in page
    assert "share-button" not in page and "article-address" not in page
