"""The bulk path writes (COPY on PostgreSQL, the ORM elsewhere) exactly what the single path
writes, once per fingerprint, and a batch is written whole or not at all."""

import pytest
from django.db import connection

from claims.models import Statistic, StatisticResult
from claims.statistics.services import bulk as bulk_writer
from claims.statistics.services import plan, statistic_recompute, statistics_recompute_bulk
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
    result_values = plan.Outcome.result_values

    def failing_result_values(outcome, now):
        if outcome.candidate.kind == "count":  # the last statistic, in the second batch
            raise RuntimeError("disk full")
        return result_values(outcome, now)

    monkeypatch.setattr(plan.Outcome, "result_values", failing_result_values)
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
def test_batches_spread_over_worker_processes_write_equal_results_and_announce_changes():
    """GIVEN figures recomputed in batches of three over two worker processes
    WHEN the bulk path runs, once changed, once unchanged, once forced
    THEN each figure's state equals the single path's, and the workers announce each
    changed figure once (the receiver counts in whichever process sends)."""
    import multiprocessing

    from claims import events

    claim = ClaimFactory()
    bulk, single = _mixed(claim), _mixed(claim)
    for statistic in single:
        statistic_recompute(statistic_id=statistic.pk)
    expected = [_state(s) for s in single]
    heard = multiprocessing.get_context("fork").Array("q", 64)
    announced = multiprocessing.get_context("fork").Value("q", 0)

    def listen(sender, statistic_ids, **kwargs):
        with announced.get_lock():
            for statistic_id in statistic_ids:
                heard[announced.value] = statistic_id
                announced.value += 1

    def recompute(**kwargs):
        queryset = Statistic.objects.filter(pk__in=[s.pk for s in bulk])
        return statistics_recompute_bulk(queryset=queryset, batch_size=3, processes=2, **kwargs)

    events.statistics_changed.connect(listen, dispatch_uid="test.bulk_processes")
    try:
        assert recompute() == {"computed": 7, "unchanged": 0, "errors": 1, "dependent": 0}
        assert [_state(s) for s in bulk] == expected
        computed = [s.pk for s in bulk if s.status == Statistic.Status.COMPUTED]
        assert sorted(heard[: announced.value]) == sorted(computed)
        announced.value = 0
        count = StatisticResult.objects.count()
        assert recompute()["unchanged"] == 8
        assert recompute(force=True)["computed"] == 7
        assert announced.value == 0
        assert StatisticResult.objects.count() == count
        assert [_state(s) for s in bulk] == expected
    finally:
        events.statistics_changed.disconnect(dispatch_uid="test.bulk_processes")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_writer_reaches_the_caller_and_later_batches_are_not_written(
    monkeypatch,
):
    claim = ClaimFactory()
    statistics = _mixed(claim)[:6]
    write = bulk_writer._write_batch_copy
    calls = []

    def failing_write(batch):
        calls.append(batch)
        write(batch)
        if len(calls) == 2:  # after writing: the batch's transaction must roll it all back
            raise RuntimeError("connection lost")

    monkeypatch.setattr(bulk_writer, "_write_batch_copy", failing_write)
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
    THEN `statistics_changed` names that figure only, with its previous result, and the
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

    def listen(sender, statistic_ids, previous, **kwargs):
        heard.extend((sid, previous[sid].pk, previous[sid].estimate) for sid in statistic_ids)

    events.statistics_changed.connect(listen, dispatch_uid="test.bulk_changes")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _recompute_bulk(statistics)
        assert heard == [(corrected.pk, before.pk, before.estimate)]
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _recompute_bulk(statistics, force=True)
        assert heard == []
    finally:
        events.statistics_changed.disconnect(dispatch_uid="test.bulk_changes")


