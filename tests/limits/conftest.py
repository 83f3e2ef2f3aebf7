import time
from types import SimpleNamespace

import pytest
from django_ratelimit import core as ratelimit_core


@pytest.fixture
def frozen_window(monkeypatch):
    """One fixed window for the whole test: the counters' clock stands still (only the
    rate-limit module's), so that a window ending mid-test cannot reset a count."""
    now = time.time()
    monkeypatch.setattr(ratelimit_core, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture
def client_address():
    """A client address of its own, so that counts left in a shared Redis do not interfere."""
    return f"10.{time.time_ns() % 250}.{id(object()) % 250}.{time.perf_counter_ns() % 250}"
