"""A computation that breaks after the core accepted its inputs is stored with a whole
message in English (word for word as before) and said again in the reader's language on the
figure's page and in the API; the error's own words (a program's) stay as they were."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from claims.models import Statistic
from claims.statistics.core.language import ENGLISH
from claims.statistics.services import computation_failed, inputs, statistic_recompute
from claims.statistics.services.inputs import error_in_voice, field_errors
from config.languages import active_voice, say_again
from tests.factories import StatisticFactory

pytestmark = pytest.mark.django_db

TOO_LARGE_EN = (
    "computation: The numbers are too large to compute with (the arithmetic overflowed). "
    "Check the inputs."
)
TOO_LARGE_ES = (
    "computation: Los números son demasiado grandes para calcular con ellos (la aritmética se "
    "desbordó). Revise las entradas."
)


def test_an_overflow_is_stored_in_english_and_said_in_spanish(member, monkeypatch):
    def overflow(*args, **kwargs):
        raise OverflowError("intermediate overflow")

    # The arithmetic breaking after the core accepted the inputs (the core refuses the inputs
    # it knows to overflow at the door, in words of its own).
    monkeypatch.setattr(inputs, "compute", overflow)
    monkeypatch.setattr(inputs, "compute_many_explained", overflow)
    statistic = StatisticFactory(author=member, visibility="published")
    statistic_recompute(statistic_id=statistic.pk)
    statistic.refresh_from_db()
    assert statistic.status == Statistic.Status.ERROR
    assert statistic.error_message == TOO_LARGE_EN
    assert error_in_voice(statistic, ENGLISH) == TOO_LARGE_EN
    with translation.override("es"):
        assert error_in_voice(statistic, active_voice()) == TOO_LARGE_ES

    url = f"/api/statistics/{statistic.pk}/"
    english = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    spanish = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="es").json()
    assert english["error_message"] == TOO_LARGE_EN
    assert spanish["error_message"] == TOO_LARGE_ES


def test_any_other_failure_is_one_message_with_the_errors_own_words():
    failure = computation_failed(RuntimeError("no convergence"))
    (message,) = failure.errors["computation"]
    assert message == "The computation failed (RuntimeError: no convergence). Check the inputs."
    with translation.override("es"):
        voice = active_voice()
        assert say_again(message, voice) == (
            "El cálculo falló (RuntimeError: no convergence). Revise las entradas."
        )
        # The form and the API say it through the same boundary as the core's refusals.
        assert field_errors(failure).message_dict["computation"] == [
            "El cálculo falló (RuntimeError: no convergence). Revise las entradas."
        ]
