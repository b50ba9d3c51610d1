"""개인정보 수집·이용 동의 at sign-up: asked, required, and recorded with its notice version."""

import pytest
from django.urls import reverse

from accounts.models import ACCOUNT_PRIVACY_NOTICE_VERSION, PrivacyConsent, User
from tests.accounts.test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def test_the_sign_up_page_shows_the_notice_with_its_version(client):
    page = client.get(reverse("accounts:signup")).content.decode()

    for heading in (
        "개인정보 수집·이용 동의",
        "수집 항목",
        "수집·이용 목적",
        "보유 기간",
        "동의를 거부할 권리",
    ):
        assert heading in page
    assert ACCOUNT_PRIVACY_NOTICE_VERSION in page


def test_signing_up_records_who_agreed_when_and_to_which_notice(client):
    client.post(reverse("accounts:signup"), SIGNUP)

    consent = PrivacyConsent.objects.get()
    assert consent.user == User.objects.get(username="newreader")
    assert consent.notice_version == ACCOUNT_PRIVACY_NOTICE_VERSION and consent.given_at


def test_without_consent_no_account_is_made_and_the_input_stays(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "privacy_consent": ""})

    content = response.content.decode()
    assert response.status_code == 200 and "동의해야 합니다" in content
    assert 'value="newreader"' in content
    assert not User.objects.filter(username="newreader").exists()


def test_existing_accounts_need_no_consent_to_log_in(client, reader):
    response = client.post(
        reverse("accounts:login"), {"username": "reader", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302 and not PrivacyConsent.objects.exists()


def test_staff_see_the_consent_on_the_account(client, db):
    client.post(reverse("accounts:signup"), SIGNUP)
    user = User.objects.get(username="newreader")
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))

    page = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    assert ACCOUNT_PRIVACY_NOTICE_VERSION in page
