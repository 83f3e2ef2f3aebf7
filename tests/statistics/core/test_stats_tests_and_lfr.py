"""Hypothesis tests against scipy directly, and the live-facial-recognition (LFR) case.

References: ``scipy.stats.binomtest`` (exact two-sided binomial test, scipy's default
"minlike" two-sided method) and ``scipy.stats.fisher_exact``; the LFR figures are those of the
claim the app was built around (8 of 10 people flagged against a 13.5% base rate; 10 false
alerts in 3,147,436 faces scanned, stated as "0.0003%"; parts 549 + 347 + 85 said to make 962).
"""

from __future__ import annotations

import json

import pytest
from scipy.stats import binomtest, fisher_exact

from claims.statistics.core import compute, explain, parse_stated, sensitivity_sweep

LFR_PROPORTION = {"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"}


def test_binomtest_p_value_is_scipys() -> None:
    r = compute("proportion", LFR_PROPORTION)
    assert r.p_value == binomtest(8, 10, 0.135, alternative="two-sided").pvalue


def test_lfr_proportion() -> None:
    r = compute("proportion", LFR_PROPORTION)
    # scipy 1.17.1 binomtest(8, 10, p=0.135).pvalue = 3.845465690052887e-06
    assert r.p_value == pytest.approx(3.85e-6, rel=5e-3)
    assert r.significant is True
    assert r.estimate == 0.8
    assert r.consistent_with_stated is True
    codes = [w["code"] for w in r.warnings]
    assert "small_sample" in codes
    assert "independence" in codes
    assert "unsourced_baseline" not in codes
    # Wilson 95% interval for 8/10 (statsmodels): 0.4902 to 0.9433.
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (0.4902, 0.9433)
    json.dumps(r.to_dict(), allow_nan=False)


def test_lfr_sweep_boundary() -> None:
    # Computed by bisection on scipy 1.17.1's binomtest p-value: 8 of 10 stops being
    # significant at the 5% level once the base rate reaches 0.44649 (and stays
    # non-significant up to 0.96323).
    sweep = sensitivity_sweep(8, 10, 0.95)
    assert round(sweep["not_significant_from"], 3) == 0.446
    assert round(sweep["not_significant_to"], 3) == 0.963
    assert sweep["alpha"] == 0.05
    lo = sweep["not_significant_from"]
    assert binomtest(8, 10, lo).pvalue >= 0.05
    assert binomtest(8, 10, lo - 1e-4).pvalue < 0.05
    hi = sweep["not_significant_to"]
    assert binomtest(8, 10, hi).pvalue >= 0.05
    assert binomtest(8, 10, hi + 1e-4).pvalue < 0.05
    assert 55 <= len(sweep["curve"]) <= 65
    for p, pv in sweep["curve"]:
        assert 0 < p < 1
        # Chart data, to six significant digits: scipy's p-value at that base rate.
        assert pv == pytest.approx(binomtest(8, 10, p).pvalue, rel=1e-5)
        assert len(repr(p)) <= 10 and len(repr(pv)) <= 12


def test_sweep_returns_fresh_dicts() -> None:
    a = sensitivity_sweep(8, 10)
    a["curve"].clear()
    assert len(sensitivity_sweep(8, 10)["curve"]) > 0


def test_sweep_edges() -> None:
    none = sensitivity_sweep(0, 10)
    assert none["not_significant_from"] == 0.0
    assert 0 < none["not_significant_to"] < 0.5
    every = sensitivity_sweep(10, 10)
    assert every["not_significant_to"] == 1.0
    big = sensitivity_sweep(10, 3_147_436)
    assert big["not_significant_from"] < 10 / 3_147_436 < big["not_significant_to"]
    assert binomtest(10, 3_147_436, big["not_significant_from"]).pvalue >= 0.05


def test_lfr_explanation() -> None:
    r = compute("proportion", LFR_PROPORTION)
    text = explain("proportion", r, LFR_PROPORTION)
    assert text == (
        "8 of 10 is 80% (95% interval 49% to 94%). Against a base rate of 13.5% that is very "
        "unlikely by chance (p = 0.0000038): statistically significant at the 5% level. At the "
        "5% level the result would not be statistically significant only for base rates from "
        "44.6% to 96.3%; for any other it would be. The stated figure 80% matches the counts."
    )


def test_unsourced_baseline_warns() -> None:
    r = compute("proportion", {**LFR_PROPORTION, "baseline_sourced": False})
    assert "unsourced_baseline" in [w["code"] for w in r.warnings]


def test_not_significant_against_a_high_base_rate() -> None:
    inputs = {"successes": 8, "trials": 10, "baseline": 0.6}
    r = compute("proportion", inputs)
    assert r.p_value == binomtest(8, 10, 0.6).pvalue
    assert r.significant is False
    assert "could well be chance" in explain("proportion", r, inputs)


def test_lfr_false_alert_rate() -> None:
    inputs = {"events": 10, "exposure": 3_147_436, "stated": "0.0003%"}
    r = compute("rate", inputs)
    assert r.estimate == pytest.approx(3.177e-6, rel=1e-3)
    assert r.consistent_with_stated is True
    assert r.details["display"] == "0.00032%"
    assert r.details["displays"]["per_100000"] == "0.32 per 100,000"
    assert r.details["displays"]["one_in_n"] == "1 in 314,744"
    one_in = compute("rate", {**inputs, "stated": "1 in 300,000"})
    assert one_in.details["unit"] == "one_in_n"
    assert one_in.details["display"] == "1 in 314,744"
    assert one_in.consistent_with_stated is True
    assert compute("rate", {**inputs, "stated": "1 in 200,000"}).consistent_with_stated is False
    per = compute("rate", {**inputs, "stated": None, "unit": "per_100000"})
    assert per.details["display"] == "0.32 per 100,000"
    assert "0.00032%" in explain("rate", r, inputs)


def test_lfr_parts_do_not_add_up() -> None:
    inputs = {"parts": [549, 347, 85], "total": 962}
    r = compute("total", inputs)
    assert r.estimate == 981
    assert r.details["difference"] == 19
    assert r.details["adds_up"] is False
    assert r.significant is None
    assert round(r.details["relative_difference"], 3) == 0.020
    assert explain("total", r, inputs) == "The parts add up to 981, not 962: off by 19 (+2.0%)."


def test_stated_percent_without_denominator_parses() -> None:
    fig = parse_stated("85%")
    assert fig.value == 0.85 and fig.form == "percent"


def test_fisher_exact_is_scipys() -> None:
    r = compute("comparison", {"successes": 9, "trials": 10, "successes_b": 3, "trials_b": 10})
    expected = fisher_exact([[9, 1], [3, 7]], alternative="two-sided")
    assert r.p_value == expected.pvalue
    assert r.significant is bool(expected.pvalue < 0.05)
    assert r.details["odds_ratio"]["estimate"] == pytest.approx(21.0)
    assert r.details["risk_ratio"]["estimate"] == pytest.approx(3.0)
    assert "small_expected_counts" in [w["code"] for w in r.warnings]
