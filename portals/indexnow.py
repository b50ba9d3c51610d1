"""IndexNow (Naver 서치어드바이저, Bing and others): telling search engines at once that
an address was published, changed or taken down, instead of waiting for their crawlers.

Each change queues one IndexNowPing per endpoint, sent by the task worker with retries
and growing pauses; a scheduled or embargoed article's ping is queued for the time it goes
live (the queue's run_after), and is called off if by then it is not public after all.

The task's path is stored with every queued ping: renaming deliver_ping strands them.
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from articles.models import Article

from .models import IndexNowPing

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


def enabled() -> bool:
    """Pings go out only with a key, the site's address, and endpoints (http or https)."""
    return bool(
        settings.INDEXNOW_KEY
        and settings.SITE_URL
        and settings.INDEXNOW_ENDPOINTS
        and all(url.startswith(("https://", "http://")) for url in settings.INDEXNOW_ENDPOINTS)
    )


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def queue_ping(*, article: Article, urls: list[str], reason: str, due_at=None) -> None:
    """Queue a ping of ``urls`` to every endpoint, sent once this transaction commits (at
    ``due_at`` if it is later)."""
    if not enabled():
        return
    due_at = due_at or timezone.now()
    pings = [
        IndexNowPing.objects.create(
            article=article, urls=urls, endpoint=endpoint, reason=reason, due_at=due_at
        )
        for endpoint in settings.INDEXNOW_ENDPOINTS
    ]

    def enqueue():
        for ping in pings:
            job = deliver_ping
            if due_at > timezone.now():
                job = deliver_ping.using(run_after=due_at)
            try:
                job.enqueue(ping_id=ping.pk)
            except Exception as error:  # the queue is down: the log says so, nothing else fails
                logger.exception("IndexNow ping %s could not be queued", ping.pk)
                IndexNowPing.objects.filter(pk=ping.pk).update(
                    state=IndexNowPing.State.FAILED, error=f"{type(error).__name__}: {error}"
                )

    transaction.on_commit(enqueue)


def retry_delay(attempt: int) -> timedelta:
    """The pause after a failed attempt: INDEXNOW_RETRY_SECONDS, doubled each time, at most
    an hour."""
    return timedelta(seconds=min(settings.INDEXNOW_RETRY_SECONDS * 2 ** (attempt - 1), 3600))


def still_wanted(ping: IndexNowPing) -> bool:
    """A ping for a published article goes out only if the article is public when it is
    sent (a scheduled one may have been called off or moved meanwhile)."""
    if ping.reason != IndexNowPing.Reason.PUBLISHED:
        return True
    return (
        ping.article_id is not None
        and Article.objects.published().filter(pk=ping.article_id).exists()
    )


def post(ping: IndexNowPing) -> int:
    """Send the ping; the endpoint's HTTP status, or an exception when none came back."""
    payload = {
        "host": settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0],
        "key": settings.INDEXNOW_KEY,
        "keyLocation": absolute(f"/{settings.INDEXNOW_KEY}.txt"),
        "urlList": ping.urls,
    }
    # The endpoints are settings, http(s) only (enabled()).
    request = urllib.request.Request(  # noqa: S310  # nosec B310
        ping.endpoint,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@task
def deliver_ping(*, ping_id: int) -> None:
    ping = IndexNowPing.objects.filter(pk=ping_id).first()
    if ping is None or ping.state in (IndexNowPing.State.SENT, IndexNowPing.State.CANCELLED):
        return
    if not still_wanted(ping):
        ping.state = IndexNowPing.State.CANCELLED
        ping.save(update_fields=["state"])
        return
    ping.attempts += 1
    ping.sent_at = timezone.now()
    try:
        ping.status_code = post(ping)
        # IndexNow answers 200 or 202 when it takes the addresses.
        ping.error = "" if ping.status_code in (200, 202) else f"HTTP {ping.status_code}"
    except OSError as error:
        ping.status_code = None
        ping.error = f"{type(error).__name__}: {error}"
    if not ping.error:
        ping.state = IndexNowPing.State.SENT
    elif ping.attempts >= settings.INDEXNOW_MAX_ATTEMPTS or ping.status_code in (400, 403, 422):
        # Out of attempts, or refused for good (a bad key or addresses not of this host).
        ping.state = IndexNowPing.State.FAILED
    else:
        ping.state = IndexNowPing.State.RETRYING
        ping.due_at = timezone.now() + retry_delay(ping.attempts)
    if ping.state == IndexNowPing.State.RETRYING:
        try:
            deliver_ping.using(run_after=ping.due_at).enqueue(ping_id=ping.pk)
        except Exception as error:  # a queue that cannot wait, or is down: no retry then
            ping.state = IndexNowPing.State.FAILED
            ping.error += f"; {type(error).__name__}: {error}"
    ping.save()
