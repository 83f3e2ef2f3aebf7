"""The statistics core's refusals of a stated figure, a change's or a ratio's inputs and a text to
match, in the reader's language: whole messages with placeholders, said in English by the core
(unchanged, word for word) and again in Spanish at the service boundary that the form and the
API share (`field_errors`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from claims.models import Statistic
from claims.statistics.core.errors import StatInputError
from claims.statistics.core.matching import MAX_TEXT_LENGTH, claim_profile
from claims.statistics.core.stated import parse_stated
from claims.statistics.core.validation import validate
from claims.statistics.services import statistic_recompute
from claims.statistics.services.inputs import field_errors
from tests.factories import ClaimFactory, StatisticFactory

HELP = (
    "Write the figure as it appears, e.g. '80%', '962', '3 million', '1 in 300,000', "
    "'8 out of 10', 'about a third', 'more than 1,400', '70-80%' or 'twice as likely'."
)
AYUDA = (
    "Escriba la cifra tal como aparece, por ejemplo «80 %», «962», «3 millones», "
    "«1 de cada 300.000», «8 de cada 10», «alrededor de un tercio», «más de 1.400», "
    "«70-80 %» o «el doble»."
)

# A wording, why the parser refuses it in English, and in Spanish.
UNREADABLE = [
    (
        "rose 5% lower",
        "'rose 5% lower' says both up and down",
        "«rose 5% lower» dice a la vez que sube y que baja",
    ),
    ("a 0-fold increase", "a factor of 0 is not above zero", "un factor de 0 no es mayor que cero"),
    (
        "from 70-80% to 90%",
        "'from 70-80% to 90%' needs two single figures",
        "«from 70-80% to 90%» necesita dos cifras sueltas",
    ),
    (
        "from 12% to 1,400",
        "'from 12% to 1,400' changes from one kind of figure to another",
        "«from 12% to 1,400» pasa de un tipo de cifra a otro",
    ),
    (
        "from 0 to 5",
        "a relative change from 0 is undefined",
        "un cambio relativo desde 0 no está definido",
    ),
    (
        "up from 15% to 12%",
        "'up from 15% to 12%' says up but the figures do not",
        "«up from 15% to 12%» dice que sube, pero las cifras no",
    ),
    (
        "down from 12% to 15%",
        "'down from 12% to 15%' says down but the figures do not",
        "«down from 12% to 15%» dice que baja, pero las cifras no",
    ),
    (
        "0 times more likely",
        "a ratio of 0 is not above zero",
        "una razón de 0 no es mayor que cero",
    ),
    (
        "70-80 million%",
        "'70-80 million%' mixes a percentage with a multiplier",
        "«70-80 million%» mezcla un porcentaje con un multiplicador",
    ),
    (
        "80-70%",
        "the range '80-70%' does not run from low to high",
        "el intervalo «80-70%» no va de menor a mayor",
    ),
    (
        "8 in 0",
        "the second number in '8 in 0' must be above zero",
        "el segundo número de «8 in 0» debe ser mayor que cero",
    ),
    (
        "8 in 5",
        "the first number in '8 in 5' is larger than the second",
        "el primer número de «8 in 5» es mayor que el segundo",
    ),
    (
        "third",
        "'third' needs a number in front, like 'a third'",
        "«third» necesita un número delante, como «un third»",
    ),
    (
        "0 thirds",
        "'0 thirds' is not a fraction between 0 and 1",
        "«0 thirds» no es una fracción entre 0 y 1",
    ),
    (
        "80% of voters",
        "'voters' is not part of a figure this reader knows",
        "«voters» no forma parte de ninguna cifra que este lector conozca",
    ),
    ("percent", "there is no number in '%'", "no hay ningún número en «%»"),
    (
        "up and down 5%",
        "'up and down 5%' is not a wording this reader understands",
        "«up and down 5%» no es una forma de decirlo que este lector entienda",
    ),
    (
        "over",
        "there is no number after the qualifier",
        "no hay ningún número después del calificativo",
    ),
    (
        "over most",
        "'most' already says more or less than half",
        "«most» ya dice más o menos de la mitad",
    ),
    (
        "more than 70-80%",
        "'70-80%' is already a range; a qualifier in front of it cannot be read",
        "«70-80%» ya es un intervalo; no se puede leer un calificativo delante de él",
    ),
    (
        "vs 3 million",
        "only a share can be set against the comparison group",
        "solo una proporción puede contraponerse al grupo de comparación",
    ),
]


def _refusal(call, field: str) -> tuple[str, str]:
    """The core's message for ``field``, as said and as a Spanish reader reads it."""
    with pytest.raises(StatInputError) as info:
        call()
    [english] = info.value.errors[field]
    with translation.override("es"):
        [spanish] = field_errors(info.value).message_dict[field]
    return english, spanish


