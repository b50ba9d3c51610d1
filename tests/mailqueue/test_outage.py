"""The mail server goes down and comes back: the real database queue and the real
`db_worker` command, SMTP refused on a closed port, then delivered to a small SMTP server."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mailqueue.models import Delivery, OutgoingMail
from mailqueue.tasks import send_mail_later
from tests.factories import UserFactory
from tests.mailqueue.helpers import SMTPSink, closed_port, run_worker, smtp_mailers

# The worker commits as it goes, as the real one does.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_queue"),
]

CHANGELIST = "admin:mailqueue_outgoingmail_changelist"


@pytest.fixture
def desk():
    """Staff who may read the mail queue. Editors may (test_admin.py), but the groups made by
    data migrations are gone once an earlier transactional test has emptied the database."""
    user = UserFactory(username="desk", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_outgoingmail"))
    return user


def test_no_mail_is_lost_while_the_mail_server_is_down(
    client, settings, published_article, reader, other_reader, desk
):
    settings.MAILERS = smtp_mailers(closed_port())

    emailed = client.post(
        reverse("articles:email", args=[published_article.pk]),
        {"recipient": "friend@example.com", "sender_name": "홍길동", "message": "꼭 읽어 봐"},
        follow=True,
    )
    reset = client.post(reverse("accounts:password_reset"), {"email": reader.email}, follow=True)

    assert emailed.redirect_chain[0][1] == 302 and emailed.status_code == 200
    assert "friend@example.com 주소로 보낼 기사 메일을 접수했습니다. 곧 발송됩니다." in (
        emailed.content.decode()
    )
    assert reset.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert "이메일을 확인하세요" in reset.content.decode()

    run_worker()  # the mail server refuses both

    assert OutgoingMail.objects.delivery(Delivery.RETRYING).count() == 2
    retries = OutgoingMail.objects.delivery(Delivery.WAITING)
    assert sorted(retry.message["to"][0] for retry in retries) == [
        "friend@example.com",
        reader.email,
    ]
    assert all(retry.message["attempt"] == 2 for retry in retries)
    assert all(retry.run_after > timezone.now() for retry in retries)

    client.force_login(desk)
    staff_view = client.get(reverse(CHANGELIST), {"delivery": "retrying"}).content.decode()
    assert "실패, 다시 보낼 예정" in staff_view and "ConnectionRefusedError" in staff_view
    assert "friend@example.com" in staff_view and reader.email in staff_view
    client.force_login(other_reader)  # not the one resetting: a login spoils a reset link
    assert reverse("admin:login") in client.get(reverse(CHANGELIST))["Location"]

    with SMTPSink() as sink:  # the mail server is back, and the pause has passed
        settings.MAILERS = smtp_mailers(sink.port)
        retries.update(run_after=timezone.now())
        run_worker()

    assert sorted(sink.recipients) == sorted([["friend@example.com"], [reader.email]])
    assert OutgoingMail.objects.delivery(Delivery.SENT).count() == 2
    assert not OutgoingMail.objects.delivery(Delivery.WAITING).exists()
    by_recipient = dict(zip((to[0] for to in sink.recipients), sink.messages, strict=True))
    article_mail = by_recipient["friend@example.com"].get_content()
    assert published_article.title in article_mail and "꼭 읽어 봐" in article_mail
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)",
        by_recipient[reader.email].get_content(),
    ).group(1)
    assert client.get(link, follow=True).context["validlink"]


def test_after_the_last_attempt_the_mail_is_kept_as_not_sent(client, settings, desk):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.MAIL_MAX_ATTEMPTS = 2

    send_mail_later(subject="안내", body="본문", to=["friend@example.com"])
    run_worker()
    OutgoingMail.objects.delivery(Delivery.WAITING).update(run_after=timezone.now())
    run_worker()

    [given_up] = OutgoingMail.objects.delivery(Delivery.FAILED)
    assert given_up.message["attempt"] == 2
    assert not OutgoingMail.objects.delivery(Delivery.WAITING).exists()
    client.force_login(desk)
    staff_view = client.get(reverse(CHANGELIST), {"delivery": "failed"}).content.decode()
    assert "보내지 못함" in staff_view and "friend@example.com" in staff_view
    assert "2 / 2" in staff_view


def test_the_worker_command_puts_stranded_messages_back_then_sends_them(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    send_mail_later(subject="남은 메일", body="본문", to=["friend@example.com"])
    stranded = OutgoingMail.objects.get()
    stranded.claim("worker-killed-mid-send")
    OutgoingMail.objects.filter(pk=stranded.pk).update(
        started_at=timezone.now() - timedelta(hours=1)
    )

    run_worker("worker")

    assert OutgoingMail.objects.get().delivery == Delivery.SENT
    assert [message.subject for message in mail.outbox] == ["남은 메일"]
