"""Mail is sent by the task worker, never inside a request: a mail server that is down
delays a message (retried with growing pauses) instead of failing the page or losing it.

The task's path is stored with every queued message, so renaming deliver_mail strands
the messages still waiting under the old name.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import TaskResultStatus, task
from django.utils import timezone

logger = logging.getLogger(__name__)


class MailNotQueued(Exception):
    """The queue refused the message (its database or server is down); nothing will be sent."""


class RetryScheduled(Exception):
    """This attempt failed and the message is queued again; the queue records it as failed."""


def send_mail_later(*, subject: str, body: str, to: list[str]) -> str:
    """Queue a plain-text e-mail from DEFAULT_FROM_EMAIL; returns the task's id."""
    try:
        result = deliver_mail.enqueue(subject=subject, body=body, to=list(to), attempt=1)
    except Exception as error:
        logger.exception("An e-mail to %d recipient(s) could not be queued", len(to))
        raise MailNotQueued from error
    return result.id


# A task still marked as running this long after it started was left by a worker that was
# killed mid-task (a message is sent in seconds; SMTP gives up after 10).
STRANDED_AFTER = timedelta(minutes=15)


def requeue_stranded() -> int:
    """Put tasks a killed worker claimed and never finished back in the queue; how many.

    A message may then go out twice (if it was sent just before the worker died), never
    not at all.
    """
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - STRANDED_AFTER
    ).update(status=TaskResultStatus.READY, started_at=None)


def retry_delay(attempt: int) -> timedelta:
    """The pause after a failed attempt: MAIL_RETRY_SECONDS, doubled each time, at most an hour."""
    return timedelta(seconds=min(settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1), 3600))


@task
def deliver_mail(*, subject: str, body: str, to: list[str], attempt: int) -> None:
    try:
        EmailMessage(subject, body, None, to).send()
    except Exception as error:
        if attempt >= settings.MAIL_MAX_ATTEMPTS:
            raise  # recorded as failed for good: staff see it in the admin
        retry_at = timezone.now() + retry_delay(attempt)
        deliver_mail.using(run_after=retry_at).enqueue(
            subject=subject, body=body, to=to, attempt=attempt + 1
        )
        raise RetryScheduled(f"{type(error).__name__}: {error}") from error
