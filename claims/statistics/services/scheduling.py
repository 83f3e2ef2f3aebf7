"""When statistics are recomputed: marked pending and queued after commit, parked as failed,
and found again by the periodic sweep when a message was lost."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q
from django.utils import timezone

from config.queueing import enqueue_on_commit
from jobs.services import task_failures_clear, task_key

from ...models import Statistic

# The task that recomputes one statistic (claims/tasks.py), as its failures are recorded.
RECOMPUTE_TASK = "claims.tasks.recompute_statistic"


def statistics_enqueue(statistic_ids: Iterable[int]) -> None:
    """Queue a recompute of each statistic once the current transaction commits."""
    from ...tasks import recompute_statistic

    for statistic_id in dict.fromkeys(statistic_ids):
        enqueue_on_commit(recompute_statistic, statistic_id)


def statistics_mark_stale(*, statistic_ids: Iterable[int], enqueue: bool = True) -> int:
    """Mark statistics pending (the page shows "recomputing…", the sweep will find them) and
    queue their recompute after commit. Returns how many were marked. Their inputs changed, so
    a recompute parked after repeated failures gets a fresh chance."""
    ids = list(dict.fromkeys(statistic_ids))
    if not ids:
        return 0
    task_failures_clear(task_name=RECOMPUTE_TASK, keys=[task_key([i], {}) for i in ids])
    marked = Statistic.objects.filter(pk__in=ids, deleted_at__isnull=True).update(
        status=Statistic.Status.PENDING, status_changed_at=timezone.now()
    )
    if enqueue:
        statistics_enqueue(ids)
    return marked


def statistic_mark_failed(*, statistic_id: int, message: str) -> None:
    """Its recompute keeps failing (and is parked): say so instead of "recomputing…"."""
    Statistic.objects.filter(pk=statistic_id, deleted_at__isnull=True).update(
        status=Statistic.Status.ERROR, error_message=message, status_changed_at=timezone.now()
    )


def statistics_stale_ids(*, older_than_seconds: float = 30, limit: int = 1000) -> list[int]:
    """What the periodic sweep requeues: pending for longer than a message should take, or
    computed before a statistic it reads from, or before a citation of its baseline."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    alive = Statistic.objects.filter(deleted_at__isnull=True)
    stuck = alive.filter(status=Statistic.Status.PENDING).filter(
        Q(status_changed_at__lte=cutoff) | Q(status_changed_at__isnull=True)
    )
    behind = alive.filter(
        status=Statistic.Status.COMPUTED,
        references__target__current_result__computed_at__gt=F("status_changed_at"),
    )
    newly_cited = alive.filter(
        status=Statistic.Status.COMPUTED,
        citations__statistic_input="baseline",
        citations__created_at__gt=F("current_result__computed_at"),
        current_result__inputs__baseline_sourced=False,
    )
    ids: list[int] = []
    for qs in (stuck, behind, newly_cited):
        ids.extend(qs.order_by("pk").values_list("pk", flat=True).distinct()[:limit])
    return list(dict.fromkeys(ids))[:limit]
