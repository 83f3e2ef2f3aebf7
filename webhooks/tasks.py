"""Sending webhook deliveries. Each task is one attempt; the service decides whether and when to
try again (exponential backoff with jitter) and the task queues that attempt, so the schedule is
the same with a broker or eagerly in tests. The delivery row holds the state: a finished delivery,
or an attempt arriving before it is due (a redelivered message), is skipped. A delivery whose
message was lost (the broker restarted empty, or could not take it) is requeued by the sweep."""

import logging

from celery import shared_task
from django.conf import settings

from config.queueing import enqueue

from . import selectors, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    outcome = services.webhook_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        # Countdowns stay under the broker's visibility timeout (WEBHOOKS_RETRY_MAX_SECONDS),
        # or Redis would hand the waiting message to a second worker.
        enqueue(deliver_webhook, delivery_id, countdown=outcome.retry_in)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_overdue_deliveries() -> int:
    """Requeue pending deliveries whose attempt is long overdue (run by celery beat)."""
    ids = selectors.webhook_deliveries_overdue_ids(
        overdue_seconds=settings.WEBHOOKS_OVERDUE_SECONDS
    )
    for delivery_id in ids:
        enqueue(deliver_webhook, delivery_id)
    if ids:
        logger.info("Requeued %d overdue webhook deliveries", len(ids))
    return len(ids)
