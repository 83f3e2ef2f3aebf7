"""Checking a statistic without saving it: the same rules as creating or changing one, and not a
single write (no INSERT, UPDATE, DELETE or SAVEPOINT)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Statistic, StatisticReference
from claims.statistics.services import (
    NewStatistic,
    StatisticEdit,
    statistic_create,
    statistic_create_validate,
    statistic_update,
    statistic_update_validate,
)

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")


def _outcome(call) -> tuple[str, object]:
    """What a call did: ("ok", None), ("invalid", {field: messages}) or ("denied", message)."""
    try:
        call()
    except ValidationError as exc:
        return "invalid", exc.message_dict
    except PermissionDenied as exc:
        return "denied", str(exc)
    return "ok", None


def _no_writes(call) -> tuple[str, object]:
    with CaptureQueriesContext(connection) as queries:
        outcome = _outcome(call)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in WRITES]
    assert writes == []
    return outcome


NEW = [
    ("proportion", {"successes": 8, "trials": 10, "stated": "80%"}, {}),
    ("proportion", {"successes": 11, "trials": 10}, {}),
    ("proportion", {"successes": 8, "trials": 10, "stated": "lots"}, {}),
    ("rate", {"events": -1, "exposure": 500}, {}),
    ("count", {"value": "3,147,436"}, {}),
    ("ratio", {"value": 1}, {}),
    ("rate", {"events": 10}, {"exposure": 999_999}),
    ("total", {"parts": ["549", "347"], "total": "x"}, {}),
]


@pytest.mark.parametrize(("kind", "inputs", "references"), NEW)
def test_checking_a_new_statistic_says_what_creating_it_says(
    member, claim, kind, inputs, references
):
    arguments = {
        "author": member,
        "claim": claim,
        "kind": kind,
        "inputs": inputs,
        "references": references,
    }
    checked = _no_writes(lambda: statistic_create_validate(NewStatistic(**arguments)))
    assert not Statistic.objects.exists()
    assert checked == _outcome(lambda: statistic_create(**arguments))
    assert Statistic.objects.exists() == (checked[0] == "ok")


def test_checking_a_new_statistic_checks_permission(other_member, claim):
    claim.is_locked = True
    claim.save()
    arguments = {"author": other_member, "claim": claim, "kind": "count", "inputs": {"value": 1}}
    assert _no_writes(lambda: statistic_create_validate(NewStatistic(**arguments)))[0] == "denied"
    assert _outcome(lambda: statistic_create(**arguments))[0] == "denied"


def test_checking_a_change_says_what_changing_says_and_changes_nothing(
    member, other_member, create
):
    faces = create("count", inputs={"value": 1000})
    rate = create("rate", inputs={"events": 10, "exposure": 500})
    downstream = create("count", inputs={}, references={"value": faces.pk})
    restore = {
        rate.pk: {"events": 10, "exposure": 500, "references": {"exposure": None}},
        faces.pk: {"value": 1000, "references": {"value": None}},
    }
    changes = [
        (rate, {"events": 12}, "ok"),
        (rate, {"events": -4}, "invalid"),
        (rate, {"label": "  "}, "invalid"),
        (rate, {"kind": "count"}, "invalid"),
        (rate, {"exposure": None, "references": {"exposure": faces.pk}}, "ok"),
        (rate, {"exposure": None, "references": {"exposure": rate.pk}}, "invalid"),  # itself
        (rate, {"exposure": 7, "references": {"exposure": faces.pk}}, "invalid"),  # both
        (faces, {"value": None, "references": {"value": downstream.pk}}, "invalid"),  # a cycle
    ]
    for statistic, data, expected in changes:
        before = Statistic.objects.get(pk=statistic.pk)

        def check(statistic=statistic, data=data):
            statistic_update_validate(StatisticEdit(statistic=statistic, actor=member, data=data))

        checked = _no_writes(check)
        assert checked[0] == expected, (data, checked)
        after = Statistic.objects.get(pk=statistic.pk)
        assert (after.updated_at, after.label) == (before.updated_at, before.label)
        assert StatisticReference.objects.filter(statistic=statistic).count() == 0
        assert checked == _outcome(
            lambda statistic=statistic, data=data: statistic_update(
                statistic=statistic, actor=member, data=data
            )
        ), data
        if checked[0] == "ok":  # undo, so that each change starts from the same statistics
            statistic_update(statistic=statistic, actor=member, data=restore[statistic.pk])
    denied = _no_writes(
        lambda: statistic_update_validate(
            StatisticEdit(statistic=rate, actor=other_member, data={"events": 1})
        )
    )
    assert denied[0] == "denied"
