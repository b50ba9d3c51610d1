"""IndexNow: pings to a local endpoint started by the tests, through the real task queue and
its worker: on publishing, updating, withdrawing and deleting; a scheduled story when it is
due; retried with pauses when the endpoint fails, then logged as failed. The key file is
served at the site's root; without a key nothing is sent and the log says why."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import services
from articles.models import Article
from portals.models import IndexNowPing
from tests.factories import ArticleFactory, UserFactory
from tests.mailqueue.helpers import run_worker

KEY = "3f0c9a7e2b5d4e6f8a1b2c3d4e5f6a7b"
SITE = "https://news.example.kr"
State = IndexNowPing.State


class Endpoint(ThreadingHTTPServer):
    """An IndexNow endpoint on loopback: keeps each JSON body and answers with the given
    statuses in turn (the last one from then on)."""

    daemon_threads = True

    def __init__(self, *statuses: int):
        super().__init__(("127.0.0.1", 0), EndpointHandler)
        self.statuses = list(statuses) or [200]
        self.received: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/indexnow"


class EndpointHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.received.append(json.loads(self.rfile.read(length)))
        status = (
            self.server.statuses.pop(0)
            if len(self.server.statuses) > 1
            else self.server.statuses[0]
        )
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint(settings):
    def start(*statuses):
        server = Endpoint(*statuses)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        settings.INDEXNOW_KEY = KEY
        settings.SITE_URL = SITE
        settings.INDEXNOW_ENDPOINTS = [server.url]
        return server

    started = []
    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def chief(db):
    """An editor made here: transactional tests empty the groups the migrations made."""
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


def publish(article, by):
    return services.publish(article=article, by=by, site_url="http://testserver/")


def draft(**fields):
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **fields)


@pytest.mark.django_db
def test_the_key_file_is_served_at_the_site_root(client, settings):
    settings.INDEXNOW_KEY = KEY
    response = client.get(f"/{KEY}.txt")
    assert response.status_code == 200
    assert response.content.decode() == KEY
    assert response["Content-Type"].startswith("text/plain")
    assert client.get("/0000000000000000.txt").status_code == 404


@pytest.mark.django_db
def test_without_a_key_nothing_is_pinged_and_the_log_says_why(client, settings, chief):
    settings.INDEXNOW_KEY = ""
    settings.SITE_URL = SITE
    publish(draft(), chief)
    assert not IndexNowPing.objects.exists()
    assert client.get(f"/{KEY}.txt").status_code == 404
    client.force_login(chief)
    page = client.get(reverse("admin:portals_indexnowping_changelist")).content.decode()
    assert "IndexNow가 꺼져 있습니다" in page


@pytest.mark.django_db
def test_publishing_updating_and_withdrawing_ping_the_endpoint(
    endpoint, chief, django_capture_on_commit_callbacks
):
    server = endpoint(200)
    article = draft(title="스마트공장 지원 확대")
    url = SITE + article.get_absolute_url()
    assert not IndexNowPing.objects.exists(), "a draft is never pinged"

    with django_capture_on_commit_callbacks(execute=True):
        publish(article, chief)
    assert server.received == [
        {
            "host": "news.example.kr",
            "key": KEY,
            "keyLocation": f"{SITE}/{KEY}.txt",
            "urlList": [url],
        }
    ]
    ping = IndexNowPing.objects.get()
    assert (ping.state, ping.status_code, ping.attempts, ping.reason) == (
        State.SENT,
        200,
        1,
        IndexNowPing.Reason.PUBLISHED,
    )

    article.refresh_from_db()
    article.subtitle = "부제 수정"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(article=article, by=chief, site_url="http://testserver/")
    reasons = list(IndexNowPing.objects.order_by("pk").values_list("reason", "state"))
    assert reasons == [("published", "sent"), ("published", "sent"), ("removed", "sent")]
    assert [body["urlList"] for body in server.received] == [[url]] * 3


@pytest.mark.django_db
def test_deleting_a_live_story_pings_and_a_draft_does_not(
    endpoint, django_capture_on_commit_callbacks
):
    server = endpoint(202)
    live = ArticleFactory()
    url = SITE + live.get_absolute_url()
    IndexNowPing.objects.all().delete()
    server.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        live.delete()
        draft().delete()
    assert [body["urlList"] for body in server.received] == [[url]]
    assert IndexNowPing.objects.get().reason == IndexNowPing.Reason.REMOVED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_endpoint_is_retried_then_logged_as_failed(endpoint, chief, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.INDEXNOW_RETRY_SECONDS = 0  # due again at once, so one pass of the worker retries
    settings.INDEXNOW_MAX_ATTEMPTS = 3
    server = endpoint(500)
    publish(draft(), chief)

    run_worker()

    assert len(server.received) == 3
    ping = IndexNowPing.objects.get()
    assert (ping.state, ping.attempts, ping.status_code, ping.error) == (
        State.FAILED,
        3,
        500,
        "HTTP 500",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ping_that_fails_once_goes_out_on_the_next_attempt(endpoint, chief, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = endpoint(503, 200)
    before = timezone.now()
    publish(draft(), chief)

    run_worker()

    ping = IndexNowPing.objects.get()
    assert (ping.state, ping.attempts, ping.status_code) == (State.RETRYING, 1, 503)
    # Retried after INDEXNOW_RETRY_SECONDS, doubled on each further failure.
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after >= before + timedelta(seconds=settings.INDEXNOW_RETRY_SECONDS)

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    ping.refresh_from_db()
    assert (ping.state, ping.attempts, ping.status_code, ping.error) == (State.SENT, 2, 200, "")
    assert len(server.received) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scheduled_story_pings_when_it_falls_due_and_not_before(endpoint, chief, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = endpoint(200)
    article = draft()
    at = timezone.now() + timedelta(hours=3)
    services.publish(article=article, by=chief, site_url="http://testserver/", at=at)

    run_worker()
    assert server.received == []
    ping = IndexNowPing.objects.get()
    assert ping.state == State.WAITING and ping.due_at == at
    assert DBTaskResult.objects.get().run_after == at

    # Three hours later.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert [body["urlList"] for body in server.received] == [[SITE + article.get_absolute_url()]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_schedule_called_off_sends_nothing(endpoint, chief, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = endpoint(200)
    article = draft()
    at = timezone.now() + timedelta(hours=3)
    services.embargo(article=article, by=chief, site_url="http://testserver/", at=at)
    services.withdraw(article=article, by=chief, site_url="http://testserver/")

    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert server.received == []
    assert IndexNowPing.objects.get().state == State.CANCELLED


@pytest.mark.django_db
def test_the_send_log_is_for_editors(client, editor, reporter_user, moderator, ad_staff, reader):
    IndexNowPing.objects.create(
        urls=[f"{SITE}/articles/1/x/"],
        endpoint="https://searchadvisor.naver.com/indexnow",
        reason="published",
        state="failed",
        attempts=6,
        status_code=500,
        error="HTTP 500",
        due_at=timezone.now(),
    )
    url = reverse("admin:portals_indexnowping_changelist")
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "HTTP 500" in page and "보내지 못함" in page and "searchadvisor.naver.com" in page
    for user in (reporter_user, moderator, ad_staff):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(reader)
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_a_queue_that_cannot_wait_logs_the_failure_instead_of_a_retry(
    endpoint, chief, django_capture_on_commit_callbacks
):
    endpoint(500)  # the tests' queue runs tasks at once: it cannot hold a retry for later
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft(), chief)
    ping = IndexNowPing.objects.get()
    assert ping.state == State.FAILED
    assert ping.error.startswith("HTTP 500; ")
