"""Counters kept in memory and written in batches.

A story read ten thousand times a minute must not become ten thousand row
updates: each process adds up its hits and hands them to a writer every few
seconds, so the database sees one UPDATE per article (or placement) per batch.
A crash loses at most one interval's counts, which rankings can afford.
"""

import atexit
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable

from django import db
from django.conf import settings

logger = logging.getLogger(__name__)


class BatchedCounter:
    """Adds up hits per key in this process; a background thread passes them to ``write``.

    The writes happen off the readers' requests, every COUNTER_FLUSH_SECONDS with a
    little jitter so that several worker processes do not all write at the same moment.
    With COUNTER_FLUSH_SECONDS = 0 (tests) each hit is written at once.

    ``write`` must write a batch whole or not at all (one transaction): a batch that
    fails is added back and tried again with the next one, so a moment's lock loses
    no count and none is counted twice.
    """

    def __init__(self, write: Callable[[dict[Hashable, int]], None]):
        self.write = write
        self.pending: Counter = Counter()
        self.lock = threading.Lock()
        # Held while a batch is written: a flush returns only once every count added before
        # it is in the database, even one the writer thread had taken and was still writing.
        self.writing = threading.Lock()
        self.writer: threading.Thread | None = None
        atexit.register(self.flush)

    def add(self, key: Hashable, count: int = 1) -> None:
        if not settings.COUNTER_FLUSH_SECONDS:
            self.write({key: count})
            return
        with self.lock:
            self.pending[key] += count
            if self.writer is None or not self.writer.is_alive():
                # Started lazily: a forking server (gunicorn) gets one per worker.
                self.writer = threading.Thread(target=self._write_forever, daemon=True)
                self.writer.start()

    def flush(self) -> None:
        """Write whatever is pending now (the writer thread, shutdown, tests)."""
        with self.writing:
            with self.lock:
                batch = dict(self.pending)
                self.pending.clear()
            if not batch:
                return
            try:
                self.write(batch)
            except Exception:
                with self.lock:
                    self.pending.update(batch)
                raise

    def _write_forever(self) -> None:
        last = time.monotonic()
        jitter = 1.0
        while True:
            # Short naps, so a changed interval takes effect without waiting out the old one.
            time.sleep(min(1.0, settings.COUNTER_FLUSH_SECONDS / 4 or 1.0))
            if time.monotonic() - last < settings.COUNTER_FLUSH_SECONDS * jitter:
                continue
            last = time.monotonic()
            jitter = random.uniform(0.8, 1.2)  # noqa: S311 - spreads the workers, not secret
            try:
                self.flush()
            except Exception:
                logger.exception("Writing batched counts failed; they are kept for the next try")
            finally:
                db.connections.close_all()  # this thread's own connections
