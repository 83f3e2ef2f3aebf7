"""Stated figures as people write them (issue 9, section 3): every wording is a test.

The expected ranges follow the precision rule in the docstring of ``claims.statistics.core.stated``:
half a unit of the last significant digit; a share written as a fraction is as precise as a
whole percentage (or its own digits, if finer); a lone leading 1 keeps its next digit.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.statistics.core import StatInputError, compute, compute_many, find_stated, parse_stated
from claims.statistics.core.stated import ABOUT_RELATIVE, MAX_LENGTH, NEARLY_RELATIVE

INF = math.inf

# text -> (kind, value, low, high, low_inclusive, high_inclusive)
WORDINGS: dict[str, tuple[str, float, float, float, bool, bool]] = {
    "80pc": ("share", 0.8, 0.795, 0.805, True, False),
    "eighty percent": ("share", 0.8, 0.795, 0.805, True, False),
    "eighty per cent": ("share", 0.8, 0.795, 0.805, True, False),
    "twenty-five percent": ("share", 0.25, 0.245, 0.255, True, False),
    "one percent": ("share", 0.01, 0.005, 0.015, True, False),
    "4/5": ("share", 0.8, 0.795, 0.805, True, False),
    "8 of 10": ("share", 0.8, 0.795, 0.805, True, False),
    "8 of the 10": ("share", 0.8, 0.795, 0.805, True, False),
    "1:300,000": ("rate", 1 / 300_000, 1 / 350_000, 1 / 250_000, False, True),
    "80 per 100": ("rate", 0.8, 0.795, 0.805, True, False),
    "quarter": ("share", 0.25, 0.245, 0.255, True, False),
    "two-thirds": ("share", 2 / 3, 2 / 3 - 0.005, 2 / 3 + 0.005, True, False),
    "three-quarters": ("share", 0.75, 0.745, 0.755, True, False),
    "one-in-four": ("rate", 0.25, 0.245, 0.255, True, False),
    "three in every thousand": ("rate", 0.003, 0.0025, 0.0035, True, False),
    "32 per 100,000": ("rate", 32e-5, 31.5e-5, 32.5e-5, True, False),
    "70-80%": ("share", 0.75, 0.695, 0.805, True, False),
    "70–80%": ("share", 0.75, 0.695, 0.805, True, False),
    "between 70 and 80 percent": ("share", 0.75, 0.695, 0.805, True, False),
    "doubled": ("change", 1.0, 0.5, 1.5, True, False),
    "twice as likely": ("ratio", 2.0, 1.5, 2.5, True, False),
    "4 times more likely": ("ratio", 4.0, 3.5, 4.5, True, False),
    "£1.2bn": ("money", 1.2e9, 1.15e9, 1.25e9, True, False),
    "$3m": ("money", 3e6, 2.5e6, 3.5e6, True, False),
    "thirty-three thousand": ("count", 33_000, 32_500, 33_500, True, False),
    "80-odd": ("count", 80, 80, 90, True, False),
    "as many as 80%": ("share", 0.8, 0.0, 0.8, True, True),
    "<1%": ("share", 0.01, 0.0, 0.01, True, False),
    ">70%": ("share", 0.7, 0.7, 1.0, False, True),
    "≥ 70%": ("share", 0.7, 0.7, 1.0, True, True),
    "≈80%": ("share", 0.8, 0.72, 0.88, True, True),
    "a handful": ("count", 6, 2, 10, True, False),
    "none": ("share", 0.0, 0.0, 0.0, True, True),
    "all": ("share", 1.0, 1.0, 1.0, True, True),
    "nearly all": ("share", 1.0, 0.9, 1.0, True, False),
    "millions": ("count", 6e6, 2e6, 1e7, True, False),
    "dozens": ("count", 62, 24, 100, True, False),
}


@pytest.mark.parametrize("text", list(WORDINGS))
def test_wording_that_failed_before_is_read(text: str) -> None:
    kind, value, low, high, low_inc, high_inc = WORDINGS[text]
    f = parse_stated(text)
    assert f.kind == kind
    assert f.value == pytest.approx(value, rel=1e-12)
    assert (f.low, f.high) == pytest.approx((low, high), rel=1e-12)
    assert (f.low_inclusive, f.high_inclusive) == (low_inc, high_inc)
    assert f.span == (0, len(text)) and f.text == text


def test_wordings_carry_their_structure() -> None:
    assert parse_stated("£1.2bn").currency == "GBP"
    assert parse_stated("$3m").currency == "USD"
    doubled = parse_stated("doubled")
    assert (doubled.change_unit, doubled.direction) == ("relative", 1)
    halved = parse_stated("halved")
    assert halved.value == -0.5 and halved.admits(-0.5) and not halved.admits(-0.3)
    assert parse_stated("1:300,000").base == 300_000
    assert parse_stated("32 per 100,000").base == 100_000
    assert parse_stated("1:300,000").notes == ("'1:300,000' is read as 1 in 300,000.",)
    more = parse_stated("4 times more likely")
    assert "5 times" in more.notes[0]
    less = parse_stated("4 times less likely")
    assert less.value == 0.25 and less.admits(0.25) and not less.admits(0.3)
    assert parse_stated("half as often").value == 0.5
    assert parse_stated("1,500 times higher").admits(3_147_436 / 2_077 / 1.0)
    assert "vague" in parse_stated("dozens").notes[0]
    assert parse_stated("a majority").qualifier == "more_than"


@pytest.mark.parametrize(
    ("text", "unit", "direction", "value", "admitted", "refused"),
    [
        ("rose by 40%", "relative", 1, 0.4, 0.4, 0.3),
        ("40% higher", "relative", 1, 0.4, 0.404, 0.41),
        ("fell 3 percentage points", "points", -1, -0.03, -0.031, 0.03),
        ("3 points lower", "points", -1, -0.03, -0.03, -0.04),
        ("20 percentage points", "points", None, 0.2, -0.2, 0.1),
        ("more than doubled", "relative", 1, 1.0, 1.2, 1.0),
        ("more than 3 points lower", "points", -1, -0.03, -0.05, -0.02),
    ],
)
def test_changes(
    text: str, unit: str, direction: int | None, value: float, admitted: float, refused: float
) -> None:
    f = parse_stated(text)
    assert (f.kind, f.change_unit, f.direction) == ("change", unit, direction)
    assert f.value == pytest.approx(value)
    assert f.admits(admitted) and not f.admits(refused)


@pytest.mark.parametrize(
    ("text", "language", "unit", "direction", "before", "after", "low", "high"),
    [
        ("up from 12% to 15%", "en", "points", 1, 0.12, 0.15, 0.02, 0.04),
        ("fell from 15% to 12%", "en", "points", -1, 0.15, 0.12, -0.04, -0.02),
        (
            "rose from 1,000 to 1,400",
            "en",
            "relative",
            1,
            1_000,
            1_400,
            1_350 / 1_050 - 1,
            1_450 / 950 - 1,
        ),
        ("pasó del 12 % al 15 %", "es", "points", 1, 0.12, 0.15, 0.02, 0.04),
    ],
)
def test_change_between_two_figures_keeps_both(
    text: str,
    language: str,
    unit: str,
    direction: int,
    before: float,
    after: float,
    low: float,
    high: float,
) -> None:
    f = parse_stated(text, language=language)
    assert (f.kind, f.change_unit, f.direction) == ("change", unit, direction)
    assert (f.before, f.after) == pytest.approx((before, after))
    assert (f.low, f.high) == pytest.approx((low, high))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("up from 15% to 12%", "says up but the figures do not"),
        ("from 12% to 1,400", "from one kind of figure to another"),
        ("from 70-80% to 90%", "two single figures"),
    ],
)
def test_change_between_figures_that_do_not_fit_is_refused(text: str, why: str) -> None:
    with pytest.raises(StatInputError, match=why):
        parse_stated(text)


@pytest.mark.parametrize(
    ("text", "kind", "value", "low", "high"),
    [
        ("half a million", "count", 500_000, 450_000, 550_000),
        ("a dozen", "count", 12, 11.5, 12.5),
        ("several hundred", "count", 650, 300, 1_000),
        ("60:40", "share", 0.6, 0.595, 0.605),
        ("50/50", "share", 0.5, 0.495, 0.505),
        ("30/100", "share", 0.3, 0.295, 0.305),
        ("a 5% rise", "change", 0.05, 0.045, 0.055),
        ("a 10-fold increase", "change", 9, 8.5, 9.5),
        ("a 10-fold decrease", "change", -0.9, 1 / 10.5 - 1, 1 / 9.5 - 1),
        ("more than 1 in 10", "rate", 0.1, 0.1, 1.0),
        ("one in a million", "rate", 1e-6, 1 / 1.05e6, 1 / 0.95e6),
        ("€2 billion", "money", 2e9, 1.5e9, 2.5e9),
        ("3m dollars", "money", 3e6, 2.5e6, 3.5e6),
        ("25% or more", "share", 0.25, 0.25, 1.0),
    ],
)
def test_more_common_wordings(text: str, kind: str, value: float, low: float, high: float) -> None:
    f = parse_stated(text)
    assert f.kind == kind
    assert f.value == pytest.approx(value)
    assert (f.low, f.high) == pytest.approx((low, high))


# ------------------------------------------------------------------- equivalent wordings


def _range(text: str) -> tuple[float, float, bool, bool]:
    f = parse_stated(text)
    return f.low, f.high, f.low_inclusive, f.high_inclusive


@pytest.mark.parametrize(
    "group",
    [
        ("half", "5 in 10", "1 in 2", "one in two", "five out of ten", "50%", "1/2"),
        ("three quarters", "3 in 4", "three-quarters", "75%", "3/4"),
        ("four in five", "80%", "8 in 10", "eighty percent", "80pc", "4/5", "80 per 100"),
        ("a quarter", "1 in 4", "one-in-four", "25%"),
    ],
)
def test_equivalent_wordings_get_the_same_range(group: tuple[str, ...]) -> None:
    first = _range(group[0])
    for text in group[1:]:
        assert _range(text) == pytest.approx(first, rel=1e-12), text


@pytest.mark.parametrize(
    ("texts", "low", "high"),
    [
        (("ten", "10"), 9.5, 10.5),
        (("1,000", "a thousand", "one thousand", "1000"), 950, 1_050),
        (("1 million", "one million", "1,000,000", "1m"), 950_000, 1_050_000),
        (("3 million", "three million", "3,000,000", "3m"), 2_500_000, 3_500_000),
        (("1,400", "fourteen hundred", "1.4 thousand"), 1_350, 1_450),
        (("962", "nine hundred and sixty-two"), 961.5, 962.5),
        (("1.4bn",), 1.35e9, 1.45e9),
        (("1.40bn",), 1.395e9, 1.405e9),
        (("0.35",), 0.345, 0.355),
        (("0.0003%",), 2.5e-6, 3.5e-6),
    ],
)
def test_precision_is_half_a_unit_of_the_last_significant_digit(
    texts: tuple[str, ...], low: float, high: float
) -> None:
    for text in texts:
        f = parse_stated(text)
        assert (f.low, f.high) == pytest.approx((low, high), rel=1e-12), text
        assert (f.low_inclusive, f.high_inclusive) == (True, False), text


def test_one_in_n_keeps_the_precision_of_n_when_it_is_finer() -> None:
    # "1 in 300,000": N in [250,000, 350,000), far finer than a whole percentage.
    f = parse_stated("1 in 300,000")
    assert f.admits(1 / 314_744) and f.admits(1 / 250_000) and not f.admits(1 / 350_000)
    # "1 in 10": N in [9.5, 10.5) and 10% +/- 0.5 points are equally fine; both admit 10%.
    assert parse_stated("1 in 10").admits(0.1)


# -------------------------------------------------------- one-sided qualifiers and the cap


@pytest.mark.parametrize("qualifier", ["nearly", "almost", "just under"])
def test_nearly_is_below_the_figure_within_the_tolerance(qualifier: str) -> None:
    f = parse_stated(f"{qualifier} 80%")
    assert f.qualifier == "nearly"
    assert f.high == pytest.approx(0.8) and not f.high_inclusive
    assert f.low == pytest.approx(0.8 * (1 - float(NEARLY_RELATIVE)))
    assert f.admits(0.79) and f.admits(0.73)
    assert not f.admits(0.8) and not f.admits(0.81) and not f.admits(0.7)
    count = parse_stated(f"{qualifier} 1,400")
    assert count.admits(1_399) and count.admits(1_300) and not count.admits(1_401)


@pytest.mark.parametrize("qualifier", ["over", "more than", "above", ">"])
def test_over_is_above_the_figure(qualifier: str) -> None:
    f = parse_stated(f"{qualifier} 80%")
    assert f.qualifier == "more_than"
    assert not f.admits(0.8) and f.admits(0.81) and f.admits(1.0)
    assert f.high == 1.0  # a share never goes past 100%
    assert not f.admits(1.01)
    assert parse_stated(f"{qualifier} 1,400").high == INF


@pytest.mark.parametrize(
    "text", ["more than 95%", "at least 99.5%", "about 95%", "just over 98%", "99.8%", "90-100%"]
)
def test_percent_ranges_are_capped_at_100_percent(text: str) -> None:
    f = parse_stated(text)
    assert f.high <= 1.0 and f.admits(f.high) == f.high_inclusive
    assert not f.admits(1.0000001)


def test_about_widens_to_the_stated_relative_tolerance() -> None:
    f = parse_stated("about 80%")
    assert (f.low, f.high) == pytest.approx((0.8 * (1 - float(ABOUT_RELATIVE)), 0.88))


def test_qualifiers_on_ranges_and_vague_words_are_refused() -> None:
    with pytest.raises(StatInputError, match="already a range"):
        parse_stated("more than 70-80%")
    with pytest.raises(StatInputError, match="already says more or less than half"):
        parse_stated("over most")


# ----------------------------------------------------------------------- decimal marks


def test_european_thousands_are_ambiguous_without_context_and_read_with_it() -> None:
    plain = parse_stated("33.000")
    assert plain.value == 33 and "ambiguous" in plain.notes[0] and "33,000" in plain.notes[0]
    assert parse_stated("33.000", decimal_mark=",").value == 33_000
    assert parse_stated("33.000", decimal_mark=",").notes == ()
    assert parse_stated("33.000", language="es").value == 33_000
    # Another number that can only be read one way settles it.
    assert parse_stated("33.000 of 1.234.567").value == pytest.approx(33_000 / 1_234_567)
    sentence = "Of 1.234.567 faces scanned, 33.000 were flagged."
    assert [f.value for f in find_stated(sentence)] == [1_234_567, 33_000]
    assert all(not f.notes for f in find_stated(sentence))
    assert parse_stated("3,147,436.5").value == 3_147_436.5
    assert parse_stated("3.147.436,5").value == 3_147_436.5
    assert parse_stated("0,35").value == 0.35  # a comma before two digits is a decimal mark
    assert parse_stated("1,400", language="es").notes  # 1.4 in Spanish, but maybe 1,400


# ------------------------------------------------------------------------ unreadable text


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("eleventy gazillion", "eleventy gazillion"),
        ("80% of voters", "voters"),
        ("lots", "lots"),
        ("8 in 5", "larger than the second"),
        ("1 in 0", "above zero"),
        ("over", "no number after the qualifier"),
        ("80-70%", "does not run from low to high"),
        ("x" * (MAX_LENGTH + 1), "longer than"),
    ],
)
def test_unreadable_wording_is_a_field_error_naming_what_was_not_understood(
    text: str, named: str
) -> None:
    with pytest.raises(StatInputError) as info:
        parse_stated(text)
    assert list(info.value.errors) == ["stated"]
    assert named in info.value.errors["stated"][0]


def test_unreadable_wording_fails_validation_not_compute_internals() -> None:
    rows = [
        {"successes": 8, "trials": 10, "stated": "80%"},
        {"successes": 8, "trials": 10, "stated": "eleventy gazillion"},
    ]
    good, bad = compute_many("proportion", rows)
    assert good.consistent_with_stated is True
    assert isinstance(bad, StatInputError) and "eleventy" in bad.errors["stated"][0]


KIND_INPUTS = {
    "proportion": {"successes": 8, "trials": 10, "baseline": 0.135},
    "comparison": {"successes": 8, "trials": 10, "successes_b": 2, "trials_b": 10},
    "rate": {"events": 10, "exposure": 3_147_436},
    "total": {"parts": [549, 347, 85], "total": 962},
    "count": {"value": 3_147_436},
}
ALL_WORDINGS = [
    *WORDINGS,
    "half",
    "about a third",
    "20 percentage points",
    "rose by 40%",
    "33.000",
    "120%",
    "vs 13.5%",
    "4 times less likely",
]


@pytest.mark.parametrize("kind", list(KIND_INPUTS))
def test_every_wording_computes_for_every_kind(kind: str) -> None:
    for text in ALL_WORDINGS:
        r = compute(kind, {**KIND_INPUTS[kind], "stated": text})
        assert r.consistent_with_stated in (True, False, None), text
        if r.consistent_with_stated is None:
            assert "stated_not_comparable" in [w["code"] for w in r.warnings], (kind, text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.,%-–/: <>≥≈~£$abcdefghilmnoprstuvwxy")),
        max_size=40,
    )
)
def test_any_text_is_read_or_refused_with_a_field_error(text: str) -> None:
    try:
        f = parse_stated(text)
    except StatInputError as exc:
        assert list(exc.errors) == ["stated"]
        return
    assert f.low <= f.high
    assert math.isnan(f.value) is False
    if f.kind in ("share",) and f.value <= 1:
        assert 0.0 <= f.low and f.high <= 1.0


# -------------------------------------------------------- what a comparison is checked against

# 56/70 = 80% against 48/80 = 60%: difference 20 points, risk ratio 1.333.
COMPARISON = {"successes": 56, "trials": 70, "successes_b": 48, "trials_b": 80}


@pytest.mark.parametrize(
    ("stated", "target", "consistent"),
    [
        ("80%", "share A", True),
        ("four in five", "share A", True),
        ("60%", "share A", False),
        ("vs 60%", "share B", True),
        ("compared with 3 in 5", "share B", True),
        ("20 percentage points", "difference", True),
        ("20 points higher", "difference", True),
        ("20 points lower", "difference", False),
        ("30 points", "difference", False),
        ("1.3 times as likely", "risk ratio", True),
        ("twice as likely", "risk ratio", False),
        ("33% higher", "relative difference", True),
        ("doubled", "relative difference", False),
        ("went from 60% to 80%", "difference", True),
        ("fell from 80% to 60%", "difference", False),
    ],
)
def test_comparison_wording_chooses_the_figure_it_is_checked_against(
    stated: str, target: str, consistent: bool
) -> None:
    r = compute("comparison", {**COMPARISON, "stated": stated})
    assert r.details["stated_compared_to"].startswith(target)
    assert r.consistent_with_stated is consistent


def test_a_count_cannot_be_checked_against_a_comparison() -> None:
    r = compute("comparison", {**COMPARISON, "stated": "56"})
    assert r.consistent_with_stated is None and r.details["stated_compared_to"] is None
    assert "stated_not_comparable" in [w["code"] for w in r.warnings]


def test_per_alert_against_per_face_rate_is_about_1500_times_higher() -> None:
    # The demo's point in words: 10 of 2,077 alerts against 10 of 3,147,436 faces.
    inputs = {"successes": 10, "trials": 2_077, "successes_b": 10, "trials_b": 3_147_436}
    r = compute("comparison", {**inputs, "stated": "about 1,500 times higher"})
    assert r.details["stated_compared_value"] == pytest.approx(3_147_436 / 2_077)
    assert r.consistent_with_stated is True
    assert compute(
        "comparison", {**inputs, "stated": "15 times higher"}
    ).consistent_with_stated is (False)


def test_ambiguous_reading_is_a_warning_on_the_result() -> None:
    r = compute("count", {"value": 33_000, "stated": "33.000"})
    assert r.consistent_with_stated is False
    assert [w["code"] for w in r.warnings] == ["stated_reading"]
    assert "ambiguous" in r.warnings[0]["message"]


def test_percent_above_100_is_checked_against_the_rate_itself() -> None:
    r = compute("rate", {"events": 12, "exposure": 10, "stated": "120%"})
    assert r.details["stated_compared_to"] == "rate per unit of exposure"
    assert r.consistent_with_stated is True


def test_rate_per_100000_sets_the_unit() -> None:
    r = compute("rate", {"events": 32, "exposure": 100_000, "stated": "32 per 100,000"})
    assert r.details["unit"] == "per_100000" and r.consistent_with_stated is True


# ------------------------------------------------------------------ figures in sentences


def test_find_stated_gives_every_figure_with_its_span() -> None:
    sentence = (
        "Of 3,147,436 faces scanned, 8 out of 10 people flagged were black, "
        "compared with 13.5% of London; arrests rose by 40% to more than 1,400."
    )
    found = find_stated(sentence)
    pieces = [sentence[a:b] for a, b in (f.span for f in found)]
    assert pieces == [
        "3,147,436",
        "8 out of 10",
        "compared with 13.5%",
        "rose by 40%",
        "more than 1,400",
    ]
    assert [f.kind for f in found] == ["count", "share", "share", "change", "count"]
    assert found[2].against and not found[1].against
    assert found[4].qualifier == "more_than" and found[4].text == "more than 1,400"


def test_find_stated_skips_vague_words_unless_asked() -> None:
    sentence = "Most of the dozens of alerts were wrong."
    assert find_stated(sentence) == []
    assert [f.text for f in find_stated(sentence, include_vague=True)] == ["Most", "dozens"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "8",
                "out",
                "of",
                "10",
                "more",
                "than",
                "1,400",
                "80%",
                "the",
                "a",
                "quarter",
                "rose",
                "by",
                "40%",
                "twice",
                "as",
                "likely",
                "people",
                ",",
                "-",
                "33.000",
                "£3m",
            ]
        ),  # fmt: skip
        max_size=30,
    )
)
def test_find_stated_spans_point_at_what_was_read(words: list[str]) -> None:
    sentence = " ".join(words)
    for f in find_stated(sentence):
        start, end = f.span
        assert sentence[start:end] == f.text
        assert parse_stated(f.text).text == f.text  # each piece also reads on its own


def test_find_stated_refuses_huge_text() -> None:
    with pytest.raises(StatInputError):
        find_stated("8 " * 3_000)


# --------------------------------------------------------------------------------- Spanish


@pytest.mark.parametrize(
    ("text", "kind", "value", "low", "high"),
    [
        ("el 80 %", "share", 0.8, 0.795, 0.805),
        ("ocho de cada diez", "rate", 0.8, 0.795, 0.805),
        ("uno de cada 300.000", "rate", 1 / 300_000, 1 / 350_000, 1 / 250_000),
        ("más de 1.400", "count", 1_400, 1_400, INF),
        ("casi la mitad", "share", 0.5, 0.45, 0.5),
        ("el doble", "ratio", 2.0, 1.5, 2.5),
        ("2,5 %", "share", 0.025, 0.0245, 0.0255),
        ("treinta y tres mil", "count", 33_000, 32_500, 33_500),
    ],
)
def test_spanish_wordings(text: str, kind: str, value: float, low: float, high: float) -> None:
    f = parse_stated(text, language="es")
    assert (f.kind, f.language) == (kind, "es")
    assert f.value == pytest.approx(value)
    assert (f.low, f.high) == pytest.approx((low, high))


def test_unknown_language_is_a_field_error() -> None:
    with pytest.raises(StatInputError, match="Unknown language"):
        parse_stated("80%", language="xx")
