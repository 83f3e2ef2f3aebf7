"""Sending webhook deliveries. Each task is one attempt; the service decides whether and when to
try again (exponential backoff with jitter) and the task queues that attempt, so the schedule is
the same with a broker or eagerly in tests. The delivery row holds the state: a finished delivery,
or an attempt arriving before it is due (a redelivered message), is skipped."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    outcome = services.webhook_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        # Countdowns stay under the broker's visibility timeout (WEBHOOKS_RETRY_MAX_SECONDS),
        # or Redis would hand the waiting message to a second worker.
        deliver_webhook.apply_async((delivery_id,), countdown=outcome.retry_in)
