"""The 1,000-character rule: code points after \\r\\n -> \\n, in form, model and database."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from comments.forms import CommentForm
from comments.models import COMMENT_MAX_LENGTH, Comment

pytestmark = pytest.mark.django_db

FAMILY = "👨‍👩‍👧"  # five code points joined by zero-width joiners
SAMPLES = {
    "korean": "가",
    "emoji": "😀",
    "zwj-emoji": FAMILY,
    "crlf": "\r\n",
}


def text_of(length: int, unit: str) -> str:
    """A comment of ``length`` characters (as counted after \\r\\n -> \\n), made of ``unit``."""
    counted = len(unit.replace("\r\n", "\n"))
    body = "나" + unit * ((length - 2) // counted)
    return body + "다" * (length - len(body.replace("\r\n", "\n")))


@pytest.mark.parametrize("unit", SAMPLES.values(), ids=SAMPLES.keys())
@pytest.mark.parametrize("length, ok", [(999, True), (1000, True), (1001, False)])
def test_form_counts_code_points_after_normalising_line_endings(reader, unit, length, ok):
    body = text_of(length, unit)

    form = CommentForm({"body": body}, user=reader)

    assert form.is_valid() is ok
    if ok:
        assert len(form.cleaned_data["body"]) == length
        assert "\r" not in form.cleaned_data["body"]
    else:
        assert "1,000" in form.errors["body"][0] and "1,001" in form.errors["body"][0]


def test_the_limit_is_one_constant():
    assert COMMENT_MAX_LENGTH == 1000
    assert Comment._meta.get_field("body").max_length == COMMENT_MAX_LENGTH


@pytest.mark.parametrize("unit", SAMPLES.values(), ids=SAMPLES.keys())
def test_exactly_1000_is_posted_and_stored_whole(client, reader, published_article, unit):
    client.force_login(reader)
    body = text_of(1000, unit)

    response = client.post(reverse("comments:post", args=[published_article.pk]), {"body": body})

    assert response.status_code == 302
    stored = Comment.objects.get()
    assert len(stored.body) == 1000
    assert stored.body == body.replace("\r\n", "\n")


@pytest.mark.parametrize("unit", SAMPLES.values(), ids=SAMPLES.keys())
def test_1001_is_refused_with_a_clear_message_and_the_text_kept(
    client, reader, published_article, unit
):
    client.force_login(reader)
    body = text_of(1001, unit)

    response = client.post(reverse("comments:post", args=[published_article.pk]), {"body": body})

    assert response.status_code == 200
    content = response.content.decode()
    assert "1,000자" in content and "1,001자" in content
    assert response.context["form"]["body"].value() == body  # back in the textarea as typed
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "\r\n\r\n", "\t \n", "\u200b\u200d \ufeff", "\u3000"])
def test_empty_or_whitespace_only_is_refused(client, reader, published_article, body):
    client.force_login(reader)

    response = client.post(reverse("comments:post", args=[published_article.pk]), {"body": body})

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Comment.objects.exists()


def test_the_database_refuses_an_overlong_body(published_article, reader):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=published_article, user=reader, body="가" * 1001)


def test_the_database_accepts_1000_korean_characters(published_article, reader):
    Comment.objects.create(article=published_article, user=reader, body="가" * 1000)


def test_the_counter_shows_the_same_limit(client, published_article):
    content = client.get(published_article.get_absolute_url()).content.decode()

    assert 'data-comment-limit="1000"' in content
    assert "<span data-comment-count>0</span>/1000" in content
    assert not re.search(r"<textarea[^>]*maxlength", content)


@pytest.mark.parametrize("unit", SAMPLES.values(), ids=SAMPLES.keys())
@pytest.mark.parametrize("page", ["post", "edit"])
def test_a_refused_comment_comes_back_counted_as_the_server_counts(
    client, reader, published_article, unit, page
):
    client.force_login(reader)
    url = reverse("comments:post", args=[published_article.pk])
    if page == "edit":
        comment = Comment.objects.create(article=published_article, user=reader, body="짧은 글")
        url = reverse("comments:edit", args=[comment.pk])
    body = text_of(1001, unit)

    content = client.post(url, {"body": body}).content.decode()

    assert "지금 1,001자입니다" in content
    assert "<span data-comment-count>1001</span>/1000" in content


def test_the_returned_counter_leaves_out_the_blank_space_the_server_trims(
    client, reader, published_article
):
    client.force_login(reader)
    body = "\r\n " + text_of(1001, "\r\n") + " \r\n\r\n"

    content = client.post(
        reverse("comments:post", args=[published_article.pk]), {"body": body}
    ).content.decode()

    assert "지금 1,001자입니다" in content
    assert "<span data-comment-count>1001</span>/1000" in content
