"""Pages cached for anonymous readers: fast, never personal, never stale beyond a minute."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_anonymous_readers_share_one_rendering(
    client, published_article, django_assert_num_queries
):
    first = client.get(published_article.get_absolute_url())

    with django_assert_num_queries(1):  # the page's versions, from the shared cache
        second = client.get(published_article.get_absolute_url())

    assert second.content == first.content
    # Shared caches (a CDN) keep it a minute; a browser revalidates it every time.
    assert second["Cache-Control"] == "public, max-age=0, s-maxage=60"


def test_conditional_get_answers_304(client, published_article):
    first = client.get(published_article.get_absolute_url())

    again = client.get(
        published_article.get_absolute_url(), headers={"If-None-Match": first["ETag"]}
    )

    assert again.status_code == 304


class TestAHitIsTheStoredPageWhole:
    """The page cache is the outermost middleware: a hit is answered before the security
    middleware runs, so the stored page must carry what that middleware added."""

    SECURITY_HEADERS = (
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Security-Policy",
        "X-Frame-Options",
    )

    def test_a_hit_carries_the_security_headers(self, settings, published_article):
        settings.SECURE_HSTS_SECONDS = 3600
        browser = Client()
        url = published_article.get_absolute_url()
        first = browser.get(url, secure=True)

        hit = browser.get(url, secure=True)

        assert hit["Age"]  # from the cache
        assert "max-age=3600" in first["Strict-Transport-Security"]
        for header in self.SECURITY_HEADERS:
            assert hit[header] == first[header], header

    def test_plain_http_is_redirected_on_every_request_and_https_gets_the_page(
        self, settings, published_article
    ):
        settings.SECURE_SSL_REDIRECT = True
        browser = Client()
        url = published_article.get_absolute_url()

        plain = [browser.get(url) for _ in range(2)]
        secure = [browser.get(url, secure=True) for _ in range(2)]

        assert [r.status_code for r in plain] == [301, 301]
        assert all(r["Location"].startswith("https://") for r in plain)
        assert [r.status_code for r in secure] == [200, 200]
        assert published_article.title in secure[1].content.decode()
        assert "Strict-Transport-Security" not in plain[1]

    def test_an_unknown_host_is_refused_on_a_cached_page(self, published_article):
        url = published_article.get_absolute_url()
        Client().get(url)

        assert Client().get(url, headers={"Host": "evil.example"}).status_code == 400

    def test_a_logged_in_readers_static_file_stays_public(self, settings, client, reader):
        settings.WHITENOISE_USE_FINDERS = True  # no collectstatic in a fresh clone
        client.force_login(reader)

        response = client.get("/static/img/favicon.svg")

        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert "private" not in response["Cache-Control"]


class TestNobodysIdentityLeaks:
    def test_logged_in_pages_are_private_and_never_cached(self, client, reader, published_article):
        client.force_login(reader)

        response = client.get(published_article.get_absolute_url())

        assert "private" in response["Cache-Control"]
        assert reader.display_name in response.content.decode()
        anonymous = Client().get(published_article.get_absolute_url()).content.decode()
        assert reader.display_name not in anonymous

    def test_each_reader_sees_only_themselves_after_the_anonymous_cache_is_warm(
        self, published_article
    ):
        url = published_article.get_absolute_url()
        anonymous = Client().get(url).content.decode()
        readers = [UserFactory(display_name=name) for name in ("첫째독자", "둘째독자")]
        pages = []
        for reader in readers:
            browser = Client()
            browser.force_login(reader)
            CommentFactory(
                article=published_article, user=reader, body=f"{reader.display_name}의 댓글"
            )
            pages.append(browser.get(url).content.decode())

        assert "첫째독자" not in anonymous and "둘째독자" not in anonymous
        assert "<strong>첫째독자</strong> 님으로" in pages[0]
        assert "<strong>둘째독자</strong> 님으로" not in pages[0]
        assert "<strong>둘째독자</strong> 님으로" in pages[1]
        assert "<strong>첫째독자</strong> 님으로" not in pages[1]
        edit_links = [re.findall(r"/comments/(\d+)/edit/", page) for page in pages]
        assert len(edit_links[0]) == len(edit_links[1]) == 1 and edit_links[0] != edit_links[1]

    def test_shared_pages_carry_no_ones_csrf_token(self, client, published_article):
        content = client.get(published_article.get_absolute_url()).content.decode()

        assert re.search(r'name="csrfmiddlewaretoken" value="" data-csrf="/csrf/"', content)
        assert not re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', content)
        assert "csrftoken" not in client.cookies

    def test_pages_after_a_message_are_not_shared(self, client, published_article):
        client.post(
            reverse("articles:email", args=[published_article.pk]),
            {"recipient": "f@example.com", "sender_name": "홍길동"},
        )

        page = client.get(published_article.get_absolute_url()).content.decode()
        other = Client().get(published_article.get_absolute_url()).content.decode()

        assert "f@example.com" in page and "f@example.com" not in other


class TestCsrfOnSharedPages:
    def test_the_browser_fetches_its_own_token_and_posts(self, published_article):
        browser = Client(enforce_csrf_checks=True)
        browser.get(published_article.get_absolute_url())

        token = browser.get(reverse("csrf")).json()["token"]
        response = browser.post(
            reverse("comments:post", args=[published_article.pk]),
            {
                "body": "캐시된 페이지에서 쓴 댓글",
                "guest_name": "손님",
                "guest_password": "1234",
                "csrfmiddlewaretoken": token,
            },
        )

        assert response.status_code == 302
        assert Comment.objects.get().body == "캐시된 페이지에서 쓴 댓글"

    def test_without_a_token_the_comment_comes_back_to_send_again(self, published_article):
        browser = Client(enforce_csrf_checks=True)

        response = browser.post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "자바스크립트 없이 쓴 긴 의견", "guest_name": "손님"},
        )

        content = response.content.decode()
        assert response.status_code == 403
        assert "자바스크립트 없이 쓴 긴 의견</textarea>" in content
        assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', content)
        assert not Comment.objects.exists()


class TestChangesShowUpAtOnce:
    def test_an_edited_article(self, client, editor, published_article):
        url = published_article.get_absolute_url()
        client.get(url)

        published_article.title = "고친 제목"
        published_article.save()

        assert "고친 제목" in Client().get(url).content.decode()

    def test_bulk_published_and_unpublished_articles(self, client, editor):
        submitted = ArticleFactory(status="review", published_at=None, title="막 출고된 기사")
        home = reverse("articles:home")
        Client().get(home)
        client.force_login(editor)

        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [submitted.pk], "post": "yes"},
        )
        assert "막 출고된 기사" in Client().get(home).content.decode()

        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [submitted.pk], "post": "yes"},
        )
        assert "막 출고된 기사" not in Client().get(home).content.decode()

    def test_a_new_comment_is_there_after_the_redirect(self, client, published_article):
        url = published_article.get_absolute_url()
        client.get(url)

        response = client.post(
            reverse("comments:post", args=[published_article.pk]),
            {"body": "방금 쓴 손님 댓글", "guest_name": "손님", "guest_password": "1234"},
            follow=True,
        )

        assert "방금 쓴 손님 댓글" in response.content.decode()

    def test_a_hidden_comment_is_gone_at_once(self, client, moderator, published_article):
        comment = CommentFactory(article=published_article, body="곧 숨길 댓글")
        url = published_article.get_absolute_url()
        assert "곧 숨길 댓글" in Client().get(url).content.decode()
        client.force_login(moderator)

        client.post(reverse("comments:moderate", args=[comment.pk]), {"action": "hide"})

        assert "곧 숨길 댓글" not in Client().get(url).content.decode()


def test_nothing_is_cached_longer_than_a_minute(client):
    """A scheduled article that falls due (no save happens) is on the home page within 60 s."""
    due = ArticleFactory(title="예약된 기사", published_at=timezone.now() + timedelta(seconds=30))
    home = reverse("articles:home")
    assert "예약된 기사" not in client.get(home).content.decode()

    later = time.time() + 61
    with (
        mock.patch("django.core.cache.backends.locmem.time.time", return_value=later),
        mock.patch(
            "django.utils.timezone.now", return_value=due.published_at + timedelta(seconds=31)
        ),
    ):
        assert "예약된 기사" in client.get(home).content.decode()
    assert Article.objects.get(pk=due.pk).status == "published"


def test_a_cached_page_says_how_old_it_is(client, published_article):
    url = published_article.get_absolute_url()
    client.get(url)

    with mock.patch("caching.pages.time.time", return_value=time.time() + 42):
        again = client.get(url)

    assert again["Age"] == "42"


def test_a_change_made_through_another_worker_shows_at_once(client, published_article):
    """This worker keeps its rendered copies, but reads the versions every worker shares."""
    url = published_article.get_absolute_url()
    client.get(url)  # this worker caches the page and its parts
    # Another worker takes a comment: its save moves the article's version in the shared
    # cache, which this worker reads; its own rendered copies stay as they were.
    Comment.objects.create(article=published_article, guest_name="손님", body="다른 워커의 댓글")

    assert "다른 워커의 댓글" in client.get(url).content.decode()


def test_what_every_page_shows_does_not_cut_other_pages_short(client, published_article):
    """The most-read box is made once a minute for all pages: a page rendered late in
    that minute is still kept a full minute."""
    other = ArticleFactory()
    now = time.time()
    client.get(published_article.get_absolute_url())  # the sidebar's parts are cached

    with mock.patch("time.time", return_value=now + 50):
        later = client.get(other.get_absolute_url())

    assert "s-maxage=60" in later["Cache-Control"]


class TestScheduledArticlesGoLiveOnTime:
    def test_a_cached_404_ends_the_moment_the_article_falls_due(self, client):
        due = ArticleFactory(title="예약 기사", published_at=timezone.now() + timedelta(seconds=30))
        url = due.get_absolute_url()
        before = client.get(url)
        assert before.status_code == 404

        with mock.patch(
            "django.utils.timezone.now", return_value=due.published_at + timedelta(seconds=1)
        ):
            after = [client.get(url) for _ in range(3)]

        assert [response.status_code for response in after] == [200, 200, 200]

    def test_no_cache_in_front_keeps_a_page_past_the_next_publication(self, client):
        ArticleFactory(published_at=timezone.now() + timedelta(seconds=20))

        home = client.get(reverse("articles:home"))

        max_age = int(re.search(r"s-maxage=(\d+)", home["Cache-Control"]).group(1))
        assert 0 < max_age <= 20

    def test_the_next_scheduled_article_is_found_after_one_falls_due(self, client):
        first = ArticleFactory(title="첫 예약", published_at=timezone.now() + timedelta(seconds=30))
        second = ArticleFactory(
            title="둘째 예약", published_at=first.published_at + timedelta(hours=1)
        )
        home = reverse("articles:home")
        client.get(home)

        with mock.patch("django.utils.timezone.now", return_value=first.published_at):
            assert "첫 예약" in client.get(home).content.decode()
        with mock.patch(
            "django.utils.timezone.now", return_value=second.published_at + timedelta(seconds=1)
        ):
            assert "둘째 예약" in client.get(home).content.decode()


def test_pages_are_cached_per_scheme(client, published_article):
    """A request that came over HTTPS (or claims to) never fills the page plain HTTP gets."""
    url = published_article.get_absolute_url()

    secure = client.get(url, secure=True).content.decode()
    plain = client.get(url).content.decode()

    assert 'rel="canonical" href="https://' in secure
    assert 'rel="canonical" href="http://' in plain


def test_pages_are_cached_per_query_string(client):
    """Each page of a list, and each search, is its own entry, however the address is
    spelled (percent-encoded or not)."""
    robot = ArticleFactory(title="협동로봇 출시")
    chip = ArticleFactory(section=robot.section, title="반도체 수출")
    for number in range(23):
        ArticleFactory(section=robot.section, title=f"기사 {number}")
    url, search = robot.section.get_absolute_url(), reverse("articles:search")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    robots = client.get(search, {"q": "협동로봇"}).content.decode()
    chips = client.get(search, {"q": "반도체"}).content.decode()
    chips_spelled = client.get(f"{search}?q=반도체").content.decode()

    assert "2쪽 중 1쪽" in first and "2쪽 중 2쪽" in second
    robot_url, chip_url = robot.get_absolute_url(), chip.get_absolute_url()
    assert robot_url in robots and chip_url not in robots
    assert chip_url in chips and robot_url not in chips
    assert chip_url in chips_spelled and robot_url not in chips_spelled
