"""The ads' panels on the admin index: what runs, what ends soon, yesterday's figures."""

from datetime import timedelta

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from web.dashboard import Panel, Row, Series, last_days, local_time, per_day

from .models import AdStat, Placement

SHOWN = 8
CHART_DAYS = 14


def panels(request) -> list[Panel]:
    if not request.user.has_perm("ads.view_placement"):
        return []
    live = Placement.objects.live().select_related("slot", "advertiser").order_by("ends_at")
    week_end = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    week_end += timedelta(days=7 - week_end.weekday())  # the coming Monday, 00:00
    ending = live.filter(ends_at__lt=week_end)
    yesterday = timezone.localdate() - timedelta(days=1)
    figures = AdStat.objects.filter(date=yesterday).aggregate(
        impressions=Sum("impressions"), clicks=Sum("clicks")
    )
    days = last_days(CHART_DAYS)
    daily = AdStat.objects.filter(date__gte=days[0]).values_list("date")
    placements = reverse("admin:ads_placement_changelist")

    def row(placement: Placement) -> Row:
        return Row(
            f"{placement.advertiser} · {placement.name}",
            reverse("admin:ads_placement_change", args=[placement.pk]),
            _("until %(time)s") % {"time": local_time(placement.ends_at)},
            placement.slot.name,
        )

    return [
        Panel(
            title=_("Live placements"),
            rows=[row(placement) for placement in live[:SHOWN]],
            count=live.count(),
            more_url=placements,
            empty=_("No banner is live."),
        ),
        Panel(
            title=_("Ending this week"),
            rows=[row(placement) for placement in ending[:SHOWN]],
            count=ending.count(),
            empty=_("No live banner ends this week."),
        ),
        Panel(
            title=_("Yesterday"),
            rows=[
                Row(_("Impressions"), placements, f"{figures['impressions'] or 0:,}"),
                Row(_("Clicks"), placements, f"{figures['clicks'] or 0:,}"),
            ],
            series=[
                Series(_("Impressions per day"), per_day(daily.annotate(Sum("impressions")), days)),
                Series(_("Clicks per day"), per_day(daily.annotate(Sum("clicks")), days)),
            ],
        ),
    ]
