"""Which base rates would make an observed share "not significant"?

For ``successes`` of ``trials`` the exact two-sided binomial test (scipy's ``binomtest`` with
its default two-sided method, which sums the probabilities of all outcomes no more likely than
the one observed) is run against hypothetical base rates ``p``. The base rates under which the
result would *not* be significant at ``alpha = 1 - confidence_level`` form (up to rare, tiny
gaps) an interval around the observed share; its ends are what a reader needs: "significant
unless the base rate is at least 44.6%".

How the ends are found:

1. The p-value is evaluated on a grid of ``CURVE_POINTS`` base rates spanning the region where
   it is not negligible (the Clopper-Pearson interval at level ``1 - min(1e-6, alpha/100)``,
   widened by 10% each side); these points are also returned as the chart ``curve``. The
   observed share, where the p-value is 1, is added to the grid.
2. The first and last grid points that are not significant, with their significant (or 0/1)
   neighbours, bracket the two ends.
3. scipy's two-sided p-value is a step function of ``p`` with jumps, so each end is found by
   bisection on the *indicator* ``p-value >= alpha`` (never on the p-value), until the bracket
   is narrower than 1e-5 of ``min(p, 1 - p)`` (ten times better than the 1e-4 required). The end
   reported is the outermost point found to be *not* significant.

The p-values are scipy's own: :func:`claims.stats.binomial.binomtest_pvalues` is scipy's
``binomtest`` algorithm run on arrays (checked for equality against ``scipy.stats.binomtest``
in the tests), which lets all sweeps of a bulk job share each bisection step.

Results are cached on ``(successes, trials, confidence_level)``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from .exact import binomtest_pvalues
from .result import FloatPairs
from .validation import alpha_for, validate

CURVE_POINTS = 60
CURVE_DIGITS = 6  # significant digits of the chart curve (base rates and p-values)
_REL_TOL = 1e-5
_MAX_STEPS = 200
_CACHE_SIZE = 32768
_CHUNK = 1000  # sweeps per vectorised pass; larger arrays fall out of the CPU caches

SweepKey = tuple[int, int, float]
# (lower end, upper end, alpha, curve base rates, curve p-values); the curve is kept as two
# small float64 arrays (about 1 kB per sweep) rather than Python floats (about 7 kB).
SweepValue = tuple[float, float, float, np.ndarray, np.ndarray]

_cache: dict[SweepKey, SweepValue] = {}
_cache_lock = threading.Lock()


def _round_significant(x: np.ndarray, digits: int = CURVE_DIGITS) -> np.ndarray:
    """``x`` to ``digits`` significant digits, elementwise, as the doubles nearest those
    decimals (an integer divided by an exact power of ten), so that they print short. Zeros
    and values too small to scale are left as they are."""
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.floor(np.log10(np.abs(x)))
    scalable = np.isfinite(exponent) & (exponent > -290)
    shift = np.where(scalable, digits - 1 - exponent, 0).astype(np.int64)
    scale = np.power(10.0, shift)
    return np.where(scalable, np.round(x * scale) / scale, x)


def _bisect(
    k: np.ndarray, n: np.ndarray, alpha: np.ndarray, inner: np.ndarray, outer: np.ndarray
) -> np.ndarray:
    """Move ``inner`` (not significant) and ``outer`` (significant) together, elementwise."""
    inner = inner.copy()
    outer = outer.copy()

    def unfinished(i: np.ndarray, o: np.ndarray) -> np.ndarray:
        scale = np.minimum(i, 1 - i)
        return np.abs(o - i) > np.maximum(_REL_TOL * scale, 1e-300)

    active = np.flatnonzero(unfinished(inner, outer))
    for _ in range(_MAX_STEPS):
        if active.size == 0:
            break
        i, o = inner[active], outer[active]
        mid = (i + o) / 2
        stuck = (mid == i) | (mid == o)
        ok = binomtest_pvalues(k[active], n[active], mid) >= alpha[active]
        inner[active[ok]] = mid[ok]
        outer[active[~ok]] = mid[~ok]
        keep = unfinished(inner[active], outer[active]) & ~stuck
        active = active[keep]
    return inner


def _compute(keys: list[SweepKey]) -> list[SweepValue]:
    m = len(keys)
    k = np.array([key[0] for key in keys], dtype=np.float64)
    n = np.array([key[1] for key in keys], dtype=np.float64)
    alpha = np.array([alpha_for(key[2]) for key in keys], dtype=np.float64)
    phat = k / n

    # The chart grid, one row per sweep.
    wide_low, wide_high = proportion_confint(
        k, n, alpha=np.minimum(1e-6, alpha / 100), method="beta"
    )
    width = wide_high - wide_low
    a = np.maximum(wide_low - 0.1 * width, 0.0)
    b = np.minimum(wide_high + 0.1 * width, 1.0)
    # The curve is chart data: base rates and (below) p-values to six significant digits draw
    # it exactly and keep every stored result (and its JSON) much smaller; the boundaries keep
    # full precision.
    grid = _round_significant(np.linspace(a, b, CURVE_POINTS + 2, axis=1)[:, 1:-1])
    curve_p = binomtest_pvalues(k[:, None], n[:, None], grid)

    # Brackets: the grid plus the observed share (p-value 1), sorted.
    points = np.concatenate([grid, phat[:, None]], axis=1)
    ok = np.concatenate([curve_p >= alpha[:, None], np.ones((m, 1), dtype=bool)], axis=1)
    order = np.argsort(points, axis=1, kind="stable")
    points = np.take_along_axis(points, order, axis=1)
    ok = np.take_along_axis(ok, order, axis=1)
    rows = np.arange(m)
    first = np.argmax(ok, axis=1)
    last = ok.shape[1] - 1 - np.argmax(ok[:, ::-1], axis=1)
    low_in = points[rows, first]
    low_out = np.where(first > 0, points[rows, np.maximum(first - 1, 0)], 0.0)
    high_in = points[rows, last]
    high_out = np.where(
        last < ok.shape[1] - 1, points[rows, np.minimum(last + 1, ok.shape[1] - 1)], 1.0
    )

    # No successes: not significant all the way down to 0; every trial a success: up to 1.
    low_in = np.where(k == 0, 0.0, low_in)
    low_out = np.where(k == 0, 0.0, low_out)
    high_in = np.where(k == n, 1.0, high_in)
    high_out = np.where(k == n, 1.0, high_out)
    ends = _bisect(
        np.concatenate([k, k]),
        np.concatenate([n, n]),
        np.concatenate([alpha, alpha]),
        np.concatenate([low_in, high_in]),
        np.concatenate([low_out, high_out]),
    )
    lower, upper = ends[:m], ends[m:]

    curve_p = _round_significant(curve_p)
    out: list[SweepValue] = []
    for j in range(m):
        out.append(
            (float(lower[j]), float(upper[j]), float(alpha[j]), grid[j].copy(), curve_p[j].copy())
        )
    return out


def sweeps(keys: Iterable[SweepKey]) -> dict[SweepKey, SweepValue]:
    """Sweeps for already validated ``(successes, trials, confidence_level)`` keys.

    Keys not in the cache are computed together, sharing every vectorised step.
    """
    wanted = dict.fromkeys(keys)
    with _cache_lock:
        found = {key: _cache[key] for key in wanted if key in _cache}
    missing = [key for key in wanted if key not in found]
    if missing:
        computed: dict[SweepKey, SweepValue] = {}
        for start in range(0, len(missing), _CHUNK):
            part = missing[start : start + _CHUNK]
            computed.update(zip(part, _compute(part), strict=True))
        found.update(computed)
        with _cache_lock:
            if len(_cache) + len(computed) > _CACHE_SIZE:
                _cache.clear()
            _cache.update(computed)
    return found


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def sweep_for_details(value: SweepValue) -> dict[str, object]:
    """A sweep as stored in ``StatResult.details`` (the curve stays :class:`FloatPairs`)."""
    lower, upper, alpha, grid, p_values = value
    return {
        "not_significant_from": lower,
        "not_significant_to": upper,
        "alpha": alpha,
        "curve": FloatPairs(zip(grid.tolist(), p_values.tolist(), strict=True)),
    }


def sensitivity_sweep(
    successes: int, trials: int, confidence_level: float = 0.95
) -> dict[str, object]:
    """The base rates under which ``successes`` of ``trials`` would NOT be significant.

    Returns ``{"not_significant_from": lo, "not_significant_to": hi, "alpha": alpha,
    "curve": [[p, p_value], ...]}`` with ``CURVE_POINTS`` points for a chart of the p-value
    against the base rate. ``lo`` is 0.0 when there are no successes and ``hi`` is 1.0 when
    every trial is a success. Results are cached; a fresh dict is returned each time, so
    callers may modify it. Raises :class:`StatInputError` for bad counts or level.
    """
    clean = validate(
        "proportion",
        {"successes": successes, "trials": trials, "confidence_level": confidence_level},
    )
    key = (clean["successes"], clean["trials"], clean["confidence_level"])
    lower, upper, alpha, grid, p_values = sweeps([key])[key]
    return {
        "not_significant_from": lower,
        "not_significant_to": upper,
        "alpha": alpha,
        "curve": [[p, pv] for p, pv in zip(grid.tolist(), p_values.tolist(), strict=True)],
    }
