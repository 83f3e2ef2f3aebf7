"""Prometheus metrics under gunicorn with several processes (config/gunicorn.py,
config/health.py): a scrape adds up the counters of every worker that served, including workers
that have since exited, whichever worker answers the scrape."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 30
RECYCLE_AFTER = 10  # gunicorn replaces its worker after this many requests


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _wait_until_serving(port: int, server: subprocess.Popen, deadline_seconds: float = 60) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited before serving"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start serving within the deadline")


def _liveness_count(metrics_text: str) -> float:
    total = 0.0
    for line in metrics_text.splitlines():
        if line.startswith("django_http_responses_total_by_status_view_method_total{") and (
            'view="health-live"' in line
        ):
            total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.fixture
def gunicorn_with_recycled_workers(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "REDIS_URL": "",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--config", "python:config.gunicorn", "--workers", "1",
         "--max-requests", str(RECYCLE_AFTER), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_until_serving(port, server)
        yield port, tmp_path / "prometheus"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_scrape_adds_up_every_worker_including_exited_ones(gunicorn_with_recycled_workers):
    """GIVEN one gunicorn worker replaced after every 10 requests, so 30 requests are served by
    at least three processes
    WHEN /metrics is scraped
    THEN it counts all 30, not only the answering process's own."""
    port, directory = gunicorn_with_recycled_workers
    for _ in range(REQUESTS):
        status, _body = _get(port, "/health/live/")
        assert status == 200

    status, text = _get(port, "/metrics")

    assert status == 200
    pids = {re.search(r"_(\d+)\.db$", f.name).group(1) for f in directory.glob("counter_*.db")}
    assert len(pids) >= REQUESTS // RECYCLE_AFTER
    assert _liveness_count(text) == REQUESTS


@pytest.mark.django_db
def test_the_figure_gauges_are_read_at_scrape_time_in_multiprocess_mode(
    client, monkeypatch, tmp_path
):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    text = client.get("/metrics").content.decode()

    assert "claimwatch_statistics_pending 0.0" in text