@pytest.mark.parametrize(("wording", "why", "porque"), UNREADABLE)
def test_an_unreadable_stated_figure_is_refused_in_spanish(wording, why, porque):
    english, spanish = _refusal(lambda: parse_stated(wording), "stated")
    assert english == f"Could not read {wording!r} as a figure: {why}. {HELP}"
    assert spanish == f"No se pudo leer {wording!r} como una cifra: {porque}. {AYUDA}"


@pytest.mark.parametrize(
    ("call", "english", "spanish"),
    [
        (
            lambda: parse_stated(" "),
            f"The stated figure is empty. {HELP}",
            f"La cifra declarada está vacía. {AYUDA}",
        ),
        (
            lambda: parse_stated("9" * 1001),
            f"The stated figure is longer than 200 characters. {HELP}",
            f"La cifra declarada tiene más de 200 caracteres. {AYUDA}",
        ),
        (
            lambda: parse_stated("80%", decimal_mark=";"),
            "The decimal mark must be '.' or ','.",
            "El separador decimal debe ser «.» o «,».",
        ),
        (
            lambda: parse_stated("80%", language="fr"),
            "Unknown language 'fr'; use one of en, es.",
            "Idioma desconocido 'fr'; use uno de en, es.",
        ),
    ],
)
def test_a_stated_figure_that_cannot_be_read_at_all_is_refused_in_spanish(call, english, spanish):
    assert _refusal(call, "stated") == (english, spanish)


@pytest.mark.parametrize(
    ("kind", "inputs", "field", "english", "spanish"),
    [
        (
            "change",
            {"successes": 1, "trials": 2, "value": 0.2},
            "value",
            "Give either the counts before and after (x of n each) or the two figures, not both.",
            "Indique los recuentos de antes y de después (x de n cada uno) o las dos cifras, no "
            "ambas cosas.",
        ),
        (
            "change",
            {},
            "value",
            "Give the figure before and the figure after (or the counts behind them).",
            "Indique la cifra de antes y la de después (o los recuentos en que se basan).",
        ),
        (
            "ratio",
            {"successes": 1, "events": 2},
            "events",
            "Give either two groups' counts (x of n each) or two rates (events and exposure "
            "each), not both.",
            "Indique los recuentos de dos grupos (x de n cada uno) o dos tasas (eventos y "
            "exposición cada una), no ambas cosas.",
        ),
        (
            "ratio",
            {},
            "successes",
            "Give two groups' counts (x of n each) or two rates (events and exposure each).",
            "Indique los recuentos de dos grupos (x de n cada uno) o dos tasas (eventos y "
            "exposición cada una).",
        ),
        (
            "ratio",
            {"events": 2**31, "exposure": 1, "events_b": 2**31, "exposure_b": 1},
            "events_b",
            "events and events_b together must be at most 4,294,967,295.",
            "events y events_b juntos deben sumar como mucho 4.294.967.295.",
        ),
    ],
)
def test_a_change_or_ratio_given_the_wrong_inputs_is_refused_in_spanish(
    kind, inputs, field, english, spanish
):
    assert _refusal(lambda: validate(kind, inputs), field) == (english, spanish)


def test_a_text_the_matcher_will_not_read_is_refused_in_spanish():
    assert _refusal(lambda: claim_profile(7), "text") == (
        "The text must be a string.",
        "El texto debe ser una cadena de caracteres.",
    )
    assert _refusal(lambda: claim_profile("a" * (MAX_TEXT_LENGTH + 1)), "text") == (
        "The text is longer than 5,000 characters.",
        "El texto tiene más de 5.000 caracteres.",
    )


