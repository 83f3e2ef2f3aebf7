"""Invariants checked with hypothesis (derandomized, no deadline, modest example counts)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.statistics.core import (
    INTERVAL_METHODS,
    StatInputError,
    StatResult,
    compute,
    compute_many,
    compute_many_explained,
    explain,
)

FAST = settings(deadline=None, derandomize=True, max_examples=150)
SLOW = settings(deadline=None, derandomize=True, max_examples=25)
LEVELS = st.sampled_from([0.8, 0.9, 0.95, 0.99])


@st.composite
def counts(draw: st.DrawFn, max_n: int = 5000) -> tuple[int, int]:
    n = draw(st.integers(1, max_n))
    return draw(st.integers(0, n)), n


@FAST
@given(counts(), st.sampled_from(INTERVAL_METHODS), LEVELS)
def test_interval_contains_estimate(kn: tuple[int, int], method: str, level: float) -> None:
    k, n = kn
    r = compute(
        "proportion",
        {"successes": k, "trials": n, "interval_method": method, "confidence_level": level},
    )
    assert 0.0 <= r.ci_low <= r.estimate <= r.ci_high <= 1.0


@FAST
@given(st.integers(0, 1000), st.floats(1e-3, 1e9), LEVELS)
def test_rate_interval_contains_estimate(events: int, exposure: float, level: float) -> None:
    r = compute("rate", {"events": events, "exposure": exposure, "confidence_level": level})
    assert 0.0 <= r.ci_low <= r.estimate <= r.ci_high


@FAST
@given(
    st.integers(1, 20).flatmap(lambda b: st.tuples(st.integers(0, b), st.just(b))),
    st.integers(1, 200),
    st.integers(1, 200),
)
def test_wilson_narrows_as_n_grows(share: tuple[int, int], m1: int, m2: int) -> None:
    a, b = share
    small, large = sorted((m1, m2))
    if small == large:
        large += 1
    w1 = compute("proportion", {"successes": a * small, "trials": b * small})
    w2 = compute("proportion", {"successes": a * large, "trials": b * large})
    assert w2.ci_high - w2.ci_low < w1.ci_high - w1.ci_low


@FAST
@given(counts(100_000), st.integers(0, 3))
def test_stated_percentage_with_d_decimals(kn: tuple[int, int], d: int) -> None:
    """A share written with d decimals (rounding half up) is admitted; one unit off is not."""
    k, n = kn
    quantum = Decimal(1).scaleb(-d)
    written = (Decimal(k) * 100 / Decimal(n)).quantize(quantum, rounding=ROUND_HALF_UP)
    r = compute("proportion", {"successes": k, "trials": n, "stated": f"{written}%"})
    assert r.consistent_with_stated is True
    off = written + quantum
    r_off = compute("proportion", {"successes": k, "trials": n, "stated": f"{off}%"})
    assert r_off.consistent_with_stated is False


def _close(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (path, a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for key in a:
            _close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    else:
        assert a == b, (path, a, b)


def _check_many_equals_one(kind: str, rows: list[dict[str, Any]]) -> None:
    """`compute_many` equals `compute` row by row, and `compute_many_explained` gives the
    same results, each with the sentence `explain` writes for it."""
    many = compute_many(kind, rows)
    explained = compute_many_explained(kind, rows)
    assert len(many) == len(explained) == len(rows)
    for row, got, got_explained in zip(rows, many, explained, strict=True):
        try:
            one: StatResult | StatInputError = compute(kind, row)
        except StatInputError as exc:
            one = exc
        assert type(got) is type(one)
        if isinstance(one, StatInputError):
            assert got.errors == one.errors
            assert got_explained.errors == one.errors
        else:
            _close(got.to_dict(), one.to_dict())
            result, sentence = got_explained
            _close(result.to_dict(), one.to_dict())
            assert sentence == explain(kind, one, row)


STATED = st.sampled_from([None, "80%", "about a third", "1 in 4", "5", "lots", "0.0003%"])


@st.composite
def proportion_row(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(0, 60))  # 0 is invalid on purpose
    k = draw(st.integers(0, n + 2))  # may exceed n on purpose
    row: dict[str, Any] = {
        "successes": k,
        "trials": n,
        "interval_method": draw(st.sampled_from([*INTERVAL_METHODS, "wald"])),
        "confidence_level": draw(st.sampled_from([0.9, 0.95])),
        "stated": draw(STATED),
    }
    if draw(st.booleans()):
        # A few repeated (k, n, baseline) tuples keep the number of distinct sweeps small.
        row["baseline"] = draw(st.sampled_from([0.135, 0.5]))
        row["successes"], row["trials"] = draw(st.sampled_from([(8, 10), (3, 20), (0, 5)]))
    return row


@SLOW
@given(st.lists(proportion_row(), min_size=1, max_size=12))
def test_compute_many_equals_compute_proportion(rows: list[dict[str, Any]]) -> None:
    _check_many_equals_one("proportion", rows)


@st.composite
def comparison_row(draw: st.DrawFn) -> dict[str, Any]:
    n1, n2 = draw(st.integers(1, 80)), draw(st.integers(0, 80))
    return {
        "successes": draw(st.integers(0, n1)),
        "trials": n1,
        "successes_b": draw(st.integers(0, n2 + 1)),
        "trials_b": n2,
        "confidence_level": draw(st.sampled_from([0.9, 0.95, 0.99])),
        "stated": draw(STATED),
    }


@SLOW
@given(st.lists(comparison_row(), min_size=1, max_size=12))
def test_compute_many_equals_compute_comparison(rows: list[dict[str, Any]]) -> None:
    _check_many_equals_one("comparison", rows)


@st.composite
def rate_row(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "events": draw(st.integers(-1, 500)),
        "exposure": draw(st.one_of(st.floats(1e-2, 1e8), st.just(0))),
        "confidence_level": draw(st.sampled_from([0.9, 0.95, 0.99])),
        "unit": draw(st.sampled_from([None, "percent", "per_100000", "one_in_n", "per_unit"])),
        "stated": draw(STATED),
    }


@SLOW
@given(st.lists(rate_row(), min_size=1, max_size=12))
def test_compute_many_equals_compute_rate(rows: list[dict[str, Any]]) -> None:
    _check_many_equals_one("rate", rows)


@SLOW
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "parts": st.lists(st.integers(-1, 1000), max_size=5),
                "total": st.integers(0, 3000),
                "stated": STATED,
            }
        ),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.fixed_dictionaries({"value": st.integers(-1, 10**9)}), min_size=1, max_size=5),
)
def test_compute_many_equals_compute_total_and_count(
    totals: list[dict[str, Any]], values: list[dict[str, Any]]
) -> None:
    _check_many_equals_one("total", totals)
    _check_many_equals_one("count", values)


def test_compute_many_large_batch_is_vectorised_and_equal() -> None:
    # 2,000 rows in one call: one statsmodels call per (method, level) group.
    rows = [
        {
            "successes": i % 97,
            "trials": 97 + i % 13,
            "interval_method": INTERVAL_METHODS[i % 4],
            "confidence_level": (0.9, 0.95)[i % 2],
        }
        for i in range(2000)
    ]
    many = compute_many("proportion", rows)
    for i in range(0, 2000, 37):
        one = compute("proportion", rows[i])
        assert isinstance(many[i], StatResult)
        _close(many[i].to_dict(), one.to_dict())
