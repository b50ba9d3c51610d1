"""Editors and reporters in the admin; every rule tried over HTTP, not by hiding buttons."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def article_form(section, article=None, **overrides):
    data = {
        "title": "로봇산업 새 정책 발표",
        "subtitle": "",
        "slug": "로봇산업-새-정책-발표",
        "section": section.pk,
        "summary": "",
        "body": "<p>본문입니다.</p>",
        "new_tags": "로봇, 정책",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        "version_seen": article.version if article else "",
    }
    data.update(overrides)
    return data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


class TestReporter:
    def test_writes_a_draft_credited_to_themselves(self, client, reporter_user):
        section = SectionFactory()
        client.force_login(reporter_user)

        response = client.post(reverse("admin:articles_article_add"), article_form(section))

        assert response.status_code == 302, response.context["adminform"].form.errors
        article = Article.objects.get()
        assert article.reporter == reporter_user.reporter
        assert article.status == Article.Status.DRAFT
        assert sorted(t.name for t in article.tags.all()) == ["로봇", "정책"]

    def test_cannot_publish_by_posting_the_status(self, client, reporter_user):
        article = ArticleFactory(reporter=reporter_user.reporter, status=Article.Status.DRAFT)
        client.force_login(reporter_user)

        response = client.post(
            change_url(article),
            article_form(
                article.section,
                article,
                status="published",
                published_at_0="2020-01-01",
                published_at_1="00:00:00",
            ),
        )

        assert response.status_code == 302  # saved: the state is not a field of the form
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert not Article.objects.published().exists()

    def test_cannot_publish_a_new_article(self, client, reporter_user):
        client.force_login(reporter_user)

        client.post(
            reverse("admin:articles_article_add"),
            article_form(SectionFactory(), status="published"),
        )

        assert not Article.objects.filter(status=Article.Status.PUBLISHED).exists()

    def test_cannot_use_the_publish_action(self, client, reporter_user):
        article = ArticleFactory(reporter=reporter_user.reporter, status=Article.Status.DRAFT)
        client.force_login(reporter_user)

        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [article.pk]},
        )

        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

    def test_cannot_see_or_edit_another_reporters_article(
        self, client, reporter_user, other_reporter_user
    ):
        others = ArticleFactory(
            reporter=other_reporter_user.reporter, status=Article.Status.DRAFT, title="남의 기사"
        )
        client.force_login(reporter_user)

        listing = client.get(reverse("admin:articles_article_changelist"))
        get = client.get(change_url(others))
        post = client.post(
            change_url(others), article_form(others.section, others, title="바꿔치기")
        )

        assert "남의 기사" not in listing.content.decode()
        assert get.status_code == 403 and post.status_code == 403
        others.refresh_from_db()
        assert others.title == "남의 기사"

    @pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.PUBLISHED])
    def test_another_reporters_article_pages_answer_403_not_a_redirect(
        self, client, reporter_user, other_reporter_user, status
    ):
        others = ArticleFactory(
            reporter=other_reporter_user.reporter, status=status, title="남의 기사"
        )
        revision = others.history.get()
        form = article_form(others.section, others, title="바꿔치기")
        pages = {
            "change": change_url(others),
            "history": reverse("admin:articles_article_history", args=[others.pk]),
            "revert": reverse(
                "admin:articles_article_simple_history", args=[others.pk, revision.history_id]
            ),
            "delete": reverse("admin:articles_article_delete", args=[others.pk]),
        }
        client.force_login(reporter_user)

        answers = {
            name: (client.get(url).status_code, client.post(url, form).status_code)
            for name, url in pages.items()
        }
        confirmed_delete = client.post(pages["delete"], {"post": "yes"})

        assert answers == {name: (403, 403) for name in pages}
        assert confirmed_delete.status_code == 403
        others.refresh_from_db()
        assert others.title == "남의 기사" and others.history.count() == 1

    def test_an_article_that_does_not_exist_still_leads_back_to_the_admin(
        self, client, reporter_user
    ):
        client.force_login(reporter_user)

        response = client.get(reverse("admin:articles_article_change", args=[999999]))

        assert response.status_code == 302

    def test_cannot_delete_another_reporters_article(
        self, client, reporter_user, other_reporter_user
    ):
        others = ArticleFactory(reporter=other_reporter_user.reporter)
        client.force_login(reporter_user)

        client.post(reverse("admin:articles_article_delete", args=[others.pk]), {"post": "yes"})

        assert Article.objects.filter(pk=others.pk).exists()

    def test_cannot_change_their_article_once_published(self, client, reporter_user):
        article = ArticleFactory(reporter=reporter_user.reporter, title="출고된 기사")
        client.force_login(reporter_user)

        client.post(change_url(article), article_form(article.section, article, title="몰래 수정"))

        article.refresh_from_db()
        assert article.title == "출고된 기사"

    def test_cannot_credit_another_reporter(self, client, reporter_user, other_reporter_user):
        client.force_login(reporter_user)

        client.post(
            reverse("admin:articles_article_add"),
            article_form(SectionFactory(), reporter=other_reporter_user.reporter.pk),
        )

        assert Article.objects.get().reporter == reporter_user.reporter

    def test_related_articles_autocomplete_searches_published_articles(self, client, reporter_user):
        ArticleFactory(title="공개된 로봇 기사")
        ArticleFactory(title="비공개 로봇 기사", status=Article.Status.DRAFT)
        client.force_login(reporter_user)

        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "articles",
                "model_name": "article",
                "field_name": "related",
                "term": "로봇",
            },
        )

        titles = [result["text"] for result in response.json()["results"]]
        assert titles == ["공개된 로봇 기사"]


class TestEditor:
    def test_edits_any_reporters_article(self, client, editor, reporter_user):
        article = ArticleFactory(reporter=reporter_user.reporter)
        client.force_login(editor)

        response = client.post(
            change_url(article),
            article_form(
                article.section,
                article,
                title="편집자가 고친 제목",
                body=article.body,  # a live story: a new title, not a new story
                reporter=article.reporter.pk,
                status="published",
                published_at_0="2026-01-01",
                published_at_1="09:00:00",
            ),
        )

        assert response.status_code == 302
        article.refresh_from_db()
        assert article.title == "편집자가 고친 제목"

    def test_cannot_relate_an_article_to_itself(self, client, editor):
        article = ArticleFactory(title="자기 자신")
        other = ArticleFactory(title="다른 기사")
        client.force_login(editor)

        response = client.post(
            change_url(article),
            article_form(
                article.section,
                article,
                title="자기 자신",
                related=[other.pk, article.pk],
                status="published",
                published_at_0="2026-01-01",
                published_at_1="09:00:00",
            ),
        )

        assert response.status_code == 200
        assert "기사 자신을 관련기사로 고를 수 없습니다." in response.content.decode()
        assert not article.related.exists()

    def test_article_list_shows_status_section_reporter_and_time(self, client, editor):
        ArticleFactory(title="목록의 기사", published_at=timezone.now() + timedelta(days=1))
        client.force_login(editor)

        content = client.get(reverse("admin:articles_article_changelist")).content.decode()

        assert "목록의 기사" in content and "예약" in content

    def test_tag_autocomplete(self, client, editor):
        ArticleFactory(tags=["로봇", "반도체"])
        client.force_login(editor)

        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "로"},
        )

        assert [result["text"] for result in response.json()["results"]] == ["로봇"]

    def test_edits_the_site_settings(self, client, editor):
        client.force_login(editor)

        response = client.get(reverse("admin:outlet_sitesettings_changelist"))

        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200


def test_readers_cannot_enter_the_admin(client, reader):
    client.force_login(reader)

    response = client.get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


class TestNothingLost:
    def test_every_save_keeps_a_revision_that_can_be_restored(self, client, editor):
        article = ArticleFactory(title="첫 제목")
        client.force_login(editor)
        client.post(
            change_url(article),
            article_form(
                article.section,
                article,
                title="둘째 제목",
                body=article.body,  # a live story: a new title, not a new story
                status="published",
                published_at_0="2026-01-01",
                published_at_1="09:00:00",
            ),
        )
        article.refresh_from_db()
        first = article.history.order_by("history_date").first()

        history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
        restore_page = client.get(
            reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
        )

        assert article.history.count() == 2
        assert restore_page.status_code == 200
        assert "<ins>첫</ins>" in restore_page.content.decode()
        restored = client.post(
            reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id]),
            {"version": article.version},
        )
        assert restored.status_code == 302
        article.refresh_from_db()
        assert article.title == "첫 제목" and article.history.count() == 3
        # Restoring brings back the text only: the article stays published as it was.
        assert article.status == "published"
        assert "둘째 제목" in history.content.decode()

    def test_the_second_of_two_concurrent_edits_is_refused_and_kept(
        self, client, editor, reporter_user
    ):
        article = ArticleFactory(reporter=reporter_user.reporter, title="원래 제목")
        opened_at = article.version  # both editors open the form now
        client.force_login(editor)
        first = client.post(
            change_url(article),
            article_form(
                article.section,
                article,
                title="첫 편집자의 제목",
                body=article.body,  # a live story: a new title, not a new story
                status="published",
                published_at_0="2026-01-01",
                published_at_1="09:00:00",
            ),
        )
        assert first.status_code == 302

        second = client.post(
            change_url(article),
            article_form(
                article.section,
                article,
                title="둘째 편집자의 제목",
                status="published",
                published_at_0="2026-01-01",
                published_at_1="09:00:00",
                version_seen=opened_at,
                body="<p>둘째 편집자가 오래 쓴 본문</p>",
            ),
        )

        content = second.content.decode()
        assert second.status_code == 200
        assert "after you opened it" in content or "열어 둔 뒤" in content
        assert "둘째 편집자의 제목" in content and "둘째 편집자가 오래 쓴 본문" in content
        article.refresh_from_db()
        assert article.title == "첫 편집자의 제목"

        third = client.post(
            change_url(article),
            article_form(
                article.section,
                article,
                title="둘째 편집자의 제목",
                body=article.body,  # a live story: a new title, not a new story
                status="published",
                published_at_0="2026-01-01",
                published_at_1="09:00:00",
                version_seen=opened_at,
                overwrite="on",
            ),
        )
        assert third.status_code == 302
        article.refresh_from_db()
        assert article.title == "둘째 편집자의 제목"
