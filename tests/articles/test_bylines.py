"""Co-authors and their roles: the byline as Korean papers write it, reporter pages and
feeds that list co-authored stories, JSON-LD naming every author, co-authors editing as
authors (over raw HTTP, for every role), the desk's co-author rows, and cached pages."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAuthor, ArticleEvent
from tests.factories import ArticleFactory, ReporterFactory

pytestmark = pytest.mark.django_db


def xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, parsed to check it


Role = ArticleAuthor.Role
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def credit(article, reporter, role=Role.REPORTING, position=0):
    return ArticleAuthor.objects.create(
        article=article, reporter=reporter, role=role, position=position
    )


@pytest.fixture
def team_story(db):
    """홍길동's story, reported with 김영희, photographed by 박사진."""
    article = ArticleFactory(
        title="로봇 박람회 개막", reporter=ReporterFactory(name="홍길동", slug="hong")
    )
    credit(article, ReporterFactory(name="김영희", slug="kim"), position=1)
    credit(article, ReporterFactory(name="박사진", slug="park-photo"), Role.PHOTO, position=2)
    return article


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def byline(content: str) -> str:
    return re.search(r'<p class="byline">(.*?)</p>', content, re.S).group(1)


def jsonld(content: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    )


class TestTheByline:
    def test_reads_as_korean_papers_write_it_each_name_linking_to_its_reporter(
        self, client, team_story
    ):
        content = client.get(team_story.get_absolute_url()).content.decode()

        line = byline(content)
        assert text_of(line).startswith("홍길동·김영희 기자 사진=박사진 기자")
        for slug in ("hong", "kim", "park-photo"):
            assert f'href="{reverse("reporters:detail", args=[slug])}" rel="author"' in line

    def test_a_lone_reporter_is_one_link_as_before(self, client, published_article):
        content = client.get(published_article.get_absolute_url()).content.decode()

        assert (
            f'<a href="{published_article.reporter.get_absolute_url()}" rel="author">'
            f"{published_article.reporter.name} 기자</a>"
        ) in content

    def test_roles_follow_the_korean_order_and_names_their_position(self, client):
        article = ArticleFactory(reporter=ReporterFactory(name="홍길동"))
        credit(article, ReporterFactory(name="정리맨"), Role.EDITING, position=0)
        credit(article, ReporterFactory(name="영상팀"), Role.VIDEO, position=0)
        credit(article, ReporterFactory(name="둘째"), position=2)
        credit(article, ReporterFactory(name="첫째"), position=1)

        line = text_of(byline(client.get(article.get_absolute_url()).content.decode()))

        assert line.startswith("홍길동·첫째·둘째 기자 영상=영상팀 기자 정리=정리맨 기자")

    def test_names_are_escaped(self, client):
        article = ArticleFactory(reporter=ReporterFactory(name="<b>홍</b>"))
        credit(article, ReporterFactory(name="<script>x</script>"))

        content = client.get(article.get_absolute_url()).content.decode()

        assert "<script>x</script>" not in content
        assert "&lt;script&gt;x&lt;/script&gt;" in byline(content)

    def test_is_english_for_readers_who_choose_english(self, client, team_story):
        client.get(reverse("set_language", args=["en"]))

        line = text_of(byline(client.get(team_story.get_absolute_url()).content.decode()))

        assert line.startswith("홍길동·김영희 Reporter Photo: 박사진 Reporter")

    def test_the_meta_author_and_json_ld_name_every_author_with_their_page(
        self, client, team_story
    ):
        content = client.get(team_story.get_absolute_url()).content.decode()

        assert '<meta name="author" content="홍길동, 김영희, 박사진">' in content
        authors = jsonld(content)["author"]
        assert [(a["@type"], a["name"]) for a in authors] == [
            ("Person", "홍길동"),
            ("Person", "김영희"),
            ("Person", "박사진"),
        ]
        assert authors[2]["url"] == "http://testserver" + reverse(
            "reporters:detail", args=["park-photo"]
        )


