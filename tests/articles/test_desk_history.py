"""An article's revisions in the desk: listed, compared with the article as it is, restored
without ever changing its status or publication time; checked like the article itself."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def revision_url(article, revision):
    return reverse("admin:articles_article_simple_history", args=[article.pk, revision.history_id])


def edit(article, **changes):
    """Save a new revision of the article, as a later edit would."""
    tags = changes.pop("tags", None)
    for name, value in changes.items():
        setattr(article, name, value)
    if tags is not None:
        article.tags.set(tags)
    article.save()
    return article.history.first()


@pytest.fixture
def live_article(reporter_user):
    """A published article with a first version and a later, worse one."""
    article = ArticleFactory(
        reporter=reporter_user.reporter,
        title="로봇 수출 20% 증가",
        subtitle="상반기 실적",
        summary="로봇 수출이 늘었다.",
        body="<p>로봇 수출이 20% 늘었다.</p><p>업계는 하반기도 낙관한다.</p>",
        lead_photo=PhotoFactory(caption="첫 사진"),
        tags=["로봇", "수출"],
        published_at=timezone.now() - timedelta(hours=3),
    )
    first = edit(article)  # the factory tags the article after saving it
    edit(
        article,
        title="로봇 수출 2% 증가",
        subtitle="",
        summary="오타가 난 요약",
        body="<p>로봇 수출이 2% 늘었다.</p><p>업계는 하반기도 낙관한다.</p><p>덧붙인 문단.</p>",
        lead_photo=PhotoFactory(caption="잘못 고른 사진"),
        tags=["로봇", "오타"],
    )
    article.first_revision = first
    return article


def restore(client, article, revision, **data):
    data.setdefault("version", Article.objects.get(pk=article.pk).version)
    return client.post(revision_url(article, revision), data)


class TestRevisionsRecordTags:
    def test_each_save_keeps_the_tags_it_was_saved_with(self, live_article):
        first, latest = live_article.first_revision, live_article.history.first()

        assert first.tag_names == ["로봇", "수출"]
        assert latest.tag_names == ["로봇", "오타"]

    def test_a_save_in_the_admin_records_the_tags_stored_after_the_article(self, client, editor):
        article = ArticleFactory(tags=["로봇"])
        client.force_login(editor)
        data = {
            "title": article.title,
            "subtitle": article.subtitle,
            "slug": article.slug,
            "section": article.section_id,
            "reporter": article.reporter_id,
            "summary": article.summary,
            "body": article.body,
            "tags": [],
            "new_tags": "드론, 물류",
            "status": article.status,
            "published_at_0": timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
            "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S"),
            "comments_open": "on",
            "version_seen": article.version,
        }

        response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

        assert response.status_code == 302
        assert article.history.first().tag_names == ["드론", "물류"]


class TestRevisionsPage:
    def test_lists_each_save_with_its_time_in_kst_who_and_what_changed(
        self, client, editor, live_article
    ):
        client.force_login(editor)

        page = client.get(history_url(live_article)).content.decode()

        saved_at = timezone.localtime(live_article.history.first().history_date)
        assert saved_at.strftime("%Y-%m-%d %H:%M") in page
        assert "+00:00" not in page
        assert "제목, 부제목, 본문, 요약, 대표 사진, 태그" in page  # the form's labels, its order
        assert "처음 저장" in page
        assert page.count("지금과 비교") == live_article.history.count() == 3

    def test_in_english_when_the_desk_is_in_english(self, client, editor, live_article):
        client.force_login(editor)
        client.cookies["django_language"] = "en"

        page = client.get(history_url(live_article)).content.decode()

        assert "Compare with now" in page
        assert "Title, Subtitle, Body, Summary, Lead photo, Tags" in page


class TestComparison:
    def test_shows_both_versions_side_by_side_with_the_forms_labels(
        self, client, editor, live_article
    ):
        client.force_login(editor)

        page = client.get(revision_url(live_article, live_article.first_revision)).content.decode()

        assert "<del>2%</del>" in page and "<ins>20%</ins>" in page
        assert "<del>오타</del>" in page  # the tag restoring removes
        assert "잘못 고른 사진" in page and "첫 사진" in page
        assert '<th scope="row">제목' in page
        assert "이 버전으로 복원" in page
        assert "기사는 출고 상태 그대로이며" in page

    def test_the_body_is_compared_paragraph_by_paragraph_as_text_not_markup(
        self, client, editor, live_article
    ):
        client.force_login(editor)

        page = client.get(revision_url(live_article, live_article.first_revision)).content.decode()

        assert "&lt;p&gt;" not in page
        assert "<del>덧붙인 문단.</del>" in page
        assert "업계는 하반기도 낙관한다." in page

    def test_a_body_whose_formatting_alone_changed_says_so(self, client, editor, live_article):
        first = live_article.first_revision
        edit(live_article, body=first.body.replace("20%", "<strong>20%</strong>"))
        client.force_login(editor)

        page = client.get(revision_url(live_article, first)).content.decode()

        assert "서식(강조, 링크, 제목)만 다릅니다" in page

    def test_a_version_equal_to_the_article_offers_nothing_to_restore(
        self, client, editor, live_article
    ):
        client.force_login(editor)

        page = client.get(revision_url(live_article, live_article.history.first())).content.decode()

        assert "복원할 것이 없습니다" in page
        assert 'value="이 버전으로 복원"' not in page


class TestRestoring:
    def test_brings_back_the_content_and_leaves_a_live_article_live(
        self, client, editor, live_article
    ):
        first = live_article.first_revision
        published_at = Article.objects.get(pk=live_article.pk).published_at
        client.force_login(editor)

        response = restore(client, live_article, first)

        assert response.status_code == 302
        article = Article.objects.get(pk=live_article.pk)
        assert (article.title, article.subtitle, article.summary) == (
            first.title,
            first.subtitle,
            first.summary,
        )
        assert article.body == first.body
        assert article.lead_photo_id == first.lead_photo_id
        assert sorted(article.tags.names()) == ["로봇", "수출"]
        assert article.status == Article.Status.PUBLISHED
        assert article.published_at == published_at
        assert Article.objects.published().filter(pk=article.pk).exists()

    def test_says_what_was_restored_from_when_and_that_the_article_stays_live(
        self, client, editor, live_article
    ):
        first = live_article.first_revision
        client.force_login(editor)

        response = restore(client, live_article, first)

        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        when = timezone.localtime(first.history_date).strftime("%Y-%m-%d %H:%M")
        assert message == (
            f"{when} 버전에서 제목, 부제목, 본문, 요약, 대표 사진, 태그 항목을 복원했습니다. "
            "기사는 출고 상태 그대로이며, 독자는 복원된 내용을 바로 봅니다."
        )

    def test_is_itself_a_revision_that_names_the_version_it_restored(
        self, client, editor, live_article
    ):
        client.force_login(editor)
        restore(client, live_article, live_article.first_revision)

        page = client.get(history_url(live_article)).content.decode()

        when = timezone.localtime(live_article.first_revision.history_date)
        assert f"{when:%Y-%m-%d %H:%M} 버전을 복원" in page
        assert live_article.history.first().history_user == editor

    def test_a_scheduled_article_stays_scheduled(self, client, editor):
        later = timezone.now() + timedelta(days=2)
        article = ArticleFactory(title="예약 기사", published_at=later)
        first = article.history.first()
        edit(article, title="예약 기사 (고침)")
        client.force_login(editor)

        response = restore(client, article, first)

        article.refresh_from_db()
        assert (article.title, article.published_at, article.is_scheduled) == (
            "예약 기사",
            later,
            True,
        )
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        assert f"{timezone.localtime(later):%Y-%m-%d %H:%M} 예약 출고 상태 그대로" in message

    def test_a_draft_stays_a_draft(self, client, editor):
        article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="초안")
        first = article.history.first()
        edit(article, title="초안 (고침)")
        client.force_login(editor)

        restore(client, article, first)

        article.refresh_from_db()
        assert (article.title, article.status, article.published_at) == (
            "초안",
            Article.Status.DRAFT,
            None,
        )

    def test_never_changes_the_section_address_or_status_the_version_had(
        self, client, editor, live_article
    ):
        first = live_article.first_revision
        live_article.section = SectionFactory()
        live_article.slug = "new-address"
        live_article.status = Article.Status.REVIEW
        live_article.save()
        client.force_login(editor)

        restore(client, live_article, first)

        article = Article.objects.get(pk=live_article.pk)
        assert (article.section_id, article.slug, article.status) == (
            live_article.section_id,
            "new-address",
            Article.Status.REVIEW,
        )

    def test_refuses_when_the_article_was_saved_after_the_comparison_was_opened(
        self, client, editor, live_article
    ):
        seen = Article.objects.get(pk=live_article.pk).version
        edit(live_article, title="다른 사람이 고친 제목")
        client.force_login(editor)

        response = restore(client, live_article, live_article.first_revision, version=seen)

        assert response.status_code == 200
        assert "아무것도 복원하지 않았습니다" in response.content.decode()
        assert Article.objects.get(pk=live_article.pk).title == "다른 사람이 고친 제목"

    def test_tags_stay_when_the_version_did_not_record_them(self, client, editor, live_article):
        first = live_article.first_revision
        type(first).objects.filter(pk=first.pk).update(tag_names=None)
        client.force_login(editor)

        page = client.get(revision_url(live_article, first)).content.decode()
        restore(client, live_article, first)

        assert "태그가 기록되지 않았습니다" in page
        assert sorted(Article.objects.get(pk=live_article.pk).tags.names()) == ["로봇", "오타"]

    def test_a_lead_photo_deleted_since_is_not_brought_back(self, client, editor, live_article):
        first = live_article.first_revision
        first.lead_photo.delete()
        client.force_login(editor)

        response = restore(client, live_article, first)

        article = Article.objects.get(pk=live_article.pk)
        assert article.lead_photo.caption == "잘못 고른 사진"
        assert article.title == first.title
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert "대표 사진은 그 뒤 삭제되어" in messages[-1]


class TestWhoMay:
    def test_a_reporter_reads_the_revisions_of_their_own_articles(
        self, client, reporter_user, live_article
    ):
        client.force_login(reporter_user)

        revision = revision_url(live_article, live_article.first_revision)
        assert client.get(history_url(live_article)).status_code == 200
        assert client.get(revision).status_code == 200

    def test_a_reporter_may_not_read_another_reporters_revisions(
        self, client, other_reporter_user, live_article
    ):
        client.force_login(other_reporter_user)

        assert client.get(history_url(live_article)).status_code == 403
        response = client.get(revision_url(live_article, live_article.first_revision))
        assert response.status_code == 403
        assert restore(client, live_article, live_article.first_revision).status_code == 403

    def test_a_reporter_may_not_restore_a_published_article_by_posting(
        self, client, reporter_user, live_article
    ):
        client.force_login(reporter_user)

        page = client.get(revision_url(live_article, live_article.first_revision))
        response = restore(client, live_article, live_article.first_revision)

        assert "편집자에게 요청하세요" in page.content.decode()
        assert response.status_code == 403
        assert Article.objects.get(pk=live_article.pk).title == "로봇 수출 2% 증가"

    def test_a_reporter_restores_their_own_draft(self, client, reporter_user):
        draft = ArticleFactory(
            reporter=reporter_user.reporter, status=Article.Status.DRAFT, published_at=None
        )
        first = draft.history.first()
        edit(draft, title="고친 초안")
        client.force_login(reporter_user)

        assert restore(client, draft, first).status_code == 302
        draft.refresh_from_db()
        assert draft.title == first.title

    @pytest.mark.parametrize("role", ["moderator", "ad_staff"])
    def test_other_staff_may_neither_read_nor_restore(self, client, request, role, live_article):
        client.force_login(request.getfixturevalue(role))

        assert client.get(history_url(live_article)).status_code == 403
        assert restore(client, live_article, live_article.first_revision).status_code == 403
        assert Article.objects.get(pk=live_article.pk).title == "로봇 수출 2% 증가"

    def test_a_reader_and_an_anonymous_visitor_are_sent_to_log_in(self, client, live_article):
        for user in (UserFactory(username="plain"), None):
            if user:
                client.force_login(user)
            response = restore(client, live_article, live_article.first_revision)
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
        assert Article.objects.get(pk=live_article.pk).title == "로봇 수출 2% 증가"

    def test_a_revision_is_found_only_under_its_own_article(self, client, editor, live_article):
        other = ArticleFactory()
        client.force_login(editor)

        response = client.get(revision_url(other, live_article.first_revision))
        nonsense = client.get(history_url(live_article) + "abc/")

        assert response.status_code == 404
        assert nonsense.status_code == 404
