import pytest
from django.contrib import admin
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mailqueue.models import RETRY_SCHEDULED, Delivery, OutgoingMail
from mailqueue.tasks import send_mail_later
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]

CHANGELIST = "admin:mailqueue_outgoingmail_changelist"
RESET_LINK = "http://testserver/accounts/password/reset/Mw/secret-token/"


def queued(*, to: str, status=TaskResultStatus.READY, error: str = "", retrying=False):
    task_id = send_mail_later(subject=f"{to} 님께", body=f"링크: {RESET_LINK}", to=[to])
    exception = RETRY_SCHEDULED if retrying else error.split(":")[0]
    OutgoingMail.objects.filter(pk=task_id).update(
        status=status, exception_class_path=exception, traceback=f"Traceback …\n{error}\n"
    )
    return OutgoingMail.objects.get(pk=task_id)


@pytest.fixture
def outbox_with_every_outcome(database_queue):
    queued(to="sent@example.com", status=TaskResultStatus.SUCCESSFUL)
    queued(to="waiting@example.com")
    queued(to="sending@example.com", status=TaskResultStatus.RUNNING)
    queued(
        to="retrying@example.com",
        status=TaskResultStatus.FAILED,
        retrying=True,
        error=f"{RETRY_SCHEDULED}: ConnectionRefusedError: [Errno 111] Connection refused",
    )
    queued(
        to="failed@example.com",
        status=TaskResultStatus.FAILED,
        error="smtplib.SMTPRecipientsRefused: {'failed@example.com': (550, b'no such user')}",
    )


@pytest.mark.usefixtures("outbox_with_every_outcome")
def test_editor_reads_the_mail_queue_in_korean(client, editor):
    client.force_login(editor)

    content = client.get(reverse(CHANGELIST)).content.decode()

    for heading in ["보내는 메일", "발송 상태", "받는 사람", "제목", "시도", "오류", "접수 시각"]:
        assert heading in content
    for label in ["보냄", "발송 대기", "보내는 중", "실패, 다시 보낼 예정", "보내지 못함"]:
        assert label in content
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in content
    assert "mailqueue.tasks.RetryScheduled" not in content  # the retry wrapper is ours, not news


@pytest.mark.usefixtures("outbox_with_every_outcome")
def test_failed_mail_can_be_listed_on_its_own(client, editor):
    client.force_login(editor)

    content = client.get(reverse(CHANGELIST), {"delivery": "failed"}).content.decode()

    assert "failed@example.com" in content
    assert "retrying@example.com" not in content and "sent@example.com" not in content


def test_the_admin_never_shows_what_the_mail_says(client, editor):
    mail = queued(to="reader@example.com")
    client.force_login(editor)

    pages = [
        client.get(reverse(CHANGELIST)),
        client.get(reverse("admin:mailqueue_outgoingmail_change", args=[mail.pk])),
    ]

    for page in pages:
        assert page.status_code == 200
        assert "reader@example.com" in page.content.decode()
        assert "secret-token" not in page.content.decode()


def test_the_librarys_page_of_every_task_and_its_arguments_is_not_offered():
    assert not admin.site.is_registered(DBTaskResult)


def test_staff_may_only_read_the_queue(client, editor):
    mail = queued(to="reader@example.com")
    client.force_login(editor)

    assert (
        client.post(reverse("admin:mailqueue_outgoingmail_change", args=[mail.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:mailqueue_outgoingmail_delete", args=[mail.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:mailqueue_outgoingmail_add")).status_code == 403


def test_readers_and_staff_without_the_permission_cannot_see_it(client, reader, reporter_user):
    queued(to="reader@example.com")

    anonymous = client.get(reverse(CHANGELIST))
    client.force_login(reader)
    as_reader = client.get(reverse(CHANGELIST))
    client.force_login(reporter_user)
    as_reporter = client.get(reverse(CHANGELIST))

    assert anonymous.status_code == 302 and as_reader.status_code == 302
    assert reverse("admin:login") in as_reader["Location"]
    assert as_reporter.status_code == 403


def test_only_editors_are_given_the_mail_queue(groups):
    readers_of_the_queue = [
        name
        for name, group in groups.items()
        if group.permissions.filter(codename="view_outgoingmail").exists()
    ]

    assert readers_of_the_queue == ["Editors"]
    assert UserFactory(groups=["Editors"], is_staff=True).has_perm("mailqueue.view_outgoingmail")


@pytest.mark.usefixtures("outbox_with_every_outcome")
def test_each_mail_shows_the_one_state_whose_filter_lists_it():
    mails = list(OutgoingMail.objects.all())

    for mail in mails:
        listed_under = [s for s in Delivery if OutgoingMail.objects.delivery(s).contains(mail)]
        assert listed_under == [mail.delivery]
    assert {mail.delivery for mail in mails} == set(Delivery)
