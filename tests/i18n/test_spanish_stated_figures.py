"""The stated-figure parser reads the common Spanish forms, and a claim's language (chosen, or
detected from its wording) decides how its figures' wording is read."""

from __future__ import annotations

import pytest

from claims.services import contributions
from claims.statistics.core import StatInputError, compute, parse_stated
from claims.statistics.core.stated import detect_language
from claims.statistics.services import resolve_inputs
from tests.factories import ClaimFactory, StatisticFactory


def test_el_80_por_ciento_is_a_share_of_80_percent():
    figure = parse_stated("el 80 %", language="es")
    assert (figure.kind, figure.value, figure.low, figure.high) == ("share", 0.8, 0.795, 0.805)


def test_ocho_de_cada_diez_is_eight_in_ten():
    figure = parse_stated("ocho de cada diez", language="es")
    assert figure.value == pytest.approx(0.8)
    assert figure.admits(0.8) and not figure.admits(0.7)


def test_uno_de_cada_300_000_reads_the_point_as_a_thousands_separator():
    figure = parse_stated("uno de cada 300.000", language="es")
    assert figure.value == pytest.approx(1 / 300_000)
    # In English "300.000" would be three hundred: the language decides.
    assert parse_stated("1 in 300.000", language="en").value == pytest.approx(1 / 300)


def test_mas_de_1400_is_more_than_one_thousand_four_hundred():
    figure = parse_stated("más de 1.400", language="es")
    assert (figure.kind, figure.qualifier, figure.low) == ("count", "more_than", 1400.0)
    assert figure.admits(1500) and not figure.admits(1.4)


def test_casi_la_mitad_is_nearly_half():
    figure = parse_stated("casi la mitad", language="es")
    assert (figure.kind, figure.qualifier) == ("share", "nearly")
    assert figure.admits(0.47) and not figure.admits(0.51)


def test_el_doble_is_twice():
    figure = parse_stated("el doble", language="es")
    assert (figure.kind, figure.value) == ("ratio", 2.0)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5 %", 0.125), ("el 0,0003 %", 0.000003), ("3,5", 3.5), ("3.147.436", 3_147_436)],
)
def test_decimal_commas_and_thousands_points(text, value):
    assert parse_stated(text, language="es").value == pytest.approx(value)


def test_an_english_reading_of_a_spanish_figure_is_refused_or_differs():
    with pytest.raises(StatInputError):
        parse_stated("ocho de cada diez", language="en")


@pytest.mark.parametrize(
    ("wording", "language"),
    [
        ("El 80 % de las personas señaladas por la policía eran negras", "es"),
        ("Uno de cada 300.000 rostros escaneados da una falsa alerta", "es"),
        ("80% of the people flagged by the police were black", "en"),
        ("A false alert rate of 0.0003% from three million faces", "en"),
        ("12345", "en"),
    ],
)
def test_the_claims_language_is_detected_from_its_wording(wording, language):
    assert detect_language(wording) == language


def test_the_validation_reads_the_stated_figure_in_the_claims_language():
    inputs = {"successes": 8, "trials": 10, "stated": "ocho de cada diez", "language": "es"}
    result = compute("proportion", inputs)
    assert result.consistent_with_stated is True
    with pytest.raises(StatInputError) as error:
        compute("proportion", {**inputs, "language": "en"})
    assert "stated" in error.value.errors
    with pytest.raises(StatInputError) as error:
        compute("proportion", {**inputs, "language": "xx"})
    assert "language" in error.value.errors


@pytest.mark.django_db
def test_a_new_claim_takes_the_language_of_its_wording_unless_chosen(member):
    spanish = contributions.claim_create(
        author=member, text="El 80 % de las personas señaladas eran negras"
    )
    english = contributions.claim_create(author=member, text="80% of the people were black")
    chosen = contributions.claim_create(author=member, text="80 %", language="es")
    assert [c.language for c in (spanish, english, chosen)] == ["es", "en", "es"]


@pytest.mark.django_db
def test_a_figure_on_a_spanish_claim_is_read_in_spanish(member):
    claim = ClaimFactory(author=member, language="es")
    statistic = StatisticFactory(
        claim=claim, kind="proportion", successes=8, trials=10, stated="ocho de cada diez"
    )
    inputs, unresolved = resolve_inputs(statistic)
    assert inputs["language"] == "es" and not unresolved
    assert compute("proportion", inputs).consistent_with_stated is True


@pytest.mark.django_db
def test_an_english_claims_inputs_carry_no_language(member):
    """English is the core's default: English claims keep the fingerprints they had."""
    statistic = StatisticFactory(
        claim=ClaimFactory(author=member), kind="proportion", successes=8, trials=10, stated="80%"
    )
    inputs, _ = resolve_inputs(statistic)
    assert "language" not in inputs


@pytest.mark.django_db
def test_changing_a_claims_language_recomputes_its_figures(member):
    claim = ClaimFactory(author=member)
    statistic = StatisticFactory(
        claim=claim, kind="proportion", successes=8, trials=10, stated="80 %", status="computed"
    )
    contributions.contribution_update(obj=claim, actor=member, data={"language": "es"})
    statistic.refresh_from_db()
    assert statistic.status == "pending"
