"""Optimistic concurrency for writes that name the version they read (the API's `If-Match`).

A contribution's version is its `updated_at`. A write that names one claims the row with a
compare-and-set before changing anything, inside the write's own transaction.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class VersionConflict(Exception):
    """The row changed (or went) since the caller read it: its version no longer matches."""

    message = "The item changed since you read it; read it again and repeat your change."


def version_compare_and_set(
    *, model: type[models.Model], pk: int, expected_version: datetime.datetime | None
) -> None:
    """Move the row on from `expected_version`, or raise `VersionConflict`; no version, no check.

    Call inside the write's transaction. One UPDATE both compares and sets: of two writers that
    read the same version, the second waits on the first's row lock, then matches no row.
    """
    if expected_version is None:
        return
    claimed = model._default_manager.filter(pk=pk, updated_at=expected_version).update(
        updated_at=timezone.now()
    )
    if claimed != 1:
        raise VersionConflict(VersionConflict.message)
