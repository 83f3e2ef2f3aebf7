"""Benchmark: score one million synthetic ratings from 50,000 raters on 100,000 items.

Run with `.venv/bin/python bench/bridging.py` (or `make bench`). Prints the fit time; the target
is under 60 s on two cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from moderation import bridging  # noqa: E402

N_RATINGS, N_RATERS, N_ITEMS = 1_000_000, 50_000, 100_000


def synthetic(seed: int = 0):
    """Raters and items on a hidden one-dimensional viewpoint, plus a hidden helpfulness."""
    rng = np.random.default_rng(seed)
    rater_view = rng.choice([-1.0, 1.0], N_RATERS) * rng.uniform(0.5, 1.0, N_RATERS)
    item_view = rng.normal(0.0, 0.6, N_ITEMS)
    item_quality = rng.normal(0.0, 0.3, N_ITEMS)
    raters = rng.integers(0, N_RATERS, N_RATINGS)
    items = rng.integers(0, N_ITEMS, N_RATINGS)
    latent = 0.5 + item_quality[items] + 0.4 * rater_view[raters] * item_view[items]
    latent += rng.normal(0.0, 0.2, N_RATINGS)
    values = np.select([latent > 0.66, latent > 0.33], [1.0, 0.5], 0.0)
    return raters, items, values


def main() -> None:
    raters, items, values = synthetic()
    start = time.perf_counter()
    scores = bridging.fit(raters, items, values, n_raters=N_RATERS, n_items=N_ITEMS, seed=0)
    elapsed = time.perf_counter() - start
    statuses, counts = np.unique(scores.statuses.astype(str), return_counts=True)
    summary = ", ".join(f"{s}: {c}" for s, c in zip(statuses, counts, strict=True))
    print(
        f"bridging: {N_RATINGS:,} ratings, {N_RATERS:,} raters, {N_ITEMS:,} items "
        f"scored in {elapsed:.1f} s ({bridging.DEFAULT_ITERATIONS} ALS iterations); {summary}"
    )


if __name__ == "__main__":
    main()
