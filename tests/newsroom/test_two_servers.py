"""Two app servers, one Redis, one PostgreSQL: what is done through one is seen through the
other at once. Both run gunicorn with two workers and production settings (DEBUG=0) on
their own ports, as two machines behind a load balancer would; the test starts Redis and
PostgreSQL itself.
"""

import shutil
import uuid
from pathlib import Path

import pytest

from bench.harness import Gunicorn, Postgres, Redis, production_env

from .servers import Browser, at_once, no_tracebacks, prepare_site, shell

pytestmark = [
    pytest.mark.usefixtures("servers_one_module_at_a_time"),
    pytest.mark.skipif(
        not shutil.which("redis-server"), reason="needs redis-server (apt-get install redis-server)"
    ),
    pytest.mark.skipif(
        not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        reason="needs PostgreSQL's server binaries (apt-get install postgresql)",
    ),
]
PASSWORD = "long-enough-password-1"  # the seed's
MORE = f"""
from accounts.models import User
from articles.models import Article
from comments.models import Comment
for name in ("commenter", "banned", "victim"):
    User.objects.create_user(name, f"{{name}}@example.com", "{PASSWORD}")
first = Article.objects.get()
Article.objects.create(
    title="내려질 기사", slug="withdrawn", section=first.section, body="<p>곧 내림</p>",
    status="published", published_at=first.published_at,
)
Comment.objects.create(article=first, user=User.objects.get(username="banned"), body="광고 도배")
"""


class Servers:
    def __init__(self, a: Gunicorn, b: Gunicorn, env: dict):
        self.a, self.b, self.env = a, b, env
        self.article = self.shell(
            "from articles.models import Article; "
            "print(Article.objects.get(slug='workers').get_absolute_url())"
        )
        self.pk = self.article.split("/")[2]

    def shell(self, code: str) -> str:
        return shell(self.env, code)

    def pages(self, server: Gunicorn, path: str, times: int = 8) -> list[tuple[int, str]]:
        """``path`` asked of ``server`` by ``times`` anonymous readers at once."""
        return at_once(lambda: Browser(server.url).request(path), times)

    def post_comment(self, browser: Browser, body: str) -> int:
        form = {"body": body, "csrfmiddlewaretoken": browser.csrf_token()}
        return browser.request(f"/comments/articles/{self.pk}/post/", form)[0]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-servers")
    postgres, redis, started = Postgres(), Redis(tmp), []
    try:
        env = production_env(
            postgres.start(), tmp, REDIS_URL=redis.start().url, PAGE_CACHE_SECONDS="60"
        )
        prepare_site(env)
        shell(env, MORE)
        for name in ("a", "b"):  # one after the other: each takes the next free port
            server = Gunicorn(env, log_path=tmp / f"gunicorn-{name}.log", workers=2)
            started.append(server.start())
        yield Servers(*started, env)
    finally:
        for server in started:
            server.stop()
        redis.stop()
        postgres.stop()
    for server in started:
        no_tracebacks(server.log_path)


def test_two_servers_on_their_own_ports_share_one_redis_and_one_database(servers):
    assert servers.a.port != servers.b.port
    assert servers.a.env["REDIS_URL"] == servers.b.env["REDIS_URL"]
    assert servers.a.env["DATABASE_URL"] == servers.b.env["DATABASE_URL"]


def test_an_edit_shows_on_both_servers_at_once(servers):
    before = servers.pages(servers.a, servers.article) + servers.pages(servers.b, servers.article)
    servers.shell(
        "from articles.models import Article; a = Article.objects.get(slug='workers'); "
        "a.title = '두 서버에서 고친 제목'; a.save()"
    )

    after = servers.pages(servers.a, servers.article) + servers.pages(servers.b, servers.article)

    assert all(status == 200 and "여러 워커의 기사" in page for status, page in before)
    assert all(status == 200 and "두 서버에서 고친 제목" in page for status, page in after)


def test_an_editor_logged_in_on_one_server_withdraws_an_article_the_other_stops_serving(servers):
    url = servers.shell(
        "from articles.models import Article; "
        "print(Article.objects.get(slug='withdrawn').get_absolute_url())"
    )
    pk = url.split("/")[2]
    cached = servers.pages(servers.b, url)  # every worker of B has it (in Redis)
    editor = Browser(servers.a.url)
    assert editor.log_in("editor", PASSWORD, "/admin/login/") == 302

    assert editor.at(servers.b.url).request("/admin/")[0] == 200  # one session for both
    form = {
        "action": "unpublish",
        "_selected_action": pk,
        "post": "yes",
        "csrfmiddlewaretoken": editor.csrf_token(),
    }
    assert editor.request("/admin/articles/article/", form)[0] == 302
    after = servers.pages(servers.b, url)

    assert {status for status, _ in cached} == {200}
    assert {status for status, _ in after} == {404}


def test_a_comment_posted_through_one_server_shows_on_the_other_at_once(servers):
    cached = servers.pages(servers.b, servers.article)
    commenter = Browser(servers.a.url)
    assert commenter.log_in("commenter", PASSWORD) == 302
    body = f"한 서버에서 쓴 댓글 {uuid.uuid4().hex[:8]}"

    assert servers.post_comment(commenter, body) == 302
    after = servers.pages(servers.b, servers.article)

    assert all(body not in page for _, page in cached)
    assert all(status == 200 and body in page for status, page in after)


def test_a_ban_made_on_one_server_holds_on_the_other_at_once(servers):
    banned = Browser(servers.b.url)
    assert banned.log_in("banned", PASSWORD) == 302
    comment = servers.shell(
        "from comments.models import Comment; print(Comment.objects.get(body='광고 도배').pk)"
    )
    moderator = Browser(servers.a.url)
    assert moderator.log_in("editor", PASSWORD, "/admin/login/") == 302
    form = {
        "action": "ban_authors",
        "_selected_action": comment,
        "post": "yes",
        "reason": "spam",
        "note": "",
        "term": "7",
        "csrfmiddlewaretoken": moderator.csrf_token(),
    }

    assert moderator.request("/admin/comments/comment/", form)[0] == 302
    status = servers.post_comment(banned, "차단된 뒤에 쓴 댓글")

    assert status == 403
    stored = (
        "from comments.models import Comment; "
        "print(Comment.objects.filter(body='차단된 뒤에 쓴 댓글').count())"
    )
    assert servers.shell(stored) == "0"


def test_flood_control_holds_across_servers(servers):
    flooder = Browser(servers.a.url)
    assert flooder.log_in("flooder", PASSWORD) == 302

    first = servers.post_comment(flooder, f"첫 댓글 {uuid.uuid4().hex}")
    second = servers.post_comment(flooder.at(servers.b.url), f"곧바로 {uuid.uuid4().hex}")

    assert (first, second) == (302, 429)


def test_a_login_locked_out_on_one_server_is_locked_out_on_the_other(servers):
    failures = at_once(lambda: Browser(servers.a.url).log_in("victim", "wrong-password"), 5)

    on_b = at_once(lambda: Browser(servers.b.url).log_in("victim", PASSWORD), 6)

    assert failures == [200] * 5  # the form again, with its error
    assert on_b == [200] * 6  # never the redirect of a successful login
