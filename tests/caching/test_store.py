"""The shared store without Redis: whole numbers in the database, atomic add and incr."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
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
