from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentRules
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def post(client, article, **data):
    if "guest_name" in data:  # guests choose a password with their nickname
        data.setdefault("guest_password", "1234")
    return client.post(reverse("comments:post", args=[article.pk]), data)


def test_logged_in_reader_posts_under_their_display_name(client, reader, published_article):
    client.force_login(reader)

    response = post(client, published_article, body="첫 댓글입니다.")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{published_article.get_absolute_url()}#comment-{comment.pk}"
    assert comment.user == reader and comment.guest_name == ""
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "첫 댓글입니다." in page and reader.display_name in page
    published_article.refresh_from_db()
    assert published_article.comment_count == 1


def test_guest_posts_with_a_nickname_when_the_site_allows_it(client, published_article):
    response = post(client, published_article, body="손님 의견", guest_name=" 지나가던  독자 ")

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.user is None and comment.guest_name == "지나가던 독자"
    assert comment.ip_address == "127.0.0.1"


def test_guest_needs_a_nickname(client, published_article):
    response = post(client, published_article, body="이름 없는 의견", guest_name="")

    assert response.status_code == 200
    assert response.context["form"].errors["guest_name"]
    assert "이름 없는 의견" in response.content.decode()


def test_guests_are_refused_when_the_site_turns_them_off(client, published_article):
    rules = CommentRules.current()
    rules.allow_guest_comments = False
    rules.save()

    page = client.get(published_article.get_absolute_url()).content.decode()
    response = post(client, published_article, body="손님 의견", guest_name="손님")

    assert "로그인하면 댓글을 쓸 수 있습니다." in page and 'name="guest_name"' not in page
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_box_shows_the_reference_notice_and_counter(client, published_article):
    content = client.get(published_article.get_absolute_url()).content.decode()

    assert "나도 한마디" in content
    assert "로그인 후 의견을 등록하시면, 자신의 의견을 관리하실 수 있습니다." in content
    assert "0</span>/1000" in content


class TestClosedComments:
    def test_the_form_is_replaced_by_a_notice(self, client, reader):
        article = ArticleFactory(comments_open=False)
        client.force_login(reader)

        content = client.get(article.get_absolute_url()).content.decode()

        assert "이 기사는 댓글을 닫았습니다." in content
        assert reverse("comments:post", args=[article.pk]) not in content

    def test_posting_is_refused_on_the_server(self, client, reader):
        article = ArticleFactory(comments_open=False)
        client.force_login(reader)

        response = post(client, article, body="닫힌 기사에 댓글")

        assert response.status_code == 403
        assert "닫았습니다" in response.content.decode()
        assert "닫힌 기사에 댓글" in response.content.decode()  # nothing typed is lost
        assert not Comment.objects.exists()


def test_comments_on_unpublished_articles_are_404(client, reader):
    for article in (
        ArticleFactory(status="draft"),
        ArticleFactory(published_at=timezone.now() + timedelta(hours=1)),
    ):
        client.force_login(reader)
        assert post(client, article, body="몰래 댓글").status_code == 404
    assert not Comment.objects.exists()


def test_state_changes_only_on_post(client, reader, published_article):
    client.force_login(reader)

    response = client.get(reverse("comments:post", args=[published_article.pk]), {"body": "GET"})

    assert response.status_code == 405
    assert not Comment.objects.exists()


class TestReplies:
    def test_reply_to_a_comment(self, client, reader, published_article):
        parent = CommentFactory(article=published_article)
        client.force_login(reader)

        response = post(client, published_article, body="답글입니다", parent=parent.pk)

        reply = Comment.objects.get(body="답글입니다")
        assert reply.parent == parent
        assert response["Location"].endswith(f"#comment-{reply.pk}")
        page = client.get(published_article.get_absolute_url()).content.decode()
        assert page.index(parent.body) < page.index("답글입니다")

    def test_a_reply_to_a_reply_joins_the_same_thread(self, client, reader, published_article):
        parent = CommentFactory(article=published_article)
        reply = CommentFactory(article=published_article, parent=parent)
        client.force_login(reader)

        post(client, published_article, body="답글의 답글", parent=reply.pk)

        assert Comment.objects.get(body="답글의 답글").parent == parent

    def test_cannot_reply_across_articles(self, client, reader, published_article):
        elsewhere = CommentFactory()
        client.force_login(reader)

        response = post(client, published_article, body="엉뚱한 답글", parent=elsewhere.pk)

        assert response.status_code == 400
        assert not Comment.objects.filter(body="엉뚱한 답글").exists()

    def test_reply_page_works_without_javascript(self, client, published_article):
        parent = CommentFactory(article=published_article, body="원 댓글")

        response = client.get(reverse("comments:reply", args=[parent.pk]))

        assert response.status_code == 200
        assert "원 댓글" in response.content.decode()
        assert f'name="parent" value="{parent.pk}"' in response.content.decode()


