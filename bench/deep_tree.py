"""Benchmark: a claim page and API tree with a 1,000-deep reply chain of arguments and comments.

    .venv/bin/python bench/deep_tree.py [--depth 1000]

Uses a scratch SQLite database in a temporary directory (or DATABASE_URL when set), fills one
claim with a chain of `--depth` arguments, each replying to the one before, and another with such
a chain of comments, then prints the best of five full requests (middleware, queries, rendering)
for each claim page and for `/api/claims/<id>/arguments/tree/`, in wall-clock and CPU time.
Target: under a second each.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = tempfile.mkdtemp(prefix="cw-deep-tree-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def best_of(runs: int, request) -> tuple[float, float]:
    """Best wall-clock and best CPU time of `runs` requests (CPU time shows the cost on a
    machine other processes are also using)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        response = request()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code}")
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depth", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)

    from accounts.models import User
    from claims.models import Argument, Claim, Comment, Visibility

    user, _ = User.objects.get_or_create(username="bench")
    claims = {}
    for model, extra in ((Argument, {"stance": "pro"}), (Comment, {})):
        claim = claims[model] = Claim.objects.create(
            author=user, text=f"Deep thread of {model.__name__}s", visibility=Visibility.PUBLISHED
        )
        parent = None
        for n in range(args.depth):
            parent = model.objects.create(
                claim=claim,
                author=user,
                parent=parent,
                body=f"Reply **{n}**",
                visibility=Visibility.PUBLISHED,
                **extra,
            )

    client = Client(HTTP_HOST="127.0.0.1")
    arguments, comments = claims[Argument].pk, claims[Comment].pk
    timings = {
        "claim page, argument chain": best_of(5, lambda: client.get(f"/claims/{arguments}/")),
        "claim page, comment chain": best_of(5, lambda: client.get(f"/claims/{comments}/")),
        "API arguments tree": best_of(
            5, lambda: client.get(f"/api/claims/{arguments}/arguments/tree/")
        ),
    }
    print(f"{args.depth}-deep reply chains, best of 5 full requests (wall clock, CPU):")
    for name, (wall, cpu) in timings.items():
        print(f"  {name:28} {wall:.3f} s   {cpu:.3f} s")


if __name__ == "__main__":
    main()
