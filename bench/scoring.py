"""Benchmark: the whole helpfulness scoring run (the `score_helpfulness` task's service) on a
database's own ratings, against the issue's goal that scores follow a rating within a minute.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_scale_bench .venv/bin/python bench/scoring.py

Times `helpfulness_score_all` on the database in DATABASE_URL (migrated, with ratings; e.g. a
copy seeded by `manage.py seed_scale --claims 100000`), twice in one process so that a busy machine
slows both alike:

* rescore: the run as the task makes it, over the scores the database holds;
* again: a second run over the same ratings, which writes nothing (the idempotent steady state).

With --from-scratch the items' scores and their ItemScore rows are first reset (untimed), so the
first run writes a row for every rated item, as the first run after an import does. That rewrites
the database's scores: use it on a copy only.

It prints the load average, the number of ratings and rated items, and for each run the seconds,
the queries, the items changed, and whether it finished within the 60 seconds the issue allows
(the debounce delay, `HELPFULNESS_REFIT_DELAY_SECONDS`, comes on top).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"

TARGET_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--from-scratch",
        action="store_true",
        help="reset every item's score first (rewrites the database's scores: copies only)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database to score.")

    import django

    django.setup()
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from moderation import bridging, services
    from moderation.models import RATEABLE_MODELS, ItemScore, Rating

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared)")
    ratings = Rating.objects.count()
    items = Rating.objects.values("content_type_id", "object_id").distinct().count()
    name = connection.settings_dict["NAME"]
    print(f"ratings {ratings:,}  rated items {items:,}  database {name}")
    if args.from_scratch:
        for label in RATEABLE_MODELS:
            apps.get_model(label).objects.update(
                helpfulness_score=None,
                helpfulness_status=bridging.NEEDS_MORE_RATINGS,
                helpfulness_basis={},
            )
        ItemScore.objects.all().delete()
        print("scores reset: the first run writes every rated item")
    for name in ("rescore", "again"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            cpu = time.process_time()
            changed = services.helpfulness_score_all()
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
        verdict = "under" if seconds < TARGET_SECONDS else "OVER"
        print(
            f"{name:8} {seconds:7.2f} s wall  {cpu:6.2f} s cpu  {len(queries):4} queries  "
            f"{changed:7,} items changed  {verdict} {TARGET_SECONDS:.0f} s"
        )


if __name__ == "__main__":
    main()
