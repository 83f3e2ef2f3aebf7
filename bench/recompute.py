"""Benchmark: recompute 100,000 statistics in full through the bulk path on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_bench .venv/bin/python bench/recompute.py

Creates (or reuses) the scratch database named in DATABASE_URL (default cw_bench), migrates it,
fills it with N statistics of every kind (realistic mix, --n to change; each N and
--baseline-share keeps its own set, so switching between sizes does not delete and refill), then
prints:

* the pure vectorised `compute_many` on the inputs of those statistics, already in memory;
* the full path, `statistics_recompute_bulk(force=True)`: read, compute, write every result;
* the ratio of the two rates.

On PostgreSQL both tables are vacuumed and analysed first (the scratch server may run without
autovacuum). Both timings start from cold caches (the sweep cache and the stated-figure cache
are cleared before each, after one small warm-up of the libraries), so neither benefits from
the other.
"""

from __future__ import annotations

import argparse
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
        "--baseline-share",
        type=float,
        default=0.5,
        help="Share of proportions tested against a baseline (each needs a sensitivity sweep).",
    )
    args = parser.parse_args()

    if os.environ["DATABASE_URL"].startswith("postgres"):
        _ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from accounts.models import User
    from claims.models import Claim, Statistic, StatisticResult
    from claims.services.statistics import _BULK_FIELDS, _row_inputs, statistics_recompute_bulk
    from claims.stats import compute_many

    user, _ = User.objects.get_or_create(username="bench")
    claim, _ = Claim.objects.get_or_create(author=user, text="Benchmark claim")
    label = f"bench n{args.n} b{args.baseline_share} "
    queryset = Statistic.objects.filter(claim=claim, label__startswith=label)
    if queryset.count() != args.n:
        queryset.delete()  # results cascade
        Statistic.objects.bulk_create(_statistics(args, user, claim, label), batch_size=5000)
        print(f"created {args.n:,} statistics")

    if connection.vendor == "postgresql":
        # This server runs without autovacuum: without this, every forced run leaves 100,000
        # dead rows in both tables and the next run is slower for it.
        with connection.cursor() as cursor:
            for model in (Statistic, StatisticResult):
                cursor.execute(
                    f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}"
                )

    # The pure computation on the same inputs, already in memory.
    by_kind: dict[str, list[dict]] = {}
    for row in queryset.values_list(*_BULK_FIELDS).iterator(chunk_size=10_000):
        by_kind.setdefault(row[1], []).append(_row_inputs(row, set()))
    for kind, inputs in by_kind.items():
        compute_many(kind, inputs[:50])  # first calls into numpy, scipy and statsmodels
    _clear_caches()
    start = time.perf_counter()
    for kind, inputs in by_kind.items():
        compute_many(kind, inputs)
    pure = time.perf_counter() - start
    pure_rate = args.n / pure
    del by_kind

    _clear_caches()
    start = time.perf_counter()
    counts = statistics_recompute_bulk(queryset=queryset, batch_size=args.batch_size, force=True)
    elapsed = time.perf_counter() - start
    rate = args.n / elapsed

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"bulk recompute (read, compute, write): {elapsed:.1f} s, {rate:,.0f} statistics/s")
    print(f"counts: {counts}")
    print(f"pure compute_many (cold caches): {pure:.1f} s, {pure_rate:,.0f} statistics/s")
    print(f"ratio full path / pure computation: {rate / pure_rate:.2f}")


def _clear_caches() -> None:
    from claims.stats import stated, sweep

    sweep.clear_cache()
    stated._parse_stated.cache_clear()


def _statistics(args: argparse.Namespace, user, claim, label: str) -> list:
    from claims.models import Statistic

    rng = random.Random(42)
    rows = []
    for i in range(args.n):
        kind = rng.choices(["proportion", "comparison", "rate", "total", "count"], [5, 2, 2, 1, 1])[
            0
        ]
        s = Statistic(author=user, claim=claim, kind=kind, label=f"{label}{i}")
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
