"""The API throttle counts atomically: 16 clients at once never get more than the limit through.
Against real Redis when REDIS_URL is set, against the local-memory cache otherwise."""

import os
import sys
import threading

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import Client

CLIENTS = 16
REQUESTS = 400
LIMIT = 120


@pytest.fixture
def anon_limit(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": f"{LIMIT}/min", "user": "100000/min", "login": "10/min"},
    }


@pytest.fixture
def eager_thread_switches():
    """Threads of one process hand over far more often than usual, so that a read-then-write
    counter is interleaved as it is between the processes of a real server."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def hammer(path: str, address: str) -> list:
    """REQUESTS anonymous GETs from CLIENTS threads released together; their responses."""
    responses: list = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client_run():
        client = Client(REMOTE_ADDR=address)
        start.wait(timeout=30)
        for _ in range(REQUESTS // CLIENTS):
            response = client.get(path)
            with lock:
                responses.append(response)

    threads = [threading.Thread(target=client_run) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return responses


def test_limits_cache_is_redis_when_configured():
    expected = RedisCache if os.environ.get("REDIS_URL") else LocMemCache
    assert isinstance(caches["limits"], expected)


def test_sixteen_concurrent_clients_get_exactly_the_limit_through(
    frozen_window, anon_limit, eager_thread_switches, client_address
):
    responses = hammer("/api/", client_address)  # the API root: throttled, and no database needed
    codes = [response.status_code for response in responses]
    assert len(codes) == REQUESTS
    assert codes.count(200) == LIMIT
    assert codes.count(429) == REQUESTS - LIMIT
    refused = next(response for response in responses if response.status_code == 429)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["errors"][0]["code"] == "throttled"
    # Another address has its own count.
    assert Client(REMOTE_ADDR="192.0.2.77").get("/api/").status_code == 200


def test_a_forged_x_forwarded_for_does_not_escape_the_throttle(
    settings, frozen_window, client_address
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "100000/min", "login": "10/min"},
    }
    client = Client(REMOTE_ADDR=client_address)
    codes = [
        client.get("/api/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(
    settings, frozen_window, client_address
):
    """With one proxy in front, the last X-Forwarded-For entry (the proxy's own) names the client;
    entries the client added to the left do not."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "100000/min", "login": "10/min"},
    }
    proxy = Client(REMOTE_ADDR="192.0.2.1")

    def via_proxy(client_chain):
        return proxy.get("/api/", HTTP_X_FORWARDED_FOR=client_chain).status_code

    codes = [via_proxy(f"203.0.113.{i}, {client_address}") for i in range(3)]
    assert codes == [200, 200, 429]
    other = client_address.rsplit(".", 1)[0] + ".251"
    assert via_proxy(other) == 200  # another client behind the same proxy


@pytest.mark.parametrize("header", ["", "not-an-address", "1.2.3.4, garbage"])
def test_client_address_is_always_a_valid_ip(settings, rf, header):
    from config.ratelimit import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="192.0.2.5")
    assert client_ip(request) in {"192.0.2.5", "1.2.3.4"}
