"""Counters kept in memory and written in batches.

A story read ten thousand times a minute must not become ten thousand row
updates: each process adds up its hits and hands them to a writer every few
seconds, so the database sees one UPDATE per article (or placement) per batch.
A crash loses at most one interval's counts, which rankings can afford.
"""

import atexit
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable

from django.conf import settings


class BatchedCounter:
    """Adds up hits per key in this process and passes them to ``write`` in batches."""

    def __init__(self, write: Callable[[dict[Hashable, int]], None]):
        self.write = write
        self.pending: Counter = Counter()
        self.lock = threading.Lock()
        self.last_write = time.monotonic()
        atexit.register(self.flush)

    def add(self, key: Hashable, count: int = 1) -> None:
        with self.lock:
            self.pending[key] += count
            if time.monotonic() - self.last_write < settings.COUNTER_FLUSH_SECONDS:
                return
            batch = self._take()
        self.write(batch)

    def flush(self) -> None:
        """Write whatever is pending now (tests, shutdown)."""
        with self.lock:
            batch = self._take()
        if batch:
            self.write(batch)

    def _take(self) -> dict:
        batch = dict(self.pending)
        self.pending.clear()
        self.last_write = time.monotonic()
        return batch
