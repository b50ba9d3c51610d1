"""Report pages: the figures, chart and CSV agree with the stored statistics."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AdStatFactory, AdvertiserFactory, PlacementFactory

pytestmark = pytest.mark.django_db

MARCH = {"start": "2026-03-01", "end": "2026-03-07"}


@pytest.fixture
def campaign(sub_right, sub_banner):
    """An advertiser with two placements and a week of figures, plus an outsider's."""
    advertiser = AdvertiserFactory(name="한빛정밀기계")
    right = PlacementFactory(slot=sub_right, advertiser=advertiser, name="우측 배너")
    banner = PlacementFactory(slot=sub_banner, advertiser=advertiser, name="띠 배너")
    for day in range(1, 8):
        AdStatFactory(placement=right, date=date(2026, 3, day), impressions=100 * day, clicks=day)
    AdStatFactory(placement=banner, date=date(2026, 3, 3), impressions=50, clicks=5)
    AdStatFactory(placement=right, date=date(2026, 2, 28), impressions=9999, clicks=99)
    AdStatFactory(placement=PlacementFactory(slot=sub_right), date=date(2026, 3, 3), clicks=77)
    return {"advertiser": advertiser, "right": right, "banner": banner}


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


class TestPlacementReport:
    def test_daily_figures_totals_and_chart(self, client, ad_staff, campaign):
        client.force_login(ad_staff)
        url = reverse("admin:ads_placement_report", args=[campaign["right"].pk])

        response = client.get(url, MARCH)

        assert response.status_code == 200
        days = response.context["days"]
        assert [d.impressions for d in days] == [100, 200, 300, 400, 500, 600, 700]
        assert [d.clicks for d in days] == [1, 2, 3, 4, 5, 6, 7]
        totals = response.context["totals"]
        assert (totals.impressions, totals.clicks) == (2800, 28)
        content = response.content.decode()
        assert "2,800" in content and "1.00%" in content
        chart = content.index('<svg class="ad-report-chart"')
        svg = content[chart : content.index("</svg>", chart)]
        assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
        assert svg.count("<rect") == 7 + 1  # a bar a day and the legend's swatch
        points = re.search(r'<polyline class="clicks" points="([^"]+)"', svg).group(1).split()
        assert len(points) == 7
        bar = r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"><title>'
        heights = [float(height) for height in re.findall(bar, svg)]
        assert len(heights) == 7
        assert heights == sorted(heights)  # more impressions every day, taller bars

    def test_days_without_figures_show_as_zero(self, client, ad_staff, campaign):
        client.force_login(ad_staff)
        url = reverse("admin:ads_placement_report", args=[campaign["banner"].pk])

        response = client.get(url, MARCH)

        assert [d.impressions for d in response.context["days"]] == [0, 0, 50, 0, 0, 0, 0]

    def test_defaults_to_the_last_30_days(self, client, ad_staff, campaign):
        client.force_login(ad_staff)
        today = timezone.localdate()
        AdStatFactory(placement=campaign["right"], date=today, impressions=42)

        response = client.get(reverse("admin:ads_placement_report", args=[campaign["right"].pk]))

        days = response.context["days"]
        assert len(days) == 30
        assert days[0].date == today - timedelta(days=29) and days[-1].date == today
        assert days[-1].impressions == 42

    def test_csv_has_the_stored_rows_of_the_range(self, client, ad_staff, campaign):
        client.force_login(ad_staff)
        report = client.get(
            reverse("admin:ads_placement_report", args=[campaign["right"].pk]), MARCH
        )

        response = client.get(report.context["csv_url"])

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        rows = read_csv(response)
        assert rows[0] == ["날짜", "광고주", "게재", "노출", "클릭", "클릭률(%)"]
        assert rows[1] == ["2026-03-01", "한빛정밀기계", "우측 배너", "100", "1", "1.00"]
        assert len(rows) == 1 + 7
        assert sum(int(row[3]) for row in rows[1:]) == 2800
        assert sum(int(row[4]) for row in rows[1:]) == 28

    def test_control_characters_in_the_range_are_a_bad_request(self, client, ad_staff, campaign):
        client.force_login(ad_staff)
        url = reverse("admin:ads_placement_report", args=[campaign["right"].pk])

        response = client.get(url, {"start": "2026-03-01\x00", "end": "2026-03-07"})

        assert response.status_code == 400

    @pytest.mark.parametrize(
        "params",
        [
            {"start": "2026-03-07", "end": "2026-03-01"},
            {"start": "yesterday", "end": "2026-03-01"},
            {"start": "2026-02-30", "end": "2026-03-01"},
            {"start": "0001-01-01", "end": "9999-12-31"},
            {"start": "", "end": ""},
            {"start": "2026-03-01"},
        ],
    )
    def test_a_bad_date_range_is_a_form_error(self, client, ad_staff, campaign, params):
        client.force_login(ad_staff)
        url = reverse("admin:ads_placement_report", args=[campaign["right"].pk])

        response = client.get(url, params)
        csv_response = client.get(
            reverse("admin:ads_placement_report_csv", args=[campaign["right"].pk]), params
        )

        assert response.status_code == 200
        assert response.context["form"].errors
        assert "days" not in response.context
        assert csv_response.status_code == 200 and "text/html" in csv_response["Content-Type"]

    def test_unknown_placement_is_404(self, client, ad_staff):
        client.force_login(ad_staff)

        for url in (
            reverse("admin:ads_placement_report", args=[999999]),
            "/admin/ads/placement/abc/report/",
        ):
            assert client.get(url).status_code == 404


