"""The shared store without Redis: whole numbers in the database, atomic add and incr."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return caches["shared"]


def test_add_stores_only_once_until_the_value_expires(store):
    assert store.add("mark", 1, 60) is True
    assert store.add("mark", 1, 60) is False

    later = timezone.now() + timedelta(seconds=61)
    with mock.patch("caching.backends.timezone.now", return_value=later):
        assert store.get("mark") is None
        assert store.add("mark", 1, 60) is True


def test_incr_counts_and_refuses_a_missing_key(store):
    store.add("count", 0, 60)

    assert [store.incr("count") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ValueError):
        store.incr("missing")


def test_get_many_set_and_delete(store):
    store.set("a", 1, None)
    store.set("a", 2, None)  # replaces
    store.set("b", 3, 60)

    assert store.get_many(["a", "b", "c"]) == {"a": 2, "b": 3}
    assert store.delete("a") is True and store.get("a") is None


def test_only_whole_numbers_are_kept(store):
    with pytest.raises(TypeError):
        store.set("page", "<html>", 60)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_adds_and_increments_lose_nothing(store):
    start = threading.Barrier(8)

    def work(_):
        try:
            start.wait()
            added = caches["shared"].add("once", 1, 60)
            caches["shared"].add("counter", 0, 60)
            for _ in range(50):
                caches["shared"].incr("counter")
            return added
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        added = list(pool.map(work, range(8)))

    assert added.count(True) == 1
    assert store.get("counter") == 400


class ReadsFromAReplica:
    """A router that sends every read to a replica this suite does not have."""

    def db_for_read(self, model, **hints):
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"


def test_the_store_reads_where_it_writes_whatever_a_router_says(store, settings):
    # A lagging replica must never answer for a version or a rate limit.
    settings.DATABASE_ROUTERS = [ReadsFromAReplica()]
    store.set("version:site", 7, None)

    assert store.get("version:site") == 7
    assert store.get_many(["version:site"]) == {"version:site": 7}
    assert store.has_key("version:site")
    assert store.add("limit", 1, 60) is True and store.incr("limit") == 2


# On SQLite, a connection remembers what it read while nobody writes (DatabaseStore
# ._read_on_sqlite); outside transactions only, so these tests commit, as requests do.
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's PRAGMA data_version"
)


def reads(store, *keys):
    """What ``store`` answers for each of ``keys`` in turn, and the SQL statements it ran."""
    with CaptureQueriesContext(connection) as queries:
        values = [store.get(key) for key in keys]
    return values, len(queries)


def in_another_connection(work):
    """``work()`` in a thread of its own: its own connection, as another worker's."""

    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_while_nothing_is_written_the_rows_are_read_once(store):
    store.set("version:site", 1, None)

    assert reads(store, "version:site", "version:site", "absent", "absent") == (
        [1, 1, None, None],
        2,
    )


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_another_connection_commits_is_read_at_once(store):
    store.set("version:site", 1, None)
    assert store.get("version:site") == 1 and store.get("absent") is None

    in_another_connection(lambda: caches["shared"].set("version:site", 2, None))
    in_another_connection(lambda: caches["shared"].set("absent", 3, None))

    assert reads(store, "version:site", "absent") == ([2, 3], 2)  # each read afresh


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_a_closed_connection_read_is_not_trusted_by_the_next_one(store):
    # Django opens a new connection after closing one (CONN_MAX_AGE, an error). Each counts
    # its own data_version, so the new one may well show the stamp the old one had last,
    # however much was written in between: what was read belongs to its connection.
    store.set("version:site", 1, None)
    assert store.get("version:site") == 1
    old = connection.connection
    in_another_connection(lambda: caches["shared"].set("version:site", 2, None))
    # The test database lives in memory, so the old connection stays open (closing it would
    # drop the database); a second one stands for the reopened connection.
    connection.connection = connection.get_new_connection(connection.get_connection_params())
    try:
        reopened = connection.connection
        stamp = (reopened.execute("PRAGMA data_version").fetchone()[0], reopened.total_changes)
        store._seen.stamp = stamp  # the worst case: the very stamp the old one had

        assert reads(store, "version:site") == ([2], 1)
    finally:
        connection.connection.close()
        connection.connection = old


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_of_this_connection_is_read_at_once(store):
    store.set("version:site", 1, None)
    assert store.get("version:site") == 1

    store.set("version:site", 2, None)  # SQLite's data_version does not move for its own

    assert store.get("version:site") == 2


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_of_this_connection_that_is_rolled_back_is_forgotten(store):
    store.set("version:site", 1, None)
    assert store.get("version:site") == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        store.set("version:site", 2, None)
        assert store.get("version:site") == 2
        raise RuntimeError("rolled back")

    assert store.get("version:site") == 1


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_remembered_value_still_expires_on_time(store):
    store.set("throttle", 1, 60)
    assert store.get("throttle") == 1

    later = timezone.now() + timedelta(seconds=61)
    with mock.patch("caching.backends.timezone.now", return_value=later):
        assert reads(store, "throttle") == ([None], 0)


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_made_up_keys_cannot_fill_a_workers_memory(store):
    with mock.patch("caching.backends.REMEMBERED_KEYS", 3):
        store.set("kept", 1, None)
        values = [store.get(f"address:{n}") for n in range(10)]

        assert values == [None] * 10 and len(store._seen.rows) <= 3
        assert store.get("kept") == 1
