"""Editions reach a real SMTP server through the real queue and worker, each message with its
own one-click unsubscribe; failures are retried, hard bounces stop further sends."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.models import Edition, Send, Subscriber
from tests.factories import ArticleFactory, SectionFactory, SubscriberFactory
from tests.mailqueue.helpers import SMTPSession, SMTPSink, closed_port, run_worker, smtp_mailers

# The worker commits as it goes, as the real one does.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_queue"),
]


@pytest.fixture
def news():
    """Two sections with a story each, published an hour ago, and one from two days ago."""
    robots, chips = (
        SectionFactory(name="로봇", position=1),
        SectionFactory(name="반도체", position=2),
    )
    hour_ago = timezone.now() - timedelta(hours=1)
    return {
        "robots": robots,
        "chips": chips,
        "robot_story": ArticleFactory(
            section=robots, title="협동로봇 <수출> 급증 & 전망", published_at=hour_ago
        ),
        "chip_story": ArticleFactory(
            section=chips, title="반도체 장비 국산화", published_at=hour_ago
        ),
        "old_story": ArticleFactory(
            section=robots, title="지난주 기사", published_at=timezone.now() - timedelta(days=2)
        ),
    }


def parts(message) -> dict:
    return {part.get_content_type(): part.get_content() for part in message.walk()
            if not part.is_multipart()}  # fmt: skip


def one_click_url(message) -> str:
    """The HTTPS address of List-Unsubscribe, read from the header as it came over the wire:
    mail clients do not decode encoded words (=?utf-8?…?=) there."""
    header = " ".join(dict(message.raw_items())["List-Unsubscribe"].split())
    assert "=?" not in header
    https, mailto = re.findall(r"<([^>]+)>", header)
    assert mailto.startswith("mailto:")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return https


def test_a_digest_reaches_each_subscriber_with_their_stories_and_unsubscribe(
    client, sink, sender, news
):
    everything = SubscriberFactory(email="all@example.com")
    robots_only = SubscriberFactory(
        email="robots@example.com", sections=[news["robots"]], wants_digest=False
    )
    SubscriberFactory(email="pending@example.com", status="pending")
    SubscriberFactory(email="left@example.com", status="unsubscribed")
    client.force_login(sender)

    preview = client.get(reverse("admin:newsletters_edition_next")).content.decode()
    asked = client.get(reverse("admin:newsletters_edition_send")).content.decode()
    client.post(
        reverse("admin:newsletters_edition_next"), {"editor_note": "오늘은 <로봇> 특집입니다."}
    )
    client.post(reverse("admin:newsletters_edition_send"))
    run_worker()

    assert "협동로봇 &lt;수출&gt; 급증" in preview and "지난주 기사" not in preview
    assert "구독자 2명" in asked
    assert sorted(sink.recipients) == [["all@example.com"], ["robots@example.com"]]
    by_address = {m["To"]: m for m in sink.messages}
    full, robots = parts(by_address["all@example.com"]), parts(by_address["robots@example.com"])
    assert (
        "반도체 장비 국산화" in full["text/plain"]
        and "협동로봇 <수출> 급증 & 전망" in full["text/plain"]
    )
    assert "반도체 장비 국산화" not in robots["text/plain"]
    assert "협동로봇 &lt;수출&gt; 급증 &amp; 전망" in full["text/html"]
    assert "오늘은 &lt;로봇&gt; 특집입니다." in full["text/html"]
    assert "오늘은 <로봇> 특집입니다." in full["text/plain"]
    assert "지난주 기사" not in full["text/plain"]
    assert 'style="' in full["text/html"] and "<style" not in full["text/html"]
    edition = Edition.objects.get(kind=Edition.Kind.DIGEST, status=Edition.Status.SENT)
    assert edition.sends.filter(status=Send.Status.SENT).count() == 2

    # The mail client's one-click unsubscribe: a POST, no cookie, no CSRF token.
    url = one_click_url(by_address["robots@example.com"])
    assert url != one_click_url(by_address["all@example.com"])  # each message its own
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path, "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip

    assert response.status_code == 200
    robots_only.refresh_from_db()
    everything.refresh_from_db()
    assert robots_only.status == Subscriber.Status.UNSUBSCRIBED
    assert robots_only.unsubscribed_from == edition
    assert everything.status == Subscriber.Status.CONFIRMED

    figures = client.get(reverse("admin:newsletters_edition_changelist")).content.decode()
    for column, figure in {"targeted": 2, "delivered": 2, "failed": 0, "bounced": 0,
                           "unsubscribes": 1}.items():  # fmt: skip
        assert f'<td class="field-{column}">{figure}</td>' in figures


def test_a_breaking_edition_asks_first_then_reaches_every_subscriber(client, sink, sender, news):
    SubscriberFactory(email="all@example.com")
    SubscriberFactory(email="chips@example.com", sections=[news["chips"]], wants_digest=False)
    client.force_login(sender)
    story = news["robot_story"]

    asked = client.post(reverse("admin:newsletters_edition_breaking"), {"article": story.pk})
    assert "구독자 2명" in asked.content.decode() and not Edition.objects.exists()
    client.post(
        reverse("admin:newsletters_edition_breaking"), {"article": story.pk, "confirmed": "yes"}
    )
    again = client.post(
        reverse("admin:newsletters_edition_breaking"),
        {"article": story.pk, "confirmed": "yes"},
        follow=True,
    )
    run_worker("worker")  # the command make run and production start

    assert "이미 발송했습니다" in again.content.decode()
    assert sorted(sink.recipients) == [["all@example.com"], ["chips@example.com"]]
    message = sink.messages[0]
    assert message["Subject"] == f"[속보] {story.title}"
    assert message["From"].addresses[0].display_name == "뉴스룸"
    assert story.title in parts(message)["text/plain"]
    one_click_url(message)


def test_the_daily_job_sends_one_digest_a_day_at_most(sink, news):
    SubscriberFactory(email="all@example.com")

    call_command("send_digest", "--site-url", "https://news.example/")
    call_command("send_digest", "--site-url", "https://news.example/")
    run_worker()

    assert sink.recipients == [["all@example.com"]]
    assert Edition.objects.sent_digests().count() == 1
    message = sink.messages[0]
    assert "https://news.example/" in one_click_url(message)
    assert "일일 뉴스레터" in message["Subject"] and "구독 해지:" in parts(message)["text/plain"]


def test_readers_get_korean_whatever_language_the_editor_works_in(client, sink, sender, news):
    SubscriberFactory(email="all@example.com")
    client.force_login(sender)
    client.get(reverse("set_language", args=["en"]))

    client.post(
        reverse("admin:newsletters_edition_breaking"),
        {"article": news["robot_story"].pk, "confirmed": "yes"},
    )
    run_worker()

    assert sink.messages[0]["Subject"].startswith("[속보] ")


def test_a_subscriber_who_leaves_before_the_batch_goes_is_skipped(sink, news):
    SubscriberFactory(email="all@example.com")
    leaving = SubscriberFactory(email="leaving@example.com")
    call_command("send_digest")
    leaving.unsubscribe()

    run_worker()

    assert sink.recipients == [["all@example.com"]]
    assert Send.objects.get(subscriber=leaving).status == Send.Status.SKIPPED
    assert Edition.objects.get().status == Edition.Status.SENT


def test_the_next_digest_holds_only_what_was_published_since_the_last(sink, news):
    SubscriberFactory(email="all@example.com")
    call_command("send_digest")
    run_worker()
    Edition.objects.update(issue_date=timezone.localdate() - timedelta(days=1))  # yesterday's
    ArticleFactory(section=news["chips"], title="새로 나온 기사", published_at=timezone.now())

    call_command("send_digest")
    run_worker()

    assert len(sink.messages) == 2
    text = parts(sink.messages[1])["text/plain"]
    assert "새로 나온 기사" in text and "반도체 장비 국산화" not in text


def test_batches_are_retried_while_the_mail_server_is_down(settings, news):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for n in range(3):
        SubscriberFactory(email=f"s{n}@example.com")
    settings.MAILERS = smtp_mailers(closed_port())

    call_command("send_digest")
    run_worker()  # refused: both batches wait for their next attempt

    assert Send.objects.filter(status=Send.Status.PENDING, attempts=1).count() == 3
    assert "ConnectionRefusedError" in Send.objects.first().error
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="deliver_batch")
    assert waiting.count() == 2 and all(t.run_after > timezone.now() for t in waiting)
    assert Edition.objects.get().status == Edition.Status.SENDING

    with SMTPSink() as sink:  # the server is back and the pause has passed
        settings.MAILERS = smtp_mailers(sink.port)
        waiting.update(run_after=timezone.now())
        run_worker()

    assert sorted(r[0] for r in sink.recipients) == [f"s{n}@example.com" for n in range(3)]
    assert Send.objects.filter(status=Send.Status.SENT, attempts=2).count() == 3
    assert Edition.objects.get().status == Edition.Status.SENT


def test_after_the_last_attempt_a_message_is_marked_failed(settings, news):
    settings.MAIL_MAX_ATTEMPTS = 1
    SubscriberFactory(email="all@example.com")
    settings.MAILERS = smtp_mailers(closed_port())

    call_command("send_digest")
    run_worker()

    assert Send.objects.get().status == Send.Status.FAILED
    assert not DBTaskResult.objects.filter(status="READY").exists()


class RefusingSession(SMTPSession):
    """Says 550 (no such mailbox) to RCPT TO gone@example.com, as a receiving server does,
    and takes everything else as the sink does."""

    def handle(self):
        lines = self.rfile

        class Refusing:
            @staticmethod
            def readline():
                while True:
                    line = lines.readline()
                    if line.upper().startswith(b"RCPT") and b"gone@example.com" in line:
                        self.reply("550 5.1.1 no such user")
                        continue
                    return line

        self.rfile = Refusing
        super().handle()


def test_a_hard_bounce_stops_every_later_send(settings, news):
    SubscriberFactory(email="all@example.com")
    gone = SubscriberFactory(email="gone@example.com")
    with SMTPSink() as sink:
        sink.RequestHandlerClass = RefusingSession
        settings.MAILERS = smtp_mailers(sink.port)
        call_command("send_digest")
        run_worker()

    gone.refresh_from_db()
    assert gone.status == Subscriber.Status.BOUNCED and "550" in gone.bounce_reason
    assert Send.objects.get(subscriber=gone).status == Send.Status.BOUNCED
    assert sink.recipients == [["all@example.com"]]
    assert Edition.objects.with_counts().get().bounced == 1

    edition = Edition.objects.create(kind=Edition.Kind.BREAKING, article=news["chip_story"])
    from newsletters import services

    assert services.send_edition(edition=edition, by=None, site_url="http://x/") == 1


def test_the_daily_job_refuses_to_send_without_the_sites_address(settings):
    settings.SITE_URL = ""
    SubscriberFactory()

    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("send_digest")
    assert not Edition.objects.exists()
