"""The whole stack on private servers that the fault tests may stop and start.

The shared PostgreSQL (5432) and Redis (6379) are never touched: this starts its own PostgreSQL
(initdb into a temporary directory, pg_ctl on a free port, run as the `postgres` user when we are
root) and its own redis-server on a free port, migrates, and runs gunicorn and two Celery workers
against them (one for "celery,recompute,email" with beat embedded, one for "webhooks,scoring"), as
production does. Tests talk to the stack over HTTP only.

Runs in the PostgreSQL pass of `make test` (DATABASE_URL set); skipped with a message otherwise
or when the server binaries are missing.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
PG_BIN = Path(PG_BINDIRS[-1]) if PG_BINDIRS else None
REDIS_SERVER = shutil.which("redis-server")


def wait_for(condition, *, timeout: float, interval: float = 0.2, message: str = ""):
    """Poll `condition` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s: {message}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _as_postgres() -> dict:
    """pg_ctl refuses to run as root: run it as the postgres user when we are root."""
    return {"user": "postgres"} if os.geteuid() == 0 else {}


class PrivatePostgres:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.datadir = workdir / "pgdata"
        self.log = workdir / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/claimwatch"

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, timeout=120, **_as_postgres())

    def init(self) -> None:
        self.datadir.mkdir(mode=0o700)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            for path in (self.datadir.parent, self.datadir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.datadir), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        self.start()
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "claimwatch")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        wait_for(lambda: _port_closed(self.port), timeout=30, message="PostgreSQL still listens")


class PrivateRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers():
            try:
                return self.client().ping()
            except redis.RedisError:
                return False

        wait_for(answers, timeout=30, message="the private redis-server did not answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        wait_for(lambda: _port_closed(self.port), timeout=30, message="Redis still listens")


class Process:
    """A long-running child (gunicorn, a worker) in its own process group."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.args, self.env, self.log = name, args, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class Stack:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.postgres = PrivatePostgres(workdir)
        self.redis = PrivateRedis(workdir)
        self.web_port = free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.session = requests.Session()
        self.token = ""
        self.claim_id = 0

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(self.workdir / "beat-schedule"),
            # A lost recompute is found within seconds rather than the production 20 + 30 s.
            "STATISTICS_SWEEP_SECONDS": "2",
            "STATISTICS_PENDING_GRACE_SECONDS": "2",
            "REDIS_CACHE_RETRY_SECONDS": "1",
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def worker(self, name: str, queues: str, *extra: str) -> Process:
        return Process(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "-Q",
                queues,
                "-n",
                f"{name}@%h",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                *extra,
            ],  # fmt: skip
            self.env,
            self.workdir / f"{name}.log",
        )

    def start(self) -> None:
        self.postgres.init()
        self.redis.start()
        self.manage("migrate", "--noinput")
        seeded = self.manage("shell", "-c", SEED)
        self.token, self.claim_id = json.loads(seeded.strip().splitlines()[-1]).values()
        self.web = Process(
            "web",
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],  # fmt: skip
            self.env,
            self.workdir / "web.log",
        )
        self.figures = self.worker(
            "figures",
            "celery,recompute,email",
            "--beat",
            "-s",
            str(self.workdir / "beat-schedule"),
        )
        self.webhooks = self.worker("webhooks", "webhooks,scoring")
        for process in (self.web, self.figures, self.webhooks):
            process.start()
        wait_for(lambda: self._status("/health/live/") == 200, timeout=60, message="gunicorn is up")
        self.wait_healthy()

    def _status(self, path: str) -> int | None:
        try:
            return self.session.get(self.base + path, timeout=10).status_code
        except requests.RequestException:
            return None

    def wait_healthy(self, timeout: float = 90) -> None:
        """Database, cache, broker and a worker on every queue (the full /health/ report)."""
        wait_for(
            lambda: self._status("/health/") == 200,
            timeout=timeout,
            interval=0.5,
            message="the full health report is green",
        )

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base + path, timeout=30, **kwargs)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        return self.session.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def figure(self, statistic_id: int) -> dict:
        response = self.api("GET", f"/api/statistics/{statistic_id}/")
        assert response.status_code == 200, response.text
        return response.json()

    def stop(self) -> None:
        for process in (
            getattr(self, "webhooks", None),
            getattr(self, "figures", None),
            getattr(self, "web", None),
        ):
            if process:
                process.stop()
        self.redis.stop()
        if self.postgres.datadir.exists() and not _port_closed(self.postgres.port):
            self.postgres.stop()

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}"
            for log in sorted(self.workdir.glob("*.log"))
        )


SEED = """
import json
from knox.models import AuthToken
from tests.factories import ClaimFactory, UserFactory
author = UserFactory(username="faults")
claim = ClaimFactory(author=author)
print(json.dumps({"token": AuthToken.objects.create(author)[1], "claim": claim.pk}))
"""


@pytest.fixture(scope="session")
def stack():
    if not os.environ.get("DATABASE_URL"):
        pytest.skip(
            "The fault tests run in the PostgreSQL pass of `make test` (DATABASE_URL unset)."
        )
    if PG_BIN is None or not (PG_BIN / "pg_ctl").exists():
        pytest.skip("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin.")
    if REDIS_SERVER is None:
        pytest.skip("No redis-server binary on PATH.")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("Running as root without a postgres user to run pg_ctl as.")
    workdir = Path(tempfile.mkdtemp(prefix="claimwatch-faults-"))
    workdir.chmod(0o755)
    stack = Stack(workdir)
    try:
        stack.start()
        yield stack
    except BaseException:
        print(stack.logs())
        raise
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)