class TestAdvertiserReport:
    def test_sums_all_of_the_advertisers_placements_and_nobody_elses(
        self, client, ad_staff, campaign
    ):
        client.force_login(ad_staff)
        url = reverse("admin:ads_advertiser_report", args=[campaign["advertiser"].pk])

        response = client.get(url, MARCH)

        days = response.context["days"]
        assert days[2].impressions == 300 + 50 and days[2].clicks == 3 + 5
        totals = response.context["totals"]
        assert (totals.impressions, totals.clicks) == (2850, 33)
        by_placement = {p.name: p.total_impressions for p in response.context["placements"]}
        assert by_placement == {"우측 배너": 2800, "띠 배너": 50}

    def test_csv_lists_each_placements_rows(self, client, ad_staff, campaign):
        client.force_login(ad_staff)
        url = reverse("admin:ads_advertiser_report_csv", args=[campaign["advertiser"].pk])

        rows = read_csv(client.get(url, MARCH))[1:]

        assert len(rows) == 8
        assert {row[2] for row in rows} == {"우측 배너", "띠 배너"}
        assert sum(int(row[3]) for row in rows) == 2850
        assert sum(int(row[4]) for row in rows) == 33


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, ad_staff, sub_right):
    advertiser = AdvertiserFactory(name='=HYPERLINK("https://evil.example","클릭")')
    placement = PlacementFactory(slot=sub_right, advertiser=advertiser, name="@SUM(A1)")
    AdStatFactory(placement=placement, date=date(2026, 3, 1), impressions=1)
    client.force_login(ad_staff)

    rows = read_csv(
        client.get(reverse("admin:ads_placement_report_csv", args=[placement.pk]), MARCH)
    )

    assert rows[1][1] == '\'=HYPERLINK("https://evil.example","클릭")'
    assert rows[1][2] == "'@SUM(A1)"


def test_reports_are_linked_from_the_change_pages(client, ad_staff, campaign):
    client.force_login(ad_staff)
    placement, advertiser = campaign["right"], campaign["advertiser"]

    placement_page = client.get(reverse("admin:ads_placement_change", args=[placement.pk]))
    advertiser_page = client.get(reverse("admin:ads_advertiser_change", args=[advertiser.pk]))
    advertiser_list = client.get(reverse("admin:ads_advertiser_changelist"))

    placement_report = reverse("admin:ads_placement_report", args=[placement.pk])
    advertiser_report = reverse("admin:ads_advertiser_report", args=[advertiser.pk])
    assert placement_report in placement_page.content.decode()
    assert advertiser_report in advertiser_page.content.decode()
    assert advertiser_report in advertiser_list.content.decode()
