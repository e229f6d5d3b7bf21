"""The Redis cache of production, made to fail soft: while Redis cannot be reached, the cache misses.

Django's RedisCache raises on connection errors, which would turn a page that only reads the cache into a 500.
Here every operation but ``incr`` answers as a miss when it fails (``get`` gives the default, ``add`` and
``delete`` False), and the cache is then left alone for ``RETRY_AFTER_SECONDS``: a Redis that hangs (port open,
no answer) costs one socket timeout per process every few seconds, not one per request. What is cached is
derived data with a timeout, so pages are rendered from the database meanwhile.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0


class FailSoftRedisCacheClient(RedisCacheClient):
    down_until = 0.0  # monotonic time; shared by the threads of a process

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # One redis.Redis per connection pool, not a new one per call as Django makes them: building one sets up
        # its response callbacks, a third of the time of a cache read.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _call(self, name, fallback, *args):
        if time.monotonic() < FailSoftRedisCacheClient.down_until:
            return fallback
        try:
            return getattr(super(), name)(*args)
        except RedisError as exc:
            FailSoftRedisCacheClient.down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Cache unavailable, pages are rendered without it for %.0f s: %s", RETRY_AFTER_SECONDS,
                           exc)
            return fallback

    def add(self, key, value, timeout):
        return self._call("add", False, key, value, timeout)

    def get(self, key, default):
        return self._call("get", default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def set_many(self, data, timeout):
        return self._call("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys)

    def clear(self):
        return self._call("clear", False)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient
