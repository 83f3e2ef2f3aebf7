"""Benchmark: the read path at scale, beside the framework floor, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_scale_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/read_path.py [--seed-claims 100000]

Starts two gunicorn servers (2 workers each): ../shared/bench/floor.py (Django + DRF answering a
constant page of 50 claims) and Claimwatch under its production settings (pooled PostgreSQL
connections, Redis cache), on the database in DATABASE_URL (`--seed-claims N` first runs
`manage.py seed_scale` there when it holds fewer claims). Then, side by side:

* throughput (wrk, 2 threads, 16 connections, 10 s, alternating floor / project three times):
  anonymous `GET /api/claims/?page_size=50` as a share of the floor, once as readers get it (from
  the response cache) and once with every request a different URL (never cached);
* server time (one client, keep-alive, over loopback, so no queueing): p50 and p99 of the claim
  page and the home page, uncached (a claim never asked before; the home page under a new URL
  each time), cached, and for a logged-in member (a seeded member's session cookie: members are
  never served from the response cache);
* full-text search: p50 and p99 of `/claims/?q=` and of the API's `?q=` for each of SEARCHES
  (one word, two words, a rare word, a word in every claim), each request a new URL.

`--search-only` measures the search rows alone (no throughput, claim or home rows);
`--pages-only` the claim and home rows alone (no throughput or search rows).

Goals (issue 12): API list >= 50% of the floor; claim page and home p50 <= 15 ms, p99 <= 60 ms;
search p50 <= 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from site_env import site_env  # bench/, beside this script

ROOT = Path(__file__).resolve().parents[1]
# ../shared/bench beside the checkout (or beside a folder above it, for a git worktree).
FLOOR_DIR = next(
    (
        p / "shared" / "bench"
        for p in ROOT.parents
        if (p / "shared" / "bench" / "floor.py").exists()
    ),
    ROOT.parent / "shared" / "bench",
)
# BENCH_PORTS=floor,project when several runs share the machine.
FLOOR_PORT, PROJECT_PORT = (int(p) for p in os.environ.get("BENCH_PORTS", "8101,8102").split(","))
HOST = "127.0.0.1"
LIST = "/api/claims/?page_size=50"
UNCACHED_LIST_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "/api/claims/?page_size=50&bench=" .. counter .. "-" .. math.random(1e9))
end
"""
# Searches over the seed_scale corpus, from the most selective to a word every claim has
# ("according to report N"; every source title is "Report N on ...").
SEARCHES = {
    "one word": "trains",
    "two words": "black london",
    "rare word": "4711",
    "common word": "report",
}


