"""메인 편집 in the admin: editors pin, order, end and unpin stories and flag breaking news;
everyone else is refused on the server, whatever they send. Bad input comes back with a
clear message and loses nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from frontpage.forms import LOCAL_INPUT_FORMAT
from frontpage.models import PINS_PER_PAGE, BreakingNews, Pin
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

BOARD = "admin:frontpage_pin_changelist"


def local(moment) -> str:
    return timezone.localtime(moment).strftime(LOCAL_INPUT_FORMAT)


@pytest.fixture
def story(db):
    return ArticleFactory(title="메인에 올릴 기사")


@pytest.fixture
def pinned(story):
    return Pin.objects.create(article=story, position=0)


@pytest.fixture
def flag(story):
    return BreakingNews.objects.create(article=story, ends_at=timezone.now() + timedelta(hours=1))


def requests(story, pinned, flag):
    """Every change the board makes: (url name, args, data)."""
    later = local(timezone.now() + timedelta(hours=3))
    return [
        ("admin:frontpage_pin_pin", [], {"article": ArticleFactory().pk, "slot": "top"}),
        ("admin:frontpage_pin_order", [], {"order": str(pinned.pk)}),
        ("admin:frontpage_pin_move", [pinned.pk, "down"], {}),
        ("admin:frontpage_pin_end", [pinned.pk], {"ends_at": later}),
        ("admin:frontpage_pin_remove", [pinned.pk], {}),
        (
            "admin:frontpage_breaking_flag",
            [],
            {"breaking-article": story.pk, "breaking-ends_at": later},
        ),
        ("admin:frontpage_breaking_end", [flag.pk], {"ends_at": later}),
        ("admin:frontpage_breaking_clear", [flag.pk], {}),
    ]


def snapshot():
    return (
        list(Pin.objects.values_list("pk", "position", "ends_at", "article")),
        list(BreakingNews.objects.values_list("pk", "ends_at")),
    )


class TestWhoMay:
    @pytest.mark.parametrize("role", ["reporter_user", "moderator", "ad_staff"])
    def test_other_staff_are_refused_the_board_and_every_change(
        self, request, client, role, story, pinned, flag
    ):
        client.force_login(request.getfixturevalue(role))
        before = snapshot()

        assert client.get(reverse(BOARD)).status_code == 403
        for name, args, data in requests(story, pinned, flag):
            assert client.post(reverse(name, args=args), data).status_code == 403, name

        assert snapshot() == before

    @pytest.mark.parametrize("who", ["reader", "anonymous"])
    def test_readers_and_visitors_are_sent_to_log_in(
        self, request, client, who, story, pinned, flag
    ):
        if who == "reader":
            client.force_login(request.getfixturevalue("reader"))
        before = snapshot()

        response = client.get(reverse(BOARD))
        assert response.status_code == 302 and "/login/" in response["Location"]
        for name, args, data in requests(story, pinned, flag):
            response = client.post(reverse(name, args=args), data)
            assert response.status_code == 302 and "/login/" in response["Location"], name

        assert snapshot() == before

    def test_reporters_do_not_see_it_in_the_menu(self, client, reporter_user):
        client.force_login(reporter_user)

        assert reverse(BOARD) not in client.get(reverse("admin:index")).content.decode()

    def test_editors_see_it_in_the_menu_in_korean(self, client, editor):
        client.force_login(editor)

        html = client.get(reverse("admin:index")).content.decode()

        assert reverse(BOARD) in html
        assert "메인 편집" in html

    def test_changes_are_posts_only(self, client, editor, pinned):
        client.force_login(editor)

        response = client.get(reverse("admin:frontpage_pin_remove", args=[pinned.pk]))

        assert response.status_code == 405
        assert Pin.objects.filter(pk=pinned.pk).exists()


class TestTheBoard:
    def test_shows_the_slots_as_readers_see_them_in_korean(self, client, editor, pinned):
        hidden = ArticleFactory(
            title="예약된 기사", published_at=timezone.now() + timedelta(hours=1)
        )
        Pin.objects.create(article=hidden, position=1)
        client.force_login(editor)

        html = client.get(reverse(BOARD)).content.decode()

        assert "메인 편집" in html and "홈" in html
        slots = html.split('class="front-slots"')[1].split("</ol>")[0]
        assert slots.index("메인에 올릴 기사") < slots.index("예약된 기사")
        assert "공개 전" in html  # the scheduled one is marked: readers do not see it yet
        assert "속보" in html

    def test_says_which_story_leads_when_nothing_is_pinned(self, client, editor, story):
        client.force_login(editor)

        html = client.get(reverse(BOARD)).content.decode()

        assert "자동" in html and story.title in html

    def test_has_a_tab_per_section(self, client, editor):
        section = SectionFactory(name="로봇")
        client.force_login(editor)

        html = client.get(reverse(BOARD)).content.decode()

        assert f"?section={section.pk}" in html
        assert "로봇" in client.get(reverse(BOARD), {"section": section.pk}).content.decode()


class TestPinning:
    def test_pins_the_top_story_until_a_time(self, client, editor, story):
        ArticleFactory(title="이미 있던 헤드라인")
        first = Pin.objects.create(article=ArticleFactory(), position=0)
        ends = timezone.now() + timedelta(hours=1)
        client.force_login(editor)

        response = client.post(
            reverse("admin:frontpage_pin_pin"),
            {"article": story.pk, "slot": "top", "ends_at": local(ends)},
            follow=True,
        )

        pin = Pin.objects.get(article=story)
        assert (pin.position, pin.section, pin.pinned_by) == (0, None, editor)
        assert pin.ends_at == ends.replace(second=0, microsecond=0)
        assert Pin.objects.get(pk=first.pk).position == 1
        assert "톱 기사" in response.content.decode()  # the message says where it went

    def test_pins_on_a_section_page_in_the_last_slot(self, client, editor, story):
        section = SectionFactory()
        Pin.objects.create(article=ArticleFactory(), section=section, position=0)
        client.force_login(editor)

        client.post(
            reverse("admin:frontpage_pin_pin"),
            {"article": story.pk, "slot": "last", "section": section.pk},
        )

        assert Pin.objects.get(article=story).section == section
        assert Pin.objects.get(article=story).position == 1
        assert not Pin.objects.filter(article=story, section=None).exists()

    def test_a_time_that_has_passed_is_refused_and_the_form_keeps_the_choice(
        self, client, editor, story
    ):
        client.force_login(editor)

        response = client.post(
            reverse("admin:frontpage_pin_pin"),
            {
                "article": story.pk,
                "slot": "top",
                "ends_at": local(timezone.now() - timedelta(hours=1)),
            },
        )

        assert response.status_code == 400
        html = response.content.decode()
        assert "이미 지났습니다" in html
        assert f'<option value="{story.pk}" selected>' in html
        assert not Pin.objects.exists()

    def test_the_same_story_twice_on_a_page_is_refused(self, client, editor, story, pinned):
        client.force_login(editor)

        response = client.post(
            reverse("admin:frontpage_pin_pin"), {"article": story.pk, "slot": "last"}
        )

        assert response.status_code == 400
        assert "이미" in response.content.decode()
        assert Pin.objects.count() == 1

    def test_a_full_page_refuses_one_more(self, client, editor):
        for position in range(PINS_PER_PAGE):
            Pin.objects.create(article=ArticleFactory(), position=position)
        client.force_login(editor)

        response = client.post(
            reverse("admin:frontpage_pin_pin"), {"article": ArticleFactory().pk, "slot": "top"}
        )

        assert response.status_code == 400
        assert Pin.objects.count() == PINS_PER_PAGE

    def test_drafts_cannot_be_chosen(self, client, editor):
        draft = ArticleFactory(status=Article.Status.DRAFT)
        client.force_login(editor)

        response = client.post(
            reverse("admin:frontpage_pin_pin"), {"article": draft.pk, "slot": "top"}
        )

        assert response.status_code == 400
        assert not Pin.objects.exists()

    def test_reorders_by_drag_and_by_buttons(self, client, editor):
        a, b, c = (Pin.objects.create(article=ArticleFactory(), position=n) for n in range(3))
        client.force_login(editor)

        client.post(reverse("admin:frontpage_pin_order"), {"order": f"{c.pk},{a.pk},{b.pk}"})
        assert list(Pin.objects.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]

        client.post(reverse("admin:frontpage_pin_move", args=[b.pk, "up"]))
        assert list(Pin.objects.values_list("pk", flat=True)) == [c.pk, b.pk, a.pk]

        client.post(reverse("admin:frontpage_pin_move", args=[c.pk, "down"]))
        assert list(Pin.objects.values_list("pk", flat=True)) == [b.pk, c.pk, a.pk]

    def test_an_order_that_does_not_match_the_page_changes_nothing(self, client, editor):
        a, b = (Pin.objects.create(article=ArticleFactory(), position=n) for n in range(2))
        client.force_login(editor)

        response = client.post(
            reverse("admin:frontpage_pin_order"), {"order": f"{b.pk}"}, follow=True
        )

        assert list(Pin.objects.values_list("pk", flat=True)) == [a.pk, b.pk]
        assert "다시" in response.content.decode()

    def test_changes_the_end_and_unpins(self, client, editor, pinned):
        client.force_login(editor)
        ends = timezone.now() + timedelta(hours=5)

        client.post(reverse("admin:frontpage_pin_end", args=[pinned.pk]), {"ends_at": local(ends)})
        assert Pin.objects.get(pk=pinned.pk).ends_at == ends.replace(second=0, microsecond=0)

        client.post(reverse("admin:frontpage_pin_end", args=[pinned.pk]), {"ends_at": ""})
        assert Pin.objects.get(pk=pinned.pk).ends_at is None

        client.post(reverse("admin:frontpage_pin_remove", args=[pinned.pk]))
        assert not Pin.objects.exists()


class TestBreakingNews:
    def test_flags_for_an_hour_by_default(self, client, editor, story):
        client.force_login(editor)

        form = client.get(reverse(BOARD)).context["breaking_form"]
        default_end = form["ends_at"].value()
        response = client.post(
            reverse("admin:frontpage_breaking_flag"),
            {
                "breaking-article": story.pk,
                "breaking-ends_at": default_end.strftime(LOCAL_INPUT_FORMAT),
            },
            follow=True,
        )

        flag = BreakingNews.objects.get()
        assert flag.flagged_by == editor
        assert timedelta(minutes=58) < flag.ends_at - timezone.now() <= timedelta(hours=1)
        assert "속보" in response.content.decode()

    def test_the_end_is_required_and_in_the_future(self, client, editor, story):
        client.force_login(editor)

        for ends_at in ("", local(timezone.now() - timedelta(minutes=5))):
            response = client.post(
                reverse("admin:frontpage_breaking_flag"),
                {"breaking-article": story.pk, "breaking-ends_at": ends_at},
            )
            assert response.status_code == 400

        assert not BreakingNews.objects.exists()

    def test_extends_and_clears_a_flag_keeping_it_on_record(self, client, editor, flag):
        client.force_login(editor)
        later = timezone.now() + timedelta(hours=3)

        client.post(
            reverse("admin:frontpage_breaking_end", args=[flag.pk]), {"ends_at": local(later)}
        )
        assert BreakingNews.objects.get().ends_at == later.replace(second=0, microsecond=0)

        client.post(reverse("admin:frontpage_breaking_clear", args=[flag.pk]))
        cleared = BreakingNews.objects.get()
        assert not cleared.is_live and cleared.cleared_by == editor

    def test_a_story_already_breaking_is_not_flagged_twice(self, client, editor, story, flag):
        client.force_login(editor)

        response = client.post(
            reverse("admin:frontpage_breaking_flag"),
            {
                "breaking-article": story.pk,
                "breaking-ends_at": local(timezone.now() + timedelta(hours=2)),
            },
        )

        assert response.status_code == 400
        assert BreakingNews.objects.count() == 1


@pytest.mark.parametrize("when", ["scheduled", "embargoed"])
def test_a_story_readers_cannot_open_yet_is_never_flagged_breaking(client, editor, when):
    later = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(
        title="아직 나가지 않은 기사",
        published_at=later if when == "scheduled" else timezone.now() - timedelta(minutes=1),
        embargo_until=later if when == "embargoed" else None,
    )
    client.force_login(editor)

    board = client.get(reverse(BOARD)).context["breaking_form"]
    response = client.post(
        reverse("admin:frontpage_breaking_flag"),
        {"breaking-article": story.pk, "breaking-ends_at": local(later)},
    )

    assert story not in board.fields["article"].queryset
    assert response.status_code == 400
    assert not BreakingNews.objects.exists()


def test_the_board_is_english_for_an_editor_who_chose_english(client):
    editor = UserFactory(username="en-editor", is_staff=True, groups=["Editors"])
    client.force_login(editor)
    client.get(reverse("set_language", args=["en"]))

    html = client.get(reverse(BOARD)).content.decode()

    assert "Front page editing" in html


class TestFromTheArticleScreen:
    def test_editors_get_links_to_pin_and_flag_the_story(self, client, editor, story):
        client.force_login(editor)

        html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content
        board = client.get(reverse(BOARD), {"article": story.pk})

        assert f"?article={story.pk}#breaking".encode() in html
        assert "메인에 고정".encode() in html
        assert board.context["pin_form"]["article"].value() == str(story.pk)
        assert board.context["breaking_form"]["article"].value() == str(story.pk)

    def test_reporters_do_not(self, client, reporter_user):
        story = ArticleFactory(reporter=reporter_user.reporter)
        client.force_login(reporter_user)

        html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content

        assert reverse(BOARD).encode() not in html


def test_editors_read_the_record_of_banners_in_korean(client, editor, flag):
    client.force_login(editor)

    response = client.get(reverse("admin:frontpage_breakingnews_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert flag.article.title in html and "속보 지정 시각" in html
    assert client.get(reverse("admin:frontpage_breakingnews_add")).status_code == 403


def test_reporters_do_not_read_the_record_of_banners(client, reporter_user, flag):
    client.force_login(reporter_user)

    assert client.get(reverse("admin:frontpage_breakingnews_changelist")).status_code == 403
