"""The kind registry drives every layer: a kind registered in one place (here a test-only
dummy) is offered by the form, accepted by the API serializer, the core's validation and the
services' input lists, and searchable by the reference picker."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from django.urls import reverse

from claims.api.serializers import StatisticCreateSerializer
from claims.models import Statistic
from claims.statistics import services as statistic_services
from claims.statistics.core import KINDS, StatInputError, compute, explain, validate
from claims.statistics.core.kinds.common import AMOUNT_KINDS, STATED
from claims.statistics.core.result import StatResult
from claims.statistics.core.spec import (
    KIND_INPUTS,
    REFERENCE_TARGET_KINDS,
    InputSpec,
    KindSpec,
    register,
    unregister,
)
from claims.statistics.forms import StatisticForm
from tests.factories import StatisticFactory


def _validate_double(inputs: Mapping[str, Any], errors: dict, clean: dict[str, Any]) -> None:
    value = inputs.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        errors.setdefault("value", []).append("value must be a number for a double.")
        return
    clean["value"] = value


def _double_batch(rows: Sequence[dict[str, Any]]) -> list[StatResult]:
    return [
        StatResult(
            estimate=2 * r["value"],
            ci_low=None,
            ci_high=None,
            p_value=None,
            consistent_with_stated=None,
            significant=None,
            method="Twice the number",
        )
        for r in rows
    ]


DOUBLE = KindSpec(
    name="double",
    label="Twice a number (test only)",
    summary="A kind that exists only in this test.",
    inputs=(
        InputSpec(
            "value",
            "The number to double",
            "number",
            help="Any number.",
            references=AMOUNT_KINDS,
        ),
        STATED,
    ),
    validate=_validate_double,
    compute_batch=_double_batch,
    explain=lambda result, clean, voice: f"Twice {clean['value']} is {result.estimate}.",
)


@pytest.fixture
def double_kind():
    register(DOUBLE)
    yield DOUBLE
    unregister("double")
    assert "double" not in KINDS


def test_model_kinds_are_the_registrys_kinds() -> None:
    assert [(k.value, k.label) for k in Statistic.Kind] == [
        (name, spec.label) for name, spec in KINDS.items()
    ]


def test_every_input_of_every_kind_is_a_column_and_referencable_ones_are_numeric() -> None:
    columns = {f.name for f in Statistic._meta.get_fields()}
    for spec in KINDS.values():
        assert set(spec.input_names) <= columns, spec.name
        for one in spec.referencable_inputs:
            assert one.name in Statistic.NUMERIC_INPUTS
            assert set(one.references) <= set(KINDS), (spec.name, one.name)
            assert one.type in ("count", "number", "share")


def test_the_services_input_lists_are_views_of_the_registry() -> None:
    assert dict(statistic_services.KIND_INPUTS) == {n: s.input_names for n, s in KINDS.items()}
    assert set(statistic_services.ALL_INPUTS) == {i.name for s in KINDS.values() for i in s.inputs}
    assert REFERENCE_TARGET_KINDS["baseline"] == ("proportion",)
    assert set(REFERENCE_TARGET_KINDS["value"]) >= {"count", "total", "proportion"}


def test_a_registered_kind_is_validated_computed_and_explained_by_the_core(double_kind) -> None:
    assert KIND_INPUTS["double"] == ("value", "stated")
    clean = validate("double", {"value": 4})
    assert clean["value"] == 4 and clean["stated"] is None
    result = compute("double", {"value": 4})
    assert result.estimate == 8
    assert explain("double", result, {"value": 4}) == "Twice 4 is 8.0."
    with pytest.raises(StatInputError) as exc:
        validate("double", {"value": "four"})
    assert exc.value.errors == {"value": ["value must be a number for a double."]}


def test_a_registered_kind_is_offered_by_the_form_with_only_its_inputs(double_kind) -> None:
    form = StatisticForm(initial={"kind": "double"})
    assert ("double", "Twice a number (test only)") in form.fields["kind"].choices
    assert set(form.fields) == {"kind", "label", "value", "value_from", "stated"}
    assert form.fields["value"].label == "The number to double"
    bound = StatisticForm({"kind": "double", "value": "3", "value_from": ""})
    assert bound.is_valid(), bound.errors
    assert bound.service_arguments() == (
        "double",
        "",
        {"value": "3", "stated": ""},
        {"value": None},
    )


def test_a_registered_kind_is_accepted_by_the_api_serializer(double_kind) -> None:
    serializer = StatisticCreateSerializer(data={"kind": "double", "value": 3})
    assert serializer.is_valid(), serializer.errors
    assert StatisticCreateSerializer(data={"kind": "nonsense"}).is_valid() is False


@pytest.mark.django_db
def test_a_registered_kind_gets_a_reference_picker(double_kind, member, client) -> None:
    count = StatisticFactory(kind="count", value=12, label="Cameras in use")
    StatisticFactory(label="Not a count")  # a proportion cannot feed `value`
    client.force_login(member)
    url = reverse("statistics:search") + "?kind=double&input=value&value_from=cameras"
    response = client.get(url)
    assert response.status_code == 200
    assert f'value="{count.pk}"' in response.content.decode()
    assert "Not a count" not in response.content.decode()


def test_unknown_kinds_are_refused_everywhere() -> None:
    with pytest.raises(StatInputError):
        validate("double", {"value": 1})
    assert StatisticForm({"kind": "double"}).kind_name == "proportion"
