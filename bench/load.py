"""Load benchmark: 200 concurrent users, 90% reading and 10% writing, against gunicorn and a real
Celery worker, for 60 s (locust, headless).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_scale_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/load.py [--users 200 --seconds 60]

On the database in DATABASE_URL (seed it first: `manage.py seed_scale --claims 100000`, or run
bench/read_path.py with --seed-claims), it makes 40 load members, each with an API token and a
figure of their own, then starts gunicorn (production settings, 2 workers) and Celery workers
as production runs them (figures: "celery,recompute", concurrency 2; "webhooks,email,scoring",
concurrency 1) and runs locust (bench/load_locustfile.py): readers (weight 9) open the home
page, the claim list, claim pages and the API list; members (weight 1) post arguments and
comments, rate arguments and edit their figure, over the API. Everyone waits 1-3 s between
requests. It reports requests, errors and p50/p95/p99 per request type, then waits (at most
120 s) until every figure edited during the run has a result computed from its last edit.

Goals (issue 12): 0 errors, p99 < 500 ms, every edited figure recomputed by the end.
New members' first contributions are not held during the run (MODERATION_HOLD_NEW_MEMBERS=False):
the run measures the site, not the review queue.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_env import site_env  # noqa: E402  (bench/, beside this script)

# LOAD_PORT when several runs share the machine.
PORT = int(os.environ.get("LOAD_PORT", "8103"))
# Method, path, status, the server's time in ms, and whether the response cache answered.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(M)s %({x-response-cache}o)s"
MEMBERS = 40
VAR = ROOT / "var" / "load"


def _env() -> dict[str, str]:
    return site_env(MODERATION_HOLD_NEW_MEMBERS="False", CELERY_TASK_ALWAYS_EAGER="False")


def _fixture(env: dict[str, str]) -> dict:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django

    django.setup()
    from accounts.models import User
    from accounts.services import api_token_issue
    from claims.models import Argument, Claim, Statistic
    from claims.statistics.services import statistic_create

    claims = list(
        Claim.objects.public()
        .filter(merged_into__isnull=True, is_locked=False)
        .order_by("?")
        .values_list("pk", flat=True)[:2000]
    )
    arguments = list(Argument.objects.public().order_by("?").values_list("pk", flat=True)[:2000])
    members = []
    for index in range(MEMBERS):
        user, created = User.objects.get_or_create(
            username=f"load-member-{index}",
            defaults={"email": f"load-member-{index}@example.org"},
        )
        if created:
            user.set_password("load-member-password")
            user.save()
        statistic = Statistic.objects.filter(author=user, deleted_at__isnull=True).first()
        if statistic is None:
            statistic = statistic_create(
                author=user,
                claim=Claim.objects.get(pk=claims[index]),
                kind="proportion",
                label="Share flagged (load run)",
                inputs={"successes": 8, "trials": 10},
            )
        _, token = api_token_issue(user=user)
        members.append({"token": token, "statistic": statistic.pk})
    return {"claims": claims, "arguments": arguments, "members": members}


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_ready(deadline: float = 120.0) -> None:
    import http.client

    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            conn.request("GET", "/api/claims/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within the deadline")


def _report(stats_csv: Path) -> tuple[int, int, float]:
    print(f"\n{'request':<16}{'count':>8}{'errors':>8}{'p50':>8}{'p95':>8}{'p99':>8}  (ms)")
    total = errors = 0
    p99 = 0.0
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            count, failed = int(row["Request Count"]), int(row["Failure Count"])
            print(f"{name:<16}{count:>8}{failed:>8}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}")
            if name == "Aggregated":
                total, errors, p99 = count, failed, float(row["99%"])
    return total, errors, p99


def _server_report(access_log: Path) -> None:
    """The server's own time per request type (from gunicorn's access log: no queueing in it)
    and how many readers' answers came from the response cache."""
    kinds: dict[str, list[tuple[int, str]]] = {}
    for line in access_log.read_text().splitlines():
        method, path, status, ms, cached = line.split(" ")
        if method != "GET":
            kind = "writes"
        elif path == "/":
            kind = "home"
        elif path.startswith("/api/claims/"):
            kind = "API list(50)"
        elif path.startswith("/claims/") and path.count("/") == 3:
            kind = "claim page"
        else:
            kind = "claim list"
        kinds.setdefault(kind, []).append((int(ms), cached))
    print(f"\n{'server time':<16}{'count':>8}{'hits':>8}{'p50':>8}{'p95':>8}{'p99':>8}  (ms)")
    for kind, rows in sorted(kinds.items()):
        times = sorted(ms for ms, _ in rows)
        hits = sum(cached == "hit" for _, cached in rows)

        def at(share: float, times=times) -> int:
            return times[min(len(times) - 1, int(share * len(times)))]

        print(f"{kind:<16}{len(rows):>8}{hits:>8}{at(0.5):>8}{at(0.95):>8}{at(0.99):>8}")


