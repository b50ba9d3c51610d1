"""The moderation desk as moderators, editors and everyone else meet it over HTTP: the queue,
deciding a comment in place, bulk actions, bans with a reason and a term, a comment's page."""

import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentBan, CommentReport, CommentRules
from tests.factories import (
    CommentBanFactory,
    CommentFactory,
    CommentReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
BANS = reverse("admin:comments_commentban_changelist")
JSON = {"HTTP_ACCEPT": "application/json"}


def hide_url(comment):
    return reverse("admin:comments_comment_hide", args=[comment.pk])


def restore_url(comment):
    return reverse("admin:comments_comment_restore", args=[comment.pk])


def ban_page(comment, next_url=QUEUE):
    return (
        f"{reverse('admin:comments_commentban_add')}"
        f"?user={comment.user_id}&comment={comment.pk}&next={next_url}"
    )


def report(comment, reason, detail=""):
    return CommentReportFactory(comment=comment, reason=reason, detail=detail)


@pytest.fixture
def reported(db):
    """A comment reported twice for abuse and once for spam, by three readers."""
    comment = CommentFactory(body="신고가 많은 댓글")
    report(comment, "abuse", detail="반복되는 욕설")
    report(comment, "abuse")
    report(comment, "spam")
    return comment


class TestTheQueue:
    def test_reported_comments_come_first_with_their_reasons_counted(
        self, client, moderator, reported
    ):
        CommentFactory(body="최근의 평범한 댓글")
        once = CommentFactory(body="한 번 신고된 댓글")
        report(once, "privacy")
        client.force_login(moderator)

        page = client.get(QUEUE).content.decode()

        assert (
            page.index("신고가 많은 댓글")
            < page.index("한 번 신고된 댓글")
            < page.index("최근의 평범한 댓글")
        )
        assert "욕설·혐오 표현 2" in page and "스팸·광고 1" in page
        assert page.index("욕설·혐오 표현 2") < page.index("스팸·광고 1")
        assert "개인정보 노출 1" in page

    def test_the_reporters_and_their_details_are_there_on_demand(self, client, moderator, reported):
        client.force_login(moderator)

        page = client.get(QUEUE).content.decode()

        assert "신고한 사람과 사유 (3건)" in page
        for reporter in CommentReport.objects.values_list("user__username", flat=True):
            assert f"@{reporter}" in page
        assert "반복되는 욕설" in page

    def test_resolved_reports_no_longer_count(self, client, moderator, reported):
        reported.reports.filter(reason="abuse").update(resolved=True)
        client.force_login(moderator)

        page = client.get(QUEUE).content.decode()

        assert "욕설·혐오 표현" not in page and "스팸·광고 1" in page

    def test_author_article_time_in_kst_and_a_status_badge(self, client, moderator, reader):
        comment = CommentFactory(
            user=reader,
            created_at=datetime(2026, 12, 1, 5, 5, tzinfo=UTC),
            status=Comment.Status.HIDDEN,
        )
        client.force_login(moderator)

        page = client.get(QUEUE).content.decode()

        assert "2026-12-01 14:05" in page and "+00:00<" not in page
        assert reader.display_name in page and "@reader" in page
        assert f'href="{comment.get_absolute_url()}"' in page
        assert comment.article.title in page
        assert 'class="mod-badge mod-badge-hidden">관리자가 숨김<' in page

    def test_a_long_comment_shows_its_first_lines_and_opens_in_full(self, client, moderator):
        body = "현장의 목소리를 반영하지 못한 정책입니다. " * 10
        CommentFactory(body=body.strip())
        CommentFactory(body="짧은 댓글")
        client.force_login(moderator)

        page = client.get(QUEUE).content.decode()

        assert page.count("전체 보기") == 1
        assert body.strip() in page  # whole in the page: the first lines are cut by CSS

    def test_the_queue_reads_in_english_when_the_admin_is_in_english(
        self, client, moderator, reported
    ):
        client.cookies["django_language"] = "en"
        client.force_login(moderator)

        page = client.get(QUEUE).content.decode()

        assert "Moderation queue" in page
        assert "Abuse or hate speech 2" in page and "Spam or advertising 1" in page
        assert "Who reported it and why (3)" in page

    def test_the_queue_costs_the_same_queries_for_many_reported_comments(
        self, client, moderator, django_assert_max_num_queries
    ):
        for _ in range(30):
            comment = CommentFactory()
            report(comment, "abuse")
            report(comment, "spam")
        CommentBanFactory(user=comment.user)
        client.force_login(moderator)
        client.get(QUEUE)  # the site's settings row is made on the first request

        with django_assert_max_num_queries(10):
            response = client.get(QUEUE)

        assert response.status_code == 200

    def test_a_reader_of_the_queue_without_moderation_rights_gets_no_buttons(
        self, client, reported
    ):
        viewer = UserFactory(username="viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
        client.force_login(viewer)

        page = client.get(QUEUE).content.decode()

        assert "신고가 많은 댓글" in page and hide_url(reported) not in page


class TestDecidingInPlace:
    def test_hiding_answers_with_the_redrawn_row_and_resolves_the_reports(
        self, client, moderator, reported
    ):
        client.force_login(moderator)

        response = client.post(hide_url(reported), {"next": QUEUE + "?reported=yes"}, **JSON)

        assert response.status_code == 200
        result = response.json()
        reported.refresh_from_db()
        assert reported.status == Comment.Status.HIDDEN
        assert not reported.reports.open().exists()
        assert result["message"] == (
            f"“{reported.article.title}”에 달린 {reported.author_name} 님의 댓글을 숨겼습니다. "
            "신고 3건을 처리 완료로 표시했습니다."
        )
        assert "관리자가 숨김" in result["cells"]["queue_entry"]
        assert restore_url(reported) in result["cells"]["decision"]
        assert hide_url(reported) not in result["cells"]["decision"]

    def test_without_javascript_the_moderator_is_back_on_the_same_filtered_list(
        self, client, moderator, reported
    ):
        client.force_login(moderator)
        filtered = QUEUE + "?reported=yes&status__exact=visible"

        response = client.post(hide_url(reported), {"next": filtered})

        assert response.status_code == 302 and response["Location"] == filtered
        page = client.get(filtered).content.decode()
        assert "님의 댓글을 숨겼습니다. 신고 3건을 처리 완료로 표시했습니다." in page

    def test_a_next_address_off_the_site_is_ignored(self, client, moderator, reported):
        client.force_login(moderator)

        response = client.post(hide_url(reported), {"next": "https://evil.example/"})

        assert response["Location"] == QUEUE

    def test_restoring_shows_a_hidden_comment_again(self, client, moderator, reported):
        services.comments_moderate(comments=[reported], status=Comment.Status.HIDDEN)
        late = report(reported, "false")
        client.force_login(moderator)

        response = client.post(restore_url(reported), {"next": QUEUE}, **JSON)

        reported.refresh_from_db()
        late.refresh_from_db()
        assert reported.status == Comment.Status.VISIBLE and late.resolved
        assert (
            "다시 공개했습니다. 신고 1건을 처리 완료로 표시했습니다." in response.json()["message"]
        )

    def test_keeping_a_reported_comment_dismisses_its_reports(self, client, moderator, reported):
        client.force_login(moderator)

        response = client.post(restore_url(reported), {"next": QUEUE}, **JSON)

        reported.refresh_from_db()
        assert reported.status == Comment.Status.VISIBLE
        assert not reported.reports.open().exists()
        assert "그대로 두었습니다" in response.json()["message"]

    def test_a_deleted_comment_cannot_be_restored(self, client, moderator, reader):
        comment = CommentFactory(user=reader, status=Comment.Status.DELETED)
        client.force_login(moderator)

        response = client.post(restore_url(comment), {"next": QUEUE})

        comment.refresh_from_db()
        assert response.status_code == 404 and comment.status == Comment.Status.DELETED

    def test_readers_reports_hiding_a_comment_leave_the_decision_to_a_moderator(
        self, reported, other_reader
    ):
        rules = CommentRules.current()
        rules.comment_reports_to_hide = 4
        rules.save()

        services.comment_report(comment=reported, user=other_reader, reason="abuse")

        reported.refresh_from_db()
        assert reported.status == Comment.Status.HIDDEN
        assert reported.reports.open().count() == 4  # still first in the queue

    def test_a_get_changes_nothing(self, client, moderator, reported):
        client.force_login(moderator)

        response = client.get(hide_url(reported))

        reported.refresh_from_db()
        assert response.status_code == 405 and reported.status == Comment.Status.VISIBLE

    @pytest.mark.parametrize("who", ["editor", "moderator"])
    def test_editors_and_moderators_decide(self, client, request, who, reported):
        client.force_login(request.getfixturevalue(who))

        response = client.post(hide_url(reported), {"next": QUEUE})

        reported.refresh_from_db()
        assert response.status_code == 302 and reported.status == Comment.Status.HIDDEN

    @pytest.mark.parametrize(
        "who, status",
        [
            ("anonymous", 302),  # to the admin's login page
            ("reader", 302),
            ("reporter_user", 403),
            ("ad_staff", 403),
        ],
    )
    def test_nobody_else_can_hide_by_posting_the_address(
        self, client, request, who, status, reported
    ):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))

        responses = [
            client.post(hide_url(reported), {"next": QUEUE}),
            client.post(hide_url(reported), {"next": QUEUE}, **JSON),
        ]

        assert [r.status_code for r in responses] == [status, status]
        reported.refresh_from_db()
        assert reported.status == Comment.Status.VISIBLE
        assert reported.reports.open().count() == 3


