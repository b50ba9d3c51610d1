"""Reads on a real read replica: a PostgreSQL primary and a ``pg_basebackup -R`` standby
streaming from it, started here, under gunicorn with production settings.

The standby logs every statement it runs, so a test sees which database a page read
from: what the replica did not log, the primary answered.
"""

import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.harness import Gunicorn, Postgres, Standby, production_env

from .servers import Browser, no_tracebacks, prepare_site, shell

PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"))
pytestmark = [
    pytest.mark.usefixtures("servers_one_module_at_a_time"),
    pytest.mark.skipif(
        not PGBIN or not shutil.which("runuser"),
        reason="needs PostgreSQL's server binaries (apt-get install postgresql)",
    ),
]
MAX_LAG = 2  # REPLICA_MAX_LAG_SECONDS: also how long after a change pages read the primary
CHECK = 0.5  # REPLICA_CHECK_SECONDS
PIN = 5  # REPLICA_PIN_SECONDS
SECTION = "/sections/industry/"  # the seed's (tests/newsroom/servers.py)
PASSWORD = "long-enough-password-1"  # the seed's


class Site:
    def __init__(self, primary, standby, server, env):
        self.primary, self.standby, self.server, self.env = primary, standby, server, env
        self.url = server.url
        self.article = self.shell(
            "from articles.models import Article; print(Article.objects.get().get_absolute_url())"
        )

    def shell(self, code: str) -> str:
        return shell(self.env, code)

    def retitle(self, title: str) -> None:
        self.shell(
            "from articles.models import Article; a = Article.objects.get(); "
            f"a.title = {title!r}; a.save()"
        )

    def settle(self) -> None:
        """Wait until the replica has replayed every change, and pages may read it again."""
        self.standby.caught_up()
        time.sleep(MAX_LAG + CHECK)

    def replica_reads(self, action) -> tuple[list[str], object]:
        """The article rows the replica read while ``action`` ran, and what it returned."""
        start = self.standby.log.stat().st_size
        result = action()
        time.sleep(0.2)  # the server writes its log a moment later
        with open(self.standby.log, "rb") as log:
            log.seek(start)
            lines = log.read().decode(errors="replace").splitlines()
        return [line for line in lines if 'FROM "articles_article"' in line], result


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replica")
    primary = Postgres()
    standby = Standby(primary, log_statement="all")
    server = None
    try:
        env = production_env(primary.start(), tmp, PAGE_CACHE_SECONDS="60")
        prepare_site(env)
        env.update(
            REPLICA_DATABASE_URL=standby.start(),
            REPLICA_MAX_LAG_SECONDS=str(MAX_LAG),
            REPLICA_CHECK_SECONDS=str(CHECK),
            REPLICA_PIN_SECONDS=str(PIN),
        )
        server = Gunicorn(env, log_path=tmp / "gunicorn.log", workers=2).start()
        site = Site(primary, standby, server, env)
        site.settle()
        yield site
    finally:
        if server is not None:
            server.stop()
        standby.stop()
        primary.stop()
    no_tracebacks(server.log_path)


def test_the_standby_is_a_streaming_replica(site):
    assert site.standby.execute("SELECT pg_is_in_recovery()") == (True,)
    state = site.primary.execute("SELECT state FROM pg_stat_replication")
    assert state == ("streaming",)


def test_an_anonymous_readers_article_page_reads_from_the_replica(site):
    reads, (status, page) = site.replica_reads(lambda: Browser(site.url).request(site.article))

    assert status == 200 and "여러 워커의 기사" in page
    assert reads, "the replica ran no query for the page"


def test_staff_read_from_the_primary_and_readers_from_the_replica(site):
    editor, reader = Browser(site.url), Browser(site.url)
    assert editor.log_in("editor", PASSWORD) == 302
    assert reader.log_in("reader", PASSWORD) == 302
    for browser in (editor, reader):
        browser.forget("primary")  # the login's own "read your writes" window, tested below

    # A section's list: a logged-in page that reads articles every time (an article's own
    # page comes from its cached parts and the article kept under its versions).
    editor_reads, (editor_status, _) = site.replica_reads(lambda: editor.request(SECTION))
    admin_reads, (admin_status, _) = site.replica_reads(
        lambda: editor.request("/admin/articles/article/")
    )
    reader_reads, (reader_status, _) = site.replica_reads(lambda: reader.request(SECTION))

    assert editor_status == admin_status == reader_status == 200
    assert not editor_reads and not admin_reads
    assert reader_reads


