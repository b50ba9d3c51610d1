"""Two transactions run against each other on PostgreSQL, one held part-way through."""

import threading
import time

from django.db import connection

WAIT_SECONDS = 10


class InThread:
    """``work()`` in a thread of its own (its own database connection), its exception
    raised again by ``result()``. With ``hold_after`` (a test on each SQL statement's text)
    it stops right after the first statement that passes, until ``go_on()``."""

    def __init__(self, work, *, hold_after=None):
        self.work, self.hold_after = work, hold_after
        self.held, self.released = threading.Event(), threading.Event()
        self.error = self.value = None
        self.thread = threading.Thread(target=self._run)
        self.thread.start()
        if hold_after:
            assert self.held.wait(WAIT_SECONDS), "the statement to hold after never ran"
            if self.error:  # it failed before that statement
                raise self.error

    def _hold(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.hold_after and not self.held.is_set() and self.hold_after(sql):
            self.held.set()
            self.released.wait(WAIT_SECONDS)
        return result

    def _run(self):
        try:
            with connection.execute_wrapper(self._hold):
                self.value = self.work()
        except Exception as error:  # handed to the test by result()
            self.error = error
        finally:
            self.held.set()
            connection.close()

    def go_on(self):
        self.released.set()

    def result(self):
        self.go_on()
        self.thread.join(WAIT_SECONDS)
        assert not self.thread.is_alive(), "the thread did not finish"
        if self.error:
            raise self.error
        return self.value


def wait_for_a_row_lock():
    """Until another connection of this database waits for a lock another one holds."""
    deadline = time.monotonic() + WAIT_SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("nobody waited for a lock")