class TestReporterPagesAndFeeds:
    def test_a_co_authors_page_and_feed_list_the_story_once(self, client, team_story):
        kim = ArticleAuthor.objects.get(reporter__slug="kim").reporter
        credit(team_story, kim, Role.PHOTO)  # two roles on one story: still listed once

        page = client.get(kim.get_absolute_url()).content.decode()
        feed = xml(client.get(reverse("reporters:feed", args=["kim"])).content)

        assert page.count("로봇 박람회 개막</a>") == 1
        assert [item.findtext("title") for item in feed.iter("item")] == ["로봇 박람회 개막"]

    def test_the_reporter_page_shows_each_storys_whole_byline(self, client, team_story):
        page = client.get(reverse("reporters:detail", args=["park-photo"])).content.decode()

        assert "<span>홍길동·김영희 기자 사진=박사진 기자</span>" in page

    def test_unpublished_co_authored_stories_stay_off_the_reporter_page(self, client):
        draft = ArticleFactory(title="아직 초안", status=Article.Status.DRAFT, published_at=None)
        kim = ReporterFactory(slug="kim")
        credit(draft, kim)

        assert "아직 초안" not in client.get(kim.get_absolute_url()).content.decode()

    def test_the_site_feed_names_every_author(self, client, team_story):
        feed = xml(client.get(reverse("articles:feed")).content)

        item = next(feed.iter("item"))
        assert [c.text for c in item.findall(DC_CREATOR)] == ["홍길동", "김영희", "박사진"]
        assert item.findtext("author") == f"{team_story.reporter.email} (홍길동)"

    def test_a_feed_without_e_mail_addresses_names_each_author_once(self, client):
        article = ArticleFactory(reporter=ReporterFactory(name="홍길동", email=""))
        credit(article, ReporterFactory(name="김영희", email=""))

        feed = xml(client.get(reverse("articles:feed")).content)

        item = next(feed.iter("item"))
        assert [c.text for c in item.findall(DC_CREATOR)] == ["홍길동", "김영희"]
        assert item.find("author") is None


# Every co-author may edit as an author: tried over raw HTTP as every role.

ROLES = {
    "anonymous": None,
    "reader": "reader",
    "co-author": "reporter_user",
    "other reporter": "other_reporter_user",
    "editor": "editor",
    "moderator": "moderator",
    "ad staff": "ad_staff",
}


@pytest.fixture
def co_written_draft(reporter_user):
    """Another reporter's draft that reporter_user (오기자) co-writes."""
    article = ArticleFactory(
        title="함께 쓰는 기사",
        status=Article.Status.DRAFT,
        published_at=None,
        reporter=ReporterFactory(name="주기자", slug="lead"),
    )
    credit(article, reporter_user.reporter, Role.PHOTO)
    return article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def as_sent(client, article, **changed):
    form = client.get(change_url(article)).context["adminform"].form
    return {
        "title": article.title,
        "slug": article.slug,
        "section": article.section.pk,
        "body": article.body,
        "comments_open": "on",
        "version_seen": form["version_seen"].value(),
        **changed,
    }


@pytest.mark.parametrize("role", ROLES)
def test_a_co_author_may_open_edit_and_submit_the_story(client, request, co_written_draft, role):
    if ROLES[role]:
        client.force_login(request.getfixturevalue(ROLES[role]))
    allowed = role in ("co-author", "editor")

    shown = client.get(change_url(co_written_draft))
    data = {"title": "고친 제목", "slug": co_written_draft.slug}
    if allowed:
        data = as_sent(client, co_written_draft, title="고친 제목")
        if role == "editor":
            data["reporter"] = co_written_draft.reporter_id
    saved = client.post(change_url(co_written_draft), data)
    submitted = client.post(
        reverse(
            "admin:articles_article_workflow",
            args=[co_written_draft.pk, ArticleEvent.Action.SUBMIT],
        )
    )

    co_written_draft.refresh_from_db()
    if allowed:
        assert shown.status_code == 200 and saved.status_code == 302
        assert co_written_draft.title == "고친 제목"
    else:
        expected = 302 if role in ("anonymous", "reader") else 403
        assert (shown.status_code, saved.status_code) == (expected, expected)
        assert co_written_draft.title == "함께 쓰는 기사"
    if role == "co-author":
        assert submitted.status_code == 302
        assert co_written_draft.status == Article.Status.REVIEW
    elif role != "editor":  # an editor does not submit: they publish or return
        assert co_written_draft.status == Article.Status.DRAFT


