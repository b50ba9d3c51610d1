"""Signing up, double opt-in, managing choices and unsubscribing, as a reader does it."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsletters.models import PRIVACY_NOTICE_VERSION, Edition, Subscriber
from tests.factories import SectionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletters:subscribe")


def form(email="new@example.com", **extra):
    return {"email": email, "wants_digest": "on", "privacy_consent": "on", **extra}


def link_in(message) -> str:
    """The path of the one link in a plain-text mail."""
    (url,) = re.findall(r"https?://\S+", message.body)
    return urlsplit(url).path


def test_the_footer_of_every_page_links_to_the_sign_up(client):
    page = client.get(reverse("articles:home")).content.decode()

    assert f'href="{SIGNUP}"' in page


def test_sign_up_records_the_consent_and_sends_only_a_confirmation(client):
    section = SectionFactory(name="로봇")

    response = client.post(SIGNUP, form(" New@Example.com ", sections=[section.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("newsletters:check_email")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "new@example.com"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_version == PRIVACY_NOTICE_VERSION and subscriber.consented_at
    assert list(subscriber.sections.all()) == [section]
    (confirmation,) = mail.outbox
    assert confirmation.to == ["new@example.com"]
    assert "구독 확인" in confirmation.subject
    assert link_in(confirmation).startswith("/newsletters/confirm/")


def test_the_sign_up_page_shows_the_privacy_notice(client):
    page = client.get(SIGNUP).content.decode()

    for heading in ("수집 항목", "수집·이용 목적", "보유 기간", "동의를 거부할 권리"):
        assert heading in page
    assert PRIVACY_NOTICE_VERSION in page


def test_without_consent_nothing_is_recorded_and_the_input_stays(client):
    response = client.post(SIGNUP, {"email": "new@example.com", "wants_digest": "on"})

    assert response.status_code == 200
    assert "동의해야" in response.content.decode()
    assert 'value="new@example.com"' in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_sign_up_must_choose_something(client):
    response = client.post(SIGNUP, {"email": "new@example.com", "privacy_consent": "on"})

    assert "일일 뉴스레터나 섹션을 하나 이상 고르세요" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_link_confirms_only_after_the_reader_presses_the_button(client):
    client.post(SIGNUP, form())
    confirm_path = link_in(mail.outbox[0])

    page = client.get(confirm_path)
    assert page.status_code == 200 and "new@example.com" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # scanners open links

    confirmed = client.post(confirm_path, follow=True)

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at
    assert confirmed.redirect_chain[0][0].startswith("/newsletters/manage/")
    assert "구독이 확인되었습니다" in confirmed.content.decode()


def test_an_expired_or_altered_confirmation_link_is_refused(client, settings):
    client.post(SIGNUP, form())
    confirm_path = link_in(mail.outbox[0])

    altered = client.post(confirm_path.replace("/confirm/", "/confirm/x"))
    settings.NEWSLETTER_CONFIRM_HOURS = 0
    expired = client.post(confirm_path)

    assert altered.status_code == 400 and expired.status_code == 400
    assert "만료" in expired.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_manage_link_cannot_confirm_and_a_confirm_link_cannot_unsubscribe(client):
    subscriber = SubscriberFactory(email="reader@example.com")
    from newsletters import links

    manage_token = links.make_token(links.MANAGE, subscriber)

    assert client.post(reverse("newsletters:unsubscribe", args=[manage_token])).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_signing_up_again_never_tells_whether_the_address_is_subscribed(client):
    section = SectionFactory()
    subscriber = SubscriberFactory(
        email="known@example.com", sections=[section], wants_digest=False
    )

    known = client.post(SIGNUP, form("known@example.com"))
    unknown = client.post(SIGNUP, form("unknown@example.com"))

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    subscriber.refresh_from_db()  # whoever typed the address may not own it: nothing changes
    assert subscriber.status == Subscriber.Status.CONFIRMED and not subscriber.wants_digest
    already, confirmation = mail.outbox
    assert already.to == ["known@example.com"] and "/newsletters/manage/" in link_in(already)
    assert confirmation.to == ["unknown@example.com"]


def test_an_unsubscribed_address_must_confirm_again(client):
    SubscriberFactory(email="left@example.com", status="unsubscribed")

    client.post(SIGNUP, form("left@example.com"))

    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert "/newsletters/confirm/" in link_in(mail.outbox[0])


def test_one_address_gets_three_confirmation_mails_a_day_at_most(client):
    for _attempt in range(3):
        assert client.post(SIGNUP, form()).status_code == 302

    refused = client.post(SIGNUP, form())

    assert refused.status_code == 429
    assert "너무 많" in refused.content.decode()
    assert 'value="new@example.com"' in refused.content.decode()
    assert len(mail.outbox) == 3


def test_one_visitor_may_sign_up_ten_addresses_an_hour(client):
    for n in range(10):
        assert client.post(SIGNUP, form(f"n{n}@example.com")).status_code == 302

    assert client.post(SIGNUP, form("n10@example.com")).status_code == 429
    assert Subscriber.objects.count() == 10


def test_a_bot_that_fills_the_hidden_field_is_told_nothing_and_gets_nothing(client):
    response = client.post(SIGNUP, form(website="https://spam.example"))

    assert response.status_code == 302
    assert not Subscriber.objects.exists() and not mail.outbox


def test_the_sign_up_form_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)

    assert client.post(SIGNUP, form()).status_code == 403
    assert not Subscriber.objects.exists()


def test_a_logged_in_reader_finds_their_address_filled_in(client, reader):
    client.force_login(reader)

    assert f'value="{reader.email}"' in client.get(SIGNUP).content.decode()
    client.post(SIGNUP, form(reader.email))

    assert Subscriber.objects.get().user == reader


def test_a_subscriber_changes_their_choices_from_the_signed_link(client):
    section = SectionFactory(name="반도체")
    subscriber = SubscriberFactory(email="reader@example.com")
    from newsletters import links

    url = reverse("newsletters:manage", args=[links.make_token(links.MANAGE, subscriber)])

    page = client.get(url).content.decode()
    saved = client.post(url, {"sections": [section.pk]}, follow=True)

    assert "reader@example.com" in page and "반도체" in page
    assert "저장했습니다" in saved.content.decode()
    subscriber.refresh_from_db()
    assert not subscriber.wants_digest and list(subscriber.sections.all()) == [section]
    assert client.get(url.replace("/manage/", "/manage/a")).status_code == 400


def test_unsubscribing_asks_first_and_needs_no_login_or_token():
    subscriber = SubscriberFactory(email="reader@example.com")
    edition = Edition.objects.create(kind=Edition.Kind.DIGEST, status=Edition.Status.SENT)
    from newsletters import links

    token = links.make_token(links.UNSUBSCRIBE, subscriber, edition_id=edition.pk)
    url = reverse("newsletters:unsubscribe", args=[token])
    client = Client(enforce_csrf_checks=True)

    asked = client.get(url)
    subscriber.refresh_from_db()
    assert asked.status_code == 200 and subscriber.status == Subscriber.Status.CONFIRMED
    assert "구독 해지" in asked.content.decode()

    done = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert done.status_code == 200 and "reader@example.com" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_from == edition


def test_only_the_unsubscribe_link_is_exempt_from_csrf():
    subscriber = SubscriberFactory(email="reader@example.com")
    from newsletters import links

    url = reverse("newsletters:manage", args=[links.make_token(links.MANAGE, subscriber)])

    assert Client(enforce_csrf_checks=True).post(url, {"wants_digest": "on"}).status_code == 403
