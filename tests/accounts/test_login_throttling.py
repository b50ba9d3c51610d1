from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def attempt(client, username, password, url=None):
    return client.post(url or reverse(LOGIN), {"username": username, "password": password})


def test_five_failures_lock_the_account_with_a_clear_message(client, reader):
    for _ in range(5):
        assert attempt(client, "reader", "wrong").status_code == 200

    response = attempt(client, "reader", "correct-horse-battery")

    assert response.status_code == 200
    assert "15분" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(client, reader):
    for _ in range(5):
        attempt(client, "reader", "wrong")

    later = timezone.now() + timedelta(seconds=901)
    with mock.patch("caching.backends.timezone.now", return_value=later):
        response = attempt(client, "reader", "correct-horse-battery")

    assert response.status_code == 302


def test_credential_stuffing_from_one_address_is_stopped(client, reader):
    for n in range(20):
        attempt(client, f"someone{n}", "guess")

    response = attempt(client, "reader", "correct-horse-battery")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_success_clears_the_accounts_failures(client, reader):
    for _ in range(4):
        attempt(client, "reader", "wrong")
    assert attempt(client, "reader", "correct-horse-battery").status_code == 302
    client.logout()

    for _ in range(4):
        attempt(client, "reader", "wrong")
    assert attempt(client, "reader", "correct-horse-battery").status_code == 302


def test_the_admin_login_is_throttled_too(client, editor):
    url = reverse("admin:login")
    for _ in range(5):
        attempt(client, "editor", "wrong", url=url)

    response = attempt(client, "editor", "correct-horse-battery", url=url)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_session_key_changes_at_login(client, reader, published_article):
    client.get(published_article.get_absolute_url())
    client.session["seen"] = True
    session = client.session
    session.save()
    before = session.session_key

    attempt(client, "reader", "correct-horse-battery")

    assert client.session.session_key != before
