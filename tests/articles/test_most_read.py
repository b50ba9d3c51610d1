from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, DailyViews
from articles.popularity import article_views
from tests.concurrency import InThread, wait_for_a_row_lock
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


@pytest.fixture(autouse=True)
def no_leftover_counts():
    article_views.pending.clear()
    yield
    article_views.pending.clear()


def beacon(client, article, user_agent=BROWSER, ip="203.0.113.7"):
    return client.post(
        reverse("articles:viewed", args=[article.pk]),
        headers={"User-Agent": user_agent},
        REMOTE_ADDR=ip,
    )


def test_a_read_is_counted_from_the_beacon(client, settings):
    settings.COUNTER_FLUSH_SECONDS = 0
    article = ArticleFactory()

    response = beacon(client, article)

    assert response.status_code == 204
    article.refresh_from_db()
    assert article.view_count == 1
    assert DailyViews.objects.get(article=article, date=timezone.localdate()).views == 1


def test_reloads_by_one_visitor_count_once_and_other_visitors_count(client, settings):
    settings.COUNTER_FLUSH_SECONDS = 0
    article = ArticleFactory()

    beacon(client, article)
    beacon(client, article)
    beacon(client, article, ip="203.0.113.8")

    article.refresh_from_db()
    assert article.view_count == 2


@pytest.mark.parametrize(
    "user_agent", ["", "Googlebot/2.1", "curl/8.0", "python-requests/2.32", "HeadlessChrome/126"]
)
def test_bots_are_not_counted(client, settings, user_agent):
    settings.COUNTER_FLUSH_SECONDS = 0
    article = ArticleFactory()

    beacon(client, article, user_agent=user_agent)

    article.refresh_from_db()
    assert article.view_count == 0


def test_unpublished_articles_are_not_counted(client, settings):
    settings.COUNTER_FLUSH_SECONDS = 0
    draft = ArticleFactory(status=Article.Status.DRAFT)

    beacon(client, draft)

    assert not DailyViews.objects.exists()


def test_only_post_counts(client):
    article = ArticleFactory()

    assert client.get(reverse("articles:viewed", args=[article.pk])).status_code == 405


def test_views_are_written_in_batches(client, settings):
    settings.COUNTER_FLUSH_SECONDS = 3600
    article = ArticleFactory()

    with CaptureQueriesContext(connection) as during:
        for n in range(50):
            beacon(client, article, ip=f"198.51.100.{n}")
    with CaptureQueriesContext(connection) as flushing:
        article_views.flush()

    writes = [
        q["sql"] for q in during.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))
    ]
    # Only the marks that de-duplicate each visitor's reads, in the shared cache.
    assert all("caching_sharedvalue" in sql for sql in writes)
    assert len(flushing) <= 10  # one read, a savepoint, the day row and the total: not 50
    article.refresh_from_db()
    assert article.view_count == 50


def test_the_article_page_sends_the_beacon_only_when_published(client, editor):
    article = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)

    assert (
        reverse("articles:viewed", args=[article.pk])
        in client.get(article.get_absolute_url()).content.decode()
    )
    assert "data-viewed-url" not in client.get(draft.get_absolute_url()).content.decode()


def test_day_and_week_rankings(client):
    today = timezone.localdate()
    hot_today = ArticleFactory(title="오늘의 화제")
    hot_this_week = ArticleFactory(title="이번 주의 화제")
    DailyViews.objects.create(article=hot_today, date=today, views=50)
    DailyViews.objects.create(article=hot_this_week, date=today, views=10)
    DailyViews.objects.create(article=hot_this_week, date=today - timedelta(days=3), views=500)
    DailyViews.objects.create(article=hot_today, date=today - timedelta(days=8), views=9999)

    day = list(Article.objects.most_read(days=1))
    week = list(Article.objects.most_read(days=7))

    assert day == [hot_today, hot_this_week]
    assert week == [hot_this_week, hot_today]
    content = client.get(reverse("articles:home")).content.decode()
    box = content[content.index('id="most-read-title"') :]
    assert "오늘" in box and "이번 주" in box
    assert box.index("오늘의 화제") < box.index("이번 주의 화제")


