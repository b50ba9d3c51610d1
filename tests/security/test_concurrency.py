"""Nothing is lost when many requests write at once (PostgreSQL, real concurrent connections).

Counters end exact, votes stay one per reader, every comment is stored and counted. The
control test at the end shows the harness does catch lost updates when code has them.
"""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from ads.models import AdStat
from ads.services import record
from articles.models import Article, DailyViews
from articles.popularity import article_views, write_views
from comments import services
from comments.models import Comment, CommentVote
from tests.factories import (
    AdSlotFactory,
    ArticleFactory,
    CommentFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent connections"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS, PER_THREAD = 8, 250


def run_in_threads(work: Callable[[int, int], None], threads=THREADS, per_thread=PER_THREAD):
    """Run ``work(thread, n)`` per_thread times in each thread, all starting together."""
    start = threading.Barrier(threads)
    errors = []

    def thread(number):
        try:
            start.wait()
            for n in range(per_thread):
                work(number, n)
        except Exception as error:  # reported below, with the thread that raised it
            errors.append((number, error))
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(thread, range(threads)))
    assert errors == []


def test_2000_concurrent_view_writes_end_exact():
    article = ArticleFactory()

    run_in_threads(lambda t, n: write_views({article.pk: 1}))

    article.refresh_from_db()
    assert article.view_count == THREADS * PER_THREAD
    assert (
        DailyViews.objects.get(article=article, date=timezone.localdate()).views
        == THREADS * PER_THREAD
    )


def test_2000_views_counted_in_memory_by_many_threads_end_exact(settings):
    """The batching counter itself: adds from many request threads, flushed in batches."""
    settings.COUNTER_FLUSH_SECONDS = 0.01
    first, second = ArticleFactory(), ArticleFactory()

    run_in_threads(lambda t, n: article_views.add(first.pk if n % 2 else second.pk))
    article_views.flush()

    assert sorted(Article.objects.values_list("view_count", flat=True)) == [1000, 1000]


@pytest.mark.parametrize("kind", ["clicks", "impressions"])
def test_2000_concurrent_ad_counts_end_exact(kind):
    placement = PlacementFactory(slot=AdSlotFactory())

    run_in_threads(lambda t, n: record(placement_ids=[placement.pk], kind=kind))

    stat = AdStat.objects.get(placement=placement)
    assert getattr(stat, kind) == THREADS * PER_THREAD


def test_concurrent_votes_keep_one_vote_per_reader_and_true_totals():
    """Six readers each press like, like and dislike at the same moment, three times over."""
    comment = CommentFactory()
    readers = [UserFactory() for _ in range(6)]
    values = [1, 1, -1]

    def vote(thread, n):
        reader = readers[thread // len(values)]
        services.comment_vote(comment=comment, user=reader, value=values[thread % len(values)])

    run_in_threads(vote, threads=len(readers) * len(values), per_thread=3)

    comment.refresh_from_db()
    votes = CommentVote.objects.filter(comment=comment)
    assert all(votes.filter(user=reader).count() <= 1 for reader in readers)
    assert comment.likes == votes.filter(value=1).count()
    assert comment.dislikes == votes.filter(value=-1).count()


def test_50_readers_commenting_at_once_make_50_comments_counted_50_times():
    article = ArticleFactory()
    readers = [UserFactory() for _ in range(50)]

    run_in_threads(
        lambda t, n: services.comment_post(
            article=article, user=readers[t], body=f"동시에 쓴 의견 {t}"
        ),
        threads=50,
        per_thread=1,
    )

    article.refresh_from_db()
    assert Comment.objects.filter(article=article).count() == 50
    assert article.comment_count == 50


def test_hiding_and_posting_at_once_keep_the_count_true():
    article = ArticleFactory()
    old = [CommentFactory(article=article) for _ in range(20)]
    services.refresh_comment_count(article.pk)
    readers = [UserFactory() for _ in range(20)]

    def work(thread, n):
        if thread % 2:
            services.set_status([old[thread].pk], Comment.Status.HIDDEN)
        else:
            services.comment_post(article=article, user=readers[thread], body=f"새 의견 {thread}")

    run_in_threads(work, threads=20, per_thread=1)

    article.refresh_from_db()
    assert article.comment_count == Comment.objects.visible().filter(article=article).count()


def test_control_a_read_modify_write_counter_loses_updates_and_the_harness_sees_it():
    """The counting code above is right only if this harness catches the classic mistake."""
    article = ArticleFactory()
    rounds = 20
    all_read = threading.Barrier(THREADS)

    def naive_increment(thread, n):
        obj = Article.objects.get(pk=article.pk)
        all_read.wait()  # everyone has read the same value...
        time.sleep(0.001)
        obj.view_count = obj.view_count + 1  # ...and writes it back plus one
        obj.save(update_fields=["view_count"])
        all_read.wait()

    run_in_threads(naive_increment, per_thread=rounds)

    article.refresh_from_db()
    assert article.view_count < THREADS * rounds  # updates were lost