def act(client, action, comments, **data):
    return client.post(
        QUEUE, {"action": action, "_selected_action": [c.pk for c in comments], **data}
    )


class TestBulkActions:
    def test_a_bulk_hide_asks_first_saying_what_it_will_do(self, client, moderator, reported):
        other = CommentFactory(body="함께 고른 댓글")
        client.force_login(moderator)

        response = act(client, "hide", [reported, other])

        page = response.content.decode()
        assert response.status_code == 200
        assert "이 댓글을 독자에게서 숨길까요?" in page
        assert "아래 댓글이 더 이상 독자에게 보이지 않습니다." in page
        assert "미처리 신고 3건은 처리 완료로 표시됩니다." in page
        assert "신고가 많은 댓글" in page and "함께 고른 댓글" in page
        assert set(Comment.objects.values_list("status", flat=True)) == {"visible"}

    def test_a_confirmed_bulk_hide_hides_and_says_so(self, client, moderator, reported):
        other = CommentFactory()
        client.force_login(moderator)

        response = act(client, "hide", [reported, other], post="yes")

        assert set(Comment.objects.values_list("status", flat=True)) == {"hidden"}
        page = client.get(response["Location"]).content.decode()
        assert "댓글 2개를 숨겼습니다. 신고 3건을 처리 완료로 표시했습니다." in page

    def test_the_actions_say_what_they_do(self, client, moderator):
        CommentFactory()
        client.force_login(moderator)

        page = client.get(QUEUE).content.decode()

        assert "선택한 댓글 숨기기 (신고는 처리 완료)" in page
        assert "선택한 댓글 공개하기 (신고는 처리 완료)" in page
        assert "선택한 댓글 삭제하기 (아무도 볼 수 없게 됨)" in page

    def test_barring_authors_in_bulk_asks_for_a_reason_and_a_term(
        self, client, moderator, reported
    ):
        guest = CommentFactory(user=None, guest_name="손님")
        client.force_login(moderator)

        asked = act(client, "ban_authors", [reported, guest])
        assert 'name="term"' in asked.content.decode() and not CommentBan.objects.exists()

        refused = act(
            client, "ban_authors", [reported, guest], post="yes", reason="abuse", note="반복 욕설"
        )
        refused_page = refused.content.decode()
        assert "제한 기간을 고르세요." in refused_page and 'value="반복 욕설"' in refused_page
        assert not CommentBan.objects.exists()

        done = act(client, "ban_authors", [reported, guest], post="yes", reason="abuse", term="30")
        assert done.status_code == 302
        ban = CommentBan.objects.get()
        assert ban.user == reported.user and ban.term_days == 30 and ban.banned_by == moderator


