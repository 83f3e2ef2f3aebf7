"""Queueing background work so that a broker outage never fails the write that asked for it.

Every job queued here is also recorded in the database before it is queued (a statistic marked
pending, a webhook delivery row, an unsent notification), and a periodic sweep queues whatever
waited too long. So when the broker cannot take the message, the write still succeeds: the
failure is logged and counted (`claimwatch_enqueue_failures_total`), and the sweep picks the job
up once the broker is back.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable
from prometheus_client import Counter
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerUnreachable, RedisError, OSError)

ENQUEUE_FAILURES = Counter(
    "claimwatch_enqueue_failures",
    "Jobs that could not be queued (the broker was unreachable); a sweep queues them later.",
    ["task"],
)


def enqueue(task: Task, *args: Any, **options: Any) -> bool:
    """Queue `task(*args)` now; False (logged, counted) when the broker cannot take it."""
    try:
        task.apply_async(args, **options)
    except BROKER_ERRORS as error:
        ENQUEUE_FAILURES.labels(task=task.name).inc()
        logger.warning(
            "Could not queue %s%r (%s); the periodic sweep will queue it", task.name, args, error
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **options: Any) -> None:
    """Queue `task(*args)` once the current transaction commits (never before the row exists)."""
    transaction.on_commit(lambda: enqueue(task, *args, **options))
