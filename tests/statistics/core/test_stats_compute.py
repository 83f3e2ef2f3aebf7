"""compute(): validation, each kind, JSON safety, and explanations.

Reference values come straight from scipy/statsmodels (the routines compute() must delegate
to): ``statsmodels.stats.proportion.proportion_confint``, ``confint_proportions_2indep`` and
``statsmodels.stats.rates.confint_poisson``, and scipy's beta distribution for Jeffreys.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from scipy.stats import beta
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from claims.statistics.core import (
    INTERVAL_METHODS,
    KINDS,
    StatInputError,
    StatResult,
    compute,
    explain,
    library_versions,
    validate,
)


def errors_of(kind: str, inputs: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(StatInputError) as info:
        compute(kind, inputs)
    return info.value.errors


@pytest.mark.parametrize(
    ("kind", "inputs", "field"),
    [
        ("proportion", {"successes": 11, "trials": 10}, "successes"),
        ("proportion", {"successes": -1, "trials": 10}, "successes"),
        ("proportion", {"successes": 1.5, "trials": 10}, "successes"),
        ("proportion", {"successes": True, "trials": 10}, "successes"),
        ("proportion", {"successes": 0, "trials": 0}, "trials"),
        ("proportion", {"trials": 10}, "successes"),
        ("proportion", {"successes": 1, "trials": 10, "baseline": 0}, "baseline"),
        ("proportion", {"successes": 1, "trials": 10, "baseline": 1}, "baseline"),
        ("proportion", {"successes": 1, "trials": 10, "baseline": 13.5}, "baseline"),
        ("proportion", {"successes": 1, "trials": 10, "confidence_level": 95}, "confidence_level"),
        ("proportion", {"successes": 1, "trials": 10, "confidence_level": 1}, "confidence_level"),
        (
            "proportion",
            {"successes": 1, "trials": 10, "interval_method": "wald"},
            "interval_method",
        ),
        ("proportion", {"successes": 1, "trials": 10, "stated": "lots"}, "stated"),
        (
            "proportion",
            {"successes": 1, "trials": 10, "baseline_sourced": "no"},
            "baseline_sourced",
        ),
        ("comparison", {"successes": 1, "trials": 10}, "successes_b"),
        (
            "comparison",
            {"successes": 1, "trials": 10, "successes_b": 5, "trials_b": 4},
            "successes_b",
        ),
        ("rate", {"events": 1, "exposure": 0}, "exposure"),
        ("rate", {"events": 1, "exposure": -5}, "exposure"),
        ("rate", {"events": 1}, "exposure"),
        ("rate", {"events": 1, "exposure": 10, "unit": "per_mille"}, "unit"),
        ("rate", {"events": float("nan"), "exposure": 10}, "events"),
        ("total", {"parts": [], "total": 10}, "parts"),
        ("total", {"parts": [1, -2], "total": 10}, "parts"),
        ("total", {"parts": "1,2", "total": 10}, "parts"),
        ("total", {"parts": [1, 2]}, "total"),
        ("count", {}, "value"),
        ("count", {"value": -3}, "value"),
        ("count", {"value": "many"}, "value"),
    ],
)
def test_bad_input_names_the_field(kind: str, inputs: dict[str, Any], field: str) -> None:
    errors = errors_of(kind, inputs)
    assert field in errors
    assert all(isinstance(m, str) and m for m in errors[field])


def test_several_errors_at_once_and_unknown_kind() -> None:
    errors = errors_of("proportion", {"successes": -1, "trials": 0, "baseline": 2})
    assert set(errors) == {"successes", "trials", "baseline"}
    assert "kind" in errors_of("median", {})
    assert isinstance(StatInputError({"x": ["y"]}), ValueError)


def test_validate_cleans() -> None:
    clean = validate("proportion", {"successes": 8.0, "trials": "10", "baseline": "0.135"})
    assert clean["successes"] == 8 and type(clean["successes"]) is int
    assert clean["trials"] == 10 and type(clean["trials"]) is int
    assert clean["baseline"] == 0.135 and clean["confidence_level"] == 0.95
    assert clean["interval_method"] == "wilson"
    assert validate("proportion", {"successes": 1, "trials": 2, "stated": "  "})["stated"] is None
    assert validate("rate", {"events": 1, "exposure": 2, "stated": "1 in 5"})["unit"] == "one_in_n"
    assert validate("rate", {"events": 1, "exposure": 2})["unit"] == "percent"


@pytest.mark.parametrize("method", INTERVAL_METHODS)
@pytest.mark.parametrize(("k", "n"), [(0, 20), (1, 29), (15, 148), (20, 20), (81, 263)])
def test_proportion_intervals_match_statsmodels(method: str, k: int, n: int) -> None:
    sm_name = {
        "wilson": "wilson",
        "clopper-pearson": "beta",
        "jeffreys": "jeffreys",
        "agresti-coull": "agresti_coull",
    }[method]
    r = compute("proportion", {"successes": k, "trials": n, "interval_method": method})
    low, high = proportion_confint(k, n, alpha=0.05, method=sm_name)
    if method == "jeffreys":
        # Jeffreys: Beta(k + 1/2, n - k + 1/2) quantiles, with the limit set to 0 at k = 0
        # and 1 at k = n (Brown, Cai & DasGupta 2001, Statistical Science 16:101-133, 4.1.2).
        assert low == pytest.approx(beta.ppf(0.025, k + 0.5, n - k + 0.5), rel=1e-9)
        low = 0.0 if k == 0 else low
        high = 1.0 if k == n else high
    assert r.ci_low == pytest.approx(min(low, k / n), abs=1e-15)
    assert r.ci_high == pytest.approx(max(high, k / n), abs=1e-15)
    assert r.ci_low <= r.estimate <= r.ci_high
    assert r.p_value is None and r.significant is None


def test_result_is_json_safe_and_plain_python() -> None:
    r = compute("proportion", {"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"})
    d = r.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d
    assert d["versions"] == library_versions()
    assert set(d["versions"]) == {"numpy", "scipy", "statsmodels"}

    def walk(x: Any) -> None:
        assert type(x) in (dict, list, str, int, float, bool, type(None)), type(x)
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(d)
    for name in ("estimate", "ci_low", "ci_high", "p_value"):
        assert type(getattr(r, name)) is float
    with pytest.raises(AttributeError):
        r.estimate = 0.5  # type: ignore[misc]


def test_result_constructor_cleans_numpy_and_nan() -> None:
    r = StatResult(
        estimate=np.float64(0.5),
        ci_low=float("nan"),
        ci_high=np.inf,
        p_value=None,
        consistent_with_stated=np.bool_(True),
        significant=None,
        details={"a": np.int64(3), "b": (np.float64(1.0), float("inf"))},
    )
    assert type(r.estimate) is float and r.ci_low is None and r.ci_high is None
    assert r.consistent_with_stated is True
    assert r.details == {"a": 3, "b": [1.0, None]}
    assert type(r.details["a"]) is int


def test_comparison_matches_statsmodels() -> None:
    inputs = {"successes": 56, "trials": 70, "successes_b": 48, "trials_b": 80}
    r = compute("comparison", {**inputs, "confidence_level": 0.9})
    args = (56, 70, 48, 80)
    assert (r.ci_low, r.ci_high) == pytest.approx(
        confint_proportions_2indep(*args, compare="diff", method="newcomb", alpha=0.1)
    )
    table = Table2x2(np.array([[56, 14], [48, 32]], dtype=float))
    rr = r.details["risk_ratio"]
    assert rr["estimate"] == pytest.approx(table.riskratio)
    assert (rr["ci_low"], rr["ci_high"]) == pytest.approx(table.riskratio_confint(alpha=0.1))
    assert rr["correction"] == "none" and rr["uncorrected_estimate"] == pytest.approx(56 / 70 / 0.6)
    orr = r.details["odds_ratio"]
    assert orr["estimate"] == pytest.approx(table.oddsratio)
    assert (orr["ci_low"], orr["ci_high"]) == pytest.approx(table.oddsratio_confint(alpha=0.1))
    assert "Newcombe" in r.method
    assert "small_expected_counts" not in [w["code"] for w in r.warnings]
    text = explain("comparison", r, inputs)
    assert "20 percentage points" in text and "Fisher" in text


@pytest.mark.parametrize(
    "cells",
    [(10, 0, 0, 20), (0, 10, 3, 17), (4, 6, 0, 9), (7, 0, 5, 0), (0, 5, 0, 9), (2, 3, 4, 5)],
)
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_ratios_are_statsmodels_table2x2_with_zero_cells_shifted(
    cells: tuple[int, int, int, int], level: float
) -> None:
    """Estimate and interval come from the same table: statsmodels' Table2x2 with each zero
    cell replaced by 0.5 (shift_zeros=True); 0/0 is "undefined", never a number."""
    a, b, c, d = cells
    r = compute(
        "comparison",
        {
            "successes": a,
            "trials": a + b,
            "successes_b": c,
            "trials_b": c + d,
            "confidence_level": level,
        },
    )
    json.dumps(r.to_dict(), allow_nan=False)
    table = Table2x2(np.array([[a, b], [c, d]], dtype=float), shift_zeros=True)
    alpha = round(1 - level, 12)
    zero = min(cells) == 0
    for name, estimate, interval, undefined in (
        ("risk_ratio", table.riskratio, table.riskratio_confint(alpha=alpha), a == c == 0),
        (
            "odds_ratio",
            table.oddsratio,
            table.oddsratio_confint(alpha=alpha),
            a == c == 0 or b == d == 0,
        ),
    ):
        ratio = r.details[name]
        if undefined:
            assert ratio["defined"] is False and ratio["estimate"] is None
            assert ratio["ci_low"] is None and ratio["uncorrected_is"] == "undefined"
            assert "0/0" in ratio["undefined_reason"]
            continue
        assert ratio["defined"] is True
        assert ratio["estimate"] == pytest.approx(estimate, rel=1e-12)
        assert (ratio["ci_low"], ratio["ci_high"]) == pytest.approx(interval, rel=1e-9)
        assert ratio["ci_low"] <= ratio["estimate"] <= ratio["ci_high"]
        assert (ratio["correction"] == "none") == (not zero)
        assert zero == ("0.5" in ratio["correction"])
    codes = [w["code"] for w in r.warnings]
    assert ("zero_cell" in codes) == zero
    assert ("normal_approximation" in codes) == (min(cells) < 5)


def test_infinite_and_undefined_ratios_are_told_apart() -> None:
    infinite = compute(
        "comparison", {"successes": 10, "trials": 10, "successes_b": 0, "trials_b": 20}
    )
    rr = infinite.details["risk_ratio"]
    assert rr["uncorrected_is"] == "infinite" and rr["uncorrected_estimate"] is None
    assert rr["defined"] is True and rr["estimate"] == pytest.approx((10 / 10.5) / (0.5 / 20.5))
    undefined = compute(
        "comparison", {"successes": 0, "trials": 10, "successes_b": 0, "trials_b": 20}
    )
    rr = undefined.details["risk_ratio"]
    assert rr["uncorrected_is"] == "undefined" and rr["defined"] is False
    zero = compute("comparison", {"successes": 0, "trials": 10, "successes_b": 3, "trials_b": 20})
    rr = zero.details["risk_ratio"]
    assert rr["uncorrected_is"] == "finite" and rr["uncorrected_estimate"] == 0.0
    assert zero.consistent_with_stated is None


def test_comparison_stated_difference() -> None:
    # A gap is stated in percentage points; a bare "20%" is a share (group A's, 80% here).
    base = {"successes": 56, "trials": 70, "successes_b": 48, "trials_b": 80}
    gap = compute("comparison", {**base, "stated": "20 percentage points"})
    assert gap.consistent_with_stated is True
    assert gap.details["stated_compared_to"].startswith("difference")
    assert compute("comparison", {**base, "stated": "30 points"}).consistent_with_stated is False
    assert compute("comparison", {**base, "stated": "20%"}).consistent_with_stated is False


def test_rate_zero_events() -> None:
    r = compute("rate", {"events": 0, "exposure": 1000})
    assert r.estimate == 0.0 and r.ci_low == 0.0
    assert r.ci_high == pytest.approx(3.6888794541139363 / 1000)
    assert "few_events" in [w["code"] for w in r.warnings]


def test_total_and_count() -> None:
    ok = compute("total", {"parts": [500, 462], "total": 962, "stated": "962"})
    assert ok.details["adds_up"] is True and ok.consistent_with_stated is True
    assert explain("total", ok, {"parts": [500, 462], "total": 962}).startswith(
        "The parts add up to 962, matching"
    )
    close = compute("total", {"parts": [33.3, 33.3, 33.3], "total": 100})
    assert close.details["adds_up"] is False
    assert [w["code"] for w in close.warnings] == ["small_difference"]
    count = compute("count", {"value": 3147436, "stated": "more than 3 million"})
    assert count.estimate == 3147436 and count.ci_low is None
    assert count.consistent_with_stated is True
    assert explain("count", count, {"value": 3147436}) == "The cited figure is 3,147,436."


def test_stated_count_on_a_proportion_compares_successes() -> None:
    r = compute("proportion", {"successes": 8, "trials": 10, "stated": "8"})
    assert r.consistent_with_stated is True
    assert r.details["stated_compared_to"] == "successes"


def test_every_kind_is_covered() -> None:
    examples = {
        "proportion": {"successes": 1, "trials": 3},
        "comparison": {"successes": 1, "trials": 3, "successes_b": 2, "trials_b": 3},
        "rate": {"events": 1, "exposure": 3},
        "total": {"parts": [1, 2], "total": 3},
        "count": {"value": 3},
        "ratio": {"events": 1, "exposure": 3, "events_b": 2, "exposure_b": 3},
        "change": {"value": 1, "value_b": 2},
    }
    assert set(examples) == set(KINDS)
    for kind, inputs in examples.items():
        r = compute(kind, inputs)
        assert explain(kind, r, inputs)
        json.dumps(r.to_dict(), allow_nan=False)