class TestBanning:
    def test_the_ban_page_shows_the_reader_and_suggests_the_reported_reason(
        self, client, moderator, reported
    ):
        client.force_login(moderator)

        response = client.get(ban_page(reported))

        page = response.content.decode()
        assert response.status_code == 200
        assert reported.user.display_name in page and f"@{reported.user.username}" in page
        assert "신고가 많은 댓글" in page
        assert response.context["form"].initial["reason"] == "abuse"
        for term in ("1일", "7일", "30일", "영구"):
            assert f"\n {term}</label>" in page

    def test_a_ban_for_seven_days_with_a_reason(self, client, moderator, reported):
        client.force_login(moderator)
        before = timezone.now()

        response = client.post(
            ban_page(reported, next_url=QUEUE + "?reported=yes"),
            {"user": reported.user.username, "reason": "abuse", "note": "반복된 욕설", "term": "7"},
        )

        ban = CommentBan.objects.get()
        assert response.status_code == 302 and response["Location"] == QUEUE + "?reported=yes"
        assert (ban.user, ban.reason, ban.note, ban.banned_by) == (
            reported.user,
            "abuse",
            "반복된 욕설",
            moderator,
        )
        assert before + timedelta(days=7) <= ban.expires_at <= timezone.now() + timedelta(days=7)
        page = client.get(response["Location"]).content.decode()
        until = timezone.localtime(ban.expires_at).strftime("%Y-%m-%d %H:%M")
        assert f"님의 댓글 작성을 7일 동안, {until}까지 제한했습니다." in page

    def test_a_permanent_ban_has_no_end(self, client, moderator, reported):
        client.force_login(moderator)

        client.post(
            ban_page(reported),
            {"user": reported.user.username, "reason": "spam", "term": "permanent"},
        )

        ban = CommentBan.objects.get()
        assert ban.expires_at is None and ban.is_active and ban.term_label == "영구"

    def test_bad_input_gets_korean_errors_and_keeps_what_was_typed(
        self, client, moderator, reported
    ):
        client.force_login(moderator)

        no_term = client.post(
            ban_page(reported),
            {"user": reported.user.username, "reason": "abuse", "note": "메모는 남는다"},
        )
        other_without_note = client.post(
            ban_page(reported), {"user": reported.user.username, "reason": "other", "term": "1"}
        )

        page = no_term.content.decode()
        assert "제한 기간을 고르세요." in page and 'value="메모는 남는다"' in page
        assert re.search(r'value="abuse"[^>]*checked', page)
        assert "이면 메모에 이유를 적으세요." in other_without_note.content.decode()
        assert not CommentBan.objects.exists()

    def test_staff_accounts_cannot_be_barred(self, client, moderator, editor):
        client.force_login(moderator)

        response = client.post(
            reverse("admin:comments_commentban_add"),
            {"user": editor.username, "reason": "abuse", "term": "1"},
        )

        assert (
            "그 아이디의 독자가 없습니다 (직원 계정은 제한할 수 없습니다)."
            in response.content.decode()
        )
        assert not CommentBan.objects.exists()

    def test_barring_again_replaces_the_ban_in_force_and_keeps_both(
        self, client, moderator, reader
    ):
        first = CommentBanFactory(user=reader)
        client.force_login(moderator)

        client.post(
            f"{reverse('admin:comments_commentban_add')}?user={reader.pk}",
            {"user": reader.username, "reason": "spam", "term": "30"},
        )

        first.refresh_from_db()
        assert first.lifted_at is not None and first.lifted_by == moderator
        assert CommentBan.objects.active().get().term_days == 30
        assert reader.comment_bans.count() == 2

    @pytest.mark.parametrize(
        "who, status",
        [("anonymous", 302), ("reader", 302), ("reporter_user", 403), ("ad_staff", 403)],
    )
    def test_only_moderators_and_editors_can_ban(self, client, request, who, status, reported):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))

        shown = client.get(ban_page(reported))
        posted = client.post(
            ban_page(reported), {"user": reported.user.username, "reason": "abuse", "term": "7"}
        )

        assert (shown.status_code, posted.status_code) == (status, status)
        assert not CommentBan.objects.exists()

    def test_an_editor_can_ban(self, client, editor, reported):
        client.force_login(editor)

        client.post(
            ban_page(reported), {"user": reported.user.username, "reason": "abuse", "term": "1"}
        )

        assert CommentBan.objects.get().banned_by == editor