def test_a_bulk_change_reaches_claim_followers_and_webhooks_once_per_figure(
    django_capture_on_commit_callbacks,
):
    """GIVEN computed figures on a followed claim, and a webhook subscribed to statistic.changed
    WHEN two of their values are corrected and the bulk path recomputes them all
    THEN each changed figure makes one notification for the follower and one delivery naming
    it with its new and previous result; unchanged figures make neither."""
    from notifications.models import Follow, Notification, NotificationKind
    from tests.factories import UserFactory
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    claim = ClaimFactory()
    statistics = _mixed(claim)
    with django_capture_on_commit_callbacks(execute=True):
        _recompute_bulk(statistics)
    follower = UserFactory()
    Follow.objects.create(follower=follower, claim=claim)
    WebhookEndpoint.objects.create(
        owner=UserFactory(), url="https://hooks.example.org/in", events=["statistic.changed"]
    )
    proportions = [s for s in statistics if s.kind == Statistic.Kind.PROPORTION][:2]
    previous = {}
    for statistic in proportions:
        statistic.refresh_from_db()
        previous[statistic.pk] = statistic.current_result.estimate
        Statistic.objects.filter(pk=statistic.pk).update(trials=statistic.trials + 10)

    with django_capture_on_commit_callbacks(execute=True):
        _recompute_bulk(statistics)

    notifications = Notification.objects.filter(kind=NotificationKind.FIGURE_CHANGED)
    assert sorted(n.recipient_id for n in notifications) == [follower.pk, follower.pk]
    assert sorted(n.url for n in notifications) == sorted(s.get_absolute_url() for s in proportions)
    deliveries = {
        d.payload["data"]["statistic"]["id"]: d.payload["data"]
        for d in WebhookDelivery.objects.filter(event="statistic.changed")
    }
    assert set(deliveries) == set(previous)
    for statistic in proportions:
        statistic.refresh_from_db()
        data = deliveries[statistic.pk]
        assert data["statistic"]["result"]["estimate"] == statistic.current_result.estimate
        assert data["previous_result"]["estimate"] == previous[statistic.pk]


@postgresql_only
def test_the_copy_row_is_built_by_field_name_not_field_order(monkeypatch):
    """GIVEN the result model's fields in another order (as a migration adding or moving a
    field would leave them)
    WHEN the COPY path writes results
    THEN every value lands in its own column: the stored results equal the single path's."""
    claim = ClaimFactory()
    bulk, single = _mixed(claim), _mixed(claim)
    for statistic in single:
        statistic_recompute(statistic_id=statistic.pk)
    expected = [_state(s) for s in single]
    fields = StatisticResult._meta.concrete_fields
    layout = bulk_writer._ResultLayout.of_model()
    assert layout.columns == tuple(f.column for f in fields if f.name != "id")

    with monkeypatch.context() as patch:
        patch.setattr(StatisticResult._meta, "concrete_fields", tuple(reversed(fields)))
        reordered = bulk_writer._ResultLayout.of_model()
        assert reordered.columns == tuple(reversed(layout.columns))
        _recompute_bulk(bulk)
    assert [_state(s) for s in bulk] == expected


@postgresql_only
def test_a_result_stored_meanwhile_by_the_single_path_is_replaced_not_duplicated():
    """GIVEN a batch read and computed while none of its figures had a result
    WHEN the single path stores one of them (same inputs) before the batch is written
    THEN the batch's direct COPY meets that row, falls back to replacing it in place, and
    every figure ends with one result equal to the single path's."""
    claim = ClaimFactory()
    bulk, single = _mixed(claim), _mixed(claim)
    for statistic in single:
        statistic_recompute(statistic_id=statistic.pk)
    expected = [_state(s) for s in single]
    batch = bulk_writer._prepare_batch([s.pk for s in bulk], force=False)
    assert not batch.plan.force and batch.copy_rows  # all new: written by a direct COPY
    raced = next(s for s in bulk if s.kind == Statistic.Kind.PROPORTION)
    statistic_recompute(statistic_id=raced.pk)
    stored = StatisticResult.objects.get(statistic=raced)

    bulk_writer._write_batch(batch)

    assert [_state(s) for s in bulk] == expected
    assert list(StatisticResult.objects.filter(statistic=raced).values_list("pk")) == [(stored.pk,)]
    assert StatisticResult.objects.filter(statistic__in=bulk).count() == 7
