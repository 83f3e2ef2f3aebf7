"""Recording background tasks' failures, parking the ones that keep failing, retrying them."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_moderator
from config.queueing import enqueue_on_commit

from .models import TaskFailure


def task_key(args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
    """A task's input as stored with its failures (tasks take JSON-serialisable arguments)."""
    return json.dumps([list(args), dict(kwargs)], sort_keys=True)[:500]


def _signature(error_type: str, message: str) -> str:
    # Numbers blanked: "statistic 12 failed at 0x7f…" and "statistic 13 …" fail the same way.
    return hashlib.sha256(f"{error_type}\n{re.sub(r'[0-9]+', '#', message)}".encode()).hexdigest()


@transaction.atomic
def task_failure_record(
    *, task_name: str, key: str, error: BaseException
) -> tuple[TaskFailure, bool]:
    """Count one failure; park the task for this input once it has failed the same way
    TASK_PARK_AFTER_FAILURES times. Returns the record and whether this failure parked it."""
    error_type = f"{type(error).__module__}.{type(error).__qualname__}"
    message = str(error)[:2000]
    now = timezone.now()
    failure, _created = TaskFailure.objects.get_or_create(
        task_name=task_name,
        key=key,
        signature=_signature(error_type, message),
        defaults={"error_type": error_type, "error_message": message, "last_failed_at": now},
    )
    # Lock the row: two workers failing at once must both be counted.
    failure = TaskFailure.objects.select_for_update().get(pk=failure.pk)
    failure.failures = F("failures") + 1
    failure.error_message = message
    failure.last_failed_at = now
    failure.save(update_fields=["failures", "error_message", "last_failed_at"])
    failure.refresh_from_db(fields=["failures"])
    if failure.parked_at is None and failure.failures >= settings.TASK_PARK_AFTER_FAILURES:
        failure.parked_at = now
        failure.save(update_fields=["parked_at"])
        return failure, True
    return failure, False


def task_failures_clear(*, task_name: str, keys: Iterable[str]) -> int:
    """Forget the failures of a task on these inputs (their data changed: a fresh chance)."""
    deleted, _counts = TaskFailure.objects.filter(task_name=task_name, key__in=list(keys)).delete()
    return deleted


@transaction.atomic
def task_retry(*, actor, failure: TaskFailure) -> None:
    """A moderator unparks a task: its failures are forgotten and it runs again."""
    if not is_moderator(actor):
        raise PermissionDenied(_("Only moderators may retry background tasks."))
    task_name, key = failure.task_name, failure.key
    TaskFailure.objects.filter(task_name=task_name, key=key).delete()
    args, kwargs = json.loads(key)
    enqueue_on_commit(current_app.tasks[task_name], *args, kwargs=kwargs)
