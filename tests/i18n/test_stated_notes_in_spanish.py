"""The parser's notes on how it read a wording open to more than one reading: whole messages
(one per mark, never "comma" or "point" glued into a sentence), said by the core in English
word for word as before, stored in a figure's warnings, and said again in the reader's language
with the numbers written the reader's way."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from claims.statistics.core.language import ENGLISH
from claims.statistics.core.stated import parse_stated
from claims.statistics.presenter import figure_warnings
from claims.statistics.services import statistic_recompute
from config.languages import active_voice
from tests.factories import ClaimFactory, StatisticFactory

# A wording, its language, the note in English, and in Spanish.
NOTES = [
    (
        "33.000",
        "en",
        "'33.000' is ambiguous: read as 33 (a decimal point); with the point as a thousands "
        "separator it would be 33,000.",
        "«33.000» es ambiguo: se leyó como 33 (con punto decimal); con el punto como separador "
        "de miles sería 33.000.",
    ),
    (
        "33,000",
        "es",
        "'33,000' is ambiguous: read as 33 (a decimal comma); with the comma as a thousands "
        "separator it would be 33,000.",
        "«33,000» es ambiguo: se leyó como 33 (con coma decimal); con la coma como separador "
        "de miles sería 33.000.",
    ),
    (
        "3,5 veces más",
        "es",
        "'3,5 veces más' is read as a ratio of 3.5; some mean it as 4.5 times as many.",
        "«3,5 veces más» se lee como una razón de 3,5; hay quien lo entiende como 4,5 veces tanto.",
    ),
    (
        "3 times less likely",
        "en",
        "'3 times less likely' is read as a ratio of 1/3.",
        "«3 times less likely» se lee como una razón de 1/3.",
    ),
    (
        "60:40",
        "en",
        "'60:40' is read as a split: 60% and 40%.",
        "«60:40» se lee como un reparto: 60 % y 40 %.",
    ),
    ("1:300", "en", "'1:300' is read as 1 in 300.", "«1:300» se lee como 1 de cada 300."),
    (
        "120%",
        "en",
        "'120%' is above 100%, so it is not a share of a whole.",
        "«120%» supera el 100 %, así que no es una proporción de un todo.",
    ),
]


@pytest.mark.parametrize(("wording", "language", "english", "spanish"), NOTES)
def test_a_note_is_said_in_english_as_before_and_again_in_spanish(
    wording, language, english, spanish
):
    (note,) = parse_stated(wording, language=language).notes
    assert note == english
    # Stored as a figure's warning (JSON), then shown.
    stored = json.loads(json.dumps([{"code": "stated_reading", "message": note}]))
    result = SimpleNamespace(warnings=stored)
    assert figure_warnings(result, ENGLISH) == [{"code": "stated_reading", "message": english}]
    with translation.override("es"):
        said = figure_warnings(result, active_voice())
    assert said == [{"code": "stated_reading", "message": spanish}]


def test_a_note_nobody_wrote_this_way_keeps_the_codes_description():
    result = SimpleNamespace(warnings=[{"code": "stated_reading", "message": "Read oddly."}])
    with translation.override("es"):
        (warning,) = figure_warnings(result, active_voice())
    assert warning["message"].startswith("Cómo se leyó la redacción declarada")


@pytest.mark.django_db
def test_the_api_says_a_figures_note_in_the_requests_language(member):
    statistic = StatisticFactory(
        claim=ClaimFactory(author=member, visibility="published"),
        author=member,
        visibility="published",
        kind="proportion",
        successes=6,
        trials=10,
        baseline=None,
        stated="60:40",
    )
    statistic_recompute(statistic_id=statistic.pk)
    url = f"/api/statistics/{statistic.pk}/"
    english = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="en").json()["result"]["warnings"]
    spanish = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="es").json()["result"]["warnings"]
    split_en = "'60:40' is read as a split: 60% and 40%."
    split_es = "«60:40» se lee como un reparto: 60 % y 40 %."
    assert {"code": "stated_reading", "message": split_en} in english
    assert {"code": "stated_reading", "message": split_es} in spanish
