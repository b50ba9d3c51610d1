"""Corrections (정정보도·반론보도·추후보도, 바로잡습니다): an editor appends a dated note to a
published article; it shows on the article, moves its modified time everywhere that time is
told, is listed on the public corrections page and carried in JSON-LD; the text stays."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Correction
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, parsed to check it


Kind = Correction.Kind
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def old_story(db):
    """Published two days ago, untouched since."""
    article = ArticleFactory(
        title="로봇 수출 3배 증가", published_at=timezone.now() - timedelta(days=2)
    )
    Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
    article.refresh_from_db()
    return article


def correct(article, editor, text="수출 증가율은 3배가 아니라 2배입니다.", **kwargs):
    kwargs = {"kind": Kind.FACT_CORRECTION, "placement": Correction.Placement.TOP, **kwargs}
    return services.add_correction(article=article, by=editor, text=text, **kwargs)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def jsonld(content: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    )


class TestOnTheArticle:
    def test_shows_as_a_marked_notice_with_its_kind_and_korea_time(self, client, editor, old_story):
        correction = correct(old_story, editor)

        content = page(client, old_story)

        notice = re.search(r'<aside class="correction-notice".*?</aside>', content, re.S).group(0)
        local = timezone.localtime(correction.published_at)
        assert '<h2 class="correction-title">정정보도</h2>' in notice
        assert f">{local:%Y-%m-%d %H:%M:%S}</time>" in notice
        assert "+09:00" in notice
        assert "수출 증가율은 3배가 아니라 2배입니다." in notice

    def test_top_ones_come_before_the_text_and_bottom_ones_after(self, client, editor, old_story):
        correct(old_story, editor, "위에 붙는 정정", kind=Kind.CORRECTION)
        correct(
            old_story,
            editor,
            "아래에 붙는 반론",
            kind=Kind.REPLY,
            placement=Correction.Placement.BOTTOM,
        )

        content = page(client, old_story)
        content = content[content.index("<article") :]  # JSON-LD in the head has them too

        body = content.index('<div class="article-body">')
        assert content.index("위에 붙는 정정") < body < content.index("아래에 붙는 반론")
        assert "바로잡습니다" in content and "반론보도" in content

    def test_its_text_is_shown_as_text(self, client, editor, old_story):
        correct(old_story, editor, '<img src=x onerror="alert(1)">\n둘째 줄')

        content = page(client, old_story)

        assert "<img src=x" not in content
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br>둘째 줄" in content

    def test_moves_the_modified_time_everywhere_and_keeps_the_text(self, client, editor, old_story):
        revisions_before = old_story.history.count()
        correction = correct(old_story, editor)

        old_story.refresh_from_db()
        content = page(client, old_story)
        stamp = timezone.localtime(correction.published_at).replace(microsecond=0).isoformat()
        sitemap = xml(client.get(reverse("sitemap_section", args=["articles"])).content)
        lastmods = [
            url.findtext(f"{SITEMAP}lastmod")
            for url in sitemap.iter(f"{SITEMAP}url")
            if url.findtext(f"{SITEMAP}loc").endswith(old_story.get_absolute_url())
        ]

        assert old_story.updated_at == correction.published_at
        assert f'기사수정 <time datetime="{stamp}">' in content
        assert jsonld(content)["dateModified"] == correction.published_at.isoformat()
        assert f'<meta property="article:modified_time" content="{stamp}">' in content
        assert lastmods == [timezone.localdate(correction.published_at).isoformat()]  # KST day
        assert old_story.body == ArticleFactory._meta.model.objects.get(pk=old_story.pk).body
        assert old_story.history.count() == revisions_before  # nothing of the text changed

    def test_json_ld_carries_each_as_a_correction_comment(self, client, editor, old_story):
        first = correct(old_story, editor, "첫 정정")
        second = correct(old_story, editor, "추후보도 내용", kind=Kind.FOLLOW_UP)

        data = jsonld(page(client, old_story))

        assert data["correction"] == [
            {
                "@type": "CorrectionComment",
                "text": "첫 정정",
                "datePublished": first.published_at.isoformat(),
            },
            {
                "@type": "CorrectionComment",
                "text": "추후보도 내용",
                "datePublished": second.published_at.isoformat(),
            },
        ]

    def test_an_article_without_corrections_has_no_notice(self, client, old_story):
        content = page(client, old_story)

        assert "correction-notice" not in content and '"correction"' not in content


class TestTheService:
    def test_only_editors_append_corrections(self, reporter_user, old_story):
        with pytest.raises(PermissionDenied):
            correct(old_story, reporter_user)
        assert not old_story.corrections.exists()

    def test_only_to_articles_readers_can_read(self, editor):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))

        for article in (draft, scheduled):
            with pytest.raises(services.StepRefused):
                correct(article, editor)


class TestTheCorrectionsPage:
    def test_lists_them_newest_first_linking_to_the_notice(self, client, editor):
        first = correct(ArticleFactory(title="먼저 정정된 기사"), editor, "먼저")
        last = correct(ArticleFactory(title="나중에 정정된 기사"), editor, "나중", kind=Kind.REPLY)

        content = client.get(reverse("articles:corrections")).content.decode()

        assert "<h1" in content and "정정·반론보도" in content
        assert content.index("나중에 정정된 기사") < content.index("먼저 정정된 기사")
        assert f'href="{last.article.get_absolute_url()}#correction-{last.pk}"' in content
        assert f'id="correction-{first.pk}"' in page(client, first.article)

    def test_leaves_out_articles_the_public_cannot_read(self, client, editor):
        article = ArticleFactory(title="내려간 기사")
        correct(article, editor)
        Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)

        content = client.get(reverse("articles:corrections")).content.decode()

        assert "내려간 기사" not in content and "정정·반론보도가 없습니다." in content

    def test_is_paged(self, client, editor):
        article = ArticleFactory()
        for n in range(25):
            correct(article, editor, f"정정 {n:02d}")

        first = client.get(reverse("articles:corrections")).content.decode()
        second = client.get(reverse("articles:corrections") + "?page=2").content.decode()

        assert "정정 24" in first and "정정 00" not in first
        assert "정정 00" in second and 'rel="prev"' in second

    def test_every_page_links_to_it_from_the_footer(self, client):
        content = client.get(reverse("articles:home")).content.decode()

        footer = content[content.index('<footer class="site-footer">') :]
        assert f'<a href="{reverse("articles:corrections")}">정정·반론보도</a>' in footer


def correction_rows(**row):
    data = {
        "corrections-TOTAL_FORMS": "1" if row else "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    data.update({f"corrections-0-{key}": value for key, value in row.items()})
    return data


def as_sent(client, article, **changed):
    form = client.get(change_url(article)).context["adminform"].form
    return {
        "title": article.title,
        "slug": article.slug,
        "section": article.section.pk,
        "reporter": article.reporter_id,
        "body": article.body,
        "comments_open": "on",
        "version_seen": form["version_seen"].value(),
        **changed,
    }


class TestOnTheDesk:
    def test_an_editor_appends_one_from_the_articles_screen(self, client, editor, old_story):
        client.force_login(editor)

        screen = client.get(change_url(old_story)).content.decode()
        data = as_sent(client, old_story)
        data.update(correction_rows(kind="reply", placement="bottom", text="○○협회의 반론입니다."))
        response = client.post(change_url(old_story), data)

        old_story.refresh_from_db()
        correction = old_story.corrections.get()
        assert "정정·반론보도" in screen and "추후보도" in screen and "기사 아래" in screen
        assert "정정보도: 사실이 아닌 보도를 바로잡습니다(언론중재법)." in screen
        assert response.status_code == 302
        assert (correction.kind, correction.placement, correction.created_by) == (
            "reply",
            "bottom",
            editor,
        )
        assert correction.published_at == old_story.updated_at
        assert "○○협회의 반론입니다." in page(Client(), old_story)

    def test_an_empty_text_is_refused_and_nothing_is_lost(self, client, editor, old_story):
        client.force_login(editor)

        data = as_sent(client, old_story, subtitle="새 부제")
        data.update(correction_rows(kind="fact", placement="top", text=""))
        response = client.post(change_url(old_story), data)

        old_story.refresh_from_db()
        assert response.status_code == 200
        assert "필수 항목입니다" in response.content.decode()
        assert 'value="새 부제"' in response.content.decode()
        assert not old_story.corrections.exists() and old_story.subtitle != "새 부제"

    def test_drafts_and_scheduled_articles_get_no_correction_rows(self, client, editor):
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
        scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
        client.force_login(editor)

        for article in (draft, scheduled):
            screen = client.get(change_url(article)).content.decode()
            assert "corrections-TOTAL_FORMS" not in screen

    @pytest.mark.parametrize(
        "role", ["reporter_user", "moderator", "ad_staff", "reader", "anonymous"]
    )
    def test_nobody_else_can_append_one(self, client, request, reporter_user, role, old_story):
        Article.objects.filter(pk=old_story.pk).update(reporter=reporter_user.reporter)
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))

        data = {"title": old_story.title, "slug": old_story.slug, "section": old_story.section_id}
        data.update(correction_rows(kind="fact", placement="top", text="몰래 넣은 정정"))
        response = client.post(change_url(old_story), data)

        assert response.status_code == (302 if role in ("reader", "anonymous") else 403)
        assert not old_story.corrections.exists()


class TestCachedPages:
    @pytest.fixture(autouse=True)
    def page_cache_on(self, settings):
        settings.PAGE_CACHE_SECONDS = 60

    def test_the_article_and_the_corrections_page_change_at_once(self, editor, old_story):
        listing = reverse("articles:corrections")
        Client().get(old_story.get_absolute_url())
        Client().get(listing)

        correct(old_story, editor, "캐시를 넘는 정정")

        assert "캐시를 넘는 정정" in Client().get(old_story.get_absolute_url()).content.decode()
        assert "캐시를 넘는 정정" in Client().get(listing).content.decode()

    def test_a_correction_rewritten_in_bulk_shows_at_once(self, editor, old_story):
        correct(old_story, editor, "처음 문구")
        Client().get(old_story.get_absolute_url())

        Correction.objects.filter(article=old_story).update(text="고친 문구")

        assert "고친 문구" in Client().get(old_story.get_absolute_url()).content.decode()
