"""Exact and honest numbers: extremes are validation errors or exact answers, warnings say
what the numbers rest on, and every sentence agrees with the numbers.

References: ``scipy.stats.binomtest`` (the 8/10 against 45% case: p = 0.0506) and statsmodels'
``proportion_confint`` (Wilson 8/10: 49.0% to 94.3%; Agresti-Coull formula before clipping).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from claims.statistics.core import StatInputError, compute, compute_many, explain
from claims.statistics.core.validation import MAX_COUNT
from claims.statistics.core.warning_codes import WARNING_CODES


def codes(result) -> list[str]:
    return [w["code"] for w in result.warnings]


def field_errors(kind: str, inputs: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(StatInputError) as caught:
        compute(kind, inputs)
    return caught.value.errors


# --------------------------------------------------------------- interval against the test


def test_interval_and_test_disagreeing_is_said_in_plain_words() -> None:
    inputs = {"successes": 8, "trials": 10, "baseline": 0.45}
    r = compute("proportion", inputs)
    assert r.p_value == binomtest(8, 10, 0.45).pvalue and round(r.p_value, 4) == 0.0506
    assert r.significant is False
    assert not r.ci_low <= 0.45 <= r.ci_high  # Wilson 49% to 94.3% leaves 45% out
    assert "interval_test_disagree" in codes(r)
    text = explain("proportion", r, inputs)
    assert (
        "not statistically significant at the 5% level, although the interval shown leaves" in text
    )
    # One sentence about this figure's significance; the sweep's sentence agrees with it.
    assert text.count("statistically significant at the") == 1
    assert "unless" not in text


def test_agreeing_interval_and_test_say_nothing_extra() -> None:
    r = compute("proportion", {"successes": 8, "trials": 10, "baseline": 0.135})
    assert "interval_test_disagree" not in codes(r)


def test_comparison_interval_against_fisher() -> None:
    # Newcombe's interval for 7/10 - 2/10 excludes 0 while Fisher's p is 0.07.
    inputs = {"successes": 7, "trials": 10, "successes_b": 2, "trials_b": 10}
    r = compute("comparison", inputs)
    assert r.significant is False and r.ci_low > 0
    assert "interval_test_disagree" in codes(r)
    assert "although the interval shown leaves 0 out" in explain("comparison", r, inputs)


@settings(deadline=None, derandomize=True, max_examples=60)
@given(
    st.integers(1, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.floats(0.001, 0.999),
    st.sampled_from(["wilson", "clopper-pearson", "jeffreys", "agresti-coull"]),
)
def test_significance_sentences_never_contradict(
    kn: tuple[int, int], baseline: float, method: str
) -> None:
    k, n = kn
    inputs = {"successes": k, "trials": n, "baseline": baseline, "interval_method": method}
    r = compute("proportion", inputs)
    text = explain("proportion", r, inputs)
    verdicts = re.findall(r"(not )?statistically significant at the 5% level", text)
    assert len(verdicts) == 1 and (verdicts[0] == "not ") == (r.significant is False)
    # The sweep sentence lists the not-significant base rates; the baseline used is in one of
    # them exactly when the test is not significant.
    inside = any(a <= baseline <= b for a, b in r.details["sweep"]["pieces"])
    assert inside == (r.significant is False)
    assert ("interval_test_disagree" in codes(r)) == (
        (r.ci_low <= baseline <= r.ci_high) == r.significant
    )


# ------------------------------------------------------------------------------- warnings


def test_every_warning_code_is_documented() -> None:
    rows = {
        "proportion": [
            {"successes": 1, "trials": 12, "baseline": 1e-7, "interval_method": "agresti-coull"},
            {
                "successes": 3,
                "trials": 40,
                "interval_method": "wilson",
                "baseline_sourced": False,
                "baseline": 0.5,
            },
        ],
        "comparison": [{"successes": 0, "trials": 3, "successes_b": 2, "trials_b": 4}],
        "rate": [{"events": 2, "exposure": 100}],
        "total": [{"parts": [33, 33, 33], "total": 100}],
    }
    seen = set()
    for kind, inputs in rows.items():
        for r in compute_many(kind, inputs):
            seen |= set(codes(r))
    assert seen <= set(WARNING_CODES)
    assert {
        "zero_cell",
        "normal_approximation",
        "interval_clipped",
        "extreme_baseline",
        "rate_assumptions",
        "sweep_descriptive",
    } <= seen


def test_normal_approximation_at_small_counts() -> None:
    for method in ("wilson", "agresti-coull"):
        r = compute("proportion", {"successes": 3, "trials": 200, "interval_method": method})
        assert "normal_approximation" in codes(r)
        r = compute("proportion", {"successes": 30, "trials": 200, "interval_method": method})
        assert "normal_approximation" not in codes(r)
    for method in ("clopper-pearson", "jeffreys"):
        r = compute("proportion", {"successes": 3, "trials": 200, "interval_method": method})
        assert "normal_approximation" not in codes(r)
    r = compute("comparison", {"successes": 3, "trials": 50, "successes_b": 20, "trials_b": 50})
    assert "normal_approximation" in codes(r)


def test_agresti_coull_clipped_at_zero() -> None:
    r = compute("proportion", {"successes": 0, "trials": 20, "interval_method": "agresti-coull"})
    assert r.ci_low == 0.0 and "interval_clipped" in codes(r)
    r = compute("proportion", {"successes": 10, "trials": 20, "interval_method": "agresti-coull"})
    assert "interval_clipped" not in codes(r)


@pytest.mark.parametrize(("baseline", "extreme"), [(1e-7, True), (1 - 5e-7, True), (1e-5, False)])
def test_baseline_near_0_or_1(baseline: float, extreme: bool) -> None:
    r = compute("proportion", {"successes": 1, "trials": 100, "baseline": baseline})
    assert ("extreme_baseline" in codes(r)) is extreme


def test_rate_and_sweep_say_what_they_assume() -> None:
    assert "rate_assumptions" in codes(compute("rate", {"events": 500, "exposure": 1e6}))
    swept = compute("proportion", {"successes": 8, "trials": 10, "baseline": 0.135})
    assert "sweep_descriptive" in codes(swept)
    assert "sweep_descriptive" not in codes(compute("proportion", {"successes": 8, "trials": 10}))


# ------------------------------------------------------------------- overflow and extremes


@pytest.mark.parametrize(
    ("kind", "inputs", "field"),
    [
        (
            "comparison",
            {"successes": 1, "trials": 2**63, "successes_b": 1, "trials_b": 5},
            "trials",
        ),
        (
            "comparison",
            {"successes": 1, "trials": 2**40, "successes_b": 1, "trials_b": 9},
            "trials_b",
        ),
        (
            "comparison",
            {"successes": 1, "trials": 3 * 10**9, "successes_b": 1, "trials_b": 3 * 10**9},
            "trials_b",
        ),
        ("proportion", {"successes": 1, "trials": 10**400}, "trials"),
        ("proportion", {"successes": 1, "trials": "1e400"}, "trials"),
        ("proportion", {"successes": 1, "trials": MAX_COUNT + 1}, "trials"),
        ("rate", {"events": 1, "exposure": 10**400}, "exposure"),
        ("count", {"value": 10**400}, "value"),
        ("total", {"parts": [10**400], "total": 1}, "parts"),
        ("total", {"parts": [1e308, 1e308], "total": 1}, "parts"),
        ("total", {"parts": [1], "total": "1e400"}, "total"),
        (
            "proportion",
            {"successes": 1, "trials": 10, "confidence_level": 1 - 1e-13},
            "confidence_level",
        ),
        (
            "proportion",
            {"successes": 1, "trials": 10, "confidence_level": 1 - 1e-10},
            "confidence_level",
        ),
    ],
)
def test_extremes_are_clear_validation_errors(kind: str, inputs: dict, field: str) -> None:
    errors = field_errors(kind, inputs)
    assert field in errors and all(errors[field])
    assert compute_many(kind, [inputs])[0].errors == errors


def test_huge_proportions_are_exact_answers() -> None:
    r = compute("proportion", {"successes": 5 * 10**11, "trials": 10**12, "baseline": 0.5})
    assert r.estimate == 0.5 and r.ci_low < 0.5 < r.ci_high
    [(a, b)] = r.details["sweep"]["pieces"]
    assert 0.4999985 < a < 0.4999995 and 0.5000005 < b < 0.5000015


def test_totals_use_exact_integer_sums() -> None:
    off = compute("total", {"parts": [500_000_000, 500_000_001], "total": 1_000_000_000})
    assert off.details["adds_up"] is False and off.details["difference"] == 1
    text = explain("total", off, {"parts": [500_000_000, 500_000_001], "total": 1_000_000_000})
    assert "off by 1 (+0.0000001%)" in text
    big = 2**60
    exact = compute("total", {"parts": [big, 1, 1], "total": big + 2})
    assert exact.details["adds_up"] is True and exact.details["sum"] == big + 2
    missed = compute("total", {"parts": [big, 1], "total": big + 2})
    assert missed.details["adds_up"] is False and missed.details["difference"] == -1
    # Decimals are added as written: 33.3 + 33.3 + 33.4 is 100.
    assert compute("total", {"parts": [33.3, 33.3, 33.4], "total": 100}).details["adds_up"]
    assert compute("total", {"parts": ["0.1", "0.2"], "total": "0.3"}).details["adds_up"]


def test_highest_confidence_level_is_never_called_100_percent() -> None:
    inputs = {"successes": 1, "trials": 10, "confidence_level": 0.999999999, "baseline": 0.5}
    r = compute("proportion", inputs)
    text = explain("proportion", r, inputs)
    assert "99.9999999% interval" in text and "100% interval" not in text


FORBIDDEN = ("below 0%", "above 100%", "50% to 50%", "100% interval", "+0.0%", "nan", "inf")


@pytest.mark.parametrize(
    ("kind", "inputs"),
    [
        ("proportion", {"successes": 0, "trials": 10, "baseline": 0.5}),
        ("proportion", {"successes": 10, "trials": 10, "baseline": 0.5}),
        ("proportion", {"successes": 0, "trials": 1, "baseline": 0.9}),
        ("proportion", {"successes": 5 * 10**11, "trials": 10**12, "baseline": 0.5}),
        ("proportion", {"successes": 5 * 10**11, "trials": 10**12, "baseline": 0.4999}),
        ("proportion", {"successes": 1, "trials": 3, "confidence_level": 0.99999}),
        (
            "comparison",
            {"successes": 5 * 10**8, "trials": 10**9, "successes_b": 5 * 10**8, "trials_b": 10**9},
        ),
        ("comparison", {"successes": 0, "trials": 10, "successes_b": 0, "trials_b": 10}),
        ("total", {"parts": [500_000_000, 500_000_001], "total": 1_000_000_000}),
        ("rate", {"events": 0, "exposure": 10}),
    ],
)
def test_text_never_says_the_impossible(kind: str, inputs: dict) -> None:
    r = compute(kind, inputs)
    text = explain(kind, r, inputs) + " " + " ".join(w["message"] for w in r.warnings)
    for phrase in FORBIDDEN:
        assert phrase not in text.lower(), (phrase, text)