class TestTheReaderWhileBanned:
    def test_the_comment_box_says_why_and_until_when(self, client, reader, published_article):
        ban = services.comments_ban(
            users=[reader], banned_by=None, reason="abuse", note="반복된 욕설", days=7
        )[0]
        client.force_login(reader)

        page = client.get(published_article.get_absolute_url()).content.decode()

        until = timezone.localtime(ban.expires_at).strftime("%Y-%m-%d %H:%M")
        assert (
            "댓글 작성이 제한된 계정입니다. 사유: 욕설·혐오 표현: 반복된 욕설. "
            f"{until}부터 다시 댓글을 쓸 수 있습니다."
        ) in page
        assert 'name="body"' not in page

    def test_posting_is_refused_with_the_same_words(self, client, reader, published_article):
        services.comments_ban(users=[reader], banned_by=None, reason="spam", days=None)
        client.force_login(reader)

        response = client.post(
            reverse("comments:post", args=[published_article.pk]), {"body": "다시 써 봅니다"}
        )

        assert response.status_code == 403
        assert "사유: 스팸·광고. 제한 기한은 없습니다." in response.content.decode()
        assert not Comment.objects.exists()

    def test_after_the_term_the_reader_comments_again_with_no_job_running(
        self, client, reader, published_article
    ):
        services.comments_ban(users=[reader], banned_by=None, reason="abuse", days=1)
        client.force_login(reader)
        later = timezone.now() + timedelta(days=1, minutes=1)

        with mock.patch("django.utils.timezone.now", return_value=later):
            page = client.get(published_article.get_absolute_url()).content.decode()
            response = client.post(
                reverse("comments:post", args=[published_article.pk]), {"body": "돌아왔습니다"}
            )

        assert "댓글 작성이 제한된 계정입니다." not in page and 'name="body"' in page
        assert response.status_code == 302 and Comment.objects.get().body == "돌아왔습니다"


