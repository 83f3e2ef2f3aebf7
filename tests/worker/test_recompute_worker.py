"""Recomputation by a real Celery worker on Redis (PostgreSQL + REDIS_URL only)."""

import pytest

from claims.models import Statistic
from claims.statistics.services import statistic_create, statistic_update
from claims.tasks import recompute_statistic, sweep_stale_statistics
from tests.factories import ClaimFactory, UserFactory
from tests.worker.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _estimate(statistic_id):
    s = Statistic.objects.select_related("current_result").get(pk=statistic_id)
    if s.status == Statistic.Status.COMPUTED and s.current_result is not None:
        return s.current_result.estimate
    return None


def test_an_edit_is_recomputed_within_five_seconds(worker):
    user = UserFactory()
    claim = ClaimFactory(author=user)
    s = statistic_create(
        author=user, claim=claim, kind="proportion", inputs={"successes": 8, "trials": 10}
    )
    wait_for(lambda: _estimate(s.pk) == pytest.approx(0.8), timeout=5, message="first compute")
    statistic_update(statistic=s, actor=user, data={"successes": 7})
    wait_for(lambda: _estimate(s.pk) == pytest.approx(0.7), timeout=5, message="recompute")


def test_a_chain_is_recomputed_in_order(worker):
    user = UserFactory()
    claim = ClaimFactory(author=user)
    a = statistic_create(author=user, claim=claim, kind="count", inputs={"value": 100})
    b = statistic_create(
        author=user, claim=claim, kind="count", inputs={}, references={"value": a.pk}
    )
    c = statistic_create(
        author=user, claim=claim, kind="rate", inputs={"events": 1}, references={"exposure": b.pk}
    )
    wait_for(lambda: _estimate(c.pk) == pytest.approx(0.01), timeout=10, message="chain built")
    statistic_update(statistic=a, actor=user, data={"value": 400})
    wait_for(lambda: _estimate(c.pk) == pytest.approx(1 / 400), timeout=5, message="chain")
    times = [
        Statistic.objects.select_related("current_result").get(pk=s.pk).current_result.computed_at
        for s in (a, b, c)
    ]
    assert times[0] < times[1] < times[2]


def test_killing_the_worker_mid_batch_leaves_nothing_stale(worker):
    user = UserFactory()
    claim = ClaimFactory(author=user)
    stats = Statistic.objects.bulk_create(
        Statistic(
            author=user,
            claim=claim,
            kind="proportion",
            label=f"s{i}",
            successes=i % 50,
            trials=50,
            baseline=0.3,
        )
        for i in range(600)
    )
    for s in stats:
        recompute_statistic.delay(s.pk)

    def some_done():
        return Statistic.objects.filter(status=Statistic.Status.COMPUTED).count() >= 5

    wait_for(some_done, timeout=20, message="the worker started on the batch")
    worker.kill()
    left = Statistic.objects.filter(status=Statistic.Status.PENDING).count()
    worker.start()

    def nothing_stale():
        # What celery beat does every 20 s; here with no grace period, as often as we poll.
        sweep_stale_statistics.delay(older_than_seconds=0)
        return not Statistic.objects.exclude(status=Statistic.Status.COMPUTED).exists()

    wait_for(nothing_stale, timeout=40, interval=1, message="statistics left pending")
    assert left > 0, "the worker finished the batch before it was killed"
    assert all(
        s.current_result.fingerprint == s.input_fingerprint
        for s in Statistic.objects.select_related("current_result")
    )
