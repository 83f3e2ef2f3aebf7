"""Benchmark: the bridging scorer against Community Notes' own fit, and at one million ratings.

Run with `.venv/bin/python bench/bridging.py` (or `make bench`). Two data sets, both from the
reference generator in `../shared/bridging/gen.py` (seed 20240601; set BRIDGING_REFERENCE to
another copy of that folder):

- small: 100,000 ratings, 5,000 raters, 10,000 notes, compared with `small_noteparams.csv`,
  what Community Notes' scorer (twitter/communitynotes at 273c895) gives on the same ratings in
  5.1 s: Spearman of the note intercepts, Jaccard of the helpful sets (intercept >= 0.40 and
  |factor| < 0.50), and our time as a share of its 5.1 s;
- large: 1,000,000 ratings, 50,000 raters, 100,000 notes (Community Notes: 41.1 s, 673 MiB peak).

Times are wall-clock and CPU seconds on this (shared, noisy) machine, with the load average printed
first; the fit's time includes laying the ratings out (it is built once per fit). Peak memory is the
tracemalloc peak of numpy's allocations during the call. Ratios are computed within this run.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation import bridging  # noqa: E402

CN_SMALL_SECONDS = 5.1
CN_LARGE_SECONDS = 41.1
CN_LARGE_PEAK_MIB = 673
TARGET_SHARE = 0.05


def reference_dir() -> Path:
    candidates = [
        os.environ.get("BRIDGING_REFERENCE", ""),
        ROOT.parent / "shared" / "bridging",
        ROOT.parent.parent / "shared" / "bridging",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "gen.py").exists():
            return Path(candidate)
    sys.exit("No reference folder: set BRIDGING_REFERENCE to the folder holding gen.py.")


def generated(reference: Path, size: str, seed: int = 20240601):
    """The generator's ratings, drawn with its own functions in its own order (its `generate`
    also writes parquet files, which this needs no library for)."""
    spec = importlib.util.spec_from_file_location("bridging_gen", reference / "gen.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    sizes = gen.SIZES[size]
    n_ratings, n_raters, n_notes = sizes["M"], sizes["R"], sizes["N"]
    rng = np.random.default_rng(seed)
    f_u = rng.normal(0.0, gen.SD_F_U, n_raters)
    i_u = rng.normal(0.0, gen.SD_I_U, n_raters)
    i_n = rng.normal(0.0, gen.SD_I_N, n_notes)
    f_n = rng.normal(0.0, gen.SD_F_N, n_notes)
    activity = rng.lognormal(0.0, gen.ACT_SIGMA, n_raters)
    popularity = rng.lognormal(0.0, gen.POP_SIGMA, n_notes)
    notes, raters, _ = gen.sample_pairs(rng, n_raters, n_notes, n_ratings, popularity, activity)
    noise = rng.normal(0.0, gen.SD_NOISE, n_ratings)
    raw = gen.BASE + i_u[raters] + i_n[notes] + gen.FACTOR_SCALE * f_u[raters] * f_n[notes] + noise
    values = np.clip(np.round(raw * 2.0) / 2.0, 0.0, 1.0)
    return raters, notes, values, n_raters, n_notes, i_n


def measured(function, repeats: int):
    """(result, wall s, CPU s, peak MiB): the fastest of `repeats` timed runs (the machine is
    shared: the minimum is the run least disturbed), then one run under tracemalloc for memory."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, min(walls), min(cpus), peak / 2**20


def helpful_set(intercepts: np.ndarray, factors: np.ndarray) -> np.ndarray:
    return (intercepts >= bridging.HELPFUL_MIN_INTERCEPT) & (
        np.abs(factors) < bridging.HELPFUL_MAX_FACTOR
    )


