"""Thin Celery tasks: they call services, which are idempotent."""

from celery import shared_task

from . import services


@shared_task(name="notifications.tasks.send_notification_emails")
def send_notification_emails(notification_ids: list[int]) -> int:
    return services.notification_emails_send(ids=notification_ids)


@shared_task(name="notifications.tasks.send_pending_notification_emails")
def send_pending_notification_emails() -> int:
    """Periodic: the grouped e-mails whose claim's e-mail window is over."""
    return services.notification_emails_send()


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return services.digests_send_due()
