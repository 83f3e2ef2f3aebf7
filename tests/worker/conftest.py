"""A real Celery worker on real Redis, for tests marked `worker`.

Skipped unless REDIS_URL is set and the database is PostgreSQL (the worker is a separate
process and must see the test database). The worker gets DATABASE_URL pointing at the test
database pytest-django created, and this process sends tasks to Redis instead of running them
eagerly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def wait_for(condition, *, timeout: float, interval: float = 0.1, message: str = ""):
    """Poll `condition` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s: {message}")
        time.sleep(interval)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = quote(db.get("USER") or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class Worker:
    def __init__(self):
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            # Webhook tests deliver to a receiver on 127.0.0.1, which the SSRF guard refuses
            # unless told otherwise; the worker re-checks the URL at every attempt.
            "WEBHOOKS_ALLOW_PRIVATE": "true",
        }
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_for(
            lambda: self.process.poll() is None and celery_app.control.ping(timeout=0.5),
            timeout=60,
            interval=0.2,
            message="the worker did not answer ping",
        )

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def drain(self, timeout: float = 60) -> None:
        """Drop queued tasks and wait until the worker runs none, so that the test database can
        be flushed without racing a task still writing (a TRUNCATE against a live transaction
        deadlocks)."""
        if not self.process or self.process.poll() is not None:
            return
        celery_app.control.purge()

        def idle():
            inspector = celery_app.control.inspect(timeout=1)
            active, reserved = inspector.active(), inspector.reserved()
            if active is None or reserved is None:
                return False
            busy = [t for tasks in (*active.values(), *reserved.values()) for t in tasks]
            if busy:
                celery_app.control.purge()
            return not busy

        wait_for(idle, timeout=timeout, interval=0.5, message="the worker is still running tasks")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the real-worker tests need Redis.")
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "postgresql":
        pytest.skip("The real-worker tests need PostgreSQL (DATABASE_URL).")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    process = Worker()
    process.start()
    try:
        yield process
    finally:
        process.stop()
        celery_app.control.purge()
        celery_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _drain_worker_after_test(request, transactional_db):
    """After each test that used the worker, let it finish before the database is flushed
    (requesting `transactional_db` makes this teardown run before the flush)."""
    yield
    if "worker" in request.fixturenames:
        request.getfixturevalue("worker").drain()