def test_a_co_author_finds_the_story_in_their_list_and_on_its_page(
    client, reporter_user, co_written_draft
):
    client.force_login(reporter_user)

    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    preview = client.get(co_written_draft.get_absolute_url())

    assert "함께 쓰는 기사" in listing
    assert preview.status_code == 200  # the unpublished story, previewed by its co-author


def test_another_reporter_cannot_preview_it(client, other_reporter_user, co_written_draft):
    client.force_login(other_reporter_user)

    assert client.get(co_written_draft.get_absolute_url()).status_code == 404


class TestTheDeskRows:
    def rows(self, *rows, initial=0):
        data = {
            "authors-TOTAL_FORMS": str(len(rows)),
            "authors-INITIAL_FORMS": str(initial),
            "authors-MIN_NUM_FORMS": "0",
            "authors-MAX_NUM_FORMS": "1000",
        }
        for n, row in enumerate(rows):
            data.update({f"authors-{n}-{key}": value for key, value in row.items()})
        return data

    def test_an_editor_adds_a_second_author_with_the_photo_role(self, client, editor):
        article = ArticleFactory(title="편집자가 고치는 기사")
        photographer = ReporterFactory(name="박사진")
        client.force_login(editor)

        form = client.get(change_url(article)).content.decode()
        data = as_sent(client, article, reporter=article.reporter_id)
        data.update(self.rows({"reporter": photographer.pk, "role": "photo", "position": "1"}))
        response = client.post(change_url(article), data)

        assert "공동 필자" in form and "사진" in form
        assert response.status_code == 302
        assert [(a.reporter, a.role) for a in article.authors.all()] == [(photographer, "photo")]
        assert "사진=박사진 기자" in text_of(
            client.get(article.get_absolute_url()).content.decode()
        )

    def test_the_same_name_twice_in_one_role_is_refused_and_nothing_is_lost(self, client, editor):
        article = ArticleFactory(title="중복 필자")
        kim = ReporterFactory(name="김영희")
        client.force_login(editor)

        data = as_sent(client, article, reporter=article.reporter_id, title="바뀐 제목")
        row = {"reporter": kim.pk, "role": "reporting", "position": "0"}
        data.update(self.rows(row, row))
        response = client.post(change_url(article), data)

        article.refresh_from_db()
        assert response.status_code == 200
        assert article.title == "중복 필자" and not article.authors.exists()
        assert 'value="바뀐 제목"' in response.content.decode()

    def test_the_lead_reporter_again_as_a_reporting_co_author_is_refused(self, client, editor):
        article = ArticleFactory(reporter=ReporterFactory(name="홍길동"))
        client.force_login(editor)

        data = as_sent(client, article, reporter=article.reporter_id)
        data.update(
            self.rows({"reporter": article.reporter_id, "role": "reporting", "position": "0"})
        )
        response = client.post(change_url(article), data)

        assert response.status_code == 200 and not article.authors.exists()
        assert "홍길동 기자는 이미 이 기사의 기자입니다." in response.content.decode()

    def test_a_reporter_sees_the_rows_but_cannot_change_them(
        self, client, reporter_user, co_written_draft
    ):
        stranger = ReporterFactory(name="끼어든기자")
        client.force_login(reporter_user)

        data = as_sent(client, co_written_draft)
        data.update(self.rows({"reporter": stranger.pk, "role": "reporting", "position": "0"}))
        response = client.post(change_url(co_written_draft), data)

        assert response.status_code == 302
        assert list(co_written_draft.authors.values_list("reporter__name", flat=True)) == ["오기자"]

    def test_a_form_sent_without_the_rows_keeps_them(self, client, editor, team_story):
        client.force_login(editor)

        data = as_sent(client, team_story, reporter=team_story.reporter_id, title="제목만 고침")
        response = client.post(change_url(team_story), data)

        team_story.refresh_from_db()
        assert response.status_code == 302 and team_story.title == "제목만 고침"
        assert team_story.authors.count() == 2


