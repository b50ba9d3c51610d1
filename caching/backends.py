"""Cache backends: the site's own database as the store every worker shares, and Redis.

Controls that must hold across workers and servers (login throttling, flood control,
de-duplicated views and clicks, cache versions) live in the "shared" cache. With
REDIS_URL it is Redis; without, it is ``DatabaseStore``: the database every worker and
server already shares, so the controls hold in every deployment by construction.
"""

import pickle
import random
import threading
from datetime import UTC, timedelta

from django.core.cache.backends import locmem, redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from .pages import StoredPage

# The two statements on the hot path (every page-cache hit reads the versions, every
# counted view adds a mark), written as SQL like Django's own DatabaseCache: building the
# ORM query cost more than running it. SQLite and PostgreSQL both take them as they are.
READ_LIVE = (
    "SELECT {key}, {value}, {expires_at} FROM {table} WHERE {key} IN ({keys})"
    " AND ({expires_at} IS NULL OR {expires_at} > %s)"
)
# Inserts the mark, or takes over an expired one, or leaves a live one alone (no row).
ADD_UNLESS_LIVE = (
    "INSERT INTO {table} ({key}, {value}, {expires_at}) VALUES (%s, %s, %s)"
    " ON CONFLICT ({key}) DO UPDATE SET {value} = excluded.{value},"
    " {expires_at} = excluded.{expires_at} WHERE {table}.{expires_at} <= %s"
)

# The length of SharedValue.key.
KEY_LENGTH = 250

# Expired rows are removed now and then by the writers, never in a request that only reads.
PURGE_CHANCE = 0.01

# How many keys a connection remembers the rows of (see DatabaseStore._read_on_sqlite).
REMEMBERED_KEYS = 1_000


