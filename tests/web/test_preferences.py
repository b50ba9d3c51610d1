import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_layout_switch_both_ways_is_remembered(client):
    home = reverse("articles:home")

    to_mobile = client.get(reverse("set_layout", args=["mobile"]), {"next": home})
    mobile_page = client.get(home).content.decode()
    to_pc = client.get(reverse("set_layout", args=["pc"]), {"next": home})
    pc_page = client.get(home).content.decode()

    assert to_mobile.status_code == 302 and to_mobile["Location"] == home
    assert to_mobile.cookies["layout"].value == "mobile"
    assert 'data-layout="mobile"' in mobile_page and "PC 버전" in mobile_page
    assert "모바일 버전 바로가기" not in mobile_page
    assert to_pc.cookies["layout"].value == "pc"
    assert 'data-layout="pc"' in pc_page and 'content="width=1200"' in pc_page
    assert "모바일 버전 바로가기" in pc_page and "PC 버전" not in pc_page


def test_without_a_choice_the_page_adapts_and_offers_both(client):
    content = client.get(reverse("articles:home")).content.decode()

    assert 'data-layout="auto"' in content
    assert 'content="width=device-width, initial-scale=1"' in content
    assert "모바일 버전 바로가기" in content and "PC 버전" in content


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_switches_never_leave_the_site(client, next_url):
    for url in (reverse("set_layout", args=["mobile"]), reverse("set_language", args=["en"])):
        response = client.get(url, {"next": next_url})
        assert response["Location"] == "/"


def test_unknown_choices_are_ignored(client):
    response = client.get(reverse("set_layout", args=["tablet"]))
    language = client.get(reverse("set_language", args=["fr"]))

    assert "layout" not in response.cookies and "django_language" not in language.cookies
    assert 'data-layout="auto"' in client.get("/").content.decode()


def test_korean_by_default_even_for_english_browsers(client):
    response = client.get(reverse("articles:home"), headers={"Accept-Language": "en-US,en"})

    assert '<html lang="ko"' in response.content.decode()
    assert response["Content-Language"] == "ko"


def test_switching_to_english_and_back(client, published_article):
    client.get(reverse("set_language", args=["en"]))
    english = client.get(published_article.get_absolute_url())
    client.get(reverse("set_language", args=["ko"]))
    korean = client.get(published_article.get_absolute_url())

    assert english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()
    assert "Email this article" in english.content.decode()
    assert "Have your say" in english.content.decode()
    assert "기사 메일전송" in korean.content.decode() and "나도 한마디" in korean.content.decode()


def test_dates_are_formatted_per_language(client, db):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import ArticleFactory

    article = ArticleFactory(
        published_at=datetime(2021, 1, 27, 16, 23, 10, tzinfo=ZoneInfo("Asia/Seoul"))
    )

    korean = client.get(article.get_absolute_url()).content.decode()
    client.get(reverse("set_language", args=["en"]))
    english = client.get(article.get_absolute_url()).content.decode()

    assert "기사등록 <time" in korean and ">2021-01-27 16:23:10</time>" in korean
    assert ">Jan. 27, 2021, 16:23:10</time>" in english


@pytest.mark.parametrize("https", [True, False])
def test_the_choice_cookies_are_secure_under_https_and_out_of_scripts_reach(
    client, settings, https
):
    settings.HTTPS = settings.LANGUAGE_COOKIE_SECURE = https

    layout = client.get(reverse("set_layout", args=["mobile"]), secure=https)
    language = client.get(reverse("set_language", args=["en"]), secure=https)

    cookies = [layout.cookies["layout"], language.cookies[settings.LANGUAGE_COOKIE_NAME]]
    assert [(bool(cookie["secure"]), bool(cookie["httponly"])) for cookie in cookies] == [
        (https, True),
        (https, True),
    ]