class TestCachedPages:
    @pytest.fixture(autouse=True)
    def page_cache_on(self, settings):
        settings.PAGE_CACHE_SECONDS = 60

    def test_a_co_author_added_or_removed_shows_at_once(self, team_story):
        url = team_story.get_absolute_url()
        Client().get(url)

        added = credit(team_story, ReporterFactory(name="새필자"), Role.VIDEO)
        assert "영상=새필자 기자" in text_of(Client().get(url).content.decode())

        added.delete()
        assert "새필자" not in Client().get(url).content.decode()

    def test_roles_changed_in_bulk_show_at_once(self, team_story):
        url = team_story.get_absolute_url()
        Client().get(url)

        ArticleAuthor.objects.filter(article=team_story).update(role=Role.VIDEO)

        assert "영상=김영희·박사진 기자" in text_of(Client().get(url).content.decode())


def test_the_article_page_costs_the_same_however_many_co_authors(client, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    few = ArticleFactory()
    credit(few, ReporterFactory())
    many = ArticleFactory()
    for n in range(8):
        credit(many, ReporterFactory(), list(Role)[n % 4], position=n)

    def cost(article):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(article.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            client.get(article.get_absolute_url())
        return len(captured)

    assert cost(many) <= cost(few)


def test_a_scheduled_co_authored_story_stays_off_the_reporter_feed(client):
    later = ArticleFactory(title="예약 기사", published_at=timezone.now() + timedelta(hours=2))
    kim = ReporterFactory(slug="kim")
    credit(later, kim)

    assert "예약 기사" not in client.get(reverse("reporters:feed", args=["kim"])).content.decode()


def test_co_authors_are_told_of_the_desks_steps_too(reporter_user, other_reporter_user, editor):
    from articles import services

    article = ArticleFactory(
        reporter=reporter_user.reporter, status=Article.Status.REVIEW, published_at=None
    )
    credit(article, other_reporter_user.reporter, Role.PHOTO)
    credit(article, ReporterFactory(user=None))  # a byline without an account: nobody to tell

    event = services.return_to_reporter(
        article=article, by=editor, note="사진 설명을 보강해 주세요.", site_url="http://testserver/"
    )

    assert set(event.audience()) == {reporter_user, other_reporter_user}


def form_as_the_browser_sends_it(html: str) -> dict:
    """Every field of the change form (the inlines' management forms and rows included), with
    the values the page shows, as a browser would post them unchanged."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class Fields(HTMLParser):
        select = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                    return
                data.setdefault(name, []).append(attrs.get("value", "on"))
            elif tag == "select" and name:
                self.select = name
                data.setdefault(name, [])
            elif tag == "option" and self.select and "selected" in attrs:
                data[self.select].append(attrs.get("value", ""))
            elif tag == "textarea" and name:
                data.setdefault(name, [""])

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    Fields().feed(html.split('id="article_form"', 1)[1].split("</form>", 1)[0])
    return data


@pytest.mark.parametrize("whose", ["lead", "co-author"])
def test_a_reporter_saves_a_co_written_story_as_the_browser_sends_it(client, reporter_user, whose):
    """The co-author rows come back read-only with a reporter's form: saving must keep them
    and the text typed (QA saw a 500 here)."""
    article = ArticleFactory(
        title="함께 쓰는 기사", status=Article.Status.DRAFT, published_at=None,
        reporter=reporter_user.reporter if whose == "lead" else ReporterFactory(slug="lead"),
    )  # fmt: skip
    photographer = ReporterFactory(name="오사진", slug="photo")
    credit(article, photographer if whose == "lead" else reporter_user.reporter, Role.PHOTO)
    client.force_login(reporter_user)
    data = form_as_the_browser_sends_it(client.get(change_url(article)).content.decode())
    data["subtitle"] = ["부제를 고쳤다"]
    data["body"] = [article.body]

    response = client.post(change_url(article), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.subtitle == "부제를 고쳤다"
    assert article.authors.count() == 1
