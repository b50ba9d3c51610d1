"""Most-read: page views counted from a beacon, in batches (web.counters)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from web.counters import BatchedCounter

from .models import Article, DailyViews


def write_views(batch: dict[int, int]) -> None:
    """Add a batch of views to today's rows and the articles' totals, all or nothing."""
    today = timezone.localdate()
    with transaction.atomic():
        # Sorted, so concurrent writers from other processes take row locks in the same order.
        published = sorted(
            Article.objects.published().filter(pk__in=batch.keys()).values_list("pk", flat=True)
        )
        # Today's rows first (one statement; another process may have made some), so that
        # every count below is an UPDATE: no savepoint a row, however large the batch.
        DailyViews.objects.bulk_create(
            [DailyViews(article_id=article_id, date=today, views=0) for article_id in published],
            ignore_conflicts=True,
        )
        for article_id in published:
            count = batch[article_id]
            DailyViews.objects.filter(article_id=article_id, date=today).update(
                views=F("views") + count
            )
            Article.objects.filter(pk=article_id).update(view_count=F("view_count") + count)


article_views = BatchedCounter(write_views)