class TestAbuseLimits:
    def test_flood_control_answers_429_and_keeps_the_text(self, client, reader, published_article):
        client.force_login(reader)
        post(client, published_article, body="첫 번째")

        response = post(client, published_article, body="너무 빠른 두 번째")

        assert response.status_code == 429
        assert "초 뒤에 다시 시도해 주세요" in response.content.decode()
        assert "너무 빠른 두 번째" in response.content.decode()
        assert Comment.objects.count() == 1

    def test_flood_control_counts_guests_by_address(self, client, published_article):
        post(client, published_article, body="하나", guest_name="손님1")

        response = post(client, published_article, body="둘", guest_name="손님2")

        assert response.status_code == 429

    def test_flood_interval_is_configurable(self, client, reader, published_article):
        rules = CommentRules.current()
        rules.comment_interval_seconds = 0
        rules.save()
        client.force_login(reader)

        post(client, published_article, body="하나")
        post(client, published_article, body="둘")

        assert Comment.objects.count() == 2

    def test_identical_duplicate_is_refused(self, client, reader, published_article):
        CommentFactory(article=published_article, user=reader, body="같은 말")
        client.force_login(reader)

        response = post(client, published_article, body="같은 말")

        assert response.status_code == 400
        assert "같은 댓글을 이미 등록했습니다" in response.content.decode()
        assert Comment.objects.count() == 1

    def test_honeypot_refuses_bots(self, client, published_article):
        response = post(
            client, published_article, body="광고", guest_name="봇", website="http://spam.example"
        )

        assert response.status_code == 200
        assert not Comment.objects.exists()

    def test_banned_reader_cannot_post_or_reply(self, client, banned_reader, published_article):
        parent = CommentFactory(article=published_article)
        client.force_login(banned_reader)

        page = client.get(published_article.get_absolute_url()).content.decode()
        first = post(client, published_article, body="차단된 댓글")
        reply = post(client, published_article, body="차단된 답글", parent=parent.pk)

        assert "댓글 작성이 제한된 계정입니다." in page
        assert first.status_code == reply.status_code == 403
        assert Comment.objects.count() == 1


class TestNothingIsRenderedAsHtml:
    @pytest.mark.parametrize(
        "body",
        [
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">',
            "{{ request.user }} {% debug %}",
            '<a href="javascript:alert(1)">x</a>',
        ],
    )
    def test_hostile_text_is_escaped(self, client, published_article, body):
        CommentFactory(article=published_article, body=body)

        content = client.get(published_article.get_absolute_url()).content.decode()
        thread = content[content.index('id="comments"') :]

        assert "<script>alert" not in thread and "<img src=x" not in thread
        assert 'href="javascript:' not in thread
        if "{{" in body:
            assert "{{ request.user }}" in thread  # shown literally, never evaluated

    def test_line_breaks_are_kept(self, client, published_article):
        CommentFactory(article=published_article, body="첫 줄\n둘째 줄")

        content = client.get(published_article.get_absolute_url()).content.decode()

        assert "첫 줄<br>둘째 줄" in content

    def test_web_links_are_safe(self, client, published_article):
        CommentFactory(article=published_article, body="자료는 https://example.com/report 참고")

        content = client.get(published_article.get_absolute_url()).content.decode()

        assert (
            '<a href="https://example.com/report" rel="nofollow ugc noopener" target="_blank">'
            in content
        )


def test_comment_rules_are_a_single_row():
    first = CommentRules.current()
    CommentRules(comment_interval_seconds=60).save()

    assert CommentRules.objects.count() == 1
    assert first.pk == 1 and CommentRules.current().comment_interval_seconds == 60
