"""The partnership report: editors only; the shares match a count made from the database;
the CSV, read back with the csv module, lists every published article of the range."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Origin, PortalCategory
from portals.report import last_twelve_months
from tests.factories import ArticleFactory, ReporterFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORT = reverse("admin:portals_partnershipreport_changelist")
CSV = reverse("admin:portals_partnershipreport_csv")
KST = timezone.get_fixed_timezone(9 * 60)


def kst(*args):
    return datetime(*args, tzinfo=KST)


@pytest.fixture
def newsroom(db):
    """A year of stories in two sections, of every origin, plus ones the report leaves out."""
    industry = SectionFactory(name="산업", slug="industry", portal_category=PortalCategory.INDUSTRY)
    opinion = SectionFactory(
        name="오피니언", slug="opinion", portal_category=PortalCategory.OPINION
    )
    made = []
    origins = [Origin.OWN, Origin.OWN, Origin.WIRE, Origin.PRESS_RELEASE, Origin.OWN]
    for month in range(1, 13):
        origin = origins[month % len(origins)]
        made.append(
            ArticleFactory(
                section=industry, origin=origin, published_at=kst(2025, month, 10, 9, 30)
            )
        )
    made.append(
        ArticleFactory(section=opinion, origin=Origin.CONTRIBUTION, published_at=kst(2025, 3, 1))
    )
    made.append(
        ArticleFactory(
            section=industry,
            portal_category=PortalCategory.ECONOMY,
            origin=Origin.OWN,
            published_at=kst(2025, 12, 31, 23, 59),
        )
    )
    # Outside the range, a draft, a withdrawn story and one under embargo: never counted.
    ArticleFactory(section=industry, published_at=kst(2024, 12, 31, 23, 59))
    ArticleFactory(section=industry, published_at=kst(2026, 1, 1, 0, 0))
    ArticleFactory(section=industry, status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(section=industry, status=Article.Status.WITHDRAWN, published_at=None)
    ArticleFactory(
        section=industry,
        published_at=kst(2025, 6, 1),
        embargo_until=timezone.now() + timedelta(days=1),
    )
    return made


def test_only_editors_may_open_the_report_or_its_csv(
    client, editor, reporter_user, moderator, ad_staff, reader
):
    for user, allowed in [
        (editor, True),
        (reporter_user, False),
        (moderator, False),
        (ad_staff, False),
        (reader, False),
    ]:
        client.force_login(user)
        for url in (REPORT, CSV):
            response = client.get(url)
            if allowed:
                assert response.status_code == 200, (user, url)
            else:
                # A reader is sent to the admin's login; staff without the right get 403.
                assert response.status_code in (302, 403), (user, url)
                assert response.status_code == (302 if not user.is_staff else 403)
        client.logout()
    assert client.get(REPORT).status_code == 302


def test_the_report_defaults_to_the_last_twelve_months_in_korea_time(client, editor):
    client.force_login(editor)
    response = client.get(REPORT)
    start, end = last_twelve_months(timezone.localdate())
    assert response.context["report"].start == start
    assert response.context["report"].end == end
    assert (end - start).days in (364, 365)


def test_the_shares_match_a_count_made_from_the_database(client, editor, newsroom):
    client.force_login(editor)
    response = client.get(REPORT, {"start": "2025-01-01", "end": "2025-12-31"})
    report = response.context["report"]

    counted = Article.objects.filter(pk__in=[a.pk for a in newsroom])
    own = counted.filter(origin=Origin.OWN)
    assert report.overall.total == counted.count() == 14
    assert report.overall.own == own.count()
    assert report.overall.percent == round(own.count() * 100 / counted.count(), 1)
    by_label = {share.label: share for share in report.categories}
    assert by_label["산업"].total == counted.filter(portal_category="industry").count() == 12
    assert by_label["산업"].own == own.filter(portal_category="industry").count()
    assert by_label["경제"].total == by_label["경제"].own == 1
    assert by_label["오피니언"].own == 0
    assert dict(report.origins)["통신"] == counted.filter(origin=Origin.WIRE).count()

    page = response.content.decode()
    assert f"{report.overall.percent}%" in page
    assert "<svg" in page and "portals-chart" in page
    assert "기준인 30% 이상입니다" in page or "기준인 30%에 못 미칩니다" in page


def test_the_threshold_is_a_setting(client, editor, newsroom, settings):
    client.force_login(editor)
    query = {"start": "2025-01-01", "end": "2025-12-31"}
    settings.PORTAL_OWN_SHARE_THRESHOLD = 30
    assert client.get(REPORT, query).context["report"].overall.meets
    settings.PORTAL_OWN_SHARE_THRESHOLD = 90
    assert not client.get(REPORT, query).context["report"].overall.meets


def test_a_range_longer_than_a_year_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    response = client.get(REPORT, {"start": "2024-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    assert "366" in response.content.decode()
    assert response.context["form"].errors


def read_csv(response) -> list[dict]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_the_csv_lists_every_published_article_of_the_range(client, editor, newsroom, settings):
    settings.SITE_URL = "https://www.example-news.kr"
    client.force_login(editor)
    response = client.get(CSV, {"start": "2025-01-01", "end": "2025-12-31"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert list(rows[0]) == ["기사링크", "제목", "기자명", "작성시간", "카테고리", "기사 출처"]
    expected = sorted(newsroom, key=lambda a: (a.published_at, a.pk))
    assert len(rows) == len(expected)
    for row, article in zip(rows, expected, strict=True):
        article.refresh_from_db()
        assert row["기사링크"] == "https://www.example-news.kr" + article.get_absolute_url()
        assert row["제목"] == article.title
        assert row["기자명"] == article.reporter.name
        assert row["작성시간"] == timezone.localtime(article.published_at).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        assert row["카테고리"] == article.get_portal_category_display()
        assert row["기사 출처"] == article.get_origin_display()
    assert rows[-1]["작성시간"] == "2025-12-31 23:59:00"


def test_the_csv_names_every_author_and_defuses_formulas(client, editor):
    article = ArticleFactory(
        title='=HYPERLINK("http://evil.example")', published_at=kst(2025, 5, 5)
    )
    ArticleAuthor.objects.create(
        article=article, reporter=ReporterFactory(name="사진기자"), role="photo"
    )
    ArticleFactory(title="+1 성장", published_at=kst(2025, 5, 6))
    ArticleFactory(title="@멘션 -하락", published_at=kst(2025, 5, 7))
    client.force_login(editor)
    rows = read_csv(client.get(CSV, {"start": "2025-05-01", "end": "2025-05-31"}))
    titles = [row["제목"] for row in rows]
    assert titles == ['\'=HYPERLINK("http://evil.example")', "'+1 성장", "'@멘션 -하락"]
    assert rows[0]["기자명"] == f"{article.reporter.name}, 사진기자"


def test_an_editor_who_is_not_staff_any_more_gets_nothing(client):
    former = UserFactory(username="former", is_staff=False, groups=["Editors"])
    client.force_login(former)
    assert client.get(CSV).status_code == 302