def test_unpublished_articles_leave_the_ranking():
    article = ArticleFactory()
    DailyViews.objects.create(article=article, date=timezone.localdate(), views=5)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    assert not Article.objects.most_read(days=1).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_background_thread_writes_the_batch_off_the_readers_request(client, settings):
    import time

    settings.COUNTER_FLUSH_SECONDS = 0.2
    article = ArticleFactory()

    with CaptureQueriesContext(connection) as during:
        beacon(client, article)
    # Wait for the thread to have taken the count and written it, without reading the table
    # meanwhile: SQLite's shared in-memory test database refuses a read while another
    # connection writes ("database table is locked") instead of waiting.
    for _ in range(50):
        with article_views.writing:  # no batch is being written
            if not article_views.pending:
                break
        time.sleep(0.1)
    article.refresh_from_db()

    # The request only marks the visitor as counted (an INSERT … ON CONFLICT in the
    # shared store); the count itself is written by the thread.
    assert not any(q["sql"].startswith("UPDATE") for q in during.captured_queries)
    assert article.view_count == 1


def test_a_batch_that_fails_half_way_counts_nothing_then_everything_once():
    """The batch is written in one transaction, so trying it again counts no view twice."""
    from django.db import OperationalError

    first, second = ArticleFactory(), ArticleFactory()
    article_views.pending.update({first.pk: 2, second.pk: 3})  # as add() leaves them

    def locked_at_the_second_article(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "view_count" in sql and params[-1] == second.pk:
            raise OperationalError("database table is locked: articles_article")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(locked_at_the_second_article), pytest.raises(OperationalError):
        article_views.flush()
    first.refresh_from_db()
    assert first.view_count == 0
    assert not DailyViews.objects.exists()

    article_views.flush()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.view_count, second.view_count) == (2, 3)
    assert sorted(DailyViews.objects.values_list("views", flat=True)) == [2, 3]


# The writer, held once it has locked the batch's articles (web.counters.lock_in_order).
WRITER_LOCKED = "FOR NO KEY UPDATE"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("first", ["deletion", "writer"])
def test_an_article_deleted_while_a_batch_of_views_is_written_costs_no_other_article_its_views(
    editor, first
):
    """The desk deletes an article whose views are in the batch being written. Whichever
    locks the article first, the other waits: the deletion goes through, and the batch
    counts every other article (before, the batch failed on the deleted article and was
    lost, or the two deadlocked)."""
    kept, deleted = ArticleFactory(), ArticleFactory()
    DailyViews.objects.create(article=deleted, date=timezone.localdate(), views=1)
    article_views.pending.update({kept.pk: 2, deleted.pk: 3})
    desk = Client()
    desk.force_login(editor)

    def delete():
        return desk.post(
            reverse("admin:articles_article_changelist"),
            {"action": "delete_selected", "_selected_action": [deleted.pk], "post": "yes"},
        )

    if first == "deletion":  # held once it has deleted the article's rows of views
        deleting = InThread(
            delete, hold_after=lambda sql: 'DELETE FROM "articles_dailyviews' in sql
        )
        writing = InThread(article_views.flush)
        wait_for_a_row_lock()  # the writer waits for the deletion
        deleting.go_on()
    else:
        writing = InThread(article_views.flush, hold_after=lambda sql: WRITER_LOCKED in sql)
        deleting = InThread(delete)
        wait_for_a_row_lock()  # the deletion waits for the writer
        writing.go_on()
    writing.result()

    assert deleting.result().status_code == 302
    assert not Article.objects.filter(pk=deleted.pk).exists()
    assert not DailyViews.objects.filter(article_id=deleted.pk).exists()
    kept.refresh_from_db()
    assert kept.view_count == 2
    assert DailyViews.objects.get(article=kept).views == 2
    assert not article_views.pending
