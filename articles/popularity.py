"""Most-read: page views counted from a beacon, in batches (web.counters)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from web.counters import BatchedCounter, add_to_days_rows, lock_in_order

from .models import Article, DailyViews


def write_views(batch: dict[int, int]) -> None:
    """Add a batch of views to today's rows and the articles' totals, all or nothing."""
    with transaction.atomic():
        published = Article.objects.published().filter(pk__in=batch.keys())
        counts = {pk: batch[pk] for pk in lock_in_order(published)}
        add_to_days_rows(DailyViews, "article_id", "views", counts, timezone.localdate())
        for article_id in sorted(counts):  # the order add_to_days_rows locks in
            Article.objects.filter(pk=article_id).update(
                view_count=F("view_count") + counts[article_id]
            )


article_views = BatchedCounter(write_views)
