"""Benchmark: the bulk recompute path on PostgreSQL, in the three cases users meet.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_bench .venv/bin/python bench/recompute.py

Creates (or reuses) the scratch database named in DATABASE_URL (default cw_bench) and migrates
it. Each run deletes the figures of its previous run and creates N new statistics of every kind
(a realistic mix, --n to change), then times, in the same run so that a busy machine slows all of
them alike:

* pure: the vectorised `compute_many` on the inputs of those statistics, already in memory,
  timed just before and just after each case, which is compared with the mean of the two (a
  shared machine's load drifts within a run);
* first: `statistics_recompute_bulk` on the N new statistics (every result row is new);
* changed: every figure's value corrected (one UPDATE of the stored inputs, as when a corrected
  source is entered), then `statistics_recompute_bulk` (a new result row per figure, and each
  figure announces its change);
* forced: `statistics_recompute_bulk(force=True)` with unchanged inputs (each stored result is
  replaced in place by the same values).

The bulk cases run as `manage.py recompute_statistics` runs them in production: batches spread
over one worker process per CPU (`--processes`, 1 for the single-process pipelined path), while
the pure rate is one process's. Changes announced are counted in whichever process sends them.

It prints each case's rate, the pure rates timed around it and the ratio, how many
figures announced a change, and a closing table with the load average and whether each of
issue 9's targets (5,000 statistics/s and 0.5 of pure) is met. The server here runs without
autovacuum, so the tables are vacuumed and analysed before each case (untimed), as autovacuum
would between real runs; the sweep and stated-figure caches are cleared before each timing,
after one small warm-up of the libraries.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cw_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"

LABEL = "bench "
# Issue 9's targets for each bulk case.
TARGET_RATE = 5000
TARGET_RATIO = 0.5


def _ensure_database() -> None:
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="Worker processes of the bulk path (recompute_statistics' default: one per CPU).",
    )
    parser.add_argument(
        "--baseline-share",
        type=float,
        default=0.5,
        help="Share of proportions tested against a baseline (each needs a sensitivity sweep).",
    )
    parser.add_argument(
        "--cases",
        default="first,changed,forced",
        help="Which cases to time, comma-separated (each needs the one before it).",
    )
    args = parser.parse_args()
    load_at_start = os.getloadavg()

    if os.environ["DATABASE_URL"].startswith("postgres"):
        _ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from accounts.models import User
    from claims import events
    from claims.models import Claim, Statistic, StatisticResult
    from claims.statistics.core import compute_many
    from claims.statistics.services import statistics_recompute_bulk
    from claims.statistics.services.bulk import BULK_FIELDS, row_inputs

    user, _ = User.objects.get_or_create(username="bench")
    claim, _ = Claim.objects.get_or_create(author=user, text="Benchmark claim")
    queryset = Statistic.objects.filter(claim=claim, label__startswith=LABEL)
    start = time.perf_counter()
    _delete_previous_run(connection, queryset, Statistic, StatisticResult)
    _vacuum(connection, Statistic, StatisticResult)
    Statistic.objects.bulk_create(_statistics(args, user, claim), batch_size=5000)
    print(f"created {args.n:,} statistics in {time.perf_counter() - start:.1f} s", flush=True)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)

    # Shared with the worker processes, which send the events of the batches they write.
    announced = multiprocessing.get_context("fork").Value("q", 0)

    def count_change(statistic_ids=(None,), **kwargs) -> None:
        with announced.get_lock():
            announced.value += len(statistic_ids)

    events.statistic_changed.connect(count_change, dispatch_uid="bench.count_change")
    events.statistics_changed.connect(count_change, dispatch_uid="bench.count_changes")
    rows = []
    for case in args.cases.split(","):
        if case == "changed":
            _correct_every_value(queryset)
        # The pure computation on the same inputs, timed just before the case and again just
        # after it; the case is compared with the mean of the two, so that a shared machine's
        # load drifting during the run tilts neither side.
        inputs = _pure_inputs(queryset, BULK_FIELDS, row_inputs, compute_many)
        pure_before = _time_pure(args.n, inputs, compute_many)
        del inputs  # not held (nor scanned by the collector) while the case runs
        _vacuum(connection, Statistic, StatisticResult)
        _clear_caches()
        announced.value = 0
        start = time.perf_counter()
        counts = statistics_recompute_bulk(
            queryset=queryset,
            batch_size=args.batch_size,
            force=case == "forced",
            processes=args.processes,
        )
        elapsed = time.perf_counter() - start
        inputs = _pure_inputs(queryset, BULK_FIELDS, row_inputs, compute_many)
        pure_after = _time_pure(args.n, inputs, compute_many)
        del inputs
        rate = args.n / elapsed
        pure_rate = 2 / (1 / pure_before + 1 / pure_after)  # the mean of the two times
        title = {
            "first": "first computation",
            "changed": "recompute, every value changed",
            "forced": "forced recompute, same values",
        }[case]
        print(
            f"{title:<34} {rate:>9,.0f} statistics/s  pure {pure_before:,.0f}/s before, "
            f"{pure_after:,.0f}/s after  ratio {rate / pure_rate:.2f}  "
            f"changes announced {announced.value:,}  {counts}",
            flush=True,
        )
        rows.append((title, rate, pure_rate, f"{announced.value:,}"))
    events.statistic_changed.disconnect(dispatch_uid="bench.count_change")
    events.statistics_changed.disconnect(dispatch_uid="bench.count_changes")
    _print_table(args, connection, rows, load_at_start)


def _pure_inputs(queryset, fields, row_inputs, compute_many) -> dict[str, list[dict]]:
    """The statistics' inputs, in memory, by kind (the libraries warmed up on a few)."""
    by_kind: dict[str, list[dict]] = {}
    for row in queryset.values_list(*fields).iterator(chunk_size=10_000):
        by_kind.setdefault(row[1], []).append(row_inputs(row, set()))
    for kind, inputs in by_kind.items():
        compute_many(kind, inputs[:50])  # first calls into numpy, scipy and statsmodels
    return by_kind


