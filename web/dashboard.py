"""What the admin index shows each person: panels that summarise a list and lead to it.

Each app offers its panels (``<app>/dashboard.py``, a function of the request that
returns the panels this person may see); the project's admin site puts them together.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Row:
    """One line of a panel: what it is (a link), and a detail such as a time or a count."""

    label: str
    url: str
    detail: str = ""
    note: str = ""  # a second line, such as an editor's note


@dataclass(frozen=True)
class Series:
    """A number per day, shown as a small bar chart with its table beside it."""

    title: str
    values: dict[date, int]

    @property
    def bars(self) -> list[dict]:
        top = max(self.values.values(), default=0) or 1
        return [
            {"day": day, "value": value, "percent": round(100 * value / top)}
            for day, value in sorted(self.values.items())
        ]

    @property
    def total(self) -> int:
        return sum(self.values.values())


@dataclass(frozen=True)
class Panel:
    title: str
    rows: list[Row] = field(default_factory=list)
    count: int | None = None  # how many the full list holds, when rows show only the first
    more_url: str = ""
    empty: str = ""
    series: list[Series] = field(default_factory=list)


def last_days(days: int) -> list[date]:
    """The last ``days`` calendar days in the site's time zone, today included, oldest first."""
    today = timezone.localdate()
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def per_day(rows, days: list[date]) -> dict[date, int]:
    """``rows`` of (day, number) spread over ``days``, with 0 for the days that have none."""
    counted = dict(rows)
    return {day: counted.get(day, 0) for day in days}


def local_time(moment) -> str:
    """A time as the desk reads it: 2026-12-01 14:05, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
