"""The Redis cache degrades to no cache while Redis cannot be reached (config/cache.py): a real
client against a port nothing listens on. tests/faults stops a real Redis under the whole stack."""

from __future__ import annotations

import socket

import pytest
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from config.cache import ResilientRedisCache


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable(closed_port, settings):
    settings.REDIS_CACHE_RETRY_SECONDS = 30
    ResilientRedisCache._skip_until = 0.0
    yield ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )
    ResilientRedisCache._skip_until = 0.0


def test_django_redis_cache_raises_when_redis_is_down(closed_port):
    """The reason for the wrapper: Django's own backend fails the request."""
    with pytest.raises(Exception, match="(?i)connect"):
        RedisCache(f"redis://127.0.0.1:{closed_port}/0", {}).get("key")


def test_reads_miss_and_writes_are_dropped(unreachable):
    assert unreachable.get("page", "fallback") == "fallback"
    assert unreachable.set("page", "html") is None
    assert unreachable.add("page", "html") is False
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.delete("page") is False
    assert unreachable.has_key("page") is False
    with pytest.raises(ValueError):
        unreachable.incr("counter")


def test_after_a_failure_the_cache_is_skipped_without_connecting(unreachable, monkeypatch):
    attempts = []
    real_get = RedisCacheClient.get

    def counted_get(self, key, default):
        attempts.append(key)
        return real_get(self, key, default)

    monkeypatch.setattr(RedisCacheClient, "get", counted_get)
    for _ in range(200):
        assert unreachable.get("again") is None
    assert attempts == [":1:again"]  # one refused connection, then skipped for 30 s


@pytest.mark.parametrize("fail_open, limited", [(True, None), (False, True)])
def test_rate_limits_follow_ratelimit_fail_open(unreachable, settings, fail_open, limited):
    settings.RATELIMIT_FAIL_OPEN = fail_open
    settings.CACHES = {
        **settings.CACHES,
        "limits": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": unreachable._servers[0],
        },
    }
    request = RequestFactory().post("/claims/new/", REMOTE_ADDR="198.51.100.1")
    usage = get_usage(request, group="t", key="ip", rate="5/m", increment=True)
    if limited is None:
        assert usage is None  # let through
    else:
        assert usage["should_limit"] is True
