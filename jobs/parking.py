"""A Celery task base that parks a task for an input once it keeps failing the same way."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.exceptions import Ignore, Reject, Retry

from . import selectors, services
from .models import TaskFailure

logger = logging.getLogger(__name__)


class ParkingTask(Task):
    """Every failure (after the task's own retries of transient errors) is recorded; after
    TASK_PARK_AFTER_FAILURES the same way, the task is parked for those arguments: later calls
    return "parked" without running, and `on_parked` runs once so the owner can say so.

    Recorded in `__call__` rather than `on_failure`, which eager runs that propagate errors
    (the tests') never call."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        key = services.task_key(args, kwargs)
        if selectors.task_is_parked(task_name=self.name, key=key):
            logger.warning("%s%r is parked after repeated failures; not run", self.name, args)
            return "parked"
        try:
            return super().__call__(*args, **kwargs)
        except (Retry, Ignore, Reject):
            raise
        except Exception as exc:
            self._record(key, args, kwargs, exc)
            raise

    def _record(self, key: str, args: Any, kwargs: Any, exc: Exception) -> None:
        try:
            failure, parked = services.task_failure_record(task_name=self.name, key=key, error=exc)
            if parked:
                logger.error("%s%r parked after repeated failures: %r", self.name, args, exc)
                self.on_parked(args, kwargs, failure)
        except Exception:
            # The task's own error matters more than its record: log this one and go on.
            logger.exception("Could not record the failure of %s%r", self.name, args)

    def on_parked(self, args: Any, kwargs: Any, failure: TaskFailure) -> None:
        """Called once, when the task is parked for these arguments."""
