"""Who may see and send newsletters in the admin, over raw HTTP; the screens editors use."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from newsletters.models import Edition, Send, Subscriber
from tests.factories import ArticleFactory, SectionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

EDITIONS = "admin:newsletters_edition_changelist"
SUBSCRIBERS = "admin:newsletters_subscriber_changelist"


@pytest.fixture
def story():
    return ArticleFactory(title="속보 대상 기사")


@pytest.fixture
def subscribers():
    return [SubscriberFactory(email="a@example.com"), SubscriberFactory(email="b@example.com")]


def sends(story):
    """Every request that sends or changes something, with its data."""
    return [
        ("admin:newsletters_edition_send", {}),
        ("admin:newsletters_edition_next", {"editor_note": "메모"}),
        ("admin:newsletters_edition_breaking", {"article": story.pk, "confirmed": "yes"}),
    ]


SCREENS = [
    "admin:newsletters_edition_next",
    "admin:newsletters_edition_send",
    "admin:newsletters_edition_breaking",
    "admin:newsletters_edition_mail",
]


class TestWhoMay:
    @pytest.mark.parametrize("role", ["reporter_user", "moderator", "ad_staff"])
    def test_other_staff_are_refused_every_screen_and_every_send(
        self, request, client, role, story, subscribers
    ):
        client.force_login(request.getfixturevalue(role))

        for name in [*SCREENS, EDITIONS, SUBSCRIBERS]:
            assert client.get(reverse(name)).status_code == 403, name
        for name, data in sends(story):
            assert client.post(reverse(name), data).status_code == 403, name

        assert not Edition.objects.exclude(status=Edition.Status.DRAFT).exists()
        assert not Send.objects.exists()

    @pytest.mark.parametrize("who", ["reader", "anonymous"])
    def test_readers_and_visitors_are_sent_to_log_in(self, request, client, who, story):
        if who == "reader":
            client.force_login(request.getfixturevalue("reader"))

        for name, data in sends(story):
            response = client.post(reverse(name), data)
            assert response.status_code == 302 and "/login/" in response["Location"], name

        assert not Edition.objects.exists()

    def test_editors_may_see_and_send(self, client, editor, story, subscribers):
        client.force_login(editor)

        for name in [*SCREENS, EDITIONS, SUBSCRIBERS]:
            assert client.get(reverse(name)).status_code == 200, name
        client.post(
            reverse("admin:newsletters_edition_breaking"), {"article": story.pk, "confirmed": "yes"}
        )

        assert Send.objects.count() == 2

    def test_a_superuser_may_send(self, client, story, subscribers):
        client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))

        client.post(
            reverse("admin:newsletters_edition_breaking"), {"article": story.pk, "confirmed": "yes"}
        )

        assert Send.objects.count() == 2

    def test_editors_hold_the_permission_through_their_group(self):
        editors = Group.objects.get(name="Editors")
        codenames = set(editors.permissions.values_list("codename", flat=True))

        assert {"send_edition", "view_edition", "view_subscriber"} <= codenames
        for name in ("Reporters", "Moderators", "Ad staff"):
            assert (
                not Group.objects.get(name=name)
                .permissions.filter(content_type__app_label="newsletters")
                .exists()
            )


class TestScreens:
    def test_sending_asks_first_and_says_how_many(self, client, editor, subscribers):
        ArticleFactory()
        client.force_login(editor)

        page = client.get(reverse("admin:newsletters_edition_send")).content.decode()

        assert "구독자 2명" in page and "네, 보냅니다" in page
        assert not Send.objects.exists()

    def test_a_get_never_sends(self, client, editor, story, subscribers):
        client.force_login(editor)

        client.get(
            reverse("admin:newsletters_edition_breaking"), {"article": story.pk, "confirmed": "yes"}
        )

        assert not Edition.objects.filter(kind=Edition.Kind.BREAKING).exists()

    def test_the_next_digest_shows_its_stories_and_keeps_the_note(
        self, client, editor, subscribers
    ):
        section = SectionFactory(name="로봇")
        ArticleFactory(title="오늘의 로봇 기사", section=section)
        client.force_login(editor)

        client.post(reverse("admin:newsletters_edition_next"), {"editor_note": "주말 특집"})
        page = client.get(reverse("admin:newsletters_edition_next")).content.decode()
        mail = client.get(reverse("admin:newsletters_edition_mail")).content.decode()

        assert "오늘의 로봇 기사" in page and "주말 특집" in page and "다음 일일 뉴스레터" in page
        assert "오늘의 로봇 기사" in mail and "주말 특집" in mail

    def test_the_preview_for_a_section_shows_only_its_stories(self, client, editor):
        robots, chips = SectionFactory(name="로봇"), SectionFactory(name="반도체")
        ArticleFactory(title="로봇 기사", section=robots)
        ArticleFactory(title="반도체 기사", section=chips)
        client.force_login(editor)

        mail = client.get(reverse("admin:newsletters_edition_mail"), {"section": robots.pk})

        assert "로봇 기사" in mail.content.decode() and "반도체 기사" not in mail.content.decode()

    def test_subscribers_are_listed_with_status_and_consent(self, client, editor):
        SubscriberFactory(email="shown@example.com", status="bounced")
        client.force_login(editor)

        page = client.get(reverse(SUBSCRIBERS)).content.decode()

        assert "shown@example.com" in page and "반송" in page and "2026-12-01" in page

    def test_an_editor_marks_an_address_bounced(self, client, editor, subscribers):
        client.force_login(editor)

        client.post(
            reverse(SUBSCRIBERS),
            {"action": "mark_bounced", "_selected_action": [subscribers[0].pk]},
        )

        subscribers[0].refresh_from_db()
        assert subscribers[0].status == Subscriber.Status.BOUNCED


DSN = """\
Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; gone@example.com
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; full@example.com
Action: delayed
Status: 4.2.2
"""


def test_a_bounce_report_marks_only_permanent_failures(tmp_path):
    gone, full = (
        SubscriberFactory(email="gone@example.com"),
        SubscriberFactory(email="full@example.com"),
    )
    report = tmp_path / "bounce.txt"
    report.write_text(DSN)

    call_command("record_bounces", str(report))

    gone.refresh_from_db()
    full.refresh_from_db()
    assert gone.status == Subscriber.Status.BOUNCED
    assert full.status == Subscriber.Status.CONFIRMED


def test_a_list_of_addresses_marks_each_bounced(tmp_path):
    one = SubscriberFactory(email="One@example.com")
    report = tmp_path / "list.txt"
    report.write_text("one@example.com\nnot an address\n")

    call_command("record_bounces", str(report))

    one.refresh_from_db()
    assert one.status == Subscriber.Status.BOUNCED


def test_an_editions_page_shows_its_figures_and_a_subscribers_page_its_consent(client, editor):
    subscriber = SubscriberFactory(email="reader@example.com")
    edition = Edition.objects.create(kind=Edition.Kind.DIGEST, status=Edition.Status.SENT)
    Send.objects.create(edition=edition, subscriber=subscriber, status=Send.Status.SENT)
    subscriber.unsubscribe(edition=edition)
    client.force_login(editor)

    edition_page = client.get(reverse("admin:newsletters_edition_change", args=[edition.pk]))
    subscriber_page = client.get(
        reverse("admin:newsletters_subscriber_change", args=[subscriber.pk])
    )

    assert edition_page.status_code == subscriber_page.status_code == 200
    assert "발송 대상" in edition_page.content.decode()
    content = subscriber_page.content.decode()
    assert "2026-12-01" in content and "구독 해지" in content


def test_a_batch_costs_as_many_queries_for_thirty_messages_as_for_three():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsletters import services
    from newsletters.tasks import deliver_batch

    ArticleFactory()
    counts = []
    for size in (3, 30):
        Subscriber.objects.all().delete()
        Edition.objects.all().delete()
        for n in range(size):
            SubscriberFactory(email=f"s{n}@example.com")
        services.send_todays_digest(site_url="http://x/")
        ids = list(Send.objects.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            deliver_batch.call(send_ids=ids, attempt=1)
        counts.append(len(queries))

    assert counts[0] == counts[1]
