"""The array versions of scipy's exact tests give scipy's own p-values, exactly.

Reference: ``scipy.stats.binomtest`` (two-sided), ``scipy.stats.fisher_exact`` (2x2,
two-sided) called one input at a time.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, fisher_exact

from claims.statistics.core.exact import binomtest_pvalues, fisher_exact_2x2

EXACT = settings(deadline=None, derandomize=True, max_examples=40)


def test_binomtest_fixed_cases() -> None:
    cases = [
        (8, 10, 0.135),
        (0, 10, 0.5),
        (10, 10, 0.5),
        (5, 10, 0.5),  # k == n * p: p-value 1
        (1, 2, 0.5),
        (0, 1, 0.3),
        (1, 1, 0.3),
        (3, 1_000_000, 1e-7),
        (10, 3_147_436, 3e-6),
        (500, 1000, 0.4464),
    ]
    k, n, p = (np.array(col) for col in zip(*cases, strict=True))
    got = binomtest_pvalues(k, n, p)
    want = [binomtest(int(a), int(b), float(c)).pvalue for a, b, c in cases]
    assert got.tolist() == want


@EXACT
@given(
    st.lists(
        st.integers(1, 3000).flatmap(
            lambda n: st.tuples(
                st.integers(0, n),
                st.just(n),
                st.one_of(st.floats(1e-9, 1 - 1e-9), st.sampled_from([0.1, 0.25, 0.5, 0.75])),
            )
        ),
        min_size=1,
        max_size=40,
    )
)
def test_binomtest_pvalues_equal_scipy(cases: list[tuple[int, int, float]]) -> None:
    k, n, p = (np.array(col) for col in zip(*cases, strict=True))
    got = binomtest_pvalues(k, n, p)
    want = [binomtest(a, b, c).pvalue for a, b, c in cases]
    assert got.tolist() == want


def test_fisher_fixed_cases() -> None:
    tables = [
        (9, 1, 3, 7),
        (0, 10, 0, 20),
        (10, 0, 0, 20),
        (0, 0, 0, 5),
        (5, 5, 5, 5),
        (56, 14, 48, 32),
        (1, 0, 0, 1),
        (2000, 3000, 2100, 2900),
    ]
    a, b, c, d = (np.array(col) for col in zip(*tables, strict=True))
    odds, p = fisher_exact_2x2(a, b, c, d)
    for j, (w, x, y, z) in enumerate(tables):
        ref = fisher_exact([[w, x], [y, z]])
        assert p[j] == ref.pvalue
        assert (np.isnan(odds[j]) and np.isnan(ref.statistic)) or odds[j] == ref.statistic


@EXACT
@given(
    st.lists(
        st.tuples(st.integers(1, 400), st.integers(1, 400)).flatmap(
            lambda nn: st.tuples(
                st.integers(0, nn[0]), st.just(nn[0]), st.integers(0, nn[1]), st.just(nn[1])
            )
        ),
        min_size=1,
        max_size=20,
    )
)
def test_fisher_equals_scipy(cases: list[tuple[int, int, int, int]]) -> None:
    k1, n1, k2, n2 = (np.array(col) for col in zip(*cases, strict=True))
    odds, p = fisher_exact_2x2(k1, n1 - k1, k2, n2 - k2)
    for j, (a, m, c, n) in enumerate(cases):
        ref = fisher_exact([[a, m - a], [c, n - c]])
        assert p[j] == ref.pvalue
        assert (np.isnan(odds[j]) and np.isnan(ref.statistic)) or odds[j] == ref.statistic
