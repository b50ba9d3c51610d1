"""The writing screen: layout, autosave, the autosave offer, preview and the read-only body,
each tried over HTTP as every role (the counts and the editor are in tests/e2e)."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAutosave
from tests.articles.test_admin import article_form, change_url
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
NEW_AUTOSAVE_URL = reverse("admin:articles_article_autosave")
NEW_PREVIEW_URL = reverse("admin:articles_article_preview")
TYPED = {"title": "쓰다 만 제목", "subtitle": "", "summary": "요약", "body": "<p>쓰던 본문</p>"}


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def discard_url(article=None):
    return reverse("admin:articles_article_autosave_discard", args=[article.pk] if article else [])


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


@pytest.fixture
def draft(reporter_user):
    return ArticleFactory(
        reporter=reporter_user.reporter, status=Article.Status.DRAFT, title="오기자의 초고"
    )


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def stored(article) -> tuple:
    article.refresh_from_db()
    return article.title, article.body, article.version, article.updated_at, article.status


class TestLayout:
    def test_headline_body_and_summary_come_first_and_the_rest_beside_them(
        self, client, reporter_user
    ):
        client.force_login(reporter_user)

        content = client.get(ADD_URL).content.decode()

        main, side = content.split('class="writing-side"')
        fields = [re.search(f'name="{name}"', main) for name in ("title", "body", "summary")]
        assert all(fields) and fields[0].start() < fields[1].start() < fields[2].start()
        for name in ("section", "lead_photo", "comments_open", "slug", "new_tags"):
            assert f'name="{name}"' in side
        assert "data-writing" in main

    def test_the_screen_speaks_korean_and_english(self, client, reporter_user):
        client.force_login(reporter_user)

        korean = client.get(ADD_URL).content.decode()
        client.cookies["django_language"] = "en"
        english = client.get(ADD_URL).content.decode()

        assert "미리보기" in korean and "섹션·기자·사진" in korean
        assert ">Preview<" in english and "Section, byline and photo" in english

    def test_the_preview_button_posts_the_form_to_a_new_tab(self, client, reporter_user, draft):
        client.force_login(reporter_user)

        content = client.get(change_url(draft)).content.decode()

        button = re.search(r"<button[^>]*data-preview[^>]*>", content).group()
        assert f'formaction="{preview_url(draft)}"' in button
        assert 'formtarget="_blank"' in button and "formnovalidate" in button

    def test_a_form_sent_back_with_errors_starts_unsaved(self, client, reporter_user, draft):
        client.force_login(reporter_user)

        response = client.post(change_url(draft), article_form(draft.section, draft, title=""))

        assert response.status_code == 200
        assert "data-unsaved" in response.content.decode()
        assert "data-unsaved" not in client.get(change_url(draft)).content.decode()


class TestAutosave:
    def test_a_reporter_autosaves_a_new_article_without_creating_it(self, client, reporter_user):
        client.force_login(reporter_user)

        response = client.post(NEW_AUTOSAVE_URL, TYPED)

        autosave = ArticleAutosave.objects.get()
        saved_at = timezone.localtime(autosave.saved_at).strftime("%H:%M")
        assert response.status_code == 200
        assert response.json() == {"status": f"자동 저장됨 {saved_at}"}
        assert autosave.article is None and autosave.user == reporter_user
        assert autosave.fields == TYPED
        assert not Article.objects.exists()

    def test_autosaving_a_draft_never_touches_the_article(self, client, reporter_user, draft):
        before, revisions = stored(draft), draft.history.count()
        client.force_login(reporter_user)

        response = client.post(autosave_url(draft), TYPED | {"title": "새 제목"})

        assert response.status_code == 200
        assert stored(draft) == before and draft.history.count() == revisions
        assert ArticleAutosave.objects.get(article=draft).fields["title"] == "새 제목"

    def test_a_later_autosave_replaces_the_earlier_one(self, client, reporter_user, draft):
        client.force_login(reporter_user)

        client.post(autosave_url(draft), TYPED)
        client.post(autosave_url(draft), TYPED | {"body": "<p>더 쓴 본문</p>"})

        assert ArticleAutosave.objects.get().fields["body"] == "<p>더 쓴 본문</p>"

    def test_the_body_is_kept_to_what_a_save_would_keep(self, client, reporter_user, draft):
        client.force_login(reporter_user)

        client.post(autosave_url(draft), TYPED | {"body": "<p>본문<script>alert(1)</script></p>"})

        assert ArticleAutosave.objects.get().fields["body"] == "<p>본문</p>"

    def test_nothing_typed_is_refused_for_its_length(self, client, reporter_user, draft):
        client.force_login(reporter_user)

        response = client.post(autosave_url(draft), TYPED | {"title": "가" * 250})

        assert response.status_code == 200
        assert ArticleAutosave.objects.get().fields["title"] == "가" * 250

    def test_only_by_post(self, client, reporter_user, draft):
        client.force_login(reporter_user)

        assert client.get(autosave_url(draft)).status_code == 405
        assert client.get(discard_url(draft)).status_code == 405

    def test_needs_the_csrf_token(self, reporter_user, draft):
        client = Client(enforce_csrf_checks=True)
        client.force_login(reporter_user)

        assert client.post(autosave_url(draft), TYPED).status_code == 403
        assert not ArticleAutosave.objects.exists()

    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            (None, 302),  # to the admin's login page
            ("reader", 302),
            ("moderator", 403),
            ("ad_staff", 403),
            ("other_reporter_user", 403),
            ("reporter_user", 200),
            ("editor", 200),
        ],
    )
    def test_only_those_who_may_edit_the_draft(self, request, role, expected, draft):
        client = logged_in(role and request.getfixturevalue(role))

        autosaved = client.post(autosave_url(draft), TYPED)
        ArticleAutosave.objects.update(saved_at=timezone.now())  # something to discard
        discarded = client.post(discard_url(draft))

        assert (autosaved.status_code, discarded.status_code) == (expected, expected)
        if expected == 302:
            assert reverse("admin:login") in autosaved["Location"]

    @pytest.mark.parametrize(
        ("role", "expected"),
        [("reporter_user", 403), ("editor", 200), ("moderator", 403), (None, 302)],
    )
    def test_a_published_article_only_by_editors(self, request, role, expected, reporter_user):
        article = ArticleFactory(reporter=reporter_user.reporter)
        client = logged_in(role and request.getfixturevalue(role))

        response = client.post(autosave_url(article), TYPED)

        assert response.status_code == expected
        assert ArticleAutosave.objects.exists() == (expected == 200)

    @pytest.mark.parametrize(
        ("role", "expected"), [("reporter_user", 200), ("editor", 200), ("moderator", 403)]
    )
    def test_a_new_article_by_those_who_may_add_one(self, request, role, expected):
        client = logged_in(request.getfixturevalue(role))

        assert client.post(NEW_AUTOSAVE_URL, TYPED).status_code == expected

    def test_an_article_that_does_not_exist(self, client, editor):
        client.force_login(editor)

        missing = reverse("admin:articles_article_autosave", args=[999])

        assert client.post(missing, TYPED).status_code == 404


class TestAutosaveOffer:
    KST_1405 = datetime(2026, 12, 1, 5, 5, tzinfo=UTC)

    def offer(self, client, url) -> str:
        return client.get(url).content.decode()

    def test_offered_in_korean_time_when_newer_than_the_last_save(
        self, client, reporter_user, draft
    ):
        Article.objects.filter(pk=draft.pk).update(updated_at=self.KST_1405 - timedelta(hours=1))
        ArticleAutosave.objects.create(
            user=reporter_user, article=draft, fields=TYPED, saved_at=self.KST_1405
        )
        client.force_login(reporter_user)

        content = self.offer(client, change_url(draft))

        assert "자동 저장된 글이 있습니다 (2026-12-01 14:05). 불러올까요?" in content
        assert ">불러오기<" in content and ">버리기<" in content
        offered = re.search(r'id="autosaved-fields"[^>]*>(.*?)</script>', content).group(1)
        assert json.loads(offered) == TYPED

    def test_not_offered_when_the_article_was_saved_after_it(self, client, reporter_user, draft):
        ArticleAutosave.objects.create(
            user=reporter_user,
            article=draft,
            fields=TYPED,
            saved_at=draft.updated_at - timedelta(minutes=1),
        )
        client.force_login(reporter_user)

        assert "data-autosave-offer" not in self.offer(client, change_url(draft))

    def test_offered_on_a_new_article_form(self, client, reporter_user):
        ArticleAutosave.objects.create(user=reporter_user, fields=TYPED, saved_at=self.KST_1405)
        client.force_login(reporter_user)

        assert "2026-12-01 14:05" in self.offer(client, ADD_URL)

    def test_not_offered_over_a_form_sent_back_with_errors(self, client, reporter_user, draft):
        ArticleAutosave.objects.create(
            user=reporter_user, article=draft, fields=TYPED, saved_at=timezone.now()
        )
        client.force_login(reporter_user)

        response = client.post(change_url(draft), article_form(draft.section, draft, title=""))

        content = response.content.decode()
        assert response.status_code == 200 and "data-unsaved" in content
        assert "data-autosave-offer" not in content

    def test_never_offered_to_someone_else(self, client, reporter_user, editor, draft):
        ArticleAutosave.objects.create(user=editor, article=draft, fields=TYPED)
        client.force_login(reporter_user)

        assert "data-autosave-offer" not in self.offer(client, change_url(draft))

    def test_saving_the_article_removes_its_autosave(self, client, reporter_user, draft, editor):
        ArticleAutosave.objects.create(user=reporter_user, article=draft, fields=TYPED)
        ArticleAutosave.objects.create(user=reporter_user, fields=TYPED)  # a new article's
        ArticleAutosave.objects.create(user=editor, article=draft, fields=TYPED)
        client.force_login(reporter_user)

        response = client.post(change_url(draft), article_form(draft.section, draft))

        assert response.status_code == 302
        assert sorted(ArticleAutosave.objects.values_list("user__username", "article")) == [
            ("editor", draft.pk),
            ("reporter", None),
        ]

    def test_saving_a_new_article_removes_the_new_articles_autosave(self, client, reporter_user):
        ArticleAutosave.objects.create(user=reporter_user, fields=TYPED)
        client.force_login(reporter_user)

        response = client.post(ADD_URL, article_form(SectionFactory()))

        assert response.status_code == 302
        assert not ArticleAutosave.objects.exists()

    def test_discarding_it(self, client, reporter_user):
        ArticleAutosave.objects.create(user=reporter_user, fields=TYPED)
        client.force_login(reporter_user)

        response = client.post(discard_url())

        assert response.json() == {"status": "자동 저장된 글을 버렸습니다."}
        assert not ArticleAutosave.objects.exists()


class TestPreview:
    def test_a_new_article_before_its_first_save(self, client, reporter_user):
        section = SectionFactory(name="로봇")
        client.force_login(reporter_user)

        response = client.post(
            NEW_PREVIEW_URL,
            article_form(
                section, title="미리 보는 제목", body="<p>미리 보는 <strong>본문</strong></p>"
            ),
        )

        content = response.content.decode()
        assert response.status_code == 200
        assert "미리보기 — 저장되지 않았습니다" in content
        assert '<h1 id="article-title" class="article-title">미리 보는 제목</h1>' in content
        assert "<p>미리 보는 <strong>본문</strong></p>" in content
        assert "오기자 Reporter" in content or "오기자 기자" in content  # credited to them
        assert "#로봇" in content and "#정책" in content  # the new tags
        assert not Article.objects.exists() and not ArticleAutosave.objects.exists()

    def test_is_never_cached_nor_indexed(self, client, reporter_user):
        client.force_login(reporter_user)

        response = client.post(NEW_PREVIEW_URL, article_form(SectionFactory()))

        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in response.content.decode()

    def test_shows_the_edit_without_saving_it(self, client, reporter_user, draft):
        picked = ArticleFactory(title="골라 둔 관련기사")
        before = stored(draft)
        client.force_login(reporter_user)

        response = client.post(
            preview_url(draft),
            article_form(draft.section, draft, title="고쳐 보는 제목", related=[picked.pk]),
        )

        content = response.content.decode()
        assert "고쳐 보는 제목" in content and "골라 둔 관련기사" in content
        assert stored(draft) == before and not draft.related.exists()

    def test_a_published_articles_page_keeps_its_stored_text_for_readers(self, client, editor):
        article = ArticleFactory(title="출고된 제목")
        client.force_login(editor)

        client.post(
            preview_url(article),
            article_form(
                article.section,
                article,
                title="시험 제목",
                status=Article.Status.PUBLISHED,
                published_at_0="2026-01-01",
                published_at_1="09:00:00",
            ),
        )
        readers_page = Client().get(article.get_absolute_url()).content.decode()

        assert "출고된 제목" in readers_page and "시험 제목" not in readers_page

    def test_the_body_is_sanitized(self, client, editor, draft):
        client.force_login(editor)

        response = client.post(
            preview_url(draft),
            article_form(
                draft.section, draft, body='<p onclick="x()">본문<script>x()</script></p>'
            ),
        )

        content = response.content.decode()
        assert "<p>본문</p>" in content and "x()" not in content

    def test_an_unfinished_form_still_shows(self, client, reporter_user):
        client.force_login(reporter_user)

        response = client.post(NEW_PREVIEW_URL, {"title": "", "body": "<p>제목 없이 쓴 글</p>"})

        assert response.status_code == 200
        assert "제목 없이 쓴 글" in response.content.decode()

    def test_opening_its_address_leads_back_to_the_form(self, client, reporter_user, draft):
        client.force_login(reporter_user)

        assert client.get(preview_url(draft))["Location"] == change_url(draft)
        assert client.get(NEW_PREVIEW_URL)["Location"] == ADD_URL

    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            (None, 302),
            ("reader", 302),
            ("moderator", 403),
            ("other_reporter_user", 403),
            ("reporter_user", 200),
            ("editor", 200),
        ],
    )
    def test_only_for_those_who_may_edit(self, request, role, expected, draft):
        client = logged_in(role and request.getfixturevalue(role))

        response = client.post(preview_url(draft), article_form(draft.section, draft))

        assert response.status_code == expected

    def test_not_of_a_reporters_published_article(self, client, reporter_user):
        article = ArticleFactory(reporter=reporter_user.reporter)
        client.force_login(reporter_user)

        response = client.post(preview_url(article), article_form(article.section, article))

        assert response.status_code == 403


class TestReadOnlyBody:
    def test_a_reporter_reads_their_published_body_rendered(self, client, reporter_user):
        article = ArticleFactory(
            reporter=reporter_user.reporter, body="<p>정부가 <strong>확대</strong>한다.</p>"
        )
        client.force_login(reporter_user)

        content = client.get(change_url(article)).content.decode()

        assert "<p>정부가 <strong>확대</strong>한다.</p>" in content
        assert "&lt;p&gt;" not in content
        assert "data-writing" not in content  # no autosave, no preview
        assert "Version seen" not in content and "새 태그" not in content


def test_a_user_without_a_reporter_gets_no_byline_in_a_preview(client):
    writer = UserFactory(username="intern", is_staff=True, groups=["Editors"])
    client.force_login(writer)

    response = client.post(NEW_PREVIEW_URL, article_form(SectionFactory()))

    assert response.status_code == 200
    assert 'rel="author"' not in response.content.decode()