def test_a_reader_reads_their_own_comment_from_the_primary_right_after_posting(site):
    reader = Browser(site.url)
    assert reader.log_in("flooder", PASSWORD) == 302
    pk = site.article.split("/")[2]
    body = f"방금 쓴 댓글 {uuid.uuid4().hex[:8]}"

    def post_and_follow():
        form = {"body": body, "csrfmiddlewaretoken": reader.csrf_token()}
        status = reader.request(f"/comments/articles/{pk}/post/", form)[0]
        return status, reader.headers["Location"], reader.request(reader.headers["Location"])

    reads, (status, location, (page_status, page)) = site.replica_reads(post_and_follow)

    assert status == 302 and location.startswith(site.article)
    assert page_status == 200 and body in page
    assert not reads  # the write, and the page after it, on the primary

    site.settle()
    time.sleep(PIN)  # the window closes: the same reader reads the replica again
    status, page = reader.request(site.article)
    assert status == 200 and body in page
    # Within a replica check or two: a worker may hold its readers on the primary until
    # its next look at the replica's lag (REPLICA_CHECK_SECONDS, at most MAX_LAG after a change).
    deadline = time.monotonic() + MAX_LAG + 2 * CHECK
    while True:
        reads, (status, _) = site.replica_reads(lambda: reader.request(SECTION))
        assert status == 200
        if reads:
            break
        assert time.monotonic() < deadline, "the reader still reads the primary"


def test_a_paused_replica_never_serves_a_stale_page(site):
    title = "복제가 멈춘 뒤 고친 제목"
    cached = [Browser(site.url).request(site.article) for _ in range(4)]  # in the page cache
    site.standby.pause_replay()
    try:
        site.retitle(title)
        # At once: the versions say the cached copy is stale (they are read on the primary),
        # and the page is made again from the primary (the change is seconds old).
        reads_at_once, at_once = site.replica_reads(
            lambda: [Browser(site.url).request(site.article) for _ in range(4)]
        )
        time.sleep(MAX_LAG + CHECK)  # past the change's own window: the lag decides now
        reads_later, later = site.replica_reads(
            lambda: [Browser(site.url).request(f"/search/?q=paused{n}") for n in range(4)]
        )
        # The replica still has the old title: it was left alone, not read.
        query = "SELECT title FROM articles_article WHERE slug = 'workers'"
        on_the_replica = site.standby.execute(query, database="newsroom")
    finally:
        site.standby.resume_replay()

    assert all(status == 200 and title not in page for status, page in cached)
    assert all(status == 200 and title in page for status, page in at_once)
    assert [status for status, _ in later] == [200] * 4
    assert not reads_at_once and not reads_later
    assert on_the_replica != (title,)

    site.settle()
    reads, (status, _) = site.replica_reads(lambda: Browser(site.url).request("/?page=1"))
    assert status == 200 and reads  # caught up: read again


def test_a_page_an_edit_made_stale_is_made_from_the_primary_before_any_lag_is_seen(site, tmp_path):
    # A server that asks the replica once an hour never notices it has stopped replaying:
    # the edit's own window still sends the page it made stale to the primary.
    title = "확인 전에 고친 제목"
    server = Gunicorn(
        {**site.env, "REPLICA_CHECK_SECONDS": "3600"}, log_path=tmp_path / "gunicorn.log", workers=1
    ).start()
    try:
        reads_before, (before, _) = site.replica_reads(
            lambda: Browser(server.url).request(site.article)
        )
        site.standby.pause_replay()
        try:
            site.retitle(title)
            reads, (status, page) = site.replica_reads(
                lambda: Browser(server.url).request(site.article)
            )
        finally:
            site.standby.resume_replay()
    finally:
        server.stop()

    assert before == 200 and reads_before  # the replica was in use
    assert status == 200 and title in page
    assert not reads
    site.settle()


def test_a_replica_lost_between_two_checks_costs_the_reader_nothing(site, tmp_path):
    # A server that asks the replica once an hour: it learns of the loss from a failed page.
    server = Gunicorn(
        {**site.env, "REPLICA_CHECK_SECONDS": "3600"}, log_path=tmp_path / "gunicorn.log", workers=1
    ).start()
    try:
        reads, (before, _) = site.replica_reads(
            lambda: Browser(server.url).request("/search/?q=before")
        )
        site.standby.stop_server()
        try:
            status, page = Browser(server.url).request("/search/?q=after")
            then, _ = Browser(server.url).request("/search/?q=then")
        finally:
            site.standby.start_server()
    finally:
        server.stop()

    assert before == 200 and reads  # the replica was in use
    assert status == then == 200 and "검색" in page
    log = server.log_path.read_text()
    assert "Reading from the primary: the replica failed" in log
    assert "Traceback" not in log
    site.settle()


def test_a_stopped_replica_is_left_alone_without_an_error_for_the_reader(site):
    site.standby.stop_server()
    try:
        site.retitle("복제가 멈춘 동안 고친 제목")
        # Different pages at once in both workers, some before they notice the replica
        # has gone: whichever fails on it is made again from the primary.
        paths = [site.article, *(f"/search/?q={word}" for word in range(11))]
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda path: Browser(site.url).request(path), paths))
        time.sleep(MAX_LAG + CHECK)
        status, page = Browser(site.url).request(site.article)
    finally:
        site.standby.start_server()

    assert [status for status, _ in answers] == [200] * len(paths)
    assert "복제가 멈춘 동안 고친 제목" in answers[0][1]
    assert status == 200 and "복제가 멈춘 동안 고친 제목" in page

    site.settle()  # back, caught up: read again
    reads, (status, _) = site.replica_reads(lambda: Browser(site.url).request("/search/?q=x"))
    assert status == 200 and reads
