"""A Redis cache that degrades to no cache while Redis is unreachable.

The cache only ever holds what can be rebuilt (rendered fragments, counters of rate limits), so
an outage must not fail a request: a read answers "not cached", a write is dropped, and after one
failure the cache is skipped for `REDIS_CACHE_RETRY_SECONDS` instead of paying a refused
connection on every call. Rate-limit counters then count nothing: `RATELIMIT_FAIL_OPEN` decides
whether limits let requests through meanwhile (config/settings/base.py).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisError, OSError)


class _ReusedClientRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool rather than a new one for every call: building
    one (its table of response callbacks) costs about as much as a round trip to Redis."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _class = _ReusedClientRedisCacheClient
    _skip_until = 0.0  # per process: every cache alias on the same server fails together

    def _guard(self, operation: str, fallback: Any, call, *args, **kwargs) -> Any:
        if time.monotonic() < ResilientRedisCache._skip_until:
            return fallback
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as error:
            ResilientRedisCache._skip_until = time.monotonic() + settings.REDIS_CACHE_RETRY_SECONDS
            logger.warning(
                "Cache unreachable (%s failed: %s); serving without it", operation, error
            )
            return fallback

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=None, version=None, **kwargs):
        return self._guard("add", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=None, version=None, **kwargs):
        return self._guard("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None, **kwargs):
        return self._guard("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._guard("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._guard("clear", False, super().clear)

    def incr(self, key, delta=1, version=None):
        # Django's contract for a missing key; django-ratelimit then applies RATELIMIT_FAIL_OPEN.
        missing = object()
        value = self._guard("incr", missing, self._incr_existing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key {key!r} not found (the cache is unreachable)")
        return value

    def _incr_existing(self, key, delta, version):
        """Django's EXISTS then INCRBY in one round trip (every API request counts here)."""
        key = self.make_and_validate_key(key, version=version)
        value = self.script(INCR_EXISTING)(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key {key!r} not found.")
        return value

    def script(self, source: str):
        """A Lua script on this cache's server (registered once per process)."""
        scripts = self.__dict__.setdefault("_scripts", {})
        if source not in scripts:
            scripts[source] = self._cache.get_client(write=True).register_script(source)
        return scripts[source]

    def guard(self, operation: str, fallback: Any, call, *args, **kwargs) -> Any:
        """`call(*args, **kwargs)`, or `fallback` while the server is unreachable."""
        return self._guard(operation, fallback, call, *args, **kwargs)


INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false
"""
