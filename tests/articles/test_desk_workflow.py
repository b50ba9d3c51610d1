"""The newsroom workflow on the article screen, over HTTP: who may take each step, what each
step does and says, the timeline, notifications and mail, what waits for whom in the list and
the menu, and bulk publishing and withdrawing that ask first."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, ArticleEvent, Notification
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ArticleEvent.Action
TOMORROW_9AM = (timezone.localtime() + timedelta(days=1)).replace(
    hour=9, minute=0, second=0, microsecond=0
)


def step_url(article, action):
    return reverse("admin:articles_article_workflow", args=[article.pk, action])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def changelist():
    return reverse("admin:articles_article_changelist")


def story(reporter_user, status, **fields):
    published_at = timezone.now() - timedelta(hours=1) if status == Status.PUBLISHED else None
    return ArticleFactory(
        reporter=reporter_user.reporter,
        status=status,
        published_at=fields.pop("published_at", published_at),
        **fields,
    )


def content(response) -> str:
    return response.content.decode()


def as_sent(client, article, url=None, **changed):
    """The article's change form (or ``url``'s, a revision's) as the browser sends it, with
    ``changed`` fields; the version is the one the form was opened at."""
    form = client.get(url or change_url(article)).context["adminform"].form
    return {
        "title": article.title,
        "slug": article.slug,
        "section": article.section.pk,
        "reporter": article.reporter.pk,
        "body": article.body,
        "comments_open": "on",
        "version_seen": form["version_seen"].value(),
        **changed,
    }


@pytest.fixture
def desk_editor(db):
    """An editor with an address, who is told of submitted stories by mail."""
    return UserFactory(
        username="desk",
        display_name="김편집",
        email="desk@news.example",
        is_staff=True,
        groups=["Editors"],
    )


# Who may take each step, tried over raw HTTP as every role (GET shows the confirmation,
# POST takes the step): anyone else is refused and nothing changes.

STEP_CASES = {
    # step: (the state it starts from, what the confirmation posts, the roles that may take it)
    Action.SUBMIT: (Status.DRAFT, {}, {"reporter"}),
    Action.RETURN: (Status.REVIEW, {"note": "리드를 다시 써 주세요."}, {"editor"}),
    Action.PUBLISH: (Status.REVIEW, {}, {"editor"}),
    Action.SCHEDULE: (Status.REVIEW, {"at": TOMORROW_9AM.strftime("%Y-%m-%dT%H:%M")}, {"editor"}),
    Action.WITHDRAW: (Status.PUBLISHED, {"note": ""}, {"editor"}),
}
ROLES = {
    "anonymous": None,
    "reader": "reader",
    "reporter": "reporter_user",
    "other reporter": "other_reporter_user",
    "editor": "editor",
    "moderator": "moderator",
    "ad staff": "ad_staff",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", STEP_CASES)
def test_each_step_is_taken_only_by_the_roles_that_may_take_it(
    client, request, reporter_user, role, action
):
    starts_from, data, allowed = STEP_CASES[action]
    article = story(reporter_user, starts_from, title="권한 시험 기사")
    if ROLES[role]:
        client.force_login(request.getfixturevalue(ROLES[role]))

    shown = client.get(step_url(article, action))
    taken = client.post(step_url(article, action), data)

    article.refresh_from_db()
    if role in allowed:
        assert shown.status_code == 200
        assert taken.status_code == 302 and taken["Location"] == change_url(article)
        assert article.events.get().action == action
    else:
        expected = 302 if role in ("anonymous", "reader") else 403  # to the admin's login
        assert (shown.status_code, taken.status_code) == (expected, expected)
        assert article.status == starts_from and not article.events.exists()


def test_a_step_the_state_no_longer_allows_changes_nothing_and_says_why(
    client, editor, reporter_user
):
    article = story(reporter_user, Status.PUBLISHED, title="이미 나간 기사")
    client.force_login(editor)

    response = client.post(step_url(article, Action.RETURN), {"note": "늦은 반려"}, follow=True)

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and not article.events.exists()
    assert "“이미 나간 기사” 기사는 지금 “출고됨” 상태라 이 작업을 할 수 없습니다." in content(
        response
    )


def test_an_unknown_step_is_not_found(client, editor, reporter_user):
    client.force_login(editor)

    response = client.get(step_url(story(reporter_user, Status.DRAFT), "delete"))

    assert response.status_code == 404


# The steps: what the confirmation says, what confirming does, who is told.


class TestSubmitForReview:
    def test_confirmation_says_what_happens_and_nothing_changes_before_it(
        self, client, reporter_user
    ):
        article = story(reporter_user, Status.DRAFT)
        client.force_login(reporter_user)

        page = client.get(step_url(article, Action.SUBMIT))

        assert "편집자가 출고하기 전까지 사이트에는 보이지 않습니다." in content(page)
        article.refresh_from_db()
        assert article.status == Status.DRAFT

    def test_the_editors_are_told_in_the_admin_and_by_mail_through_the_queue(
        self, client, reporter_user, editor, desk_editor
    ):
        article = story(reporter_user, Status.DRAFT, title="로봇 수출 늘었다")
        client.force_login(reporter_user)

        response = client.post(step_url(article, Action.SUBMIT), follow=True)

        article.refresh_from_db()
        assert article.status == Status.REVIEW
        assert "“로봇 수출 늘었다” 기사를 검토 요청했습니다. 편집자에게 알렸습니다." in content(
            response
        )
        told = Notification.objects.filter(event__article=article)
        assert {n.recipient for n in told} == {editor, desk_editor}
        assert sorted(m.to[0] for m in mail.outbox) == ["desk@news.example", "editor@example.com"]
        message = mail.outbox[0]
        assert (
            f"{reporter_user} 님이 “로봇 수출 늘었다” 기사를 검토 요청했습니다." in message.subject
        )
        assert f"http://testserver{change_url(article)}" in message.body

    def test_no_mail_is_sent_inside_the_request(self, client, settings, reporter_user, editor):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        article = story(reporter_user, Status.DRAFT)
        client.force_login(reporter_user)

        client.post(step_url(article, Action.SUBMIT))

        assert mail.outbox == []
        queued = DBTaskResult.objects.get()
        assert queued.args_kwargs["kwargs"]["to"] == ["editor@example.com"]

    def test_a_returned_story_can_be_submitted_again(self, client, reporter_user):
        article = story(reporter_user, Status.RETURNED)
        client.force_login(reporter_user)

        client.post(step_url(article, Action.SUBMIT))

        article.refresh_from_db()
        assert article.status == Status.REVIEW


class TestReturn:
    def test_requires_a_note_and_keeps_the_state_when_it_is_missing(
        self, client, editor, reporter_user
    ):
        article = story(reporter_user, Status.REVIEW)
        client.force_login(editor)

        response = client.post(step_url(article, Action.RETURN), {"note": "  "})

        assert response.status_code == 200
        assert "기자가 고칠 점을 적어 주세요." in content(response)
        article.refresh_from_db()
        assert article.status == Status.REVIEW and not article.events.exists()

    def test_a_note_too_long_comes_back_with_the_text_kept(self, client, editor, reporter_user):
        article = story(reporter_user, Status.REVIEW)
        client.force_login(editor)
        note = "고칠 점. " * 400

        response = client.post(step_url(article, Action.RETURN), {"note": note})

        assert response.status_code == 200
        assert note.strip() in content(response)
        article.refresh_from_db()
        assert article.status == Status.REVIEW

    def test_the_reporter_reads_the_note_on_the_article_in_the_admin_and_by_mail(
        self, client, editor, reporter_user
    ):
        article = story(reporter_user, Status.REVIEW, title="반도체 장비 국산화")
        client.force_login(editor)

        client.post(step_url(article, Action.RETURN), {"note": "출처를 밝혀 주세요."})

        article.refresh_from_db()
        assert article.status == Status.RETURNED
        notification = Notification.objects.get()
        assert notification.recipient == reporter_user
        (message,) = mail.outbox
        assert message.to == ["reporter@example.com"]
        assert "“반도체 장비 국산화” 기사를 반려했습니다." in message.subject
        assert "출처를 밝혀 주세요." in message.body
        client.force_login(reporter_user)
        screen = content(client.get(change_url(article)))
        assert "출처를 밝혀 주세요." in screen and f"반려 — {editor} 님의 메모" in screen


class TestPublish:
    def test_publishes_now_and_tells_the_reporter(self, client, editor, reporter_user):
        article = story(reporter_user, Status.REVIEW, title="스마트공장 보급")
        client.force_login(editor)

        page = client.get(step_url(article, Action.PUBLISH))
        response = client.post(step_url(article, Action.PUBLISH), follow=True)

        assert "확인하면 바로 홈, 섹션, 검색과 기사 주소에서 독자에게 보입니다." in content(page)
        article.refresh_from_db()
        assert article.is_published and Article.objects.published().get() == article
        assert "“스마트공장 보급” 기사를 출고했습니다. 지금 사이트에 보입니다." in content(response)
        assert Notification.objects.get().recipient == reporter_user
        assert mail.outbox[0].to == ["reporter@example.com"]

    def test_warns_when_the_story_skipped_review(self, client, editor, reporter_user):
        client.force_login(editor)

        page = client.get(step_url(story(reporter_user, Status.DRAFT), Action.PUBLISH))

        assert "이 기사는 검토를 거치지 않았습니다. 지금 상태: “작성 중”." in content(page)


class TestSchedule:
    def test_the_confirmation_states_the_time_in_korea_time(self, client, editor, reporter_user):
        article = story(reporter_user, Status.REVIEW)
        client.force_login(editor)

        page = client.get(step_url(article, Action.SCHEDULE), {"at": "2099-12-02T09:00"})

        assert "이 기사는 2099-12-02 09:00 (한국 시각)에 출고됩니다." in content(page)
        article.refresh_from_db()
        assert article.status == Status.REVIEW

    def test_schedules_goes_live_by_itself_and_says_when(self, client, editor, reporter_user):
        article = story(reporter_user, Status.REVIEW, title="예약 기사")
        client.force_login(editor)

        response = client.post(
            step_url(article, Action.SCHEDULE), {"at": "2099-12-02T09:00"}, follow=True
        )

        article.refresh_from_db()
        assert article.is_scheduled and not Article.objects.published().exists()
        assert timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M") == (
            "2099-12-02 09:00"
        )
        assert "“예약 기사” 기사는 2099-12-02 09:00 (한국 시각)에 출고됩니다." in content(response)
        assert "2099-12-02 09:00 (한국 시각)에 출고하도록 예약했습니다." in mail.outbox[0].subject
        later = article.published_at + timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert Article.objects.published().get() == article

    @pytest.mark.parametrize(
        ("typed", "error"),
        [
            ("2001-01-01T09:00", "2001-01-01 09:00은(는) 이미 지났습니다."),
            ("내일 아침", "날짜와 시각을 2026-12-02 09:00처럼 입력하세요."),
            ("", "출고할 날짜와 시각을 고르세요."),
        ],
    )
    def test_a_time_that_is_not_ahead_is_refused_with_what_was_typed_kept(
        self, client, editor, reporter_user, typed, error
    ):
        article = story(reporter_user, Status.REVIEW)
        client.force_login(editor)

        response = client.post(step_url(article, Action.SCHEDULE), {"at": typed})

        assert response.status_code == 200
        assert error in content(response)
        assert f'value="{typed}"' in content(response) or not typed
        article.refresh_from_db()
        assert article.status == Status.REVIEW

    def test_the_change_screen_hands_the_chosen_time_to_the_confirmation(
        self, client, editor, reporter_user
    ):
        article = story(reporter_user, Status.REVIEW)
        client.force_login(editor)

        response = client.post(
            change_url(article),
            as_sent(client, article, _workflow="schedule", workflow_at="2099-12-02T09:00"),
        )

        assert response.status_code == 302
        assert response["Location"] == step_url(article, Action.SCHEDULE) + "?at=2099-12-02T09%3A00"


class TestWithdraw:
    def test_says_the_story_will_disappear_and_takes_it_down(self, client, editor, reporter_user):
        article = story(reporter_user, Status.PUBLISHED, title="내릴 기사")
        client.force_login(editor)

        page = client.get(step_url(article, Action.WITHDRAW))
        client.post(step_url(article, Action.WITHDRAW), {"note": "사실 확인 중"})

        assert "기사가 사이트에서 사라집니다." in content(page)
        article.refresh_from_db()
        assert article.status == Status.WITHDRAWN and not Article.objects.published().exists()
        assert article.events.get().note == "사실 확인 중"
        assert Client().get(article.get_absolute_url()).status_code == 404

    def test_calls_off_a_schedule(self, client, editor, reporter_user):
        article = story(
            reporter_user, Status.PUBLISHED, published_at=timezone.now() + timedelta(days=1)
        )
        client.force_login(editor)

        page = client.get(step_url(article, Action.WITHDRAW))
        client.post(step_url(article, Action.WITHDRAW), {"note": ""})

        assert "출고 예약을 취소합니다. 기사는 출고되지 않습니다." in content(page)
        article.refresh_from_db()
        assert article.status == Status.WITHDRAWN and article.published_at is None


# The change screen: the state is no longer a form field; the buttons save first.


class TestChangeScreen:
    def test_the_status_cannot_be_changed_through_the_form(self, client, reporter_user):
        article = story(reporter_user, Status.DRAFT, title="초안")
        client.force_login(reporter_user)
        form = client.get(change_url(article)).context["adminform"].form

        client.post(
            change_url(article),
            as_sent(
                client,
                article,
                status="published",
                published_at_0="2020-01-01",
                published_at_1="00:00:00",
            ),
        )

        article.refresh_from_db()
        assert "status" not in form.fields and "published_at" not in form.fields
        assert article.status == Status.DRAFT and not Article.objects.published().exists()

    def test_shows_only_the_steps_this_person_may_take_now(self, client, editor, reporter_user):
        draft = story(reporter_user, Status.DRAFT)
        published = story(reporter_user, Status.PUBLISHED)

        client.force_login(reporter_user)
        reporters_draft = content(client.get(change_url(draft)))
        client.force_login(editor)
        editors_draft = content(client.get(change_url(draft)))
        editors_published = content(client.get(change_url(published)))

        assert 'value="submit"' in reporters_draft and 'value="publish"' not in reporters_draft
        assert 'value="publish"' in editors_draft and 'value="schedule"' in editors_draft
        assert 'value="submit"' not in editors_draft
        assert (
            'value="withdraw"' in editors_published and 'value="publish"' not in editors_published
        )

    def test_a_step_button_saves_what_was_typed_then_asks_to_confirm(self, client, reporter_user):
        article = story(reporter_user, Status.DRAFT, title="처음 제목")
        client.force_login(reporter_user)

        response = client.post(
            change_url(article),
            as_sent(client, article, title="고친 제목", _workflow="submit"),
            follow=True,
        )

        article.refresh_from_db()
        assert article.title == "고친 제목" and article.status == Status.DRAFT
        assert response.redirect_chain[-1][0] == step_url(article, Action.SUBMIT)
        assert "변경 내용을 저장했습니다." in content(response)

    def test_a_new_story_can_be_saved_and_submitted_in_one_go(self, client, reporter_user):
        section = ArticleFactory().section
        client.force_login(reporter_user)
        data = {
            "title": "새 기사",
            "slug": "new-story",
            "section": section.pk,
            "body": "<p>본문</p>",
            "comments_open": "on",
            "_workflow": "submit",
        }

        response = client.post(reverse("admin:articles_article_add"), data)

        article = Article.objects.get(title="새 기사")
        assert response["Location"] == step_url(article, Action.SUBMIT)
        assert article.reporter == reporter_user.reporter and article.status == Status.DRAFT

    def test_a_form_with_errors_takes_no_step_and_keeps_the_text(self, client, reporter_user):
        article = story(reporter_user, Status.DRAFT)
        client.force_login(reporter_user)

        response = client.post(
            change_url(article),
            as_sent(client, article, title="", body="<p>오래 쓴 본문</p>", _workflow="submit"),
        )

        assert response.status_code == 200 and "오래 쓴 본문" in content(response)
        article.refresh_from_db()
        assert article.status == Status.DRAFT

    def test_the_timeline_lists_every_step_in_korea_time(self, client, editor, reporter_user):
        article = story(reporter_user, Status.DRAFT)
        client.force_login(reporter_user)
        client.post(step_url(article, Action.SUBMIT))
        client.force_login(editor)
        client.post(step_url(article, Action.RETURN), {"note": "제목을 줄여 주세요."})
        ArticleEvent.objects.filter(action=Action.RETURN).update(
            at=timezone.make_aware(timezone.datetime(2026, 12, 1, 14, 5))
        )

        screen = content(client.get(change_url(article)))

        assert "진행 기록: 2건" in screen
        assert "2026-12-01 14:05" in screen and "+00:00" not in screen
        assert "검토 요청" in screen and "제목을 줄여 주세요." in screen

    def test_restoring_an_old_revision_does_not_bring_its_state_back(
        self, client, editor, reporter_user
    ):
        article = story(reporter_user, Status.PUBLISHED, title="되돌릴 기사")
        client.force_login(editor)
        client.post(step_url(article, Action.WITHDRAW), {"note": ""})
        published_revision = article.history.order_by("history_date").first()
        restore = reverse(
            "admin:articles_article_simple_history",
            args=[article.pk, published_revision.history_id],
        )

        response = client.post(restore, {"version": Article.objects.get(pk=article.pk).version})

        assert response.status_code == 302
        article.refresh_from_db()
        assert article.status == Status.WITHDRAWN and not Article.objects.published().exists()

    def test_optimistic_locking_still_refuses_an_edit_made_from_an_older_version(
        self, client, editor, reporter_user
    ):
        article = story(reporter_user, Status.REVIEW, title="원래 제목")
        client.force_login(editor)
        opened = as_sent(client, article, title="늦게 고친 제목")
        client.post(step_url(article, Action.RETURN), {"note": "다시"})

        response = client.post(change_url(article), opened)

        assert response.status_code == 200 and "늦게 고친 제목" in content(response)
        article.refresh_from_db()
        assert article.title == "원래 제목"


# What waits for whom: first in the list, one click away, counted in the menu.


class TestWaiting:
    @pytest.mark.parametrize(
        ("role", "first"),
        [("editor", "검토 기다리는 기사"), ("reporter_user", "반려된 기사")],
    )
    def test_what_waits_for_this_person_comes_first(
        self, client, request, reporter_user, role, first
    ):
        story(reporter_user, Status.PUBLISHED, title="출고된 기사")
        story(reporter_user, Status.REVIEW, title="검토 기다리는 기사")
        story(reporter_user, Status.RETURNED, title="반려된 기사")
        story(reporter_user, Status.DRAFT, title="초안 기사")
        client.force_login(request.getfixturevalue(role))

        response = client.get(changelist())

        assert response.context["cl"].result_list[0].title == first

    def test_the_quick_filter_shows_the_stories_waiting_for_review(
        self, client, editor, reporter_user
    ):
        story(reporter_user, Status.REVIEW, title="검토 기다리는 기사")
        story(reporter_user, Status.DRAFT, title="초안 기사")
        client.force_login(editor)

        listing = content(client.get(changelist()))
        filtered = client.get(changelist(), {"status__exact": "review"})

        assert 'href="?status__exact=review"' in listing and "검토 대기" in listing
        assert [a.title for a in filtered.context["cl"].result_list] == ["검토 기다리는 기사"]

    def test_the_menu_counts_what_waits_beside_articles(self, client, editor, reporter_user):
        story(reporter_user, Status.REVIEW)
        story(reporter_user, Status.REVIEW)
        client.force_login(editor)

        index = content(client.get(reverse("admin:index")))
        sidebar = content(client.get(reverse("admin:articles_section_changelist")))

        assert "검토 대기 2건" in index and "검토 대기 2건" in sidebar

    def test_a_reporter_counts_their_returned_stories_not_the_desks_queue(
        self, client, reporter_user, other_reporter_user
    ):
        story(reporter_user, Status.RETURNED)
        story(reporter_user, Status.REVIEW)
        story(other_reporter_user, Status.RETURNED)
        client.force_login(reporter_user)

        index = content(client.get(reverse("admin:index")))

        assert "반려된 기사 1건" in index and "검토 대기" not in index


# Notifications: each person's own, counted until read.


class TestNotifications:
    @pytest.fixture
    def returned(self, client, editor, reporter_user):
        article = story(reporter_user, Status.REVIEW, title="알림 기사")
        client.force_login(editor)
        client.post(step_url(article, Action.RETURN), {"note": "사진을 바꿔 주세요."})
        return article

    def test_the_reporter_sees_theirs_with_the_note_and_an_unread_count(
        self, client, returned, reporter_user, editor
    ):
        client.force_login(reporter_user)

        index = content(client.get(reverse("admin:index")))
        listing = content(client.get(reverse("admin:articles_notification_changelist")))

        assert "읽지 않은 알림 1건" in index
        assert f"{editor} 님이 “알림 기사” 기사를 반려했습니다." in listing
        assert "사진을 바꿔 주세요." in listing and change_url(returned) in listing

    def test_nobody_sees_anothers(self, returned, other_reporter_user, editor):
        notification = Notification.objects.get()
        client = Client()
        client.force_login(other_reporter_user)

        listing = content(client.get(reverse("admin:articles_notification_changelist")))
        one = client.get(reverse("admin:articles_notification_change", args=[notification.pk]))

        assert "알림 기사" not in listing and one.status_code in (302, 403)

    def test_opening_the_story_reads_its_notification(self, client, returned, reporter_user):
        client.force_login(reporter_user)

        client.get(change_url(returned))

        assert Notification.objects.get().read_at is not None
        assert "읽지 않은 알림" not in content(client.get(reverse("admin:index")))

    def test_marks_the_selected_ones_read(self, client, returned, reporter_user):
        notification = Notification.objects.get()
        client.force_login(reporter_user)

        client.post(
            reverse("admin:articles_notification_changelist"),
            {"action": "mark_read", "_selected_action": [notification.pk], "index": 0},
        )

        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_an_editor_does_not_notify_themselves(self, client, reporter_user):
        editor_reporter = UserFactory(username="editor-writer", is_staff=True, groups=["Editors"])
        reporter_user.reporter.user = editor_reporter
        reporter_user.reporter.save()
        article = story(reporter_user, Status.DRAFT)
        client.force_login(editor_reporter)

        client.post(step_url(article, Action.SUBMIT))

        assert not Notification.objects.filter(recipient=editor_reporter).exists()


# Bulk publish and withdraw list what they will do and do it only when confirmed.


class TestBulkPublish:
    @pytest.fixture
    def chosen(self, reporter_user):
        return {
            "review": story(reporter_user, Status.REVIEW, title="검토 요청 기사"),
            "withdrawn": story(reporter_user, Status.WITHDRAWN, title="내렸던 기사"),
            "draft": story(reporter_user, Status.DRAFT, title="[초안] 쓰는 중"),
            "returned": story(reporter_user, Status.RETURNED, title="반려된 기사"),
            "scheduled": story(
                reporter_user,
                Status.PUBLISHED,
                title="예약된 기사",
                published_at=TOMORROW_9AM,
            ),
        }

    def post_action(self, client, action, articles, **extra):
        return client.post(
            changelist(),
            {"action": action, "_selected_action": [a.pk for a in articles], **extra},
        )

    def test_lists_what_goes_live_and_what_is_left_before_anything_changes(
        self, client, editor, chosen
    ):
        client.force_login(editor)

        page = self.post_action(client, "publish", chosen.values(), index=0)

        text = content(page)
        assert page.status_code == 200
        assert "기사 2건을 지금 출고합니다." in text
        assert "검토 요청 기사" in text and "내렸던 기사" in text and "오기자" in text
        assert "검토를 거치지 않은 기사 1건(작성 중)은 출고하지 않습니다." in text
        assert "반려된 기사 1건은 출고하지 않습니다." in text
        scheduled = TOMORROW_9AM.strftime("%Y-%m-%d %H:%M")
        assert "예약된 기사 1건은 예약한 시각에 그대로 출고됩니다." in text and scheduled in text
        assert not Article.objects.published().exists()

    def test_confirming_publishes_only_the_reviewed_and_withdrawn_ones(
        self, client, editor, chosen
    ):
        client.force_login(editor)

        self.post_action(client, "publish", chosen.values(), post="yes")

        published = set(Article.objects.published().values_list("title", flat=True))
        assert published == {"검토 요청 기사", "내렸던 기사"}
        for name in ("draft", "returned"):
            chosen[name].refresh_from_db()
        assert chosen["draft"].status == Status.DRAFT
        assert chosen["returned"].status == Status.RETURNED
        assert ArticleEvent.objects.filter(action=Action.PUBLISH).count() == 2

    def test_cancelling_changes_nothing(self, client, editor, chosen):
        client.force_login(editor)

        page = self.post_action(client, "publish", chosen.values(), index=0)

        assert f'href="{changelist()}"' in content(page)
        assert not Article.objects.published().exists()

    def test_a_reporter_cannot_publish_in_bulk_by_posting_the_action(
        self, client, reporter_user, chosen
    ):
        client.force_login(reporter_user)

        self.post_action(client, "publish", chosen.values(), post="yes")

        assert not Article.objects.published().exists()
        assert not ArticleEvent.objects.exists()

    def test_withdrawing_lists_live_and_scheduled_stories_then_takes_them_down(
        self, client, editor, reporter_user, chosen
    ):
        live = story(reporter_user, Status.PUBLISHED, title="나가 있는 기사")
        client.force_login(editor)
        selected = [live, chosen["scheduled"], chosen["draft"]]

        page = content(self.post_action(client, "unpublish", selected, index=0))
        still_live = Article.objects.published().count()
        self.post_action(client, "unpublish", selected, post="yes")

        assert "기사 2건의 출고를 취소합니다." in page
        assert "사이트에서 내림" in page and "예약 취소" in page
        assert "출고되지 않은 기사 1건은 그대로 둡니다." in page
        assert still_live == 1 and not Article.objects.published().exists()
        assert not Article.objects.filter(status=Status.PUBLISHED).exists()


def test_the_desk_reads_english_when_the_admin_is_in_english(client, editor, reporter_user):
    article = story(reporter_user, Status.REVIEW)
    client.force_login(editor)
    client.cookies["django_language"] = "en"

    page = content(client.get(step_url(article, Action.SCHEDULE), {"at": "2099-12-02T09:00"}))

    assert "The story will be published at Dec. 2, 2099, 09:00 (Korea time)." in page