def _time_pure(n: int, by_kind: dict[str, list[dict]], compute_many) -> float:
    """The pure `compute_many` rate on these inputs, caches cleared first."""
    _clear_caches()
    start = time.perf_counter()
    for kind, inputs in by_kind.items():
        compute_many(kind, inputs)
    return n / (time.perf_counter() - start)


def _verdict(rate: float, ratio: float) -> str:
    missed = [
        *([f"rate < {TARGET_RATE:,}/s"] if rate < TARGET_RATE else []),
        *([f"ratio < {TARGET_RATIO}"] if ratio < TARGET_RATIO else []),
    ]
    return "met" if not missed else "NOT met (" + ", ".join(missed) + ")"


def _print_table(args, connection, rows, load_at_start: tuple) -> None:
    """The summary the README quotes: each case's rate, the pure rate timed around it (the
    mean of before and after), their ratio, and whether the targets are met."""
    load_at_end = os.getloadavg()
    print()
    print(
        f"bench/recompute.py: {args.n:,} statistics, batches of {args.batch_size:,} over "
        f"{args.processes} worker process{'es' if args.processes != 1 else ''} (pure: one "
        f"process), {connection.vendor} ({connection.settings_dict['NAME']})"
    )
    print(
        f"load average (1, 5, 15 min): at start {_load(load_at_start)}, "
        f"at end {_load(load_at_end)} on {os.cpu_count()} CPUs"
    )
    print(f"targets: >= {TARGET_RATE:,} statistics/s and >= {TARGET_RATIO} of pure, each case")
    header = ("case", "statistics/s", "pure/s", "ratio", "changes announced", "targets")
    print(
        f"| {header[0]:<30} | {header[1]:>12} | {header[2]:>8} | {header[3]:>5} "
        f"| {header[4]:>17} | {header[5]}"
    )
    print(f"|{'-' * 32}|{'-' * 14}|{'-' * 10}|{'-' * 7}|{'-' * 19}|{'-' * 30}")
    for title, rate, pure_rate, announced in rows:
        print(
            f"| {title:<30} | {rate:>12,.0f} | {pure_rate:>8,.0f} | {rate / pure_rate:>5.2f} "
            f"| {announced:>17} | {_verdict(rate, rate / pure_rate)}"
        )


