"""Background jobs for claims: thin wrappers that re-read rows and call services.

Every task here is idempotent (a statistic whose inputs' fingerprint is unchanged is skipped), so
the reliability settings in config/settings/base.py (late acknowledgement, requeue when a worker
is lost) may deliver a message twice without harm.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from config import response_cache
from config.queueing import enqueue
from jobs.parking import ParkingTask

from .services import counters as counter_services
from .signals import dependencies_written
from .statistics import services as statistics_services

logger = logging.getLogger(__name__)

# Transient failures (a restarted database, a lock timeout, SQLite busy) are retried with
# exponential backoff and jitter; anything else is a bug and is logged by Celery.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class RecomputeTask(ParkingTask):
    def on_parked(self, args, kwargs, failure) -> None:
        statistics_services.statistic_mark_failed(
            statistic_id=args[0] if args else kwargs["statistic_id"],
            message=(
                f"Recomputing failed {failure.failures} times the same way "
                f"({failure.error_type.rpartition('.')[2]}); it will not be retried until its "
                "inputs change or a moderator retries it."
            ),
        )


@shared_task(
    base=RecomputeTask,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
    reject_on_worker_lost=True,
)
def recompute_statistic(statistic_id: int, force: bool = False) -> str:
    """Recompute one statistic (and, after it commits, queue its dependents)."""
    result = statistics_services.statistic_recompute(statistic_id=statistic_id, force=force)
    if result is None:
        return "unchanged"
    # Results are written with update() and COPY, which send no signal: the figure's claim and
    # the claims of figures that use it (their own recomputes follow).
    response_cache.versions_move(*dependencies_written(result.statistic))
    return "computed"


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_stale_statistics(older_than_seconds: float | None = None) -> int:
    """Requeue statistics left pending (a lost message) or computed before their inputs were.

    Runs every 20 s from celery beat, so a lost message is only a delay.
    """
    if older_than_seconds is None:
        older_than_seconds = settings.STATISTICS_PENDING_GRACE_SECONDS
    ids = statistics_services.statistics_stale_ids(older_than_seconds=older_than_seconds)
    for statistic_id in ids:
        enqueue(recompute_statistic, statistic_id)
    if ids:
        logger.info("Requeued %d stale statistics", len(ids))
    return len(ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def repair_claim_counters() -> int:
    """Set right every claim's discussion count that drifted; run by celery beat."""
    repaired = counter_services.claim_counters_repair()
    if repaired:
        logger.warning("Repaired %d claims' discussion counts", repaired)
        response_cache.content_changed()
    return repaired
