"""The partnership report (제휴 심사 자료): the share of own reporting (자체기사) among the
articles published in a range of days, overall and per portal category, against the share
the reviews ask for; and the list of those articles reviewers ask for, as CSV."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, Prefetch, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from articles.models import Article, ArticleAuthor, Origin, PortalCategory
from web.spreadsheets import csv_download, spreadsheet_safe


def last_twelve_months(today: date) -> tuple[date, date]:
    """The twelve months up to today (site time zone), today included."""
    try:
        start = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + timedelta(days=1)
    return start, today


def in_range(start: date, end: date):
    """The articles the public could read, published from ``start`` to ``end`` (site time
    zone, both days included), oldest first."""
    zone = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, time.min), zone)
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone)
    return (
        Article.objects.published()
        .filter(published_at__gte=since, published_at__lt=until)
        # Rows written in bulk (imports) may not have one yet: the section's then.
        .annotate(
            category=Case(
                When(portal_category="", then=F("section__portal_category")),
                default=F("portal_category"),
            )
        )
        .order_by("published_at", "pk")
    )


@dataclass(frozen=True)
class Share:
    label: str
    total: int
    own: int

    @property
    def percent(self) -> float | None:
        return round(self.own * 100 / self.total, 1) if self.total else None

    @property
    def meets(self) -> bool:
        return self.total > 0 and self.own * 100 >= self.total * settings.PORTAL_OWN_SHARE_THRESHOLD


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    overall: Share
    categories: list[Share]
    origins: list[tuple[str, int]]
    threshold: int


def partnership_report(start: date, end: date) -> Report:
    articles = in_range(start, end).order_by()
    own = Count("pk", filter=Q(origin=Origin.OWN))
    by_category = {
        row["category"]: row
        for row in articles.values("category").annotate(total=Count("pk"), own=own)
    }
    categories = [
        Share(label, by_category[value]["total"], by_category[value]["own"])
        for value, label in PortalCategory.choices
        if value in by_category
    ]
    totals = articles.aggregate(total=Count("pk"), own=own)
    by_origin = dict(articles.values_list("origin").annotate(Count("pk")))
    return Report(
        start=start,
        end=end,
        overall=Share(_("All articles"), totals["total"], totals["own"]),
        categories=categories,
        origins=[(label, by_origin.get(value, 0)) for value, label in Origin.choices],
        threshold=settings.PORTAL_OWN_SHARE_THRESHOLD,
    )


def article_list_csv(*, start: date, end: date, site_url: str):
    """Every article of the report's range: 기사링크, 제목, 기자명, 작성시간, 카테고리, origin."""
    response, writer = csv_download(f"articles-{start.isoformat()}-{end.isoformat()}.csv")
    writer.writerow(
        [
            pgettext("partnership list", "Article link"),
            pgettext("partnership list", "Title"),
            pgettext("partnership list", "Reporters"),
            pgettext("partnership list", "Written at"),
            pgettext("partnership list", "Category"),
            pgettext("partnership list", "Origin"),
        ]
    )
    articles = (
        in_range(start, end)
        .select_related("reporter")
        .prefetch_related(
            Prefetch("authors", queryset=ArticleAuthor.objects.select_related("reporter"))
        )
        .only("pk", "slug", "title", "published_at", "portal_category", "origin", "reporter")
    )
    for article in articles.iterator(chunk_size=500):
        writer.writerow(
            [
                spreadsheet_safe(value)
                for value in (
                    site_url.rstrip("/") + article.get_absolute_url(),
                    article.title,
                    ", ".join(reporter.name for reporter in article.all_authors),
                    timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M:%S"),
                    PortalCategory(article.category).label,
                    article.get_origin_display(),
                )
            ]
        )
    return response


# The chart's geometry (SVG units): bars start at CHART_LEFT and are CHART_WIDTH at 100%.
CHART_LEFT, CHART_WIDTH, ROW_HEIGHT = 150, 400, 28


def share_chart(report: Report) -> dict:
    """Where the chart draws each bar (all articles first) and the threshold's line."""
    shares = [report.overall, *report.categories]
    bars = [
        {
            "share": share,
            "y": 4 + index * ROW_HEIGHT,
            "width": round(CHART_WIDTH * share.own / share.total) if share.total else 0,
        }
        for index, share in enumerate(shares)
    ]
    return {
        "chart_bars": bars,
        "chart_height": 4 + len(shares) * ROW_HEIGHT + 20,
        "threshold_x": CHART_LEFT + CHART_WIDTH * report.threshold // 100,
    }
