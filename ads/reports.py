"""Impressions and clicks over a date range: the daily table, its SVG chart and CSV export."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from web.date_ranges import DateRangeForm
from web.spreadsheets import csv_download, spreadsheet_safe

from .models import AdStat, click_through_rate

DEFAULT_DAYS = 30


def last_seven_days(today: date) -> tuple[date, date]:
    return today - timedelta(days=6), today


def this_month(today: date) -> tuple[date, date]:
    return today.replace(day=1), today


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


@dataclass(frozen=True)
class QuickRange:
    """A range chosen with one click, worked out from today in the site's time zone."""

    key: str
    label: str
    dates: Callable[[date], tuple[date, date]]


QUICK_RANGES = [
    QuickRange("last-7-days", pgettext_lazy("report range", "Last 7 days"), last_seven_days),
    QuickRange("this-month", pgettext_lazy("report range", "This month"), this_month),
    QuickRange("last-month", pgettext_lazy("report range", "Last month"), last_month),
]


def date_range_form(params) -> DateRangeForm:
    """The form bound to ``params``: to the quick range they name, to their dates, or to the
    last 30 days when they name neither."""
    today = timezone.localdate()
    quick = next((quick for quick in QUICK_RANGES if quick.key == params.get("range")), None)
    if quick is not None:
        start, end = quick.dates(today)
        params = {"start": start, "end": end}
    elif "start" not in params and "end" not in params:
        params = {"start": today - timedelta(days=DEFAULT_DAYS - 1), "end": today}
    return DateRangeForm(params)


def quick_range_links(*, start: date | None, end: date | None) -> list[dict]:
    """The quick ranges to offer, each marked current when it is the range shown."""
    today = timezone.localdate()
    return [
        {"key": quick.key, "label": quick.label, "current": quick.dates(today) == (start, end)}
        for quick in QUICK_RANGES
    ]


@dataclass
class Day:
    date: date | None
    impressions: int = 0
    clicks: int = 0

    @property
    def ctr(self) -> float | None:
        return click_through_rate(impressions=self.impressions, clicks=self.clicks)


def daily(stats: QuerySet[AdStat], *, start: date, end: date) -> list[Day]:
    """One row per day from ``start`` to ``end``, days without figures included."""
    days = {
        row["date"]: Day(row["date"], row["impressions"], row["clicks"])
        for row in stats.filter(date__range=(start, end))
        .values("date")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
        .order_by()
    }
    span = (end - start).days + 1
    return [days.get(day, Day(day)) for day in (start + timedelta(n) for n in range(span))]


def total(days: list[Day]) -> Day:
    return Day(None, sum(day.impressions for day in days), sum(day.clicks for day in days))


# The chart's drawing area, in SVG user units.
CHART_WIDTH, CHART_HEIGHT = 720, 240
CHART_MARGIN = {"top": 28, "right": 56, "bottom": 28, "left": 64}


def chart(days: list[Day]) -> dict:
    """Impressions as bars on the left scale, clicks as a line on the right, ready to draw."""
    left, top = CHART_MARGIN["left"], CHART_MARGIN["top"]
    plot_width = CHART_WIDTH - left - CHART_MARGIN["right"]
    plot_height = CHART_HEIGHT - top - CHART_MARGIN["bottom"]
    bottom = top + plot_height
    most_impressions = max((day.impressions for day in days), default=0)
    most_clicks = max((day.clicks for day in days), default=0)
    band = plot_width / max(len(days), 1)
    bars, points = [], []
    for index, day in enumerate(days):
        height = plot_height * day.impressions / (most_impressions or 1)
        # Formatted here, so no locale's decimal comma reaches the SVG.
        bars.append(
            {
                "day": day,
                "x": f"{left + index * band + band * 0.15:.1f}",
                "y": f"{bottom - height:.1f}",
                "width": f"{band * 0.7:.1f}",
                "height": f"{height:.1f}",
            }
        )
        x = left + index * band + band / 2
        points.append(f"{x:.1f},{bottom - plot_height * day.clicks / (most_clicks or 1):.1f}")
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": left,
        "right": CHART_WIDTH - CHART_MARGIN["right"],
        "top": top,
        "bottom": bottom,
        "label_y": bottom + 18,
        "bars": bars,
        "click_points": " ".join(points),
        "most_impressions": most_impressions,
        "most_clicks": most_clicks,
        "first_day": days[0].date if days else None,
        "last_day": days[-1].date if days else None,
    }


def csv_response(stats: QuerySet[AdStat], *, start: date, end: date, filename: str):
    """The stored rows in the range as CSV that Excel opens with Korean intact."""
    response, writer = csv_download(filename)
    writer.writerow(
        [_("Date"), _("Advertiser"), _("Placement"), _("Impressions"), _("Clicks"), _("CTR (%)")]
    )
    rows = (
        stats.filter(date__range=(start, end))
        .select_related("placement__advertiser")
        .order_by("date", "placement__name", "placement")
    )
    for stat in rows:
        ctr = click_through_rate(impressions=stat.impressions, clicks=stat.clicks)
        writer.writerow(
            [
                spreadsheet_safe(value)
                for value in (
                    stat.date.isoformat(),
                    stat.placement.advertiser.name,
                    stat.placement.name,
                    stat.impressions,
                    stat.clicks,
                    "" if ctr is None else f"{ctr:.2f}",
                )
            ]
        )
    return response
