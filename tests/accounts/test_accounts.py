import re

import pytest
from django.core import mail
from django.db import OperationalError
from django.tasks.backends.immediate import ImmediateBackend
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "newreader",
    "display_name": "새독자",
    "email": "new@example.com",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
    "privacy_consent": "on",
}


def test_sign_up_logs_in_and_returns_to_the_article(client, published_article):
    url = published_article.get_absolute_url()

    response = client.post(reverse("accounts:signup"), {**SIGNUP, "next": url})

    assert response.status_code == 302 and response["Location"] == url
    user = User.objects.get(username="newreader")
    assert user.display_name == "새독자"
    assert client.get(url).context["user"] == user


def test_sign_up_keeps_the_input_when_the_password_is_weak(client):
    response = client.post(
        reverse("accounts:signup"), {**SIGNUP, "password1": "1234", "password2": "1234"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="newreader"' in content and 'value="새독자"' in content
    assert not User.objects.filter(username="newreader").exists()


def test_login_returns_to_the_article(client, reader, published_article):
    url = published_article.get_absolute_url()

    response = client.post(
        reverse("accounts:login"),
        {"username": "reader", "password": "correct-horse-battery", "next": url},
    )

    assert response["Location"] == url


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
     "http://testserver.evil.example/"],
)  # fmt: skip
def test_next_never_leaves_the_site(client, reader, next_url):
    login = client.post(
        reverse("accounts:login"),
        {"username": "reader", "password": "correct-horse-battery", "next": next_url},
    )
    client.logout()
    signup = client.post(reverse("accounts:signup"), {**SIGNUP, "next": next_url})

    for response in (login, signup):
        assert response.status_code == 302
        assert "evil" not in response["Location"] and "javascript" not in response["Location"]


def test_logout_is_post_only_and_returns_to_the_page(client, reader, published_article):
    client.force_login(reader)
    url = published_article.get_absolute_url()

    get = client.get(reverse("accounts:logout"))
    post = client.post(reverse("accounts:logout"), {"next": url})

    assert get.status_code == 405
    assert post["Location"] == url
    assert not client.get(url).context["user"].is_authenticated


def test_password_reset_mails_a_working_link(client):
    UserFactory(username="forgetful", email="forgetful@example.com")

    client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.com"})

    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="forgetful").check_password("another-long-passphrase")


def test_password_reset_page_is_the_same_when_the_mail_queue_is_down(client, monkeypatch):
    UserFactory(username="forgetful", email="forgetful@example.com")

    def queue_down(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ImmediateBackend, "enqueue", queue_down)

    response = client.post(
        reverse("accounts:password_reset"), {"email": "forgetful@example.com"}, follow=True
    )

    # Whether an account uses the address stays hidden; the failure is logged.
    assert response.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert not mail.outbox


def test_header_shows_the_readers_name_and_my_comments(client, reader, published_article):
    client.force_login(reader)

    content = client.get(published_article.get_absolute_url()).content.decode()

    assert reader.display_name in content
    assert reverse("comments:mine") in content


@pytest.mark.parametrize("name", ["accounts:login", "accounts:signup", "accounts:password_reset"])
def test_account_pages_render_in_the_site_look(client, name):
    from outlet.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={"name": "산업기술신문"})

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "산업기술신문" in response.content.decode()
