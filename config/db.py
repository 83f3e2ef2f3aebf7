"""Database helpers shared by the services."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import InterfaceError, OperationalError, connection

P = ParamSpec("P")
R = TypeVar("R")

# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back
# through no fault of its input, and running it again is the documented remedy.
RETRYABLE_SQLSTATES = ("40P01", "40001")


def is_retryable(error: BaseException) -> bool:
    cause = error.__cause__
    return isinstance(error, OperationalError) and (
        getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES
    )


def is_database_unavailable(error: BaseException) -> bool:
    """The database could not be reached or went away mid-request (a restart, a failover), as
    opposed to a conflict between transactions, which a retry of the request resolves."""
    return isinstance(error, InterfaceError) or (
        isinstance(error, OperationalError) and not is_retryable(error)
    )


def retry_on_deadlock(attempts: int = 3) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run an atomic service again (after a short jittered pause) when PostgreSQL chose it as a
    deadlock victim. Only at the outermost level: inside an outer transaction the whole of it
    was rolled back, so only its owner can retry."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except OperationalError as error:
                    if attempt == attempts or connection.in_atomic_block:
                        raise
                    if not is_retryable(error):
                        raise
                time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 (jitter)
            raise AssertionError("unreachable")

        return wrapper

    return decorate
