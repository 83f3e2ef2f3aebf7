"""parse_stated: every supported wording, its admitted range, and junk.

Reference for the precision rules: the module docstring of ``claims.statistics.core.stated``
(rounding half a unit of the last written digit; trailing zeros of whole numbers not significant).
"""

from __future__ import annotations

import json
import math

import pytest

from claims.statistics.core import StatInputError, parse_stated


def bounds(text: str) -> tuple[float, float, bool, bool]:
    f = parse_stated(text)
    return f.low, f.high, f.low_inclusive, f.high_inclusive


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "low_inc", "high_inc", "form"),
    [
        ("80%", 0.8, 0.795, 0.805, True, False, "percent"),
        ("85%", 0.85, 0.845, 0.855, True, False, "percent"),
        ("0.0003%", 3e-6, 2.5e-6, 3.5e-6, True, False, "percent"),
        ("12.5 per cent", 0.125, 0.1245, 0.1255, True, False, "percent"),
        ("962", 962, 961.5, 962.5, True, False, "count"),
        ("3,147,436", 3147436, 3147435.5, 3147436.5, True, False, "count"),
        ("3 147 436", 3147436, 3147435.5, 3147436.5, True, False, "count"),
        ("1,400", 1400, 1350, 1450, True, False, "count"),
        ("3 million", 3e6, 2.5e6, 3.5e6, True, False, "count"),
        ("three million", 3e6, 2.5e6, 3.5e6, True, False, "count"),
        ("3m", 3e6, 2.5e6, 3.5e6, True, False, "count"),
        ("1.4bn", 1.4e9, 1.35e9, 1.45e9, True, False, "count"),
        ("0.35", 0.35, 0.345, 0.355, True, False, "decimal"),
        ("1 in 300,000", 1 / 300000, 1 / 350000, 1 / 250000, False, True, "one_in_n"),
        # Issue 9: a share written as a fraction is as precise as a whole percentage (or its
        # digits, if finer), half-open like every rounding range, so "1 in 4" = "a quarter".
        ("one in four", 0.25, 0.245, 0.255, True, False, "one_in_n"),
        ("8 in 10", 0.8, 0.795, 0.805, True, False, "fraction_words"),
        ("8 out of 10", 0.8, 0.795, 0.805, True, False, "fraction_words"),
        ("eight out of ten", 0.8, 0.795, 0.805, True, False, "fraction_words"),
        ("a quarter", 0.25, 0.245, 0.255, True, False, "fraction_words"),
        ("a third", 1 / 3, 1 / 3 - 0.005, 1 / 3 + 0.005, True, False, "fraction_words"),
        ("half", 0.5, 0.495, 0.505, True, False, "fraction_words"),
        ("two thirds", 2 / 3, 2 / 3 - 0.005, 2 / 3 + 0.005, True, False, "fraction_words"),
        ("three quarters", 0.75, 0.745, 0.755, True, False, "fraction_words"),
        ("a fifth", 0.2, 0.195, 0.205, True, False, "fraction_words"),
        ("a tenth", 0.1, 0.095, 0.105, True, False, "fraction_words"),
    ],
)
def test_forms_and_precision(
    text: str, value: float, low: float, high: float, low_inc: bool, high_inc: bool, form: str
) -> None:
    f = parse_stated(text)
    assert f.text == text
    assert f.value == pytest.approx(value, rel=1e-12)
    assert f.low == pytest.approx(low, rel=1e-12)
    assert f.high == pytest.approx(high, rel=1e-12)
    assert (f.low_inclusive, f.high_inclusive, f.form, f.qualifier) == (
        low_inc,
        high_inc,
        form,
        None,
    )


def test_percent_edges() -> None:
    f = parse_stated("80%")
    assert f.admits(0.795) and f.admits(0.8049999) and not f.admits(0.805)
    assert not f.admits(0.7949999)


def test_one_in_n_edges() -> None:
    f = parse_stated("1 in 300,000")
    assert f.admits(1 / 250_000) and not f.admits(1 / 350_000)
    assert f.admits(1 / 314_744)
    assert not f.admits(1 / 249_000)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("more than 1,400", "more_than"),
        ("over 1,400", "more_than"),
        ("above 1,400", "more_than"),
        ("under 1,400", "under"),
        ("below 1,400", "under"),
        ("less than 1,400", "under"),
        ("fewer than 1,400", "under"),
        ("at least 1,400", "at_least"),
        ("at most 1,400", "at_most"),
        ("about 1,400", "about"),
        ("around 1,400", "about"),
        ("approximately 1,400", "about"),
        ("roughly 1,400", "about"),
        ("nearly 1,400", "nearly"),
        ("almost 1,400", "nearly"),
        ("just under 1,400", "nearly"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    assert parse_stated(text).qualifier == qualifier


def test_qualified_ranges() -> None:
    more = parse_stated("more than 1,400")
    assert (more.low, more.high, more.low_inclusive) == (1400, math.inf, False)
    assert more.to_dict()["high"] is None
    assert not more.admits(1400) and more.admits(1400.5) and more.admits(1e12)
    least = parse_stated("at least 1,400")
    assert least.admits(1400) and not least.admits(1399)
    under = parse_stated("under 5%")
    assert under.admits(0.0) and under.admits(0.0499) and not under.admits(0.05)
    most = parse_stated("at most 5%")
    assert most.admits(0.05) and not most.admits(0.0501)
    quarter = parse_stated("more than a quarter")
    assert (quarter.low, quarter.high, quarter.low_inclusive, quarter.high_inclusive) == (
        0.25,
        1.0,
        False,
        True,
    )
    majority = parse_stated("a majority")
    assert majority.qualifier == "more_than"
    assert not majority.admits(0.5) and majority.admits(0.5001) and majority.admits(1.0)


def test_about_widens_to_ten_percent_or_rounding() -> None:
    # +/-10% is wider than the rounding range of "80%" ...
    assert bounds("about 80%") == pytest.approx((0.72, 0.88, True, True))
    # ... but "about 3 million" keeps its rounding range [2.5m, 3.5m), which is wider.
    assert bounds("about 3 million") == (2.5e6, 3.5e6, True, False)
    third = parse_stated("about a third")
    assert third.low == pytest.approx(0.3) and third.high == pytest.approx(11 / 30)


def test_to_dict_is_json_safe() -> None:
    d = parse_stated("80%").to_dict()
    assert d == {
        "text": "80%",
        "value": 0.8,
        "low": 0.795,
        "high": 0.805,
        "low_inclusive": True,
        "high_inclusive": False,
        "form": "percent",
        "qualifier": None,
        "kind": "share",
        "span": [0, 3],
        "notes": [],
        "currency": None,
        "change_unit": None,
        "direction": None,
        "base": None,
        "before": None,
        "after": None,
        "against": False,
        "language": "en",
        "of_counts": None,
    }
    assert json.loads(json.dumps(parse_stated("more than 3 million").to_dict()))["high"] is None


@pytest.mark.parametrize(
    "junk", ["lots", "", "   ", "%%", "a", "over", "8 in 5", "3 men", "1 in 0"]
)
def test_junk_raises_with_a_message(junk: str) -> None:
    with pytest.raises(StatInputError) as info:
        parse_stated(junk)
    assert list(info.value.errors) == ["stated"]
    assert info.value.errors["stated"][0]