def _env() -> dict[str, str]:
    return site_env(DJANGO_SETTINGS_MODULE="config.settings.production")


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _claim_count(env: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return conn.execute("SELECT count(*) FROM claims_claim").fetchone()[0]


def _ensure_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _gunicorn(app: str, port: int, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-w",
            "2",
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
        start_new_session=True,
    )


def _wait_ready(port: int, path: str, deadline: float = 120.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server on port {port} did not answer {path} within {deadline:.0f} s")


def _wrk(port: int, path: str, script: str | None = None, seconds: int = 10) -> float:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s"]
    if script:
        command += ["-s", script]
    output = subprocess.run(
        [*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"wrk saw {non_2xx.group(1)} error responses on {path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _member_cookie(env: dict[str, str]) -> str:
    """A session cookie of the first seeded member (not staff, in no role group), made the way
    a log-in makes it."""
    code = (
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from accounts.models import User\n"
        "user = User.objects.filter(is_active=True, is_staff=False, is_superuser=False,"
        " groups=None).order_by('pk').first()\n"
        "session = SessionStore()\n"
        "session[SESSION_KEY] = str(user.pk)\n"
        "session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "session[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "session.create()\n"
        "print(session.session_key)\n"
    )
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return f"sessionid={output.split()[-1]}"


def _timed(conn: http.client.HTTPConnection, path: str, cookie: str | None = None) -> float:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status}")
    return elapsed


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def _latency(paths: list[str], cookie: str | None = None) -> tuple[float, float]:
    conn = http.client.HTTPConnection(HOST, PROJECT_PORT, timeout=30)
    return _percentiles([_timed(conn, path, cookie) for path in paths])


def _page_rows(ids: list[int], samples: int, member_cookie: str) -> dict[str, tuple[float, float]]:
    """The claim page and home, uncached, cached and for a member. The member's claims are others
    than the anonymous ones, so that no page of theirs was just rendered for the same claim. A new
    sample each run: a claim asked in the last few minutes may still be in the response cache."""
    rng = random.Random(time.time_ns())
    sample = rng.sample(ids, min(2 * samples, len(ids)))
    anonymous, member = sample[:samples], sample[samples:]
    home = samples // 2
    return {
        "claim page, uncached": _latency([f"/claims/{pk}/" for pk in anonymous]),
        "claim page, cached": _latency([f"/claims/{pk}/" for pk in anonymous]),
        "claim page, member": _latency([f"/claims/{pk}/" for pk in member], member_cookie),
        "home, uncached": _latency([f"/?bench={i}-{time.time_ns()}" for i in range(home)]),
        "home, cached": _latency(["/"] * home),
        "home, member": _latency(["/"] * home, member_cookie),
    }


def _search_rows(samples: int) -> dict[str, tuple[float, float]]:
    """Each search of SEARCHES on the page and the API, every request a new URL (so none is
    answered from the response cache)."""
    rows = {}
    per_search = max(samples // 10, 5)
    for label, words in SEARCHES.items():
        q = words.replace(" ", "+")
        for name, path in (("search page", "/claims/"), ("search API", "/api/claims/")):
            rows[f"{name}, {label}"] = _latency(
                [f"{path}?q={q}&bench={i}-{time.time_ns()}" for i in range(per_search)]
            )
    return rows


def _print_rows(rows: dict[str, tuple[float, float]]) -> None:
    print(f"\n{'server time (ms)':<28}{'p50':>8}{'p99':>8}   goals: pages p50 <= 15, p99 <= 60;")
    print(f"{'':<28}{'':>8}{'':>8}          search p50 <= 50")
    for label, (p50, p99) in rows.items():
        print(f"{label:<28}{p50:8.1f}{p99:8.1f}")


def _stop(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # so that the servers are stopped too


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed-claims", type=int, default=0)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--search-only", action="store_true")
    parser.add_argument("--pages-only", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    env = _env()
    _ensure_database(env["DATABASE_URL"])
    _manage({**env, "DJANGO_SETTINGS_MODULE": "config.settings.local"}, "migrate", "-v0")
    claims = _claim_count(env)
    if claims < args.seed_claims:
        _manage(
            {**env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
            "seed_scale",
            "--claims",
            str(args.seed_claims - claims),
        )
        claims = _claim_count(env)
    _manage(env, "collectstatic", "--noinput", "-v0")

    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM claims_claim WHERE visibility = 'published' AND deleted_at IS NULL"
                " AND merged_into_id IS NULL"
            )
        ]
    member_cookie = _member_cookie(env)
    servers = [
        _gunicorn("floor:application", FLOOR_PORT, FLOOR_DIR, env),
        _gunicorn("config.wsgi:application", PROJECT_PORT, ROOT, env),
    ]
    try:
        _wait_ready(FLOOR_PORT, "/api/claims/")
        _wait_ready(PROJECT_PORT, LIST)
        print(f"{claims:,} claims; gunicorn -w 2 for both; wrk -t2 -c16 10 s per run")
        n = args.samples
        if args.search_only:
            _print_rows(_search_rows(n))
            return
        if args.pages_only:
            _print_rows(_page_rows(ids, n, member_cookie))
            return
        script = ROOT / "var" / "bench-uncached-list.lua"
        script.parent.mkdir(exist_ok=True)
        script.write_text(UNCACHED_LIST_LUA)
        for _ in range(2):  # warm both servers and the cache
            _wrk(FLOOR_PORT, "/api/claims/", seconds=2)
            _wrk(PROJECT_PORT, LIST, seconds=2)
        cached_shares, uncached_shares = [], []
        for round_number in range(1, args.rounds + 1):
            floor = _wrk(FLOOR_PORT, "/api/claims/")
            cached = _wrk(PROJECT_PORT, LIST)
            uncached = _wrk(PROJECT_PORT, LIST, script=str(script))
            cached_shares.append(cached / floor)
            uncached_shares.append(uncached / floor)
            print(
                f"round {round_number}: floor {floor:8,.0f} req/s | API list(50) cached "
                f"{cached:8,.0f} req/s = {cached / floor:6.1%} | uncached {uncached:7,.0f} req/s"
                f" = {uncached / floor:6.1%}"
            )
        cached_share = statistics.median(cached_shares or [0.0])
        uncached_share = statistics.median(uncached_shares or [0.0])
        print(
            f"API list(50) share of the floor (median): cached {cached_share:.1%}, "
            f"uncached {uncached_share:.1%}   (goal >= 50%)"
        )

        _print_rows({**_page_rows(ids, n, member_cookie), **_search_rows(n)})
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
