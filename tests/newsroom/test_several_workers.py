"""Controls hold across workers: gunicorn with four workers, production settings, no Redis.

Each worker keeps its own memory, so whatever must hold for the whole site — login
throttling, comment flood control, the e-mail limit, de-duplicated clicks and views,
the versions that make cached pages stale — lives in the shared cache, which without
REDIS_URL is the database every worker (and server) shares. The requests go out many at
once, so that they land on different workers. The site runs on the suite's own engine:
a fresh SQLite file, or a fresh database on the suite's PostgreSQL server.
"""

import os
import time
import uuid

import pytest

from bench.harness import Gunicorn, production_env

from .servers import Browser, at_once, fresh_database, no_tracebacks, prepare_site, shell

WORKERS = 4
pytestmark = pytest.mark.usefixtures("servers_one_module_at_a_time")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workers")
    with fresh_database(os.environ.get("DATABASE_URL", ""), tmp) as url:
        yield url


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    env = production_env(database_url, tmp, PAGE_CACHE_SECONDS="60", COUNTER_FLUSH_SECONDS="1")
    prepare_site(env)
    server = Gunicorn(env, log_path=tmp / "gunicorn.log", workers=WORKERS).start()
    server.shell = lambda code: shell(env, code)
    server.article = server.shell(
        "from articles.models import Article; print(Article.objects.get().get_absolute_url())"
    )
    yield server
    server.stop()
    no_tracebacks(server.log_path)


def test_the_right_password_is_refused_in_every_worker_during_a_lockout(site):
    failures = at_once(lambda: Browser(site.url).log_in("reader", "wrong-password"), 5)
    during_lockout = at_once(
        lambda: Browser(site.url).log_in("reader", "long-enough-password-1"), 12
    )

    assert failures == [200] * 5  # the form again, with its error
    assert during_lockout == [200] * 12  # never the redirect of a successful login


def test_the_admin_login_is_locked_out_in_every_worker_too(site):
    at_once(lambda: Browser(site.url).log_in("editor", "wrong", "/admin/login/"), 5)

    attempts = at_once(
        lambda: Browser(site.url).log_in("editor", "long-enough-password-1", "/admin/login/"), 12
    )

    assert attempts == [200] * 12


def test_one_comment_per_interval_whichever_worker_takes_it(site):
    browser = Browser(site.url)
    assert browser.log_in("flooder", "long-enough-password-1") == 302
    token = browser.csrf_token()
    pk = site.article.split("/")[2]

    def post():
        form = {"body": f"도배 {uuid.uuid4().hex}", "csrfmiddlewaretoken": token}
        return browser.request(f"/comments/articles/{pk}/post/", form)[0]

    statuses = at_once(post, 10)

    assert statuses.count(302) == 1 and statuses.count(429) == 9
    assert site.shell("from comments.models import Comment; print(Comment.objects.count())") == "1"


def test_a_visitors_concurrent_clicks_count_once(site):
    pk = site.shell("from ads.models import Placement; print(Placement.objects.get().pk)")

    statuses = at_once(lambda: Browser(site.url).request(f"/ads/{pk}/click/")[0], 80)

    assert statuses == [302] * 80
    clicks = (
        "from ads.models import AdStat; print(sum(AdStat.objects.values_list('clicks', flat=True)))"
    )
    assert site.shell(clicks) == "1"


def test_a_visitors_concurrent_reads_count_once(site):
    pk = site.article.split("/")[2]

    at_once(lambda: Browser(site.url).request(f"/articles/{pk}/viewed/", {})[0], 40)
    time.sleep(3)  # every worker writes its batch within COUNTER_FLUSH_SECONDS (1 s)

    views = "from articles.models import Article; print(Article.objects.get().view_count)"
    assert site.shell(views) == "1"


def test_the_email_limit_holds_across_workers(site):
    pk = site.article.split("/")[2]

    def send():
        browser = Browser(site.url)
        form = {"recipient": "friend@example.com", "sender_name": "홍길동", "message": ""}
        form["csrfmiddlewaretoken"] = browser.csrf_token()
        return browser.request(f"/articles/{pk}/email/", form)[0]

    statuses = at_once(send, 9)

    assert statuses.count(302) == 5 and statuses.count(429) == 4  # EMAIL_ARTICLE_RATE


def test_an_edit_shows_in_every_worker_at_once(site):
    before = at_once(lambda: Browser(site.url).request(site.article)[1], 24)  # fill every cache
    site.shell(
        "from articles.models import Article; a = Article.objects.get(); "
        "a.title = '고친 제목'; a.save()"
    )

    after = at_once(lambda: Browser(site.url).request(site.article)[1], 24)

    assert all("여러 워커의 기사" in page for page in before)
    assert all("고친 제목" in page for page in after)


def test_a_scheduled_article_is_never_404_again_once_it_is_due(site):
    # Ten seconds gives 24 requests time to fill every worker's cache with 404s even on a
    # loaded machine; the test then waits for the due time the server itself recorded.
    url, due = site.shell(
        "from datetime import timedelta; from django.utils import timezone; "
        "from articles.models import Article, Section; "
        "a = Article.objects.create(title='곧 나갈 기사', slug='soon', body='<p>곧</p>', "
        "section=Section.objects.get(), status='published', "
        "published_at=timezone.now() + timedelta(seconds=10)); "
        "print(a.get_absolute_url(), a.published_at.timestamp())"
    ).split()
    before = at_once(lambda: Browser(site.url).request(url)[0], 24)  # cached 404s everywhere
    assert time.time() < float(due), "the machine was too slow to ask before the article was due"
    time.sleep(float(due) - time.time() + 0.5)

    after = at_once(lambda: Browser(site.url).request(url)[0], 24)

    assert set(before) == {404}
    assert after == [200] * 24


def test_forwarded_headers_from_an_untrusted_peer_change_nothing(site):
    claimed = Browser(site.url).request(site.article, headers={"X-Forwarded-Proto": "https"})[1]
    plain = Browser(site.url).request(site.article)[1]

    for page in (claimed, plain):
        assert 'rel="canonical" href="http://' in page
        assert f"https://{site.url.removeprefix('http://')}" not in page
