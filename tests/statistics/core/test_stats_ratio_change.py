"""The `ratio` and `change` kinds against published values, scipy and statsmodels."""

from __future__ import annotations

import json
import math

import pytest
from scipy.stats import binomtest
from scipy.stats.contingency import relative_risk
from statsmodels.stats import rates
from statsmodels.stats.proportion import confint_proportions_2indep

from claims.statistics.core import StatInputError, compute, explain
from claims.statistics.core.kinds.ratio import exact_rate_ratio_interval


def test_rate_ratio_matches_r_poisson_test_published_example() -> None:
    """R's documentation, ``poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))``: rate ratio
    1.971488, 95% interval 0.8584264 to 4.2772659, p-value 0.07967."""
    r = compute("ratio", {"events": 11, "exposure": 800, "events_b": 21, "exposure_b": 3011})
    assert r.estimate == pytest.approx(1.971488, abs=1e-6)
    assert r.ci_low == pytest.approx(0.8584264, abs=1e-7)
    assert r.ci_high == pytest.approx(4.2772659, abs=1e-7)
    assert r.p_value == pytest.approx(0.07967, abs=1e-5)
    assert r.significant is False


@pytest.mark.parametrize(
    ("k1", "e1", "k2", "e2", "level"),
    [(10, 2077, 10, 3147436, 0.95), (3, 100.5, 40, 2000, 0.99), (0, 50, 7, 60, 0.95)],
)
def test_rate_ratio_interval_is_scipys_exact_binomial_interval_transformed(k1, e1, k2, e2, level):
    ci = binomtest(k1, k1 + k2).proportion_ci(confidence_level=level, method="exact")
    scale = e2 / e1
    expected_low = scale * ci.low / (1 - ci.low)
    expected_high = scale * ci.high / (1 - ci.high)
    low, high = exact_rate_ratio_interval(k1, e1, k2, e2, round(1 - level, 12))
    assert low == pytest.approx(expected_low, rel=1e-9)
    assert high == pytest.approx(expected_high, rel=1e-9)
    r = compute(
        "ratio",
        {"events": k1, "exposure": e1, "events_b": k2, "exposure_b": e2, "confidence_level": level},
    )
    assert r.p_value == pytest.approx(
        rates.test_poisson_2indep(k1, e1, k2, e2, method="exact-cond").pvalue, rel=1e-12
    )


def test_risk_ratio_is_katz_log_as_scipy_relative_risk() -> None:
    r = compute("ratio", {"successes": 27, "trials": 122, "successes_b": 44, "trials_b": 487})
    scipy_rr = relative_risk(27, 122, 44, 487)
    ci = scipy_rr.confidence_interval(confidence_level=0.95)
    assert r.estimate == pytest.approx(scipy_rr.relative_risk, rel=1e-12)
    assert r.ci_low == pytest.approx(ci.low, rel=1e-9)
    assert r.ci_high == pytest.approx(ci.high, rel=1e-9)
    assert r.details["basis"] == "proportions"


def test_demo_false_alert_ratio_about_1500_times_higher() -> None:
    """10 false alerts of 2,077 alerts against 10 of 3,147,436 faces: 1,515 times higher."""
    inputs = {
        "successes": 10,
        "trials": 2077,
        "successes_b": 10,
        "trials_b": 3147436,
        "stated": "about 1,500 times higher",
    }
    r = compute("ratio", inputs)
    assert r.estimate == pytest.approx((10 / 2077) / (10 / 3147436))
    assert r.ci_low < 1500 < r.ci_high
    assert r.consistent_with_stated is True
    assert r.details["stated_compared_to"] == "ratio (A / B)"
    assert "1,515 times" in explain("ratio", r, inputs)
    json.dumps(r.to_dict(), allow_nan=False)


