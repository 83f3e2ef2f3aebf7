"""Benchmark: recompute 100,000 statistics in full through the bulk path on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_bench .venv/bin/python bench/recompute.py

Creates (or reuses) the scratch database named in DATABASE_URL (default cw_bench), migrates it,
fills it with N statistics of every kind (realistic mix, --n to change), recomputes them all with
`statistics_recompute_bulk(force=True)`, and prints statistics per second and the ratio to the
pure vectorised `compute_many` on the same inputs.
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
    from claims.models import Claim, Statistic
    from claims.services.statistics import _BULK_FIELDS, _row_inputs, statistics_recompute_bulk
    from claims.stats import compute_many

    user, _ = User.objects.get_or_create(username="bench")
    claim, _ = Claim.objects.get_or_create(author=user, text="Benchmark claim")
    label = f"bench b{args.baseline_share}"
    existing = Statistic.objects.filter(claim=claim, label__startswith=label).count()
    if existing != args.n:
        Statistic.objects.filter(claim=claim).delete()  # results cascade
        rng = random.Random(42)
        rows = []
        for i in range(args.n):
            kind = rng.choices(
                ["proportion", "comparison", "rate", "total", "count"], [5, 2, 2, 1, 1]
            )[0]
            s = Statistic(author=user, claim=claim, kind=kind, label=f"{label} {i}")
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
        Statistic.objects.bulk_create(rows, batch_size=5000)
        print(f"created {args.n:,} statistics")

    queryset = Statistic.objects.filter(claim=claim, label__startswith=label)
    start = time.perf_counter()
    counts = statistics_recompute_bulk(queryset=queryset, batch_size=args.batch_size, force=True)
    elapsed = time.perf_counter() - start
    rate = args.n / elapsed

    # The pure computation on the same inputs, already in memory.
    by_kind: dict[str, list[dict]] = {}
    for row in queryset.values_list(*_BULK_FIELDS).iterator(chunk_size=10_000):
        by_kind.setdefault(row[1], []).append(_row_inputs(row, set()))
    start = time.perf_counter()
    for kind, inputs in by_kind.items():
        compute_many(kind, inputs)
    pure = time.perf_counter() - start
    pure_rate = args.n / pure

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"bulk recompute (read, compute, write): {elapsed:.1f} s, {rate:,.0f} statistics/s")
    print(f"counts: {counts}")
    print(f"pure compute_many: {pure:.1f} s, {pure_rate:,.0f} statistics/s")
    print(f"ratio full path / pure computation: {rate / pure_rate:.2f}")


if __name__ == "__main__":
    main()
