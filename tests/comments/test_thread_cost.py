"""What a thread costs to read, and that the cheaper reading shows readers the same thread."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.utils import timezone

from comments.forms import CommentForm
from comments.models import CommentVote
from comments.threads import THREAD_PAGE_SIZE, load_thread
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def thread_at(client, article, query="") -> str:
    content = client.get(article.get_absolute_url() + query).content.decode()
    return content[content.index('id="comments"') :]


def top_level(article, count):
    start = timezone.now() - timedelta(days=1)
    return [
        CommentFactory(article=article, body=f"댓글 {n}번", created_at=start + timedelta(minutes=n))
        for n in range(count)
    ]


class TestQueries:
    def test_an_empty_thread_costs_one_query(self, published_article, django_assert_num_queries):
        with django_assert_num_queries(1):
            thread = load_thread(
                article=published_article, user=AnonymousUser(), sort="new", page_number=None
            )
        assert thread.page.paginator.count == 0 and list(thread.page) == []

    def test_a_thread_costs_the_page_and_its_replies(
        self, published_article, django_assert_num_queries
    ):
        comments = top_level(published_article, 25)
        CommentFactory(article=published_article, parent=comments[-1], body="답글")

        with django_assert_num_queries(2):  # the page (with the count) and its replies
            thread = load_thread(
                article=published_article, user=AnonymousUser(), sort="new", page_number="1"
            )

        assert thread.page.paginator.count == 25 and thread.page.paginator.num_pages == 2
        assert len(thread.page) == THREAD_PAGE_SIZE
        assert [reply.body for reply in thread.replies[comments[-1].pk]] == ["답글"]

    def test_a_reader_adds_one_query_for_their_votes(
        self, reader, published_article, django_assert_num_queries
    ):
        comment, _other = top_level(published_article, 2)
        CommentVote.objects.create(comment=comment, user=reader, value=-1)

        with django_assert_num_queries(3):
            thread = load_thread(article=published_article, user=reader, sort="new", page_number="")

        assert thread.votes == {comment.pk: -1}

    def test_an_empty_thread_costs_a_reader_no_vote_query(
        self, reader, published_article, django_assert_num_queries
    ):
        with django_assert_num_queries(1):
            load_thread(article=published_article, user=reader, sort="new", page_number=None)


class TestPageNumbers:
    @pytest.mark.parametrize("asked", ["3", "4", "99", "0", "-1", "99999999999999999999999"])
    def test_a_page_past_either_end_shows_the_last_page(self, client, published_article, asked):
        comments = top_level(published_article, 2 * THREAD_PAGE_SIZE + 1)

        thread = thread_at(client, published_article, f"?cpage={asked}")

        assert "3쪽 중 3쪽" in thread
        assert thread.count('<li id="comment-') == 1  # the oldest comment, newest first
        assert f'id="comment-{comments[0].pk}"' in thread

    @pytest.mark.parametrize("asked", ["", "1", "abc", "2.0", "\uff11"])
    def test_anything_but_a_page_number_is_the_first_page(self, client, published_article, asked):
        comments = top_level(published_article, THREAD_PAGE_SIZE + 1)

        thread = thread_at(client, published_article, f"?cpage={asked}")

        assert "2쪽 중 1쪽" in thread
        assert f'id="comment-{comments[-1].pk}"' in thread
        assert f'id="comment-{comments[0].pk}"' not in thread

    def test_a_page_in_the_middle(self, client, published_article):
        comments = top_level(published_article, 2 * THREAD_PAGE_SIZE + 1)

        thread = thread_at(client, published_article, "?csort=old&cpage=2")

        assert "3쪽 중 2쪽" in thread and 'rel="prev"' in thread and 'rel="next"' in thread
        shown = [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', thread)]
        assert shown == [c.pk for c in comments[THREAD_PAGE_SIZE : 2 * THREAD_PAGE_SIZE]]

    def test_an_empty_thread_says_so_on_any_page(self, client, published_article):
        for asked in ("", "2", "-1"):
            thread = thread_at(client, published_article, f"?cpage={asked}")
            assert "아직 댓글이 없습니다" in thread and 'aria-current="page"' not in thread


class TestRemovedComments:
    def test_a_removed_comment_with_shown_replies_stays_as_a_placeholder(
        self, client, published_article
    ):
        removed = CommentFactory(article=published_article, body="지운 댓글", status="deleted")
        CommentFactory(article=published_article, parent=removed, body="남은 답글")

        thread = thread_at(client, published_article)

        assert f'id="comment-{removed.pk}"' in thread
        assert "삭제된 댓글입니다." in thread
        assert "지운 댓글" not in thread and "남은 답글" in thread

    def test_a_removed_comment_whose_replies_are_removed_too_is_gone(
        self, client, published_article
    ):
        removed = CommentFactory(article=published_article, body="지운 댓글", status="deleted")
        CommentFactory(article=published_article, parent=removed, body="지운 답글", status="hidden")

        thread = thread_at(client, published_article)

        assert f'id="comment-{removed.pk}"' not in thread
        assert "아직 댓글이 없습니다" in thread


class TestTheCommentFormsFields:
    """The comment box writes its small fields without Django's form renderer: the HTML
    must be what Django itself writes, for an empty form and a refused one."""

    FIELDS = ["guest_name", "guest_password", "parent", "website"]

    def rendered(self, form, field):
        template = Template(
            "{% load comments %}{{ field|comment_label }}|{{ field|comment_input }}"
        )
        return template.render(Context({"field": form[field]}))

    def djangos(self, form, field):
        return f"{form[field].label_tag()}|{form[field]}"

    def test_an_empty_form(self):
        form = CommentForm(user=AnonymousUser(), initial={"parent": 7})
        for field in self.FIELDS:
            assert self.rendered(form, field) == self.djangos(form, field)

    def test_a_refused_form_keeps_what_was_typed(self):
        form = CommentForm(
            {
                "body": "",
                "guest_name": '<b>"손님"</b> & ' + "x" * 30,
                "guest_password": "ab",
                "parent": "12",
                "website": "http://spam.example/?a=1&b=<2>",
            },
            user=AnonymousUser(),
        )
        assert not form.is_valid()
        for field in self.FIELDS:
            assert self.rendered(form, field) == self.djangos(form, field)
        html = self.rendered(form, "guest_name")
        assert 'value="&lt;b&gt;&quot;손님&quot;&lt;/b&gt; &amp; x' in html
        assert 'aria-invalid="true" aria-describedby="id_guest_name_error"' in html
        assert "value=" not in self.rendered(form, "guest_password")  # never written back

    def test_in_english(self, client):
        from django.utils import translation

        with translation.override("en"):
            form = CommentForm({"guest_name": "손님"}, user=AnonymousUser())
            form.is_valid()
            for field in self.FIELDS:
                assert self.rendered(form, field) == self.djangos(form, field)
