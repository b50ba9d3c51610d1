"""The comments' panel on the admin index: the report queue, and comments per day."""

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from web.dashboard import Panel, Row, Series, last_days, local_time, per_day

from .models import Comment

SHOWN = 6
CHART_DAYS = 14


def panels(request) -> list[Panel]:
    if not request.user.has_perm("comments.moderate_comments"):
        return []
    reported = (
        Comment.objects.not_deleted()
        .filter(reports__resolved=False)
        .annotate(open_reports=Count("reports"))
        .order_by("-open_reports", "-created_at")
    )
    days = last_days(CHART_DAYS)
    posted = (
        Comment.objects.filter(created_at__date__gte=days[0])
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(Count("pk"))
    )
    queue = reverse("admin:comments_comment_changelist")
    return [
        Panel(
            title=_("Reported comments"),
            rows=[
                Row(
                    Truncator(comment.body).chars(60),
                    reverse("admin:comments_comment_change", args=[comment.pk]),
                    ngettext("%d report", "%d reports", comment.open_reports)
                    % comment.open_reports,
                    local_time(comment.created_at),
                )
                for comment in reported[:SHOWN]
            ],
            count=reported.count(),
            more_url=f"{queue}?reported=yes",
            empty=_("No comment is waiting in the report queue."),
            series=[Series(_("Comments per day"), per_day(posted, days))],
        )
    ]