class DatabaseStore(BaseCache):
    """Whole numbers in a table, with atomic ``add`` and ``incr`` in SQLite and PostgreSQL.

    Django's DatabaseCache stores any value, but its ``incr`` is a read and a write that
    two workers can interleave, and every write counts the table; counters need neither.
    """

    def __init__(self, location, params):
        super().__init__(params)
        self._read_sql = {}  # (database alias, number of keys): READ_LIVE written out
        self._seen = threading.local()  # what this thread's SQLite connection last read

    @property
    def _rows(self):
        from .models import SharedValue

        # Reads too go where writes go: a read replica lags, and a stale version or count
        # would serve a stale page or let a rate limit slip.
        return SharedValue.objects.db_manager(self._db())

    def _db(self):
        from .models import SharedValue

        return router.db_for_write(SharedValue)

    def validate_key(self, key):
        # Django's check warns about keys memcached could not take; the column takes 250.
        if len(key) > KEY_LENGTH:
            raise ValueError(f"DatabaseStore keys are at most {KEY_LENGTH} characters: {key!r}")

    @staticmethod
    def _sql(connection, template: str, **parts: str) -> str:
        from .models import SharedValue

        quote = connection.ops.quote_name
        columns = {name: quote(name) for name in ("key", "value", "expires_at")}
        return template.format(table=quote(SharedValue._meta.db_table), **columns, **parts)

    @staticmethod
    def _now(connection):
        return connection.ops.adapt_datetimefield_value(timezone.now())

    def _expiry(self, timeout):
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else timezone.now() + timedelta(seconds=timeout)

    def _live(self):
        return self._rows.filter(Q(expires_at=None) | Q(expires_at__gt=timezone.now()))

    @staticmethod
    def _whole_number(value) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"DatabaseStore keeps whole numbers only, not {type(value).__name__}")
        return value

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._read([key]).get(key, default)

    def get_many(self, keys, version=None):
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        return {made[key]: value for key, value in self._read(list(made)).items()}

    def _read(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        # The primary's, as for writes: a replica behind it could hand out stale versions.
        connection = connections[self._db()]
        if connection.vendor == "sqlite" and connection.get_autocommit():
            return self._read_on_sqlite(connection, keys)
        return {key: value for key, (value, _expires_at) in self._select(connection, keys).items()}

    def _select(self, connection, keys: list[str]) -> dict[str, tuple]:
        """The live rows of ``keys``: key -> (value, expires_at)."""
        if (sql := self._read_sql.get((connection.alias, len(keys)))) is None:
            sql = self._sql(connection, READ_LIVE, keys=", ".join(["%s"] * len(keys)))
            self._read_sql[connection.alias, len(keys)] = sql
        with connection.cursor() as cursor:
            cursor.execute(sql, [*keys, self._now(connection)])
            return {key: (value, expires_at) for key, value, expires_at in cursor.fetchall()}

    def _read_on_sqlite(self, connection, keys: list[str]) -> dict[str, int]:
        """The rows of ``keys`` as this connection last read them, if nobody has written to
        the database since; else read afresh.

        Every page reads the versions, and a page-cache hit does little else: the query
        through Django's cursor was two fifths of a hit. SQLite says whether another
        connection has committed since this one last asked (``PRAGMA data_version``) and
        how many rows this one has changed (``total_changes``, rolled back or not); while
        neither moves, the rows are what they were, in every worker and server. Outside
        transactions only: inside one, a read may see writes that are then rolled back.
        Expiry is checked at each answer, against the expiry read with the row.
        """
        raw = connection.connection
        with connection.wrap_database_errors:
            stamp = (raw.execute("PRAGMA data_version").fetchone()[0], raw.total_changes)
        seen = self._seen
        if getattr(seen, "connection", None) is not raw or seen.stamp != stamp:
            seen.connection, seen.stamp, seen.rows = raw, stamp, {}
        if missing := [key for key in keys if key not in seen.rows]:
            if len(seen.rows) + len(missing) > REMEMBERED_KEYS:
                seen.rows = {}  # made-up keys (a throttle's addresses) must not fill memory
                missing = keys
            found = self._select(connection, missing)
            seen.rows.update({key: found.get(key, (None, None)) for key in missing})
        now, live = timezone.now(), {}
        for key in keys:
            value, expires_at = seen.rows[key]  # expires_at: naive, in UTC, as SQLite keeps it
            if value is not None and (expires_at is None or expires_at.replace(tzinfo=UTC) > now):
                live[key] = value
        return live

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = self._rows.model(key=key, value=self._whole_number(value))
        row.expires_at = self._expiry(timeout)
        self._rows.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value", "expires_at"],
        )
        self._purge_now_and_then()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store ``value`` unless the key holds a live one; True if it was stored.

        One statement, so of two workers adding the same key at once exactly one gets
        True: the row is inserted, or taken over if it has expired, or left alone.
        """
        key = self.make_and_validate_key(key, version=version)
        value, expires_at = self._whole_number(value), self._expiry(timeout)
        self._purge_now_and_then()
        connection = connections[self._db()]
        sql = self._sql(connection, ADD_UNLESS_LIVE)
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, value, adapt(expires_at), self._now(connection)])
            return cursor.rowcount == 1

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with transaction.atomic(using=self._db()):
            # The UPDATE locks the row until commit: nobody else's increment lands in between.
            if not self._live().filter(key=key).update(value=F("value") + delta):
                raise ValueError(f"Key '{key}' not found")
            return self._rows.filter(key=key).values_list("value", flat=True).get()

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(self._live().filter(key=key).update(expires_at=self._expiry(timeout)))

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._live().filter(key=key).exists()

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        deleted, _ = self._rows.filter(key=key).delete()
        return bool(deleted)

    def delete_many(self, keys, version=None):
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        self._rows.filter(key__in=made).delete()

    def clear(self):
        self._rows.all().delete()

    def _purge_now_and_then(self):
        if random.random() < PURGE_CHANCE:  # noqa: S311 - spreads housekeeping, not secret
            self._rows.filter(expires_at__lte=timezone.now()).delete()


# What each named local-memory cache holds, in bytes: shared by its instances (one per
# thread), as LocMemCache shares its entries.
_usage: dict[str, "_Usage"] = {}


class _Usage:
    def __init__(self):
        self.sizes: dict[str, int] = {}
        self.total = 0


class LocalMemory(locmem.LocMemCache):
    """Django's LocMemCache (each worker's own memory), keeping stored pages as they are,
    and within a number of bytes as well as of entries.

    LocMemCache pickles what it keeps so that no caller can change a cached object in
    place. A StoredPage cannot be changed (strings, bytes and tuples), and unpickling its
    40 kB was two fifths of taking a page out. Keys are not checked for memcached either,
    character by character on every call: they go to this memory, or to Redis, which take
    any.

    A count of entries alone does not bound the memory: every made-up query string is a
    page of its own, and one that is long is copied into the page's links (a 20 kB query
    made a 132 kB page). OPTIONS["MAX_BYTES"] bounds the keys and values kept; the least
    recently used go first.
    """

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 256 * 2**20))
        self._usage = _usage.setdefault(name, _Usage())

    def validate_key(self, key):
        pass

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            kept = self._cache[key]
            self._cache.move_to_end(key, last=False)
        # What this process pickled itself, as in LocMemCache.
        return kept if isinstance(kept, StoredPage) else pickle.loads(kept)  # noqa: S301  # nosec B301

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not isinstance(value, StoredPage):
            super().set(key, value, timeout, version)
            return
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version)
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if key in self._cache:  # the new pickle may be longer
                self._record(key, len(key) + size_of(self._cache[key]))
        return value

    # Every entry comes in through _set and goes out through _delete, _cull or clear; all
    # are called with the lock held.
    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._delete(key)
        size = len(key) + size_of(value)
        if size > self._max_bytes:
            return  # never kept: it would push out everything else
        while self._cache and self._usage.total + size > self._max_bytes:
            self._delete(next(reversed(self._cache)))  # the least recently used
        super()._set(key, value, timeout)
        self._record(key, size)

    def _record(self, key, size):
        usage = self._usage
        usage.total += size - usage.sizes.get(key, 0)
        usage.sizes[key] = size

    def _delete(self, key):
        if not super()._delete(key):
            return False
        self._usage.total -= self._usage.sizes.pop(key, 0)
        return True

    def _cull(self):
        if self._cull_frequency == 0:
            self._clear()
        else:
            for _ in range(len(self._cache) // self._cull_frequency):
                self._delete(next(reversed(self._cache)))

    def clear(self):
        with self._lock:
            self._clear()

    def _clear(self):
        self._cache.clear()
        self._expire_info.clear()
        self._usage.sizes.clear()
        self._usage.total = 0


def size_of(value) -> int:
    """The bytes an entry holds, near enough: a page's body and headers, or the pickle."""
    if isinstance(value, StoredPage):
        headers = sum(len(name) + len(text) for name, text in value.headers)
        return len(value.content) + headers + len(value.status) + 64 * len(value.versions)
    return len(value)


class ReusingClient(redis.RedisCacheClient):
    """Django's Redis client makes a new ``redis.Redis`` for every cache call, and building
    one (its table of response callbacks) costs more CPU than the whole round trip of a
    page-cache hit. A client is only a thread-safe handle on its connection pool, so one
    per pool serves every call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(pool)) is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
