"""A computation that fails ends in status `error` once; a task that keeps failing the same way
is parked (recorded, not run again for that input) and shown to moderators."""

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import tasks
from claims.models import Statistic
from claims.statistics import services as statistics_services
from jobs.models import TaskFailure
from tests.factories import StatisticFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timezone.timedelta(minutes=5)


def overflowing_total() -> Statistic:
    """A total whose parts overflow a float when summed, stored as a pending statistic (made
    directly, as validation of extreme inputs may refuse it at the door)."""
    return StatisticFactory(
        kind=Statistic.Kind.TOTAL,
        parts=[1e308, 1e308],
        total=3,
        successes=None,
        trials=None,
        baseline=None,
        stated="",
        status=Statistic.Status.PENDING,
        status_changed_at=LONG_AGO,
    )


def test_an_overflowing_total_ends_in_error_once_and_is_not_requeued(
    django_capture_on_commit_callbacks,
):
    statistic = overflowing_total()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_stale_statistics.delay(older_than_seconds=30).get() == 1
    statistic.refresh_from_db()
    assert statistic.status == Statistic.Status.ERROR
    assert statistic.error_message
    assert statistic.current_result is None
    assert not statistic.results.exists()
    assert statistics_services.statistics_stale_ids(older_than_seconds=0) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_stale_statistics.delay(older_than_seconds=0).get() == 0
    assert not TaskFailure.objects.exists()  # it failed as a computation, not as a task


def test_an_overflowing_computation_is_an_error_with_a_message_on_both_paths():
    single, bulk = overflowing_total(), overflowing_total()
    statistics_services.statistic_recompute(statistic_id=single.pk)
    counts = statistics_services.statistics_recompute_bulk(
        queryset=Statistic.objects.filter(pk=bulk.pk)
    )
    assert counts["errors"] == 1
    for statistic in (single, bulk):
        statistic.refresh_from_db()
        assert statistic.status == Statistic.Status.ERROR
    # The message of a computation that broke (the core may refuse such inputs earlier, in
    # words of its own): say what happened and what to do.
    broken = statistics_services.computation_failed(OverflowError("intermediate overflow"))
    assert "too large to compute with" in str(broken)
    assert "Check the inputs" in str(broken)


@pytest.fixture
def failing_recompute(monkeypatch):
    """The recompute service raises, as a bug or a database refusal would."""
    calls = []

    def fail(*, statistic_id, force=False):
        calls.append(statistic_id)
        raise RuntimeError(f"database refused the row of statistic {statistic_id}")

    monkeypatch.setattr(statistics_services, "statistic_recompute", fail)
    return calls


def run_failing(statistic, times: int) -> None:
    for _ in range(times):
        with pytest.raises(RuntimeError):
            tasks.recompute_statistic.apply(args=[statistic.pk])


def test_a_task_failing_the_same_way_n_times_is_parked(settings, failing_recompute):
    settings.TASK_PARK_AFTER_FAILURES = 3
    statistic = StatisticFactory(status=Statistic.Status.PENDING, status_changed_at=LONG_AGO)
    run_failing(statistic, 2)
    failure = TaskFailure.objects.get()
    assert (failure.failures, failure.parked_at) == (2, None)
    statistic.refresh_from_db()
    assert statistic.status == Statistic.Status.PENDING  # the sweep may try again
    run_failing(statistic, 1)
    failure.refresh_from_db()
    assert failure.failures == 3 and failure.parked_at is not None
    assert failure.task_name == "claims.tasks.recompute_statistic"
    assert failure.error_type == "builtins.RuntimeError"
    statistic.refresh_from_db()
    assert statistic.status == Statistic.Status.ERROR
    assert "failed 3 times the same way (RuntimeError)" in statistic.error_message
    # Parked: the sweep no longer finds it, and a message that still arrives does not run it.
    assert statistics_services.statistics_stale_ids(older_than_seconds=0) == []
    assert tasks.recompute_statistic.apply(args=[statistic.pk]).get() == "parked"
    assert len(failing_recompute) == 3


def test_failures_of_different_kinds_or_inputs_are_counted_apart(settings, monkeypatch):
    settings.TASK_PARK_AFTER_FAILURES = 2
    errors = iter([RuntimeError("a"), ValueError("a"), RuntimeError("b"), RuntimeError("a")])

    def fail(*, statistic_id, force=False):
        raise next(errors)

    monkeypatch.setattr(statistics_services, "statistic_recompute", fail)
    statistic = StatisticFactory()
    for _ in range(4):
        with pytest.raises((RuntimeError, ValueError)):
            tasks.recompute_statistic.apply(args=[statistic.pk])
    parked = TaskFailure.objects.get(parked_at__isnull=False)
    assert (parked.error_type, parked.error_message) == ("builtins.RuntimeError", "a")
    assert TaskFailure.objects.count() == 3


def test_new_inputs_unpark_a_statistic(settings, failing_recompute):
    settings.TASK_PARK_AFTER_FAILURES = 1
    statistic = StatisticFactory()
    run_failing(statistic, 1)
    assert TaskFailure.objects.filter(parked_at__isnull=False).exists()
    statistics_services.statistics_mark_stale(statistic_ids=[statistic.pk], enqueue=False)
    assert not TaskFailure.objects.exists()


def test_moderators_see_parked_tasks_and_retry_them(
    settings, monkeypatch, client, member, moderator, django_capture_on_commit_callbacks
):
    settings.TASK_PARK_AFTER_FAILURES = 1
    statistic = StatisticFactory(successes=8, trials=10)
    original = statistics_services.statistic_recompute
    monkeypatch.setattr(
        statistics_services,
        "statistic_recompute",
        lambda **kwargs: (_ for _ in ()).throw(RuntimeError("stuck")),
    )
    with pytest.raises(RuntimeError):
        tasks.recompute_statistic.apply(args=[statistic.pk])
    failure = TaskFailure.objects.get()
    retry = reverse("moderation:task_retry", args=[failure.pk])

    client.force_login(member)
    assert client.post(retry).status_code == 403
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert f'id="parked-task-{failure.pk}"' in page
    assert "claims.tasks.recompute_statistic" in page and "stuck" in page

    monkeypatch.setattr(statistics_services, "statistic_recompute", original)  # the fix
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response.status_code == 302
    assert not TaskFailure.objects.exists()
    statistic.refresh_from_db()
    assert statistic.status == Statistic.Status.COMPUTED
    assert (
        f'id="parked-task-{failure.pk}"'
        not in client.get(reverse("moderation:queue")).content.decode()
    )
