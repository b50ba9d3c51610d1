"""Django's Redis cache backend, with one Redis client per connection pool.

Django's client makes a new ``redis.Redis`` for every cache call, and building one
(its table of response callbacks) costs more CPU than the whole round trip of a
page-cache hit. A client is only a thread-safe handle on its connection pool, so one
per pool serves every call.
"""

from django.core.cache.backends import redis


class ReusingClient(redis.RedisCacheClient):
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
