"""Counters kept in memory and written in batches.

A story read ten thousand times a minute must not become ten thousand row
updates: each process adds up its hits and hands them to a writer every few
seconds, so the database sees one UPDATE per article (or placement) per batch.
A crash loses the counts not yet written (one interval's, more while the database is
away), which rankings can afford.
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
from django.db.models import F

logger = logging.getLogger(__name__)

# Counts kept for a database that is away are capped, so that one that stays away cannot
# fill a worker's memory (the beacons' keys are whatever visitors send).
MAX_PENDING_KEYS = 10_000


class BatchedCounter:
    """Adds up hits per key in this process; a background thread passes them to ``write``.

    The writes happen off the readers' requests, every COUNTER_FLUSH_SECONDS with a
    little jitter so that several worker processes do not all write at the same moment.
    With COUNTER_FLUSH_SECONDS = 0 (tests) each hit is written at once.

    ``write`` must write a batch whole or not at all (one transaction). A batch the
    database refuses for the moment (OperationalError: a lock, a lost connection) is
    added back and tried again with the next one, so a moment's lock loses no count and
    a rolled-back batch is not counted twice. Any other error loses the batch.
    """

    def __init__(self, write: Callable[[dict[Hashable, int]], None]):
        self.write = write
        self.pending: Counter = Counter()
        self.lock = threading.Lock()
        # Held while a batch is written: a flush returns only once every count added before
        # it is in the database, even one the writer thread had taken and was still writing.
        self.writing = threading.Lock()
        self.writer: threading.Thread | None = None
        atexit.register(self._flush_at_exit)

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
            except db.OperationalError:
                self._keep(batch)
                raise

    def _keep(self, batch: dict[Hashable, int]) -> None:
        """Add back a batch the database refused, to go with the next one."""
        with self.lock:
            if len(self.pending.keys() | batch.keys()) <= MAX_PENDING_KEYS:
                self.pending.update(batch)
                return
        logger.error(
            "Dropped %d batched counts: too many kept while writes fail", sum(batch.values())
        )

    def _flush_at_exit(self) -> None:
        try:
            self.flush()
        except Exception:
            logger.exception("Writing the last batched counts at exit failed; they are lost")

    def _write_forever(self) -> None:
        last = time.monotonic()
        jitter = 1.0
        failures = 0
        while True:
            # Short naps, so a changed interval takes effect without waiting out the old one.
            time.sleep(min(1.0, settings.COUNTER_FLUSH_SECONDS / 4 or 1.0))
            if time.monotonic() - last < settings.COUNTER_FLUSH_SECONDS * jitter:
                continue
            last = time.monotonic()
            jitter = random.uniform(0.8, 1.2)  # noqa: S311 - spreads the workers, not secret
            try:
                self.flush()
            except Exception as error:
                # The traceback once, not every interval while the database stays away.
                if not failures:
                    logger.exception("Writing batched counts failed")
                else:
                    logger.warning(
                        "Writing batched counts failed, %d times in a row: %s", failures + 1, error
                    )
                failures += 1
            else:
                failures = 0
            finally:
                db.connections.close_all()  # this thread's own connections


def add_to_days_rows(rows, owner: str, field: str, counts: dict[int, int], day) -> None:
    """Add ``counts`` (by owner id) to ``field`` of the owners' rows for ``day`` in ``rows``
    (a model with a row per owner and date), inside the caller's transaction.

    The missing rows are made first, in one statement (another process may have made some),
    so that every count is then an UPDATE: no savepoint a row, however large the batch.
    Sorted, so concurrent writers take the rows' locks in the same order.
    """
    owners = sorted(counts)
    rows.objects.bulk_create(
        [rows(**{owner: owner_id, "date": day}) for owner_id in owners], ignore_conflicts=True
    )
    for owner_id in owners:
        rows.objects.filter(**{owner: owner_id, "date": day}).update(
            **{field: F(field) + counts[owner_id]}
        )


def lock_in_order(owners, *, to_delete: bool = False) -> list[int]:
    """The ids of ``owners`` (a queryset of articles, placements), their rows locked in id
    order until the caller's transaction ends.

    The counters' writers lock the owners of a batch first, and whoever deletes owners
    (DeletesInLockOrder in web/admin.py) locks them the same way before the rows that hang
    on them. On PostgreSQL a writer could otherwise hold today's row of one article while
    waiting for another that a deletion holds, as the deletion waits for the first (a
    deadlock: one of them fails), or add a row for an article deleted meanwhile (a
    foreign-key error that loses the whole batch). A writer's lock (FOR NO KEY UPDATE)
    leaves readers free to add comments that refer to the article.
    """
    rows = owners.model._default_manager.filter(pk__in=owners.values("pk"))
    locked = rows.select_for_update(no_key=not to_delete, of=("self",))
    return list(locked.order_by("pk").values_list("pk", flat=True))
