"""Counters kept in memory and written in batches (web.counters)."""

import threading

import pytest
from django.db import DataError, OperationalError

from web import counters
from web.counters import BatchedCounter


def test_a_flush_returns_only_once_a_batch_being_written_is_in():
    """The writer thread may have taken the counts and still be writing them when a flush
    (shutdown, a test) comes: the flush waits for it instead of finding nothing to do."""
    written = []
    writing, finish = threading.Event(), threading.Event()

    def write(batch):
        writing.set()
        finish.wait(5)
        written.append(batch)

    counter = BatchedCounter(write)
    counter.pending["article-1"] += 3
    writer = threading.Thread(target=counter.flush)  # as the writer thread does
    writer.start()
    assert writing.wait(5)

    flushed = threading.Event()
    flusher = threading.Thread(target=lambda: (counter.flush(), flushed.set()))
    flusher.start()
    assert not flushed.wait(0.2)  # the batch is not written yet

    finish.set()
    flusher.join(5)
    writer.join(5)
    assert flushed.is_set()
    assert written == [{"article-1": 3}]


def test_counts_added_while_a_batch_is_written_go_in_the_next():
    written = []
    counter = BatchedCounter(written.append)
    counter.pending["a"] += 1
    counter.flush()
    counter.pending["a"] += 2
    counter.flush()
    counter.flush()  # nothing pending: nothing written

    assert written == [{"a": 1}, {"a": 2}]


def test_a_batch_the_database_refuses_is_kept_and_written_whole_with_the_next():
    """A moment's lock (SQLite's "database table is locked") must not lose the counts."""
    written = []
    failures = [OperationalError("database table is locked")]

    def write(batch):
        if failures:
            raise failures.pop()
        written.append(batch)

    counter = BatchedCounter(write)
    counter.pending["a"] += 2
    with pytest.raises(OperationalError):
        counter.flush()
    counter.pending["a"] += 1
    counter.pending["b"] += 1
    counter.flush()

    assert written == [{"a": 3, "b": 1}]


def test_a_batch_that_can_never_be_written_is_not_tried_again():
    def write(batch):
        raise DataError("value out of range")

    counter = BatchedCounter(write)
    counter.pending["a"] += 2
    with pytest.raises(DataError):
        counter.flush()

    assert not counter.pending


def test_counts_kept_while_the_database_is_away_are_capped(monkeypatch, caplog):
    monkeypatch.setattr(counters, "MAX_PENDING_KEYS", 3)

    def write(batch):
        raise OperationalError("connection refused")

    counter = BatchedCounter(write)
    counter.pending.update({"a": 1, "b": 1})
    with pytest.raises(OperationalError):
        counter.flush()
    assert counter.pending == {"a": 1, "b": 1}  # kept

    counter.pending.update({"c": 1, "d": 5})  # four keys: more than may be kept
    with pytest.raises(OperationalError):
        counter.flush()

    assert not counter.pending
    assert "Dropped 8 batched counts" in caplog.text


def test_a_write_that_fails_at_exit_is_logged(caplog):
    def write(batch):
        raise OperationalError("connection refused")

    counter = BatchedCounter(write)
    counter.pending["a"] += 1
    counter._flush_at_exit()  # as atexit calls it: it must not raise

    assert "at exit failed" in caplog.text
    counter.pending.clear()  # nothing left for the real exit to try
