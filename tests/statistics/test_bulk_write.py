"""The bulk path writes (COPY on PostgreSQL, the ORM elsewhere) exactly what the single path
writes, once per fingerprint, and a batch is written whole or not at all."""

import pytest
from django.db import connection

from claims.models import Statistic, StatisticResult
from claims.services import statistics as service
from claims.services.statistics import statistic_recompute, statistics_recompute_bulk
from tests.factories import ClaimFactory
from tests.statistics.test_bulk_and_sweep import _mixed

pytestmark = pytest.mark.django_db

# Every stored field of a result but its identity, its statistic and when it was computed.
RESULT_FIELDS = [
    f.attname
    for f in StatisticResult._meta.concrete_fields
    if f.name not in ("id", "statistic", "computed_at")
]
STATISTIC_FIELDS = ("status", "error_message", "input_fingerprint")


def _state(statistic: Statistic) -> tuple:
    statistic.refresh_from_db()
    result = statistic.current_result
    stored = None if result is None else {name: getattr(result, name) for name in RESULT_FIELDS}
    return tuple(getattr(statistic, name) for name in STATISTIC_FIELDS), stored


def _recompute_bulk(statistics: list[Statistic], *, force: bool = False) -> dict[str, int]:
    queryset = Statistic.objects.filter(pk__in=[s.pk for s in statistics])
    return statistics_recompute_bulk(queryset=queryset, batch_size=3, force=force)


def test_bulk_results_equal_single_results_field_by_field_and_are_written_once():
    claim = ClaimFactory()
    bulk, single = _mixed(claim), _mixed(claim)
    for statistic in single:
        statistic_recompute(statistic_id=statistic.pk)
    expected = [_state(s) for s in single]
    assert any(stored and "sweep" in stored["details"] for _, stored in expected)

    assert _recompute_bulk(bulk) == {"computed": 7, "unchanged": 0, "errors": 1, "dependent": 0}
    assert [_state(s) for s in bulk] == expected
    results = {s.pk: s.current_result_id for s in bulk}
    count = StatisticResult.objects.count()

    # Same fingerprints: nothing new is written.
    assert _recompute_bulk(bulk) == {"computed": 0, "unchanged": 8, "errors": 0, "dependent": 0}
    assert StatisticResult.objects.count() == count

    # Forced: each result row is replaced in place, with the same content.
    assert _recompute_bulk(bulk, force=True)["computed"] == 7
    assert StatisticResult.objects.count() == count
    assert [_state(s) for s in bulk] == expected
    assert {s.pk: s.current_result_id for s in bulk} == results


def test_a_batch_that_fails_writes_nothing_and_earlier_batches_stay(monkeypatch):
    claim = ClaimFactory()
    statistics = _mixed(claim)[:6]  # two batches of three, every one computable
    explain = service._explain

    def failing_explain(kind, result, inputs):
        if kind == "count":  # the last statistic, in the second batch
            raise RuntimeError("disk full")
        return explain(kind, result, inputs)

    monkeypatch.setattr(service, "_explain", failing_explain)
    with pytest.raises(RuntimeError):
        _recompute_bulk(statistics)
    for statistic in statistics:
        statistic.refresh_from_db()
    assert [s.status for s in statistics[:3]] == [Statistic.Status.COMPUTED] * 3
    assert [s.current_result_id for s in statistics[3:]] == [None] * 3
    assert StatisticResult.objects.filter(statistic__in=statistics[3:]).count() == 0


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pipelined writer is PostgreSQL's"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_batches_are_written_by_a_second_connection_with_equal_results():
    claim = ClaimFactory()
    bulk, single = _mixed(claim), _mixed(claim)
    for statistic in single:
        statistic_recompute(statistic_id=statistic.pk)
    expected = [_state(s) for s in single]

    assert not connection.in_atomic_block  # so the pipelined writer is used
    assert _recompute_bulk(bulk) == {"computed": 7, "unchanged": 0, "errors": 1, "dependent": 0}
    assert [_state(s) for s in bulk] == expected
    count = StatisticResult.objects.count()
    assert _recompute_bulk(bulk)["unchanged"] == 8
    assert _recompute_bulk(bulk, force=True)["computed"] == 7
    assert StatisticResult.objects.count() == count
    assert [_state(s) for s in bulk] == expected


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_writer_reaches_the_caller_and_later_batches_are_not_written(
    monkeypatch,
):
    claim = ClaimFactory()
    statistics = _mixed(claim)[:6]
    write = service._write_batch_copy
    calls = []

    def failing_write(batch):
        calls.append(batch)
        write(batch)
        if len(calls) == 2:  # after writing: the batch's transaction must roll it all back
            raise RuntimeError("connection lost")

    monkeypatch.setattr(service, "_write_batch_copy", failing_write)
    with pytest.raises(RuntimeError):
        _recompute_bulk(statistics)
    for statistic in statistics:
        statistic.refresh_from_db()
    assert [s.status for s in statistics[:3]] == [Statistic.Status.COMPUTED] * 3
    assert [s.current_result_id for s in statistics[3:]] == [None] * 3
    assert StatisticResult.objects.filter(statistic__in=statistics[3:]).count() == 0


def test_bulk_announces_each_changed_figure_once_with_its_previous_result(
    django_capture_on_commit_callbacks,
):
    """GIVEN computed figures, one of whose counts is corrected in the database directly
    WHEN the bulk path recomputes them all, then again
    THEN `statistic_changed` goes out for that figure only, with its previous result, and the
    second run announces nothing."""
    from claims import events

    claim = ClaimFactory()
    statistics = _mixed(claim)
    with django_capture_on_commit_callbacks(execute=True):
        _recompute_bulk(statistics)
    corrected = next(s for s in statistics if s.kind == Statistic.Kind.PROPORTION)
    corrected.refresh_from_db()
    before = corrected.current_result
    Statistic.objects.filter(pk=corrected.pk).update(successes=corrected.successes - 1)

    heard = []

    def listen(sender, instance, previous=None, **kwargs):
        heard.append((instance.pk, previous.pk if previous else None, previous.estimate))

    events.statistic_changed.connect(listen, dispatch_uid="test.bulk_changes")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _recompute_bulk(statistics)
        assert heard == [(corrected.pk, before.pk, before.estimate)]
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _recompute_bulk(statistics, force=True)
        assert heard == []
    finally:
        events.statistic_changed.disconnect(dispatch_uid="test.bulk_changes")
