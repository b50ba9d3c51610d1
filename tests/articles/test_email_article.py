import pytest
from django.core import mail
from django.db import OperationalError
from django.tasks.backends.immediate import ImmediateBackend
from django.urls import reverse

pytestmark = pytest.mark.django_db


def email_url(article):
    return reverse("articles:email", args=[article.pk])


def test_sends_title_summary_and_absolute_link(client, published_article):
    response = client.post(
        email_url(published_article),
        {"recipient": "friend@example.com", "sender_name": "홍길동", "message": "꼭 읽어 봐"},
    )

    assert response.status_code == 302
    assert response["Location"] == published_article.get_absolute_url()
    [message] = mail.outbox
    assert message.to == ["friend@example.com"]
    assert published_article.title in message.subject
    assert published_article.summary in message.body
    # The short address: no long encoded Korean slug to break across lines in mail readers.
    assert f"http://testserver/articles/{published_article.pk}/\n" in message.body + "\n"
    assert published_article.get_absolute_url() not in message.body
    assert "홍길동" in message.body and "꼭 읽어 봐" in message.body
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])


def test_form_page_shows_the_article(client, published_article):
    response = client.get(email_url(published_article))

    assert response.status_code == 200
    assert published_article.title in response.content.decode()


@pytest.mark.parametrize(
    "field, value",
    [
        ("sender_name", "Eve\r\nBcc: victim@example.com"),
        ("sender_name", "Eve\nSubject: spam"),
        ("recipient", "friend@example.com\r\nBcc: victim@example.com"),
        ("recipient", "a@example.com, b@example.com"),
    ],
)
def test_header_injection_is_refused(client, published_article, field, value):
    data = {"recipient": "friend@example.com", "sender_name": "홍길동", "message": ""}
    data[field] = value

    response = client.post(email_url(published_article), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not mail.outbox


def test_bad_address_keeps_what_was_typed(client, published_article):
    response = client.post(
        email_url(published_article),
        {"recipient": "not-an-address", "sender_name": "홍길동", "message": "함께 보자"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="not-an-address"' in content
    assert 'value="홍길동"' in content and "함께 보자</textarea>" in content
    assert not mail.outbox


def test_html_in_the_message_stays_plain_text(client, published_article):
    client.post(
        email_url(published_article),
        {
            "recipient": "f@example.com",
            "sender_name": "<b>이브</b>",
            "message": "<script>x</script>",
        },
    )

    [message] = mail.outbox
    assert message.content_subtype == "plain"
    assert "<script>x</script>" in message.body  # shown as text by mail clients, never rendered


def test_rate_limited_per_address(client, published_article, settings):
    settings.EMAIL_ARTICLE_RATE = 2
    data = {"recipient": "f@example.com", "sender_name": "홍길동", "message": "안녕"}
    for _ in range(2):
        assert client.post(email_url(published_article), data).status_code == 302

    response = client.post(email_url(published_article), data)

    assert response.status_code == 429
    assert "한 시간 뒤에 다시" in response.content.decode()
    assert 'value="f@example.com"' in response.content.decode()
    assert len(mail.outbox) == 2


def test_get_sends_nothing(client, published_article):
    client.get(email_url(published_article), {"recipient": "f@example.com", "sender_name": "x"})

    assert not mail.outbox


def test_the_reader_is_told_the_mail_is_accepted_not_sent(client, published_article):
    response = client.post(
        email_url(published_article),
        {"recipient": "friend@example.com", "sender_name": "홍길동", "message": ""},
        follow=True,
    )

    content = response.content.decode()
    assert "friend@example.com 주소로 보낼 기사 메일을 접수했습니다. 곧 발송됩니다." in content
    assert "보냈습니다" not in content


def test_when_the_queue_cannot_take_the_mail_the_form_stays_with_a_clear_error(
    client, published_article, monkeypatch
):
    def queue_down(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ImmediateBackend, "enqueue", queue_down)

    response = client.post(
        email_url(published_article),
        {"recipient": "friend@example.com", "sender_name": "홍길동", "message": "함께 보자"},
    )

    content = response.content.decode()
    assert response.status_code == 503
    assert "메일을 접수하지 못했습니다. 잠시 뒤 다시 보내 주세요." in content
    assert 'value="friend@example.com"' in content and "함께 보자</textarea>" in content
    assert not mail.outbox
