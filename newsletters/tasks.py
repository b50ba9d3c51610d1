"""Newsletters go out through the task queue in batches, on mailqueue's retry schedule.

One task sends one batch over one SMTP connection. A message the server refuses for good
(a 5xx reply: no such mailbox) marks its address bounced, and nothing more is sent there;
a server that is down or answers 4xx leaves the batch's remaining messages for a later
attempt, paused as mailqueue pauses its own (retry_delay), MAIL_MAX_ATTEMPTS times in all.
"""

import smtplib

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from mailqueue.tasks import RetryScheduled, retry_delay

from .mail import EditionContent
from .models import Edition, Send, Subscriber


def permanent_refusal(error: Exception) -> str | None:
    """What the mail server said when it refused this recipient for good (5xx), else None."""
    replies = []
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
    elif isinstance(error, smtplib.SMTPDataError):
        replies = [(error.smtp_code, error.smtp_error)]
    if replies and all(code >= 500 for code, _reply in replies):
        code, reply = replies[0]
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"{code} {text}"
    return None


@task
def deliver_batch(*, send_ids: list[int], attempt: int) -> None:
    sends = list(
        Send.objects.filter(pk__in=send_ids, status=Send.Status.PENDING)
        .select_related("edition", "edition__article", "subscriber")
        .prefetch_related("subscriber__sections")
    )
    contents: dict[int, EditionContent] = {}
    retry: list[Send] = []
    last_error = None
    connection = mailers.default
    try:
        connection.open()
    except Exception as error:  # the server is down: every message waits for the next attempt
        retry, last_error = sends, error
        sends = []
    for send in sends:
        subscriber = send.subscriber
        send.attempts = attempt
        if send.edition_id not in contents:
            contents[send.edition_id] = EditionContent(send.edition)
        content = contents[send.edition_id]
        section_ids = {section.pk for section in subscriber.sections.all()}
        if subscriber.status != Subscriber.Status.CONFIRMED or not content.articles_for(
            subscriber, section_ids
        ):  # they left, or changed their sections, or the story was deleted, since it was queued
            send.status = Send.Status.SKIPPED
            continue
        try:
            connection.send_messages([content.message(subscriber, section_ids)])
        except Exception as error:
            if refusal := permanent_refusal(error):
                send.status, send.error = Send.Status.BOUNCED, refusal[:300]
                subscriber.mark_bounced(refusal)
            else:
                send.error, last_error = f"{type(error).__name__}: {error}"[:300], error
                retry.append(send)
        else:
            send.status, send.sent_at, send.error = Send.Status.SENT, timezone.now(), ""
    connection.close()

    for send in retry:
        send.attempts = attempt
        if attempt >= settings.MAIL_MAX_ATTEMPTS:
            send.status = Send.Status.FAILED
        send.error = send.error or f"{type(last_error).__name__}: {last_error}"[:300]
    with transaction.atomic():
        Send.objects.bulk_update(sends + retry, ["status", "attempts", "error", "sent_at"])
        finish_editions({send.edition_id for send in sends + retry})
    if retry and attempt < settings.MAIL_MAX_ATTEMPTS:
        deliver_batch.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            send_ids=[send.pk for send in retry], attempt=attempt + 1
        )
        raise RetryScheduled(f"{type(last_error).__name__}: {last_error}") from last_error
    if retry:
        raise last_error


def finish_editions(edition_ids: set[int]) -> None:
    """Editions with nothing left waiting are sent."""
    (
        Edition.objects.filter(pk__in=edition_ids, status=Edition.Status.SENDING)
        .exclude(sends__status=Send.Status.PENDING)
        .update(status=Edition.Status.SENT)
    )
