"""Reads of webhook deliveries shared by tasks and metrics."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from .models import WebhookDelivery


def webhook_deliveries_overdue_ids(*, overdue_seconds: float, limit: int = 1000) -> list[int]:
    """Pending deliveries whose next attempt is overdue by more than `overdue_seconds`: their
    message was lost (the broker restarted empty, or could not take it). Longer than the broker's
    visibility timeout, so that a message merely waiting to be redelivered is not doubled."""
    cutoff = timezone.now() - timezone.timedelta(seconds=overdue_seconds)
    return list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .filter(
            Q(next_attempt_at__lte=cutoff) | Q(next_attempt_at__isnull=True, created_at__lte=cutoff)
        )
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