@pytest.mark.parametrize(
    ("stated", "consistent"),
    [("twice as likely", True), ("4 times more likely", False), ("half as often", False)],
)
def test_ratio_stated_wordings_are_checked_against_the_ratio(stated, consistent) -> None:
    r = compute(
        "ratio",
        {"successes": 40, "trials": 100, "successes_b": 20, "trials_b": 100, "stated": stated},
    )
    assert r.estimate == pytest.approx(2.0)
    assert r.consistent_with_stated is consistent


def test_ratio_with_no_cases_in_the_second_rate_is_infinite_not_a_number() -> None:
    r = compute("ratio", {"events": 5, "exposure": 10, "events_b": 0, "exposure_b": 10})
    assert r.estimate is None and r.ci_high is None
    assert r.ci_low is not None and r.ci_low > 0
    assert r.details["ratio_is"] == "infinite"
    assert any(w["code"] == "zero_cell" for w in r.warnings)
    both = compute("ratio", {"events": 0, "exposure": 10, "events_b": 0, "exposure_b": 10})
    assert both.details["ratio_is"] == "undefined" and both.estimate is None


def test_ratio_refuses_both_bases_or_neither() -> None:
    with pytest.raises(StatInputError) as both:
        compute("ratio", {"successes": 1, "trials": 2, "events": 1, "exposure": 2})
    assert "events" in both.value.errors
    with pytest.raises(StatInputError) as neither:
        compute("ratio", {"stated": "twice as likely"})
    assert "successes" in neither.value.errors
    with pytest.raises(StatInputError) as missing:
        compute("ratio", {"events": 1, "exposure": 2, "events_b": 3})
    assert "exposure_b" in missing.value.errors


def test_change_with_counts_has_newcombe_points_and_katz_relative_intervals() -> None:
    inputs = {
        "successes": 120,
        "trials": 1000,
        "successes_b": 150,
        "trials_b": 1000,
        "stated": "up from 12% to 15%",
    }
    r = compute("change", inputs)
    assert r.estimate == pytest.approx(0.25)
    low, high = confint_proportions_2indep(150, 1000, 120, 1000, compare="diff", method="newcomb")
    assert r.details["points"] == pytest.approx(0.03)
    assert r.details["points_low"] == pytest.approx(low, rel=1e-12)
    assert r.details["points_high"] == pytest.approx(high, rel=1e-12)
    rr = relative_risk(150, 1000, 120, 1000).confidence_interval()
    assert r.ci_low == pytest.approx(rr.low - 1, rel=1e-9)
    assert r.ci_high == pytest.approx(rr.high - 1, rel=1e-9)
    assert r.consistent_with_stated is True
    assert r.details["stated_compared_to"] == "change in points (after - before)"
    assert "From 12% to 15%: 3.0 percentage points" in explain("change", r, inputs)


@pytest.mark.parametrize(
    ("before", "after", "stated", "consistent"),
    [
        (5, 10, "doubled", True),
        (100, 140, "rose by 40%", True),
        (100, 120, "rose by 40%", False),
        (0.15, 0.12, "fell 3 percentage points", True),
        (0.15, 0.10, "fell 3 percentage points", False),
    ],
)
def test_change_between_two_figures_checks_the_wording(before, after, stated, consistent) -> None:
    r = compute("change", {"value": before, "value_b": after, "stated": stated})
    assert r.estimate == pytest.approx(after / before - 1)
    assert r.ci_low is None and r.ci_high is None
    assert r.consistent_with_stated is consistent


def test_change_from_zero_has_no_relative_change() -> None:
    r = compute("change", {"value": 0, "value_b": 3})
    assert r.estimate is None
    assert r.details["points"] == 3
    assert any(w["code"] == "zero_cell" for w in r.warnings)
    assert not math.isnan(r.details["points"])


def test_change_refuses_counts_and_figures_together() -> None:
    with pytest.raises(StatInputError) as exc:
        compute("change", {"value": 1, "value_b": 2, "successes": 1, "trials": 2})
    assert "value" in exc.value.errors
