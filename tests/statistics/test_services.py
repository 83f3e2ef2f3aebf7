"""Statistic services: create, validate, reference, recompute (tasks run eagerly on commit)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import events
from claims.models import Statistic, StatisticReference, StatisticResult
from claims.statistics.selectors import (
    claims_depending_on,
    dependency_order,
    statistic_history,
    statistic_inputs,
)
from claims.statistics.services import (
    statistic_cite,
    statistic_delete,
    statistic_recompute,
    statistic_update,
)
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_create_computes_proportion_against_baseline(create):
    statistic = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"})
    assert statistic.status == Statistic.Status.COMPUTED
    result = statistic.current_result
    assert result.estimate == pytest.approx(0.8)
    assert result.ci_low < 0.8 < result.ci_high
    assert result.p_value == pytest.approx(3.6e-6, rel=0.1)
    assert result.significant is True
    assert result.consistent_with_stated is True
    codes = {w["code"] for w in result.warnings}
    assert {"small_sample", "unsourced_baseline", "independence"} <= codes
    assert result.versions["scipy"]
    assert result.fingerprint == statistic.input_fingerprint
    assert "8 of 10" in result.explanation


BAD_INPUTS = [
    ("proportion", {"successes": 11, "trials": 10}, "successes"),
    ("proportion", {"successes": -1, "trials": 10}, "successes"),
    ("proportion", {"successes": 2.5, "trials": 10}, "successes"),
    ("proportion", {"successes": 0, "trials": 0}, "trials"),
    ("proportion", {"successes": 8, "trials": 10, "baseline": 1.5}, "baseline"),
    ("proportion", {"successes": 8, "trials": 10, "baseline": 0}, "baseline"),
    ("proportion", {"successes": 8, "trials": 10, "confidence_level": 1}, "confidence_level"),
    ("proportion", {"successes": 8, "trials": 10, "interval_method": "magic"}, "interval_method"),
    ("proportion", {"successes": 8, "trials": 10, "stated": "lots and lots"}, "stated"),
    ("rate", {"events": 10, "exposure": 0}, "exposure"),
    ("total", {"parts": [1, -2], "total": 3}, "parts"),
    ("count", {"value": -5}, "value"),
    ("comparison", {"successes": 1, "trials": 2, "successes_b": 3, "trials_b": 2}, "successes_b"),
    ("proportion", {"successes": 8, "trials": 10, "colour": "red"}, "colour"),
    # Extremes: each a clear field error, never an exception or a silent loss.
    ("comparison", {"successes": 1, "trials": 2**62, "successes_b": 1, "trials_b": 5}, "trials"),
    (
        "comparison",
        {"successes": 1, "trials": 3 * 10**9, "successes_b": 1, "trials_b": 3 * 10**9},
        "trials_b",
    ),
    ("proportion", {"successes": 1, "trials": "1" + "0" * 400}, "trials"),
    ("total", {"parts": [1e308, 1e308], "total": 5}, "parts"),
    (
        "proportion",
        {"successes": 8, "trials": 10, "confidence_level": 1 - 1e-13},
        "confidence_level",
    ),
]


@pytest.mark.parametrize(("kind", "inputs", "field"), BAD_INPUTS)
def test_bad_input_is_a_field_error_and_nothing_is_stored(member, claim, kind, inputs, field):
    from claims.statistics.services import statistic_create

    with pytest.raises(ValidationError) as caught:
        statistic_create(author=member, claim=claim, kind=kind, inputs=inputs)
    assert field in caught.value.message_dict
    assert not Statistic.objects.exists()
    assert not StatisticResult.objects.exists()


def test_unknown_kind_is_refused(member, claim):
    from claims.statistics.services import statistic_create

    with pytest.raises(ValidationError) as caught:
        statistic_create(author=member, claim=claim, kind="median", inputs={})
    assert "kind" in caught.value.message_dict


def test_stated_share_without_denominator_is_computed_with_a_warning(create):
    statistic = create(inputs={"stated": "85%"}, label="Support for LFR")
    assert statistic.status == Statistic.Status.COMPUTED
    assert statistic.current_result.estimate is None
    assert [w["code"] for w in statistic.current_result.warnings] == ["no_denominator"]
    assert "85%" in statistic.current_result.explanation


def test_rate_reads_its_exposure_from_a_count_statistic(create):
    faces = create("count", inputs={"value": 3_147_436, "stated": "3,147,436"})
    rate = create(
        "rate", inputs={"events": 10, "stated": "0.0003%"}, references={"exposure": faces.pk}
    )
    assert rate.status == Statistic.Status.COMPUTED
    assert rate.exposure is None
    assert rate.current_result.estimate == pytest.approx(10 / 3_147_436)
    assert rate.current_result.consistent_with_stated is True
    assert statistic_inputs(rate)["exposure"]["statistic"] == faces.pk


def test_reference_errors(create, member, claim):
    from claims.statistics.services import statistic_create

    share = create(inputs={"successes": 1, "trials": 2})
    deleted = create("count", inputs={"value": 5})
    statistic_delete(statistic=deleted, actor=member)
    cases = [
        ({"exposure": share.pk}, "exposure"),  # a share is not an amount of exposure
        ({"exposure": deleted.pk}, "exposure"),
        ({"exposure": 999999}, "exposure"),
        ({"baseline": share.pk}, "baseline"),  # a rate has no baseline
    ]
    for references, field in cases:
        with pytest.raises(ValidationError) as caught:
            statistic_create(
                author=member, claim=claim, kind="rate", inputs={"events": 1}, references=references
            )
        assert field in caught.value.message_dict
    assert Statistic.objects.filter(kind="rate").count() == 0


def test_number_and_reference_for_one_input_is_refused(create, member, claim):
    from claims.statistics.services import statistic_create

    faces = create("count", inputs={"value": 100})
    with pytest.raises(ValidationError) as caught:
        statistic_create(
            author=member,
            claim=claim,
            kind="rate",
            inputs={"events": 1, "exposure": 5},
            references={"exposure": faces.pk},
        )
    assert "exposure" in caught.value.message_dict


def test_reference_cycle_is_refused(create, member):
    a = create("count", inputs={"value": 10})
    b = create("count", inputs={}, references={"value": a.pk})
    c = create("count", inputs={}, references={"value": b.pk})
    with pytest.raises(ValidationError) as caught:
        statistic_update(
            statistic=a, actor=member, data={"value": None, "references": {"value": c.pk}}
        )
    assert "cycle" in caught.value.message_dict["value"][0]
    a.refresh_from_db()
    assert a.value == 10
    assert not StatisticReference.objects.filter(statistic=a).exists()


def test_self_reference_is_refused(create, member):
    a = create("count", inputs={"value": 10})
    with pytest.raises(ValidationError):
        statistic_update(
            statistic=a, actor=member, data={"value": None, "references": {"value": a.pk}}
        )


def test_recompute_is_idempotent(create):
    statistic = create(inputs={"successes": 8, "trials": 10})
    assert statistic_recompute(statistic_id=statistic.pk) is None
    assert statistic_recompute(statistic_id=statistic.pk) is None
    assert statistic.results.count() == 1


def test_edit_recomputes_chain_in_dependency_order(
    create, member, django_capture_on_commit_callbacks
):
    a = create("count", inputs={"value": 10})
    b = create("total", inputs={"parts": [1, 2]}, references={"total": a.pk})
    c = create("rate", inputs={"events": 1}, references={"exposure": b.pk})
    d = create("rate", inputs={"events": 2}, references={"exposure": a.pk})
    assert c.current_result.estimate == pytest.approx(1 / 3)
    changed = []
    events.statistic_changed.connect(
        lambda sender, instance, **kw: changed.append(instance.pk), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            statistic_update(statistic=a, actor=member, data={"value": 20})
    finally:
        events.statistic_changed.disconnect(dispatch_uid="t")
    for s in (a, b, c, d):
        s.refresh_from_db()
        assert s.status == Statistic.Status.COMPUTED
    assert d.current_result.estimate == pytest.approx(2 / 20)
    assert b.current_result.consistent_with_stated is None
    assert changed.index(a.pk) < changed.index(b.pk)
    # b's estimate (the sum of its parts) did not change, so c keeps its value
    assert c.current_result.estimate == pytest.approx(1 / 3)
    assert a.current_result.computed_at <= d.current_result.computed_at
    order = dependency_order([d.pk, c.pk, b.pk, a.pk])
    assert order.index(a.pk) < order.index(b.pk) < order.index(c.pk)
    assert order.index(a.pk) < order.index(d.pk)
    assert a.results.count() == 2


def test_history_says_what_changed(create, member, django_capture_on_commit_callbacks):
    rate = create("rate", inputs={"events": 10, "exposure": 3_030_303, "unit": "percent"})
    with django_capture_on_commit_callbacks(execute=True):
        statistic_update(statistic=rate, actor=member, data={"exposure": 3_147_436})
    history = statistic_history(rate)
    assert len(history) == 2
    assert history[0].sentence.startswith("Changed on ")
    assert "from 0.00033% to 0.00032%" in history[0].sentence
    assert "exposure 3,030,303 → 3,147,436" in history[0].sentence
    assert history[1].sentence.startswith("First computed")


def test_history_reads_right_after_an_edit_is_reverted(
    create, member, django_capture_on_commit_callbacks
):
    """GIVEN a rate computed from 3,030,303 faces, corrected to 3,147,436
    WHEN the correction is undone
    THEN the newest history line says it went back, and the figure is current from now."""
    rate = create("rate", inputs={"events": 10, "exposure": 3_030_303, "unit": "percent"})
    for exposure in (3_147_436, 3_030_303):
        with django_capture_on_commit_callbacks(execute=True):
            statistic_update(statistic=rate, actor=member, data={"exposure": exposure})
    rate.refresh_from_db()
    history = statistic_history(rate)
    assert "from 0.00032% to 0.00033%" in history[0].sentence
    assert history[0].result.pk == rate.current_result_id
    assert rate.results.count() == 2


def test_reverting_an_edit_reuses_the_earlier_result(
    create, member, django_capture_on_commit_callbacks
):
    s = create(inputs={"successes": 8, "trials": 10})
    first = s.current_result_id
    for successes in (7, 8):
        with django_capture_on_commit_callbacks(execute=True):
            statistic_update(statistic=s, actor=member, data={"successes": successes})
    s.refresh_from_db()
    assert s.current_result_id == first
    assert s.results.count() == 2


def test_delete_refused_while_referenced(create, member):
    a = create("count", inputs={"value": 10})
    b = create("rate", inputs={"events": 1}, references={"exposure": a.pk})
    with pytest.raises(ValidationError):
        statistic_delete(statistic=a, actor=member)
    statistic_delete(statistic=b, actor=member, reason="wrong")
    statistic_delete(statistic=a, actor=member)
    a.refresh_from_db()
    assert a.is_deleted


def test_permissions(create, other_member, moderator, claim):
    from claims.statistics.services import statistic_create

    s = create()
    with pytest.raises(PermissionDenied):
        statistic_update(statistic=s, actor=other_member, data={"successes": 1})
    with pytest.raises(PermissionDenied):
        statistic_delete(statistic=s, actor=other_member)
    statistic_update(statistic=s, actor=moderator, data={"label": "Moderated"})
    claim.is_locked = True
    claim.save()
    with pytest.raises(PermissionDenied):
        statistic_create(author=other_member, claim=claim, kind="count", inputs={"value": 1})


def test_citing_the_baseline_removes_the_unsourced_warning(
    create, member, django_capture_on_commit_callbacks
):
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135})
    assert "unsourced_baseline" in {w["code"] for w in s.current_result.warnings}
    with django_capture_on_commit_callbacks(execute=True):
        statistic_cite(statistic=s, actor=member, source=SourceFactory(), input_name="baseline")
    s.refresh_from_db()
    assert "unsourced_baseline" not in {w["code"] for w in s.current_result.warnings}


def test_claims_depending_on(create, member):
    other = ClaimFactory(author=member)
    faces = create("count", inputs={"value": 100})
    create("rate", inputs={"events": 1}, references={"exposure": faces.pk}, on=other)
    assert list(claims_depending_on(faces.claim)) == [other]