class TestTheBanList:
    def test_it_shows_reader_reason_term_until_and_who_banned(self, client, moderator, reader):
        ban = services.comments_ban(
            users=[reader], banned_by=moderator, reason="spam", note="광고 링크", days=7
        )[0]
        client.force_login(moderator)

        page = client.get(BANS).content.decode()

        assert f"{reader.display_name} (reader)" in page
        assert "스팸·광고: 광고 링크" in page and ">7일<" in page
        assert timezone.localtime(ban.expires_at).strftime("%Y-%m-%d %H:%M") in page
        assert moderator.public_name in page and "제한 중" in page

    def test_lifting_early_lets_the_reader_comment_at_once(
        self, client, moderator, reader, published_article
    ):
        ban = CommentBanFactory(user=reader)
        client.force_login(moderator)

        response = client.post(
            reverse("admin:comments_commentban_lift", args=[ban.pk]),
            {"next": BANS + "?state=active"},
        )

        ban.refresh_from_db()
        assert response["Location"] == BANS + "?state=active"
        assert ban.lifted_by == moderator and not ban.is_active
        assert "일찍 해제됨" in client.get(BANS).content.decode()
        client.force_login(reader)
        assert 'name="body"' in client.get(published_article.get_absolute_url()).content.decode()

    @pytest.mark.parametrize(
        "who, status",
        [("anonymous", 302), ("reader", 302), ("reporter_user", 403), ("ad_staff", 403)],
    )
    def test_nobody_else_can_lift_a_ban(self, client, request, who, status):
        ban = CommentBanFactory()
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))

        response = client.post(reverse("admin:comments_commentban_lift", args=[ban.pk]))

        ban.refresh_from_db()
        assert response.status_code == status and ban.is_active

    def test_bans_are_not_edited_or_erased(self, client, moderator):
        ban = CommentBanFactory()
        client.force_login(moderator)

        change = client.post(
            reverse("admin:comments_commentban_change", args=[ban.pk]), {"reason": "spam"}
        )
        delete = client.post(
            reverse("admin:comments_commentban_delete", args=[ban.pk]), {"post": "yes"}
        )

        assert change.status_code == 403 and delete.status_code == 403
        ban.refresh_from_db()
        assert ban.reason == "abuse"


class TestACommentsPage:
    def test_the_report_inline_has_a_readable_korean_heading(self, client, moderator, reported):
        reported.reports.filter(reason="spam").update(resolved=True)
        client.force_login(moderator)

        page = client.get(
            reverse("admin:comments_comment_change", args=[reported.pk])
        ).content.decode()

        assert "이 댓글에 대한 신고" in page and "모두 3건 · 미처리 2건" in page
        assert f"욕설·혐오 표현: {reported}" not in page  # no report's str() over its row
        assert "반복되는 욕설" in page

    def test_it_shows_the_article_the_authors_other_comments_and_ban_history(
        self, client, moderator, reported
    ):
        CommentFactory(user=reported.user, body="같은 독자의 다른 댓글")
        CommentBanFactory(user=reported.user, lifted_at=timezone.now())
        client.force_login(moderator)

        page = client.get(
            reverse("admin:comments_comment_change", args=[reported.pk])
        ).content.decode()

        assert reported.article.title in page and reported.get_absolute_url() in page
        assert "작성자의 최근 다른 댓글" in page and "같은 독자의 다른 댓글" in page
        assert "댓글 작성 제한 기록" in page and "일찍 해제됨" in page
        assert ban_page(reported, next_url="").split("&next=")[0].replace("&", "&amp;") in page

    def test_changing_the_status_there_is_a_decision_too(self, client, moderator, reported):
        client.force_login(moderator)
        url = reverse("admin:comments_comment_change", args=[reported.pk])
        form = {
            "status": "hidden",
            "reports-TOTAL_FORMS": "3",
            "reports-INITIAL_FORMS": "3",
            "reports-MIN_NUM_FORMS": "0",
            "reports-MAX_NUM_FORMS": "1000",
        }
        for index, pk in enumerate(
            reported.reports.order_by("-created_at").values_list("pk", flat=True)
        ):
            form |= {f"reports-{index}-id": pk, f"reports-{index}-comment": reported.pk}

        response = client.post(url, form)

        reported.refresh_from_db()
        assert response.status_code == 302
        assert reported.status == Comment.Status.HIDDEN and not reported.reports.open().exists()
