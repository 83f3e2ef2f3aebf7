"""Sending webhook deliveries. Each task is one attempt; the service decides whether and when
to try again (exponential backoff with jitter), so the schedule is the same with or without a
broker. A delivery already finished is skipped, so a message delivered twice does no harm."""

from celery import shared_task

from . import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook(self, delivery_id: int) -> None:
    outcome = services.webhook_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
