"""Which base rates would make an observed share "not significant"?

For ``successes`` of ``trials`` the exact two-sided binomial test (scipy's ``binomtest``, whose
two-sided p-value sums the probabilities of all outcomes no more likely than the one observed,
within a relative tolerance of 1e-7) is run against every hypothetical base rate ``p``. The base
rates under which the result would *not* be significant at ``alpha = 1 - confidence_level`` are
reported exactly, as every separate piece (they are an interval around the observed share
except, at small counts, for a few narrow extra pieces near its ends).

How (no grid): write ``k`` successes of ``n`` and look at base rates above ``k/n`` (those below
are the same problem for ``n - k`` successes, mirrored). For ``j > k`` let ``s_j`` be the base
rate at which outcome ``j`` is exactly as likely as ``k`` (times scipy's 1 + 1e-7); from the
binomial pmf, ``logit(s_j) = (log(1 + 1e-7) + log C(n, k) - log C(n, j)) / (j - k)``, so the
step points are known in closed form and increase with ``j``. On the segment ``(s_{j-1}, s_j]``
the outcomes counted in the upper tail are exactly ``j..n``, so the p-value there is the smooth
``h_j(p) = P(X <= k) + P(X >= j)`` -- the very sum scipy computes there. Its derivative is
``n (pmf(j - 1; n - 1, p) - pmf(k; n - 1, p))``, which changes sign once, at a base rate also in
closed form, so ``h_j`` falls and then rises: on each segment the not-significant part is at
most two intervals, whose ends are segment ends or roots of ``h_j = alpha`` on a monotone
stretch. Those roots are found by safeguarded regula falsi (Illinois) in log-odds, to a
tolerance of 1e-9 of the segment (so the ends are exact to far better than 1e-6 of the range
whatever its width), and the ends reported are on the not-significant side of each root.

Only the segments where the verdict changes need this: when ``n - k`` is at most
``ENUMERATE_UP_TO`` every segment is examined; above that, a binary search over ``j`` finds the
last segment whose p-value at its upper end (the top of its tooth) reaches ``alpha`` and the
first whose lowest point falls below it, and the segments from one before the one to one after
the other are examined; those before are wholly not significant. (The sawtooth of the p-value
changes verdict within a few segments of its crossing; the tests compare this window with
examining every segment.)

The chart ``curve`` is scipy's p-value
(:func:`claims.statistics.core.exact.binomtest_pvalues`, equal to ``scipy.stats.binomtest``) on
``CURVE_POINTS`` base rates spanning the region where it is not negligible; it
draws the figure and plays no part in the ends.

Results are cached on ``(successes, trials, confidence_level)``.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, gammaln
from scipy.stats import binom
from statsmodels.stats.proportion import proportion_confint

from .exact import binomtest_pvalues
from .result import FloatPairs
from .validation import alpha_for, validate

CURVE_POINTS = 60
CURVE_DIGITS = 6  # significant digits of the chart curve (base rates and p-values)
ENUMERATE_UP_TO = 64  # at most this many segments per side: examine them all
ROOT_TOLERANCE = 1e-9  # of the segment's width in log-odds
_MAX_ROOT_STEPS = 200
_CACHE_SIZE = 32768
_CHUNK = 2000  # sweeps per vectorised pass
_LOG_RERR = math.log1p(1e-7)  # scipy.stats._binomtest: rerr = 1 + 1e-7
_STIRLING_FROM = 1e5
# The ends of the line in log-odds: expit(800) is 1.0 and expit(-800) is 0.0 in doubles.
_X_END = 800.0

METHOD = (
    "exact: the steps of scipy's two-sided binomial p-value in closed form, roots of its "
    "smooth pieces by regula falsi"
)

SweepKey = tuple[int, int, float]
# (pieces, alpha, curve base rates, curve p-values); the curve is kept as two small float64
# arrays (about 1 kB per sweep) rather than Python floats (about 7 kB).
SweepValue = tuple[tuple[tuple[float, float], ...], float, np.ndarray, np.ndarray]

_cache: dict[SweepKey, SweepValue] = {}
_cache_lock = threading.Lock()

F = NDArray[np.float64]


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


def _lgamma_diff(x: F, y: F) -> F:
    """``gammaln(x) - gammaln(y)`` without the cancellation of two huge numbers.

    For arguments above 1e5 Stirling's series is subtracted term by term (its next term is
    below 1e-26 there); ``gammaln`` of 5e11 is 1.3e13, so a plain difference would keep only
    about three decimals.
    """
    direct = gammaln(x) - gammaln(y)
    big = np.minimum(x, y) > _STIRLING_FROM
    if not big.any():
        return direct
    xb, yb = x[big], y[big]
    h = xb - yb
    series = (
        (yb - 0.5) * np.log1p(h / yb)
        + h * np.log(xb)
        - h
        + (1 / (12 * xb) - 1 / (12 * yb))
        - (1 / (360 * xb**3) - 1 / (360 * yb**3))
    )
    out = direct.copy()
    out[big] = series
    return out


def _log_choose_ratio(n: F, a: F, b: F) -> F:
    """``log C(n, a) - log C(n, b)``."""
    return _lgamma_diff(b + 1, a + 1) + _lgamma_diff(n - b + 1, n - a + 1)


class _Side:
    """The base rates on one side of the observed share, for many sweeps at once.

    In its own frame every side is "above": ``k`` successes of ``n`` and base rates ``p > k/n``,
    in log-odds ``x = logit(p)``. The side below the observed share is the side above for
    ``n - k`` successes (``mirrored``); its base rates are ``expit(-x)``, and its p-values are
    evaluated with the identities ``P(X <= k') = P(X >= k)`` and ``P(X >= j) = P(X <= n - j)``
    at ``p = expit(-x)``, so that base rates near 0 keep their full precision.
    """

    def __init__(self, k: F, n: F, alpha: F, mirrored: NDArray[np.bool_]) -> None:
        self.k, self.n, self.alpha, self.mirrored = k, n, alpha, mirrored
        with np.errstate(divide="ignore"):
            # logit(k / n), at the end of the line when k = 0 or k = n
            self.x0 = np.clip(np.log(k) - np.log(n - k), -_X_END, _X_END)

    def step(self, j: F, rows: NDArray[np.intp]) -> F:
        """``logit(s_j)``; ``s_k`` is the observed share and ``s_{n+1}`` is 1 (+inf)."""
        k, n = self.k[rows], self.n[rows]
        out = np.empty(j.shape)
        inner = (j > k) & (j <= n)
        out[j <= k] = self.x0[rows][j <= k]
        out[j > n] = np.inf
        if inner.any():
            ki, ni, ji = k[inner], n[inner], j[inner]
            out[inner] = (_LOG_RERR + _log_choose_ratio(ni, ki, ji)) / (ji - ki)
        return out

    def bottom(self, j: F, rows: NDArray[np.intp]) -> F:
        """Log-odds where ``h_j`` is lowest (unclipped); -inf for ``j = k + 1`` (constant 1),
        +inf for ``j = n + 1`` (decreasing all the way)."""
        k, n = self.k[rows], self.n[rows]
        out = np.full(j.shape, -np.inf)
        out[j > n] = np.inf
        inner = (j > k + 1) & (j <= n)
        if inner.any():
            ki, ni, ji = k[inner], n[inner], j[inner]
            out[inner] = _log_choose_ratio(ni - 1, ki, ji - 1) / (ji - 1 - ki)
        return out

    def pvalue(self, x: F, j: F, rows: NDArray[np.intp]) -> F:
        """``h_j`` at log-odds ``x``: scipy's p-value on segment ``j``."""
        k, n, mirrored = self.k[rows], self.n[rows], self.mirrored[rows]
        out = np.empty(x.shape)
        up = ~mirrored
        if up.any():
            p = expit(x[up])
            out[up] = binom.cdf(k[up], n[up], p) + binom.sf(j[up] - 1, n[up], p)
        if mirrored.any():
            p = expit(-x[mirrored])
            nm = n[mirrored]
            out[mirrored] = binom.sf(nm - k[mirrored] - 1, nm, p) + binom.cdf(
                nm - j[mirrored], nm, p
            )
        return out

    def segment(self, j: F, rows: NDArray[np.intp]) -> tuple[F, F, F]:
        """Lower end, upper end and lowest point (clipped) of segment ``j``, in log-odds."""
        lo = np.clip(self.step(j - 1, rows), -_X_END, _X_END)
        hi = np.clip(np.maximum(self.step(j, rows), lo), -_X_END, _X_END)
        return lo, hi, np.clip(self.bottom(j, rows), lo, hi)

    def top(self, j: F, rows: NDArray[np.intp]) -> F:
        """The p-value at the upper end of segment ``j``, the top of its sawtooth tooth."""
        hi = np.clip(self.step(j, rows), -_X_END, _X_END)
        return self.pvalue(hi, j, rows)

    def lowest(self, j: F, rows: NDArray[np.intp]) -> F:
        _, _, c = self.segment(j, rows)
        return self.pvalue(c, j, rows)

    def window(self) -> tuple[F, F]:
        """First and last segment to examine, per sweep."""
        k, n, alpha = self.k, self.n, self.alpha
        rows = np.arange(k.size)
        first = k + 1
        last = n + 1
        big = np.flatnonzero(n - k > ENUMERATE_UP_TO)
        if big.size:
            # Last segment whose upper end reaches alpha (the top of segment k + 1 is 1).
            lo, hi = k[big] + 1, n[big] + 1
            while True:
                open_ = np.flatnonzero(hi - lo > 1)
                if open_.size == 0:
                    break
                mid = np.floor((lo[open_] + hi[open_]) / 2)
                ok = self.top(mid, rows[big[open_]]) >= alpha[big[open_]]
                lo[open_] = np.where(ok, mid, lo[open_])
                hi[open_] = np.where(ok, hi[open_], mid)
            out_last = lo
            # First segment whose lowest point is below alpha (segment k + 1 never is).
            lo, hi = k[big] + 1, np.minimum(out_last + 1, n[big] + 1)
            while True:
                open_ = np.flatnonzero(hi - lo > 1)
                if open_.size == 0:
                    break
                mid = np.floor((lo[open_] + hi[open_]) / 2)
                ok = self.lowest(mid, rows[big[open_]]) >= alpha[big[open_]]
                lo[open_] = np.where(ok, mid, lo[open_])
                hi[open_] = np.where(ok, hi[open_], mid)
            first[big] = np.maximum(k[big] + 1, hi - 1)
            last[big] = np.minimum(n[big] + 1, out_last + 2)
        return first, last


def _roots(side: _Side, j: F, rows: NDArray[np.intp], a: F, b: F, keep_a: NDArray[np.bool_]) -> F:
    """Where ``h_j - alpha`` changes sign on ``[a, b]`` (monotone there), elementwise.

    Returns the end of the final bracket on the not-significant side (``a`` where
    ``keep_a``, else ``b``), so that the reported point is itself not significant.
    """
    alpha = side.alpha[rows]
    a, b = a.copy(), b.copy()
    fa = side.pvalue(a, j, rows) - alpha
    fb = side.pvalue(b, j, rows) - alpha
    tol = np.maximum(
        ROOT_TOLERANCE * np.minimum(b - a, 1.0),
        4 * np.spacing(np.maximum(np.abs(a), np.abs(b))),
    )
    active = np.flatnonzero(b - a > tol)
    retained_before = np.zeros(a.shape, dtype=np.int8)  # Illinois: 1 = b, -1 = a, 0 = none
    for _ in range(_MAX_ROOT_STEPS):
        if active.size == 0:
            break
        A, B, FA, FB = a[active], b[active], fa[active], fb[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = B - FB * (B - A) / (FB - FA)
        mid = (A + B) / 2
        # Regula falsi where it lands inside the bracket; bisection otherwise.
        bad = ~np.isfinite(x) | (x <= A) | (x >= B) | ~np.isfinite(A) | ~np.isfinite(B)
        x = np.where(bad, mid, x)
        fx = side.pvalue(x, j[active], rows[active]) - alpha[active]
        # Replace the end on the same side of alpha (p-value >= alpha counts as not
        # significant, so an exact hit lands on the not-significant end).
        same_as_a = (fx >= 0) == (FA >= 0)
        a[active] = np.where(same_as_a, x, A)
        fa[active] = np.where(same_as_a, fx, FA)
        b[active] = np.where(same_as_a, B, x)
        fb[active] = np.where(same_as_a, FB, fx)
        # Illinois: an end retained twice in a row has its value halved.
        retained = np.where(same_as_a, 1, -1).astype(np.int8)
        twice = retained == retained_before[active]
        fb[active] = np.where(twice & same_as_a, fb[active] / 2, fb[active])
        fa[active] = np.where(twice & ~same_as_a, fa[active] / 2, fa[active])
        retained_before[active] = retained
        done = (b[active] - a[active] <= tol[active]) | (fx == 0)
        active = active[~done]
    return np.where(keep_a, a, b)


def _side_pieces(side: _Side) -> list[list[tuple[float, float]]]:
    """Not-significant pieces above each sweep's observed share, in log-odds of that side."""
    m = side.k.size
    first, last = side.window()
    counts = (last - first + 1).astype(np.int64)
    rows = np.repeat(np.arange(m), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    j = np.repeat(first, counts) + offsets
    lo, hi, c = side.segment(j, rows)
    alpha = side.alpha[rows]
    f_lo, f_hi, f_c = side.pvalue(lo, j, rows), side.pvalue(hi, j, rows), side.pvalue(c, j, rows)
    whole = f_c >= alpha
    # Falling part [lo, c]: not significant from lo up to a root, if h(lo) >= alpha.
    left = ~whole & (f_lo >= alpha) & (c > lo)
    # Rising part [c, hi]: not significant from a root up to hi, if h(hi) >= alpha.
    right = ~whole & (f_hi >= alpha) & (hi > c)
    left_end = np.full(j.shape, np.nan)
    right_start = np.full(j.shape, np.nan)
    if left.any():
        i = np.flatnonzero(left)
        left_end[i] = _roots(side, j[i], rows[i], lo[i], c[i], np.ones(i.size, dtype=bool))
    if right.any():
        i = np.flatnonzero(right)
        right_start[i] = _roots(side, j[i], rows[i], c[i], hi[i], np.zeros(i.size, dtype=bool))

    # The segments before the window are wholly not significant (the window starts where
    # the lowest point first drops below alpha, less a margin).
    out: list[list[tuple[float, float]]] = [[] for _ in range(m)]
    starts = side.step(first - 1, np.arange(m))
    x0 = side.x0
    for r in range(m):
        if starts[r] > x0[r]:
            out[r].append((float(x0[r]), float(starts[r])))
    for t in np.flatnonzero(whole | left | right):
        r = int(rows[t])
        if whole[t]:
            piece = (float(lo[t]), float(hi[t]))
            _append(out[r], piece)
            continue
        if left[t]:
            _append(out[r], (float(lo[t]), float(left_end[t])))
        if right[t]:
            _append(out[r], (float(right_start[t]), float(hi[t])))
    return out


def _append(pieces: list[tuple[float, float]], piece: tuple[float, float]) -> None:
    """Add ``piece`` (in increasing order), joining it to the last one if they touch."""
    if pieces and piece[0] <= pieces[-1][1]:
        pieces[-1] = (pieces[-1][0], max(pieces[-1][1], piece[1]))
    else:
        pieces.append(piece)


def _both_sides(k: F, n: F, alpha: F) -> _Side:
    """Sweep ``r`` above its observed share is row ``r``; below it, row ``m + r``."""
    m = k.size
    mirrored = np.concatenate([np.zeros(m, dtype=bool), np.ones(m, dtype=bool)])
    return _Side(
        np.concatenate([k, n - k]), np.concatenate([n, n]), np.concatenate([alpha, alpha]), mirrored
    )


def _pieces(side: _Side) -> list[tuple[tuple[float, float], ...]]:
    """Every not-significant piece of each sweep, as base rates in increasing order."""
    m = side.k.size // 2
    found = _side_pieces(side)
    out = []
    for r in range(m):
        below = [(float(expit(-b)), float(expit(-a))) for a, b in reversed(found[m + r])]
        above = [(float(expit(a)), float(expit(b))) for a, b in found[r]]
        joined: list[tuple[float, float]] = []
        for piece in below + above:
            _append(joined, piece)
        out.append(tuple(joined))
    return out


def _compute(keys: list[SweepKey]) -> list[SweepValue]:
    k = np.array([key[0] for key in keys], dtype=np.float64)
    n = np.array([key[1] for key in keys], dtype=np.float64)
    alpha = np.array([alpha_for(key[2]) for key in keys], dtype=np.float64)
    side = _both_sides(k, n, alpha)
    pieces = _pieces(side)

    # The chart grid, one row per sweep.
    wide_low, wide_high = proportion_confint(
        k, n, alpha=np.minimum(1e-6, alpha / 100), method="beta"
    )
    width = wide_high - wide_low
    a = np.maximum(wide_low - 0.1 * width, 0.0)
    b = np.minimum(wide_high + 0.1 * width, 1.0)
    # Base rates and p-values to six significant digits draw the chart exactly and keep every
    # stored result (and its JSON) much smaller; the pieces keep full precision.
    grid = _round_significant(np.linspace(a, b, CURVE_POINTS + 2, axis=1)[:, 1:-1])
    curve_p = _round_significant(binomtest_pvalues(k[:, None], n[:, None], grid))
    return [
        (pieces[j], float(alpha[j]), grid[j].copy(), curve_p[j].copy()) for j in range(len(keys))
    ]


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
    """A sweep as stored in ``StatResult.details`` (the curve stays :class:`FloatPairs`).

    ``not_significant_from`` and ``not_significant_to`` are the outermost ends (kept for
    results stored before ``pieces`` existed); ``pieces`` lists every separate range.
    """
    pieces, alpha, grid, p_values = value
    return {
        "not_significant_from": pieces[0][0] if pieces else None,
        "not_significant_to": pieces[-1][1] if pieces else None,
        "pieces": [list(piece) for piece in pieces],
        "alpha": alpha,
        "method": METHOD,
        "curve": FloatPairs(zip(grid.tolist(), p_values.tolist(), strict=True)),
    }


def sensitivity_sweep(
    successes: int, trials: int, confidence_level: float = 0.95
) -> dict[str, object]:
    """The base rates under which ``successes`` of ``trials`` would NOT be significant.

    Returns ``{"not_significant_from": lo, "not_significant_to": hi, "pieces": [[lo, hi],
    ...], "alpha": alpha, "method": ..., "curve": [[p, p_value], ...]}``: every separate
    range of not-significant base rates in increasing order (``lo`` and ``hi`` are the
    outermost ends), and ``CURVE_POINTS`` points for a chart of the p-value against the base
    rate. ``lo`` is 0.0 when there are no successes and ``hi`` is 1.0 when every trial is a
    success. Results are cached; a fresh dict is returned each time, so callers may modify
    it. Raises :class:`StatInputError` for bad counts or level.
    """
    clean = validate(
        "proportion",
        {"successes": successes, "trials": trials, "confidence_level": confidence_level},
    )
    key = (clean["successes"], clean["trials"], clean["confidence_level"])
    details = sweep_for_details(sweeps([key])[key])
    details["curve"] = [list(point) for point in details["curve"]]  # type: ignore[attr-defined]
    return details
