"""Most-read: page views counted from a beacon, in batches (web.counters)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from web.counters import BatchedCounter

from .models import Article, DailyViews


def write_views(batch: dict[int, int]) -> None:
    """Add a batch of views to today's rows and the articles' totals, all or nothing."""
    today = timezone.localdate()
    with transaction.atomic():
        published = set(
            Article.objects.published().filter(pk__in=batch.keys()).values_list("pk", flat=True)
        )
        # Sorted, so concurrent writers from other processes take row locks in the same order.
        for article_id in sorted(published):
            count = batch[article_id]
            if not DailyViews.objects.filter(article_id=article_id, date=today).update(
                views=F("views") + count
            ):
                try:
                    with transaction.atomic():
                        DailyViews.objects.create(article_id=article_id, date=today, views=count)
                except IntegrityError:  # another process created today's row first
                    DailyViews.objects.filter(article_id=article_id, date=today).update(
                        views=F("views") + count
                    )
            Article.objects.filter(pk=article_id).update(view_count=F("view_count") + count)


article_views = BatchedCounter(write_views)
