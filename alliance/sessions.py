"""Sessions read from the shared cache and kept in the database (SESSION_ENGINE = "alliance.sessions").

Django's cached_db: a request reads its session from the cache, and from the database only when the cache misses
(Redis down, evicted, expired), so sessions survive Redis being down. Every write goes to both. One change: an entry
is kept in the cache at most ``CACHE_SECONDS``. The cache fails soft (alliance/cache.py), so a sign-out while Redis
cannot be reached deletes the database row but may leave the cached copy; that copy must not sign the person in
again for the session's two weeks once Redis is back, only for at most these few minutes.
"""

from django.contrib.sessions.backends import cached_db

CACHE_SECONDS = 300


class _CappedCache:
    """The cache with every timeout cut to CACHE_SECONDS."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout=None, version=None):
        timeout = CACHE_SECONDS if timeout is None else min(timeout, CACHE_SECONDS)
        return self._cache.set(key, value, timeout, version)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedCache(self._cache)