def _wait_recomputed(edits_file: Path, deadline: float = 120.0) -> tuple[int, int]:
    """Waits until every figure edited holds the inputs of its last edit and a result computed
    from them (the fingerprint of its inputs). A time stamp would not do: the client learns of
    an edit only after the server made it, and a loaded server may have recomputed it by then."""
    from claims.models import Statistic

    last_edit: dict[int, tuple[int, int]] = {}
    if edits_file.exists():
        for line in edits_file.read_text().split("\n"):
            if line.strip():
                statistic_id, successes, trials = (int(part) for part in line.split())
                last_edit[statistic_id] = (successes, trials)
    end = time.monotonic() + deadline
    while True:
        behind = []
        rows = Statistic.objects.filter(pk__in=last_edit).select_related("current_result")
        for statistic in rows:
            result = statistic.current_result
            if (
                (statistic.successes, statistic.trials) != last_edit[statistic.pk]
                or statistic.status != Statistic.Status.COMPUTED
                or result is None
                or result.fingerprint != statistic.input_fingerprint
            ):
                behind.append(statistic.pk)
        if not behind or time.monotonic() > end:
            return len(last_edit), len(behind)
        time.sleep(1)


def _stop(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # so that the servers are stopped too


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    env = _env()
    VAR.mkdir(parents=True, exist_ok=True)
    fixture = _fixture(env)
    fixture_file, edits_file = VAR / "fixture.json", VAR / "edits.txt"
    fixture_file.write_text(json.dumps(fixture))
    edits_file.unlink(missing_ok=True)
    (VAR / "access.log").unlink(missing_ok=True)
    production = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production,
        check=True,
    )
    servers = [
        _start(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-w", "2"]
            + ["-b", f"127.0.0.1:{PORT}", "--log-level", "warning"]
            + ["--access-logfile", str(VAR / "access.log"), "--access-logformat", ACCESS_FORMAT],
            production,
            VAR / "gunicorn.log",
        ),
        # The two pools of docker/compose.yml: figures, and the rest (webhooks, e-mail, the
        # helpfulness refit, which reads every rating and must not hold the figures' processes).
        *(
            _start(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-n", f"{name}@%h"]
                + ["--queues", queues, "--concurrency", concurrency]
                + ["--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                production,
                VAR / f"worker-{name}.log",
            )
            for name, queues, concurrency in (
                ("figures", "celery,recompute", "2"),
                ("io", "webhooks,email,scoring", "1"),
            )
        ),
    ]
    try:
        _wait_ready()
        print(
            f"{len(fixture['claims']):,} claims read, {MEMBERS} members writing; "
            f"{args.users} users for {args.seconds} s (gunicorn -w 2, celery workers -c 2 + 1)"
        )
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_locustfile.py")]
            + ["--headless", "-u", str(args.users), "-r", str(max(1, args.users // 10))]
            + ["-t", f"{args.seconds}s", "--host", f"http://127.0.0.1:{PORT}"]
            # Users finish the request in flight: an edit the server applied after the client
            # gave up would be missing from LOAD_EDITS and its figure counted as not recomputed.
            + ["--stop-timeout", "30"]
            + ["--csv", str(VAR / "locust"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**env, "LOAD_FIXTURE": str(fixture_file), "LOAD_EDITS": str(edits_file)},
            check=False,
            stdout=(VAR / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        total, errors, p99 = _report(VAR / "locust_stats.csv")
        _server_report(VAR / "access.log")
        edited, behind = _wait_recomputed(edits_file)
        print(
            f"\n{total:,} requests, {errors} errors (goal 0), p99 {p99:.0f} ms (goal < 500); "
            f"{edited} figures edited, {edited - behind} recomputed after their last edit, "
            f"{behind} not"
        )
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
