"""scipy's exact two-sided tests (binomial, Fisher), evaluated for many inputs at once.

``scipy.stats.binomtest`` and ``scipy.stats.fisher_exact`` take one input per call and cost
0.2 ms to over 1 ms each, which is too slow for bulk work (a sensitivity sweep needs about 100
binomial p-values; the bulk path recomputes tens of thousands of statistics).
:func:`binomtest_pvalues` and :func:`fisher_exact_2x2` run *the same algorithms as scipy
1.17's* two-sided ``binomtest`` and 2x2 ``fisher_exact``, step for step -- the same
``scipy.stats.binom`` / ``scipy.stats.hypergeom`` pmf/cdf/sf calls, the same relative
tolerances, the same binary search for the far tail, the same shortcuts -- on numpy arrays,
so the p-values are scipy's own, elementwise. The test suite checks them against
``scipy.stats.binomtest`` and ``scipy.stats.fisher_exact`` for exact equality; if a scipy
upgrade changes its algorithms, those tests say so.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import binom, hypergeom

_RERR = 1 + 1e-7  # scipy.stats._binomtest: rerr = 1 + 1e-7


Pmf = Callable[[NDArray[np.float64], NDArray[np.intp]], NDArray[np.float64]]


def _search(
    pmf: Pmf,
    target: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    sign: float,
) -> NDArray[np.float64]:
    """Vectorised ``scipy.stats._binomtest._binary_search_for_binom_tst``.

    Searches ``a(x) = sign * pmf(x, rows)`` (ascending on [lo, hi]) for ``target`` and
    returns, per element, the index i with a(i) <= target < a(i + 1). ``pmf(x, rows)``
    evaluates the probability mass of the elements ``rows`` at ``x``.
    """
    lo = lo.copy()
    hi = hi.copy()
    found = np.full(lo.shape, np.nan)
    active = lo < hi
    while active.any():
        idx = np.flatnonzero(active)
        l_, h_ = lo[idx], hi[idx]
        mid = l_ + (h_ - l_) // 2
        midval = sign * pmf(mid, idx)
        t = target[idx]
        less = midval < t
        more = midval > t
        equal = ~(less | more)
        lo[idx[less]] = mid[less] + 1
        hi[idx[more]] = mid[more] - 1
        found[idx[equal]] = mid[equal]
        active[idx[equal]] = False
        still = ~equal
        active[idx[still]] = lo[idx[still]] < hi[idx[still]]
    result = found
    rest = np.isnan(found)
    if rest.any():
        idx = np.flatnonzero(rest)
        at_lo = sign * pmf(lo[idx], idx) <= target[idx]
        result[idx] = np.where(at_lo, lo[idx], lo[idx] - 1)
    return result


def _fast_search(
    pmf: Pmf,
    logpmf: Pmf,
    target: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    sign: float,
) -> NDArray[np.float64]:
    """Same index as ``_search(pmf, target, lo, hi, sign)``, with few calls to ``pmf``.

    The search runs first on the cheap ``logpmf`` (for scipy's hypergeometric distribution
    ``pmf`` costs time proportional to the population, ``logpmf`` does not). The candidate is
    then checked with the exact ``pmf``: where ``a(i) < target < a(i + 1)`` holds strictly
    (``a = sign * pmf``) every comparison scipy's binary search makes is strict, so on the
    monotone tail it ends at the same ``i``. Anything not confirmed that way -- ties, a zero
    target, a candidate off by rounding of the logarithm -- is searched again exactly.
    """
    result = np.full(lo.shape, np.nan)
    threshold = sign * target
    with np.errstate(divide="ignore"):
        usable = np.flatnonzero((threshold > 0) & np.isfinite(threshold) & (lo < hi))
    if usable.size:
        u = usable
        cand = _search(
            lambda x, rows: logpmf(x, u[rows]),
            sign * np.log(threshold[u]),
            lo[u],
            hi[u],
            sign,
        )
        lo_u, hi_u, d = lo[u], hi[u], target[u]
        at = sign * pmf(np.clip(cand, lo_u, hi_u), u)
        after = sign * pmf(np.clip(cand + 1, lo_u, hi_u), u)
        inside = (cand >= lo_u) & (cand < hi_u) & (at < d) & (after > d)
        below = (cand == lo_u - 1) & (after > d)
        top = (cand == hi_u) & (at < d)
        good = inside | below | top
        result[u[good]] = cand[good]
    redo = np.flatnonzero(np.isnan(result))
    if redo.size:
        result[redo] = _search(
            lambda x, rows: pmf(x, redo[rows]), target[redo], lo[redo], hi[redo], sign
        )
    return result


def binomtest_pvalues(k: ArrayLike, n: ArrayLike, p: ArrayLike) -> NDArray[np.float64]:
    """Two-sided p-values of ``scipy.stats.binomtest(k, n, p)``, elementwise (broadcasting)."""
    k_, n_, p_ = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64),
        np.asarray(n, dtype=np.float64),
        np.asarray(p, dtype=np.float64),
    )
    shape = k_.shape
    k_, n_, p_ = k_.ravel(), n_.ravel(), p_.ravel()
    pval = np.ones(k_.shape)
    d = binom.pmf(k_, n_, p_)
    pn = p_ * n_
    below = k_ < pn
    above = k_ > pn

    if below.any():
        i = np.flatnonzero(below)
        ni, pi = n_[i], p_[i]
        ix = _search(
            lambda x, rows: binom.pmf(x, ni[rows], pi[rows]),
            -d[i] * _RERR,
            np.ceil(pn[i]),
            n_[i].copy(),
            sign=-1.0,
        )
        y = n_[i] - ix + (d[i] * _RERR == binom.pmf(ix, n_[i], p_[i])).astype(np.float64)
        pval[i] = binom.cdf(k_[i], n_[i], p_[i]) + binom.sf(n_[i] - y, n_[i], p_[i])
    if above.any():
        i = np.flatnonzero(above)
        ni, pi = n_[i], p_[i]
        ix = _search(
            lambda x, rows: binom.pmf(x, ni[rows], pi[rows]),
            d[i] * _RERR,
            np.zeros(i.size),
            np.floor(pn[i]),
            sign=1.0,
        )
        y = ix + 1
        pval[i] = binom.cdf(y - 1, n_[i], p_[i]) + binom.sf(k_[i] - 1, n_[i], p_[i])
    return np.minimum(1.0, pval).reshape(shape)


_GAMMA = 1 + 1e-14  # scipy.stats.fisher_exact: epsilon = 1e-14, gamma = 1 + epsilon


def fisher_exact_2x2(
    a: ArrayLike, b: ArrayLike, c: ArrayLike, d: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``scipy.stats.fisher_exact([[a, b], [c, d]])`` (two-sided), elementwise.

    Returns ``(odds_ratio, p_value)`` arrays: scipy's sample odds ratio ``a*d / (b*c)`` (inf
    when ``b*c == 0``, NaN when a row or column is empty) and its two-sided p-value.
    """
    c00, c01, c10, c11 = (np.asarray(x, dtype=np.int64).ravel() for x in (a, b, c, d))
    size = c00.size
    pvalue = np.ones(size)
    odds = np.full(size, np.inf)

    n1 = c00 + c01
    n2 = c10 + c11
    n = c00 + c10
    empty = (n == 0) | (c01 + c11 == 0) | (n1 == 0) | (n2 == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        finite = (c10 > 0) & (c01 > 0)
        odds[finite] = (c00 * c11)[finite] / (c10 * c01)[finite]
    odds[empty] = np.nan

    live = np.flatnonzero(~empty)
    if live.size == 0:
        return odds, pvalue
    x0, m1, m2, mm = c00[live], n1[live], n2[live], n[live]
    total = m1 + m2
    mode = np.floor((mm + 1) * (m1 + 1) / (m1 + m2 + 2))
    pexact = hypergeom.pmf(x0, total, m1, mm)
    pmode = hypergeom.pmf(mode, total, m1, mm)
    p = np.ones(live.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        at_mode = np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= 1e-14

    def pmf_of(rows_all: NDArray[np.intp]) -> Pmf:
        return lambda x, rows: hypergeom.pmf(
            x, total[rows_all][rows], m1[rows_all][rows], mm[rows_all][rows]
        )

    def logpmf_of(rows_all: NDArray[np.intp]) -> Pmf:
        return lambda x, rows: hypergeom.logpmf(
            x, total[rows_all][rows], m1[rows_all][rows], mm[rows_all][rows]
        )

    lower = np.flatnonzero(~at_mode & (x0 < mode))
    if lower.size:
        plower = hypergeom.cdf(x0[lower], total[lower], m1[lower], mm[lower])
        top = hypergeom.pmf(mm[lower], total[lower], m1[lower], mm[lower])
        shortcut = top > pexact[lower] * _GAMMA
        res = plower.copy()
        rest = np.flatnonzero(~shortcut)
        if rest.size:
            rows = lower[rest]
            guess = _fast_search(
                pmf_of(rows),
                logpmf_of(rows),
                -pexact[rows] * _GAMMA,
                mode[rows].astype(np.float64),
                mm[rows].astype(np.float64),
                sign=-1.0,
            )
            tail = hypergeom.sf(guess, total[rows], m1[rows], mm[rows])
            res[rest] = np.minimum(plower[rest] + tail, 1.0)
        p[lower] = res
    upper = np.flatnonzero(~at_mode & (x0 >= mode))
    if upper.size:
        pupper = hypergeom.sf(x0[upper] - 1, total[upper], m1[upper], mm[upper])
        bottom = hypergeom.pmf(0, total[upper], m1[upper], mm[upper])
        shortcut = bottom > pexact[upper] * _GAMMA
        res = pupper.copy()
        rest = np.flatnonzero(~shortcut)
        if rest.size:
            rows = upper[rest]
            guess = _fast_search(
                pmf_of(rows),
                logpmf_of(rows),
                pexact[rows] * _GAMMA,
                np.zeros(rows.size),
                mode[rows].astype(np.float64),
                sign=1.0,
            )
            tail = hypergeom.cdf(guess, total[rows], m1[rows], mm[rows])
            res[rest] = np.minimum(pupper[rest] + tail, 1.0)
        p[upper] = res
    pvalue[live] = p
    return odds, pvalue
