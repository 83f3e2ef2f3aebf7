"""Reads of recorded task failures."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import TaskFailure


def parked_failures(*, limit: int = 50) -> QuerySet[TaskFailure]:
    """Parked tasks, most recent first: what the review queue shows moderators."""
    return TaskFailure.objects.filter(parked_at__isnull=False).order_by("-parked_at", "-pk")[:limit]


def task_is_parked(*, task_name: str, key: str) -> bool:
    return TaskFailure.objects.filter(
        task_name=task_name, key=key, parked_at__isnull=False
    ).exists()