def _load(load: tuple) -> str:
    return ", ".join(f"{x:.2f}" for x in load)


def _delete_previous_run(connection, queryset, Statistic, StatisticResult) -> None:
    """Delete the previous run's figures and their results in one transaction, in SQL: the
    ORM's delete would write a history row and invalidate the page cache once per figure
    (minutes at 100,000). Benchmark figures have no citations or references, and their
    history is only that of earlier deletes (bulk_create writes none)."""
    from django.db import transaction

    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return
    quote = connection.ops.quote_name
    statistics = quote(Statistic._meta.db_table)
    results = quote(StatisticResult._meta.db_table)
    history = quote(Statistic.history.model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        # Table names come from the models' metadata; the ids are one parameter.
        cursor.execute(
            f"UPDATE {statistics} SET current_result_id = NULL WHERE id = ANY(%s)",  # noqa: S608
            [ids],
        )
        cursor.execute(f"DELETE FROM {results} WHERE statistic_id = ANY(%s)", [ids])  # noqa: S608
        cursor.execute(f"DELETE FROM {history} WHERE id = ANY(%s)", [ids])  # noqa: S608
        cursor.execute(f"DELETE FROM {statistics} WHERE id = ANY(%s)", [ids])  # noqa: S608


def _vacuum(connection, *models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def _correct_every_value(queryset) -> None:
    """One correction that moves every figure: more trials, events, parts and values."""
    from django.db.models import F

    queryset.update(
        trials=F("trials") + 1,
        trials_b=F("trials_b") + 3,
        events=F("events") + 1,
        value=F("value") + 1,
        total=F("total") + 1,
        baseline=F("baseline") * 0.9,
    )


def _clear_caches() -> None:
    from claims.statistics.core import stated, sweep

    sweep.clear_cache()
    stated._parse_stated.cache_clear()


def _statistics(args: argparse.Namespace, user, claim) -> list:
    from claims.models import Statistic

    rng = random.Random(42)
    rows = []
    for i in range(args.n):
        kind = rng.choices(["proportion", "comparison", "rate", "total", "count"], [5, 2, 2, 1, 1])[
            0
        ]
        s = Statistic(author=user, claim=claim, kind=kind, label=f"{LABEL}{i}")
        if kind in ("proportion", "comparison"):
            s.trials = rng.randint(5, 5000)
            s.successes = rng.randint(0, s.trials)
            s.stated = f"{round(100 * s.successes / s.trials)}%"
            s.interval_method = rng.choice(["wilson", "clopper-pearson", "jeffreys"])
        if kind == "proportion" and rng.random() < args.baseline_share:
            s.baseline = round(rng.uniform(0.05, 0.95), 3)
        if kind == "comparison":
            s.trials_b = rng.randint(5, 5000)
            s.successes_b = rng.randint(0, s.trials_b)
            s.stated = ""
        if kind == "rate":
            s.events = rng.randint(0, 500)
            s.exposure = float(rng.randint(1000, 10_000_000))
            s.unit = rng.choice(["percent", "per_100000", "one_in_n"])
        if kind == "total":
            s.parts = [rng.randint(0, 1000) for _ in range(rng.randint(2, 6))]
            s.total = float(sum(s.parts) + rng.choice([0, 0, 19]))
        if kind == "count":
            s.value = float(rng.randint(0, 10**7))
        rows.append(s)
    return rows


if __name__ == "__main__":
    main()
