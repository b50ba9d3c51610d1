import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from mailqueue.models import Delivery, OutgoingMail
from mailqueue.tasks import (
    MailNotQueued,
    RetryScheduled,
    deliver_mail,
    requeue_stranded,
    retry_delay,
    send_mail_later,
)
from tests.mailqueue.helpers import closed_port, smtp_mailers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]

MESSAGE = {"subject": "[제조혁신신문] 기사", "body": "본문", "to": ["friend@example.com"]}


def test_queued_mail_waits_in_the_database_for_the_worker():
    send_mail_later(**MESSAGE)

    [queued] = OutgoingMail.objects.all()
    assert queued.delivery == Delivery.WAITING
    assert queued.message == {**MESSAGE, "attempt": 1}
    assert not mail.outbox


def test_a_queue_that_cannot_take_the_message_says_so(monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(DatabaseBackend, "enqueue", database_down)

    with pytest.raises(MailNotQueued):
        send_mail_later(**MESSAGE)


def test_a_refused_attempt_queues_the_next_one_a_minute_later(settings):
    settings.MAILERS = smtp_mailers(closed_port())

    with pytest.raises(RetryScheduled, match="ConnectionRefusedError"):
        deliver_mail.call(**MESSAGE, attempt=1)

    [retry] = OutgoingMail.objects.all()
    assert retry.message == {**MESSAGE, "attempt": 2}
    assert retry.delivery == Delivery.WAITING
    expected = timezone.now() + timedelta(minutes=1)
    assert expected - timedelta(seconds=10) < retry.run_after <= expected


def test_the_last_attempt_is_not_retried(settings):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.MAIL_MAX_ATTEMPTS = 3

    with pytest.raises(ConnectionRefusedError):
        deliver_mail.call(**MESSAGE, attempt=3)

    assert not OutgoingMail.objects.exists()


def test_pauses_between_attempts_double_up_to_an_hour():
    pauses = [retry_delay(attempt).total_seconds() / 60 for attempt in range(1, 10)]

    assert pauses == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_default_attempts_cover_a_few_hours_of_outage(settings):
    waited = sum((retry_delay(n) for n in range(1, settings.MAIL_MAX_ATTEMPTS)), timedelta())

    assert timedelta(hours=3) < waited < timedelta(hours=5)


def test_the_site_queues_mail_in_the_database_with_attempts_from_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings;"
        "from django.tasks import task_backends;"
        "print(type(task_backends['default']).__name__, settings.MAIL_MAX_ATTEMPTS)"
    )
    env = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "news.example.com"}

    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            **env,
            "MAIL_MAX_ATTEMPTS": "4",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.split() == ["DatabaseBackend", "4"], result.stderr


def test_a_message_a_killed_worker_left_half_sent_goes_back_in_the_queue():
    send_mail_later(**MESSAGE)
    stranded = OutgoingMail.objects.get()
    stranded.claim("worker-killed-mid-send")
    OutgoingMail.objects.filter(pk=stranded.pk).update(
        started_at=timezone.now() - timedelta(minutes=16)
    )
    running_now = OutgoingMail.objects.get(pk=send_mail_later(**MESSAGE))
    running_now.claim("worker-still-sending")

    assert requeue_stranded() == 1

    stranded.refresh_from_db()
    running_now.refresh_from_db()
    assert stranded.delivery == Delivery.WAITING
    assert running_now.delivery == Delivery.SENDING