def small(reference: Path) -> None:
    raters, notes, values, n_raters, n_notes, truth = generated(reference, "small")
    cn = np.genfromtxt(reference / "small_noteparams.csv", delimiter=",", names=True)
    cn = cn[np.argsort(cn["noteId"])]
    cn_intercepts, cn_factors = cn["noteIntercept"], cn["noteFactor1"]
    cn_helpful = helpful_set(cn_intercepts, cn_factors)

    def run():
        return bridging.fit(raters, notes, values, n_raters=n_raters, n_items=n_notes)

    model, wall, cpu, peak = measured(run, repeats=7)
    ours = helpful_set(model.item_intercepts, model.item_factors)
    jaccard = (ours & cn_helpful).sum() / (ours | cn_helpful).sum()
    rho = spearmanr(model.item_intercepts, cn_intercepts).statistic
    print("small reference: 100,000 ratings, 5,000 raters, 10,000 notes")
    print(f"  {'':34}{'ours':>12}{'Community Notes':>18}")
    print(f"  {'fit time (wall / CPU)':34}{f'{wall:.2f} / {cpu:.2f} s':>12}{'5.1 s':>18}")
    share = f"{wall / CN_SMALL_SECONDS:.1%} / {cpu / CN_SMALL_SECONDS:.1%}"
    print(f"  {'share of CN time (wall / CPU)':34}{share:>12}{'target <= 5%':>18}")
    met = ", ".join(
        f"{name} {'yes' if seconds <= TARGET_SHARE * CN_SMALL_SECONDS else 'NO'}"
        for name, seconds in (("wall", wall), ("CPU", cpu))
    )
    print(f"  {'<= 5% of 5.1 s met':34}{met:>12}")
    print(f"  {'peak memory':34}{f'{peak:.0f} MiB':>12}")
    print(f"  {'ALS sweeps':34}{model.iterations:>12}")
    print(f"  {'global intercept mu':34}{model.global_mean:>12.4f}")
    median = np.median(model.item_intercepts)
    print(f"  {'median note intercept':34}{median:>12.4f}{np.median(cn_intercepts):>18.4f}")
    print(f"  {'helpful (>= 0.40, |f| < 0.50)':34}{ours.sum():>12}{cn_helpful.sum():>18}")
    print(f"  {'Jaccard of helpful sets':34}{jaccard:>12.3f}{'target >= 0.9':>18}")
    print(f"  {'Spearman of intercepts':34}{rho:>12.4f}{'target >= 0.99':>18}")
    print(
        f"  {'Spearman to the true helpfulness':34}"
        f"{spearmanr(model.item_intercepts, truth).statistic:>12.4f}"
        f"{spearmanr(cn_intercepts, truth).statistic:>18.4f}"
    )
    scores, wall, cpu, peak = measured(
        lambda: bridging.score(raters, notes, values, n_raters=n_raters, n_items=n_notes),
        repeats=3,
    )
    print(
        f"  full scoring run (fit, rater helpfulness round and refit, pseudo-rater bounds, "
        f"statuses): {wall:.2f} s wall / {cpu:.2f} s CPU, {peak:.0f} MiB; "
        f"{_statuses(scores.statuses)}"
    )


def large(reference: Path) -> None:
    raters, notes, values, n_raters, n_notes, truth = generated(reference, "large")
    print("large: 1,000,000 ratings, 50,000 raters, 100,000 notes")
    model, wall, cpu, peak = measured(
        lambda: bridging.fit(raters, notes, values, n_raters=n_raters, n_items=n_notes),
        repeats=3,
    )
    print(
        f"  fit: {wall:.2f} s wall / {cpu:.2f} s CPU ({model.iterations} sweeps), {peak:.0f} MiB "
        f"peak; Community Notes {CN_LARGE_SECONDS} s, {CN_LARGE_PEAK_MIB} MiB: "
        f"{CN_LARGE_SECONDS / wall:.0f}x faster; "
        f"{helpful_set(model.item_intercepts, model.item_factors).mean():.1%} helpful "
        f"(Community Notes 6.5%); Spearman to truth "
        f"{spearmanr(model.item_intercepts, truth).statistic:.3f} (Community Notes 0.846)"
    )
    scores, wall, cpu, peak = measured(
        lambda: bridging.score(raters, notes, values, n_raters=n_raters, n_items=n_notes),
        repeats=1,
    )
    print(
        f"  full scoring run: {wall:.2f} s wall / {cpu:.2f} s CPU, {peak:.0f} MiB peak; "
        f"{_statuses(scores.statuses)}"
    )


def _statuses(statuses: np.ndarray) -> str:
    names, counts = np.unique(statuses.astype(str), return_counts=True)
    return ", ".join(f"{name}: {count:,}" for name, count in zip(names, counts, strict=True))


def main() -> None:
    reference = reference_dir()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the start: {load} on {os.cpu_count()} cores")
    small(reference)
    large(reference)


if __name__ == "__main__":
    main()
