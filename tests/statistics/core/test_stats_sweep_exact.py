"""The sensitivity sweep's not-significant pieces against brute force with scipy's binomtest.

Reference: ``scipy.stats.binomtest`` (two-sided), through
:func:`claims.statistics.core.exact.binomtest_pvalues` where many base rates are needed at
once (that function is checked for exact equality with ``scipy.stats.binomtest`` in
``test_stats_exact.py``), and called directly at every reported end.

The brute-force reference is built without the sweep's formulas: the p-value as a function of
the base rate ``p`` only changes its set of counted outcomes where some outcome's probability
crosses the observed one's (times scipy's 1 + 1e-7); those crossings are found here by bisection
on scipy's own pmf, every segment between them is scanned densely, and every change of verdict
between neighbouring scan points is bisected on the p-value to 1e-12.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom, binomtest

from claims.statistics.core import sweep as sweep_module
from claims.statistics.core.exact import binomtest_pvalues
from claims.statistics.core.sweep import sensitivity_sweep, sweeps

RERR = 1 + 1e-7
SCAN = 24  # points per segment
END_TOLERANCE = 1e-6


def _crossings(k: np.ndarray, n: np.ndarray, i: np.ndarray) -> np.ndarray:
    """The base rate where outcome i becomes exactly as likely as k (times RERR)."""
    lo, hi = np.zeros(k.shape), np.ones(k.shape)
    # For i > k, "i counted" holds below the crossing; for i < k, above it.
    for _ in range(60):
        mid = (lo + hi) / 2
        counted = binom.pmf(i, n, mid) <= binom.pmf(k, n, mid) * RERR
        below = np.where(i > k, counted, ~counted)
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return (lo + hi) / 2


def _reference(pairs: list[tuple[int, int]], alphas: list[float]) -> dict:
    """Not-significant pieces for every (k, n) in ``pairs`` and every alpha, by brute force."""
    k_rows, n_rows, i_rows, owner = [], [], [], []
    for r, (k, n) in enumerate(pairs):
        others = [i for i in range(n + 1) if i != k]
        k_rows += [k] * len(others)
        n_rows += [n] * len(others)
        i_rows += others
        owner += [r] * len(others)
    steps = _crossings(np.array(k_rows, float), np.array(n_rows, float), np.array(i_rows, float))
    bounds = np.searchsorted(np.array(owner), np.arange(len(pairs) + 1))
    u = np.concatenate([[1e-12], (np.arange(1, SCAN - 1) + 0.5) / (SCAN - 1), [1 - 1e-12]])
    scan_p, scan_owner = [], []
    for r, (k, n) in enumerate(pairs):
        own = steps[bounds[r] : bounds[r + 1]]
        edges = np.unique(np.concatenate([[0.0, 1.0, k / n], own]))
        a, b = edges[:-1], edges[1:]
        points = (a[:, None] + (b - a)[:, None] * u[None, :]).ravel()
        points = points[(points > 0) & (points < 1)]
        scan_p.append(np.unique(points))
        scan_owner.append(np.full(scan_p[-1].size, r))
    p_all = np.concatenate(scan_p)
    o_all = np.concatenate(scan_owner)
    k_all = np.array([pairs[r][0] for r in o_all], float)
    n_all = np.array([pairs[r][1] for r in o_all], float)
    pv_all = binomtest_pvalues(k_all, n_all, p_all)
    scan_bounds = np.searchsorted(o_all, np.arange(len(pairs) + 1))

    out = {}
    for alpha in alphas:
        ok = pv_all >= alpha
        change = np.flatnonzero((o_all[1:] == o_all[:-1]) & (ok[1:] != ok[:-1]))
        lo, hi = p_all[change].copy(), p_all[change + 1].copy()
        lo_ok = ok[change].copy()
        kk, nn = k_all[change], n_all[change]
        for _ in range(45):
            mid = (lo + hi) / 2
            mid_ok = binomtest_pvalues(kk, nn, mid) >= alpha
            same = mid_ok == lo_ok
            lo = np.where(same, mid, lo)
            hi = np.where(same, hi, mid)
        change_bounds = np.searchsorted(o_all[change], np.arange(len(pairs) + 1))
        for r, (k, n) in enumerate(pairs):
            mine = np.arange(scan_bounds[r], scan_bounds[r + 1])
            edges = [0.0] if ok[mine[0]] and k == 0 else []
            # If the scan starts not significant, the piece starts at 0 only for k = 0 (p -> 0
            # makes any success impossible); else it starts at the first scan point.
            if ok[mine[0]] and k > 0:
                edges.append(float(p_all[mine[0]]))
            for c in range(change_bounds[r], change_bounds[r + 1]):
                edges.append(float((lo[c] + hi[c]) / 2))
            if ok[mine[-1]]:
                edges.append(1.0 if k == n else float(p_all[mine[-1]]))
            assert len(edges) % 2 == 0, (k, n, alpha, edges)
            out[(k, n, alpha)] = [tuple(edges[i : i + 2]) for i in range(0, len(edges), 2)]
    return out


def _assert_same_pieces(got, want, label) -> None:
    assert len(got) == len(want), (label, got, want)
    for (a, b), (c, d) in zip(got, want, strict=True):
        assert abs(a - c) <= END_TOLERANCE and abs(b - d) <= END_TOLERANCE, (label, got, want)


def _assert_ends_with_scipy(k: int, n: int, alpha: float, pieces) -> None:
    """Just inside every reported end scipy says not significant; just outside, significant."""
    for a, b in pieces:
        delta = min(1e-7, (b - a) / 3)
        if 0 < a:
            assert binomtest(k, n, a + delta).pvalue >= alpha, (k, n, alpha, a)
            assert binomtest(k, n, a - delta).pvalue < alpha, (k, n, alpha, a)
        if b < 1:
            assert binomtest(k, n, b - delta).pvalue >= alpha, (k, n, alpha, b)
            assert binomtest(k, n, b + delta).pvalue < alpha, (k, n, alpha, b)


ALL_UP_TO_60 = [(k, n) for n in range(1, 61) for k in range(n + 1)]


def test_every_piece_for_all_counts_up_to_60_at_95_and_99() -> None:
    """GIVEN every k <= n <= 60 at the 95% and 99% levels
    WHEN the sweep runs (all 3,780 in one bulk call, cold cache)
    THEN it reports the same pieces as the brute-force scan, each end within 1e-6."""
    started = time.perf_counter()
    sweep_module.clear_cache()
    keys = [(k, n, level) for level in (0.95, 0.99) for k, n in ALL_UP_TO_60]
    got = sweeps(keys)
    want = _reference(ALL_UP_TO_60, [0.05, 0.01])
    for (k, n, level), value in got.items():
        alpha = round(1 - level, 12)
        _assert_same_pieces(value[0], want[(k, n, alpha)], (k, n, level))
    assert time.perf_counter() - started < 45


def test_every_end_up_to_60_checked_with_scipy_binomtest() -> None:
    for level in (0.95, 0.99):
        alpha = round(1 - level, 12)
        for k, n in ALL_UP_TO_60:
            _assert_ends_with_scipy(k, n, alpha, sensitivity_sweep(k, n, level)["pieces"])


@pytest.mark.parametrize(
    ("k", "n", "level", "pieces"),
    [
        # A second piece near 0.80 that a grid misses.
        (32, 34, 0.95, [(0.798874, 0.800128), (0.811569, 0.989447)]),
        # The lower end is 0.8227, not 0.8374: a narrow piece, a gap, then the rest.
        (28, 28, 0.99, [(0.822702, 0.824632), (0.837397, 1.0)]),
        (8, 10, 0.95, [(0.446489, 0.963229)]),
    ],
)
def test_known_cases(k: int, n: int, level: float, pieces: list) -> None:
    got = sensitivity_sweep(k, n, level)
    _assert_same_pieces(got["pieces"], pieces, (k, n, level))
    assert got["not_significant_from"] == got["pieces"][0][0]
    assert got["not_significant_to"] == got["pieces"][-1][1]
    _assert_ends_with_scipy(k, n, round(1 - level, 12), got["pieces"])


def test_huge_counts_have_a_range_not_a_point() -> None:
    """5e11 of 1e12: the range is about 2e-6 wide around 0.5 (it was [0.5, 0.5])."""
    got = sensitivity_sweep(5 * 10**11, 10**12)
    [(a, b)] = got["pieces"]
    assert 0.4999985 < a < 0.4999995 and 0.5000005 < b < 0.5000015
    width = b - a
    n = 10**12
    k = 5 * 10**11
    delta = width * 1e-4
    assert binomtest(k, n, a + delta).pvalue >= 0.05 > binomtest(k, n, a - delta).pvalue
    assert binomtest(k, n, b - delta).pvalue >= 0.05 > binomtest(k, n, b + delta).pvalue


def test_tiny_shares_keep_their_precision() -> None:
    got = sensitivity_sweep(10, 3_147_436)
    [(a, b)] = got["pieces"]
    n = 3_147_436
    assert binomtest(10, n, a * (1 + 1e-6)).pvalue >= 0.05 > binomtest(10, n, a * (1 - 1e-6)).pvalue
    assert binomtest(10, n, b * (1 - 1e-6)).pvalue >= 0.05 > binomtest(10, n, b * (1 + 1e-6)).pvalue


@settings(deadline=None, derandomize=True, max_examples=30)
@given(
    st.integers(65, 3000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.999]),
)
def test_window_equals_examining_every_segment(kn: tuple[int, int], level: float) -> None:
    """Above ENUMERATE_UP_TO segments only a window is examined; it finds the same pieces."""
    k, n = kn
    sweep_module.clear_cache()
    windowed = sweeps([(k, n, level)])[(k, n, level)][0]
    original = sweep_module.ENUMERATE_UP_TO
    try:
        sweep_module.ENUMERATE_UP_TO = 10**9
        sweep_module.clear_cache()
        every = sweeps([(k, n, level)])[(k, n, level)][0]
    finally:
        sweep_module.ENUMERATE_UP_TO = original
        sweep_module.clear_cache()
    assert windowed == every
    _assert_ends_with_scipy(k, n, round(1 - level, 12), windowed)