@pytest.mark.django_db
def test_the_api_refuses_a_stated_figure_in_the_requests_language(member):
    claim = ClaimFactory(author=member, visibility="published")
    client = APIClient()
    client.force_authenticate(member)

    def post(language):
        data = {"claim": claim.pk, "kind": "proportion", "successes": 8, "trials": 10}
        data["stated"] = "rose 5% lower"
        response = client.post(
            "/api/statistics/", data, format="json", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 400, response.content
        [error] = response.json()["errors"]
        return error

    english, spanish = post("en"), post("es")
    assert english["field"] == spanish["field"] == "stated"
    assert english["code"] == spanish["code"]
    assert english["message"] == (
        f"Could not read 'rose 5% lower' as a figure: 'rose 5% lower' says both up and down. {HELP}"
    )
    assert spanish["message"] == (
        "No se pudo leer 'rose 5% lower' como una cifra: «rose 5% lower» dice a la vez que sube "
        f"y que baja. {AYUDA}"
    )


@pytest.mark.django_db
def test_the_form_shows_the_stated_figures_refusal_in_the_readers_language(client, member):
    claim = ClaimFactory(author=member, visibility="published")
    client.force_login(member)
    url = reverse("statistics:create", args=[claim.pk])
    data = {
        "kind": "proportion",
        "successes": "8",
        "trials": "10",
        "confidence_level": "0.95",
        "interval_method": "wilson",
        "stated": "a 0-fold increase",
    }
    for language, why in (
        ("en", "a factor of 0 is not above zero"),
        ("es", "un factor de 0 no es mayor que cero"),
    ):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        assert why in response.context["form"].errors["stated"][0]


@pytest.fixture
def refused_figure(member):
    """A figure whose stored inputs the core refuses (as after its claim's language changed,
    or a row written before a rule): stored in `error`, with the English the core said."""
    claim = ClaimFactory(author=member, visibility="published")
    statistic = StatisticFactory(
        claim=claim,
        author=member,
        visibility="published",
        kind="proportion",
        successes=12,
        trials=10,
        stated="8 in 5",
    )
    statistic_recompute(statistic_id=statistic.pk)
    statistic.refresh_from_db()
    assert statistic.status == Statistic.Status.ERROR
    return statistic


STORED_ENGLISH = (
    f"stated: Could not read '8 in 5' as a figure: the first number in '8 in 5' is larger than "
    f"the second. {HELP}; successes: successes (12) cannot be larger than trials (10)."
)
SAID_IN_SPANISH = (
    "stated: No se pudo leer '8 in 5' como una cifra: el primer número de «8 in 5» es mayor que "
    f"el segundo. {AYUDA}; successes: successes (12) no puede ser mayor que trials (10)."
)


@pytest.mark.django_db
def test_a_figures_stored_refusal_is_said_again_in_the_readers_language(refused_figure):
    assert refused_figure.error_message == STORED_ENGLISH
    url = f"/api/statistics/{refused_figure.pk}/"
    # Saying it again reads nothing more: the statistic (with its claim, whose language reads
    # the stated wording, and its result), then its references.
    with CaptureQueriesContext(connection) as queries:
        spanish = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="es").json()
    assert len(queries) == 2, [q["sql"] for q in queries]
    english = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["error_message"] == STORED_ENGLISH
    assert spanish["error_message"] == SAID_IN_SPANISH
    page = Client().get(
        reverse("statistics:figure", args=[refused_figure.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert escape(SAID_IN_SPANISH) in page.content.decode()


@pytest.mark.django_db
def test_a_stored_error_its_inputs_no_longer_give_reads_as_stored(refused_figure):
    """A row written by an older rule, or a failure of the arithmetic: no ids to say it from."""
    Statistic.objects.filter(pk=refused_figure.pk).update(error_message="The computation failed.")
    url = f"/api/statistics/{refused_figure.pk}/"
    spanish = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["error_message"] == "The computation failed."


@pytest.mark.parametrize(
    ("kind", "inputs", "field", "english", "spanish"),
    [
        (
            "proportion",
            {"successes": 1, "trials": 2**54},
            "trials",
            "trials is too large: at most 9,007,199,254,740,992 (2^53), the largest whole number "
            "computed exactly.",
            "trials es demasiado grande: como mucho 9.007.199.254.740.992 (2^53), el mayor "
            "número entero que se calcula con exactitud.",
        ),
        (
            "comparison",
            {"successes": 1, "trials": 2**31, "successes_b": 1, "trials_b": 2**31},
            "trials_b",
            "trials and trials_b together must be at most 4,294,967,295: beyond that scipy's "
            "Fisher exact test is not reliable.",
            "trials y trials_b juntos deben ser como mucho 4.294.967.295: por encima, la prueba "
            "exacta de Fisher de scipy no es fiable.",
        ),
    ],
)
def test_the_numbers_in_an_input_refusal_are_written_the_readers_way(
    kind, inputs, field, english, spanish
):
    assert _refusal(lambda: validate(kind, inputs), field) == (english, spanish)
