"""Each worker's own memory (settings: the "default" cache without Redis): stored pages are
kept as they are, everything else as copies, as in Django's LocMemCache."""

import time
import uuid
from unittest import mock

import pytest

from caching.backends import LocalMemory
from caching.pages import StoredPage


@pytest.fixture
def memory():
    return LocalMemory(f"test-{uuid.uuid4()}", {"OPTIONS": {"MAX_ENTRIES": 3}})


def a_page(content=b"<html>\xed\x95\x9c</html>"):
    return StoredPage(("v1", 0), time.time(), "200 OK", (("Content-Type", "text/html"),), content)


def test_a_stored_page_comes_out_as_it_went_in_without_a_copy(memory):
    page = a_page()
    memory.set("page:ko:auto:https:example.com:abc", page, 60)

    with mock.patch("caching.backends.pickle.loads") as loads:
        assert memory.get("page:ko:auto:https:example.com:abc") is page
    loads.assert_not_called()


def test_other_values_are_still_copies_that_callers_cannot_change_in_the_cache(memory):
    picks = [1, 2, 3]
    memory.set("picks", picks, 60)
    picks.append(4)
    taken = memory.get("picks")
    taken.append(5)

    assert memory.get("picks") == [1, 2, 3]


def test_a_stored_page_expires_like_anything_else(memory):
    memory.set("page", a_page(), 60)

    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 61):
        assert memory.get("page") is None
    assert memory.get("page", "gone") == "gone"  # and its entry was removed


def test_the_oldest_entries_make_room_whatever_they_hold(memory):
    memory.set("first", a_page(b"1"), 60)
    memory.set("second", 2, 60)
    memory.set("third", a_page(b"3"), 60)
    memory.set("fourth", 4, 60)  # over MAX_ENTRIES: a third of the entries go

    assert memory.get("fourth") == 4
    assert len([key for key in ("first", "second", "third") if memory.has_key(key)]) < 3


def test_add_incr_and_get_many_work_as_in_django(memory):
    assert memory.add("count", 1, 60) and not memory.add("count", 5, 60)
    assert memory.incr("count") == 2
    assert memory.add("page", a_page(b"added"), 60)  # kept pickled: add is not the hot path

    found = memory.get_many(["count", "page", "missing"])

    assert found["count"] == 2 and found["page"].content == b"added" and "missing" not in found


def test_keys_with_any_characters_are_taken(memory):
    """Keys go to this memory or to Redis, never to memcached: no warning for spaces."""
    with mock.patch("warnings.warn") as warn:
        memory.set("page:en:pc:https:host:with space", a_page(), 60)
        assert memory.get("page:en:pc:https:host:with space").content.startswith(b"<html>")
    warn.assert_not_called()


def in_bytes(budget):
    return LocalMemory(f"test-{uuid.uuid4()}", {"OPTIONS": {"MAX_BYTES": budget}})


def test_pages_are_kept_within_a_number_of_bytes_the_least_recently_used_going_first():
    # Made-up query strings are pages of their own, each a whole page: a count of
    # entries alone would let them fill a worker's memory.
    memory = in_bytes(50_000)
    memory.set("page:a", a_page(b"a" * 20_000), 60)
    memory.set("page:b", a_page(b"b" * 20_000), 60)
    assert memory.get("page:a") is not None  # now the more recently used

    memory.set("page:c", a_page(b"c" * 20_000), 60)

    assert memory.has_key("page:a") and memory.has_key("page:c")
    assert not memory.has_key("page:b")
    assert 40_000 < memory._usage.total <= 50_000


def test_the_bytes_kept_follow_every_way_in_and_out():
    memory = in_bytes(1_000_000)
    memory.set("page", a_page(b"x" * 10_000), 60)
    memory.set("page", a_page(b"x" * 1_000), 60)  # replaced
    memory.set("count", 1, 60)
    memory.incr("count", 10**30)  # a longer pickle
    memory.add("mark", "y" * 500, 60)
    with_everything = memory._usage.total

    assert 1_500 < with_everything < 3_000
    memory.delete("mark")
    assert memory._usage.total < with_everything - 500
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 61):
        assert memory.get("page") is None  # expired, removed
    assert memory._usage.total < 200
    memory.clear()
    assert memory._usage.total == 0 and memory._usage.sizes == {}


def test_a_page_larger_than_the_whole_budget_is_not_kept_and_pushes_nothing_out():
    memory = in_bytes(30_000)
    memory.set("page:small", a_page(b"s" * 10_000), 60)

    memory.set("page:huge", a_page(b"h" * 40_000), 60)

    assert memory.get("page:huge") is None
    assert memory.get("page:small") is not None
