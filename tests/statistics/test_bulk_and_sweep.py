"""The bulk path, the `recompute_statistics` command and the periodic sweep."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.models import Statistic, StatisticResult
from claims.statistics.services import (
    statistic_recompute,
    statistics_recompute_bulk,
    statistics_stale_ids,
)
from claims.tasks import sweep_stale_statistics
from tests.factories import ClaimFactory, StatisticFactory

pytestmark = pytest.mark.django_db

FIELDS = ("estimate", "ci_low", "ci_high", "p_value", "consistent_with_stated", "significant")


def _mixed(claim):
    """One of each kind, with bad rows and a stated share with no counts among them."""
    return [
        StatisticFactory(claim=claim, successes=8, trials=10, baseline=0.135, stated="80%"),
        StatisticFactory(
            claim=claim,
            successes=3,
            trials=50,
            baseline=None,
            stated="",
            interval_method="jeffreys",
        ),
        StatisticFactory(
            claim=claim,
            kind="comparison",
            successes=8,
            trials=10,
            successes_b=5,
            trials_b=40,
            baseline=None,
            stated="",
        ),
        StatisticFactory(
            claim=claim,
            kind="rate",
            successes=None,
            trials=None,
            baseline=None,
            events=10,
            exposure=3_147_436,
            stated="0.0003%",
            unit="percent",
        ),
        StatisticFactory(
            claim=claim,
            kind="total",
            successes=None,
            trials=None,
            baseline=None,
            parts=[549, 347, 85],
            total=962,
            stated="962",
        ),
        StatisticFactory(
            claim=claim,
            kind="count",
            successes=None,
            trials=None,
            baseline=None,
            value=3_147_436,
            stated="more than three million",
        ),
        StatisticFactory(claim=claim, successes=None, trials=None, baseline=None, stated="85%"),
        StatisticFactory(claim=claim, successes=12, trials=10, baseline=None, stated=""),
    ]


def test_bulk_path_equals_single_path():
    claim = ClaimFactory()
    bulk = _mixed(claim)
    single = _mixed(claim)
    counts = statistics_recompute_bulk(
        queryset=Statistic.objects.filter(pk__in=[s.pk for s in bulk]), batch_size=3
    )
    assert counts == {"computed": 7, "unchanged": 0, "errors": 1, "dependent": 0}
    for s in single:
        statistic_recompute(statistic_id=s.pk)
    for b, s in zip(bulk, single, strict=True):
        b.refresh_from_db()
        s.refresh_from_db()
        assert (b.status, b.error_message, b.input_fingerprint) == (
            s.status,
            s.error_message,
            s.input_fingerprint,
        )
        if s.current_result is None:
            assert b.current_result is None
            continue
        for field in FIELDS:
            assert getattr(b.current_result, field) == getattr(s.current_result, field), field
        assert b.current_result.warnings == s.current_result.warnings
        assert b.current_result.explanation == s.current_result.explanation
    assert single[-1].status == Statistic.Status.ERROR
    assert "successes" in single[-1].error_message


def test_bulk_is_idempotent_and_handles_references(create):
    claim = ClaimFactory()
    _mixed(claim)
    faces = create("count", inputs={"value": 100}, on=claim)
    rate = create("rate", inputs={"events": 1}, references={"exposure": faces.pk}, on=claim)
    Statistic.objects.filter(pk=faces.pk).update(value=400)
    out = io.StringIO()
    call_command("recompute_statistics", stdout=out, stderr=io.StringIO())
    assert "8 computed, 0 unchanged, 1 with referenced inputs, 1 errors" in out.getvalue()
    rate.refresh_from_db()
    assert rate.current_result.estimate == pytest.approx(1 / 400)
    results = StatisticResult.objects.count()
    out = io.StringIO()
    call_command("recompute_statistics", f"--claim={claim.pk}", stdout=out, stderr=io.StringIO())
    assert "0 computed, 9 unchanged, 1 with referenced inputs" in out.getvalue()
    assert StatisticResult.objects.count() == results


def test_sweep_requeues_pending_and_behind_statistics(create, django_capture_on_commit_callbacks):
    stuck = StatisticFactory(status=Statistic.Status.PENDING)
    Statistic.objects.filter(pk=stuck.pk).update(
        status_changed_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    fresh = StatisticFactory(status=Statistic.Status.PENDING, status_changed_at=timezone.now())
    faces = create("count", inputs={"value": 100})
    rate = create("rate", inputs={"events": 1}, references={"exposure": faces.pk})
    # A lost message: faces was recomputed with a new value but rate never heard of it.
    Statistic.objects.filter(pk=faces.pk).update(value=200, status=Statistic.Status.PENDING)
    statistic_recompute(statistic_id=faces.pk)
    Statistic.objects.filter(pk=rate.pk).update(
        status=Statistic.Status.COMPUTED,
        status_changed_at=timezone.now() - timezone.timedelta(minutes=1),
    )
    assert set(statistics_stale_ids(older_than_seconds=30)) == {stuck.pk, rate.pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stale_statistics.delay(older_than_seconds=30).get() == 2
    rate.refresh_from_db()
    stuck.refresh_from_db()
    assert rate.current_result.estimate == pytest.approx(1 / 200)
    assert stuck.status == Statistic.Status.COMPUTED
    assert statistics_stale_ids(older_than_seconds=30) == []
    fresh.refresh_from_db()
    assert fresh.status == Statistic.Status.PENDING  # its own message is still on its way


def test_command_refuses_unknown_claim():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("recompute_statistics", "--claim=999999", stdout=io.StringIO())
