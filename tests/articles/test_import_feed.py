"""``manage.py import_feed``: moving articles in from the old site's feed exports."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.management.commands import import_feed
from articles.models import Article, Section
from reporters.models import Reporter
from tests.factories import ReporterFactory, SectionFactory

pytestmark = pytest.mark.django_db

FEEDS = Path(__file__).parent / "feeds"
RSS = FEEDS / "oldpaper_rss.xml"
ATOM = FEEDS / "oldpaper_atom.xml"
BROKEN = FEEDS / "broken_entries.xml"
NOT_A_FEED = FEEDS / "not_a_feed.html"


def run(source, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_feed", str(source), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestRssExport:
    def test_imports_each_entry_as_a_published_article(self):
        out, err = run(RSS)

        article = Article.objects.get(legacy_id=12345)
        assert out.strip() == "3 entries: 3 created, 0 updated, 0 skipped."
        assert err == ""
        assert article.title == "광주경제자유구역청, 미래차·AI 기업 대상 투자설명회 개최"
        assert article.status == Article.Status.PUBLISHED and article.is_published
        assert article.published_at == datetime(2021, 1, 27, 7, 23, 10, tzinfo=UTC)
        assert "<p>[기계신문] 광주경제자유구역청은 27일" in article.body
        assert "<strong>40여 곳</strong>" in article.body

    def test_bodies_are_sanitized(self):
        run(RSS)

        bodies = " ".join(Article.objects.values_list("body", flat=True))
        assert "<script" not in bodies and "alert(document.cookie)" not in bodies
        assert "onclick" not in bodies and "style=" not in bodies
        assert "javascript:" not in bodies and "<iframe" not in bodies
        assert "oldpaper.example/news/photo" not in bodies  # images only from our storage

    def test_full_content_is_the_body_and_the_description_its_summary(self):
        run(RSS)

        article = Article.objects.get(legacy_id=12346)
        assert "업계는 올해 성장을 기대한다." in article.body
        assert article.summary == "협동로봇 수출이 처음으로 1억 달러를 넘었다."

    def test_authors_become_reporters_with_their_email(self):
        run(RSS)

        oh = Reporter.objects.get(name="오상미")
        assert oh.email == "osm@mtnews.net"
        assert Article.objects.get(legacy_id=12345).reporter == oh
        # "오상미 기자" in another entry is the same person: 기자 is the byline's suffix.
        assert Article.objects.get(legacy_id=12001).reporter == oh
        kim = Article.objects.get(legacy_id=12346).reporter
        assert kim.name == "김민수" and kim.slug == "김민수" and kim.is_active

    def test_an_existing_reporter_is_reused_and_a_taken_slug_is_not(self):
        existing = ReporterFactory(name="김민수", email="")
        ReporterFactory(name="다른 사람", slug="오상미")

        run(RSS)

        assert Article.objects.get(legacy_id=12346).reporter == existing
        assert Reporter.objects.get(name="오상미").slug == "오상미-2"

    def test_first_category_is_the_section_and_the_others_are_tags(self):
        run(RSS)

        article = Article.objects.get(legacy_id=12345)
        assert article.section.name == "산업" and article.section.is_active
        assert sorted(article.tags.names()) == ["미래차", "투자유치"]
        assert Section.objects.filter(name="산업").count() == 1

    def test_categories_match_existing_sections_by_name_or_old_code(self):
        industry = SectionFactory(name="산업")
        policy = SectionFactory(name="정책과 제도", legacy_code="정책")

        run(RSS)

        assert Article.objects.get(legacy_id=12345).section == industry
        assert Article.objects.get(legacy_id=12001).section == policy

    def test_the_old_address_redirects_to_the_imported_article(self, client):
        run(RSS)

        response = client.get("/news/articleView.html?idxno=12346")

        assert response.status_code == 301
        assert response["Location"] == Article.objects.get(legacy_id=12346).get_absolute_url()


class TestRunningAgain:
    def test_updates_the_same_articles_instead_of_copying_them(self, tmp_path):
        SectionFactory(slug="news")
        run(RSS)
        run(ATOM, "--section-default", "news")
        counts = (Article.objects.count(), Reporter.objects.count(), Section.objects.count())
        edited = tmp_path / "export.xml"
        edited.write_text(
            RSS.read_text().replace("정부, 스마트공장 보급 확대", "정부, 스마트공장 보급 두 배로")
        )

        out, _ = run(edited)
        atom_out, _ = run(ATOM, "--section-default", "news")  # one entry is matched by title

        assert out.strip() == "3 entries: 0 created, 3 updated, 0 skipped."
        assert atom_out.strip() == "2 entries: 0 created, 2 updated, 0 skipped."
        assert (Article.objects.count(), Reporter.objects.count(), Section.objects.count()) == (
            counts
        )
        assert Article.objects.get(legacy_id=12001).title == "정부, 스마트공장 보급 두 배로"

    def test_keeps_the_address_of_an_article_whose_title_changed(self, tmp_path):
        run(RSS)
        before = Article.objects.get(legacy_id=12001).get_absolute_url()
        edited = tmp_path / "export.xml"
        edited.write_text(RSS.read_text().replace("정부, 스마트공장 보급 확대", "새 제목"))

        run(edited)

        assert Article.objects.get(legacy_id=12001).get_absolute_url() == before


class TestAtomExport:
    def test_imports_atom_entries(self):
        run(ATOM)

        hydrogen = Article.objects.get(legacy_id=20001)
        assert hydrogen.title == "수소 충전소 100곳 돌파"
        assert hydrogen.published_at == datetime(2021, 1, 31, 23, 0, tzinfo=UTC)
        assert hydrogen.section.name == "에너지" and list(hydrogen.tags.names()) == ["수소"]
        assert hydrogen.reporter.email == "park@oldpaper.example"
        assert "<p>정부는 연말까지 더 늘린다.</p>" in hydrogen.body

    def test_an_entry_without_a_number_uses_its_updated_time_and_the_default_section(self):
        section = SectionFactory(slug="news")

        run(ATOM, "--section-default", "news")

        plant = Article.objects.get(title="배터리 소재 공장 착공")
        assert plant.legacy_id is None
        assert plant.published_at == datetime(2021, 2, 2, 7, 30, tzinfo=UTC)
        assert plant.section == section

    def test_an_entry_without_category_or_default_section_is_skipped(self):
        out, err = run(ATOM)

        assert out.strip() == "2 entries: 1 created, 0 updated, 1 skipped."
        assert "Entry 2 ('배터리 소재 공장 착공') skipped: it has no category" in err


class TestBadInput:
    def test_a_broken_entry_is_reported_and_the_others_are_imported(self):
        out, err = run(BROKEN)

        titles = set(Article.objects.values_list("title", flat=True))
        assert titles == {"첫 번째 정상 기사", "마지막 정상 기사"}
        assert out.strip() == "5 entries: 2 created, 0 updated, 3 skipped."
        assert "Entry 2 ('untitled') skipped: it has no title" in err
        assert "Entry 3 ('날짜가 엉터리인 기사') skipped: it has no publication date" in err
        assert "Entry 4 ('본문이 비어 있는 기사') skipped: body:" in err

    def test_a_failed_entry_leaves_no_reporter_or_section_behind(self, tmp_path):
        export = tmp_path / "export.xml"
        export.write_text(
            '<rss version="2.0"><channel><title>t</title><item><title>빈 기사</title>'
            "<author>유령 기자</author><category>빈 본문 섹션</category>"
            "<pubDate>Wed, 27 Jan 2021 18:00:00 +0900</pubDate></item></channel></rss>"
        )

        out, _ = run(export)

        assert out.strip() == "1 entries: 0 created, 0 updated, 1 skipped."

        assert not Reporter.objects.filter(name="유령").exists()
        assert not Section.objects.filter(name="빈 본문 섹션").exists()

    def test_a_file_that_is_not_a_feed_is_refused(self):
        with pytest.raises(CommandError, match="not an RSS or Atom feed"):
            run(NOT_A_FEED)

    def test_a_missing_file_is_refused(self, tmp_path):
        with pytest.raises(CommandError, match="neither a file nor an http"):
            run(tmp_path / "nowhere.xml")

    @pytest.mark.parametrize("source", ["file:///etc/passwd", "ftp://example.com/feed.xml"])
    def test_only_files_and_http_addresses_are_read(self, source):
        with pytest.raises(CommandError):
            run(source)

    def test_an_unknown_default_section_is_refused(self):
        with pytest.raises(CommandError, match="no section with the slug"):
            run(RSS, "--section-default", "nowhere")

        assert not Article.objects.exists()


def test_a_dry_run_saves_nothing(db):
    before = [model.objects.count() for model in (Article, Reporter, Section, Tag)]

    out, _ = run(RSS, "--dry-run")

    assert out.strip() == "3 entries: 3 created, 0 updated, 0 skipped (dry run: nothing was saved)."
    assert [model.objects.count() for model in (Article, Reporter, Section, Tag)] == before


def test_an_http_address_is_fetched_and_parsed(monkeypatch):
    requested = []

    class Response(io.BytesIO):
        headers = {"Content-Type": "application/rss+xml; charset=utf-8"}

    def fake_urlopen(request, timeout):
        requested.append((request.full_url, timeout))
        return Response(RSS.read_bytes())

    monkeypatch.setattr(import_feed, "urlopen", fake_urlopen)

    out, _ = run("https://www.oldpaper.example/rss/allArticle.xml")

    assert requested == [("https://www.oldpaper.example/rss/allArticle.xml", 30)]
    assert out.strip() == "3 entries: 3 created, 0 updated, 0 skipped."
