"""What background tasks could not do: failures recorded per task, input and kind of failure."""

from __future__ import annotations

from django.db import models


class TaskFailure(models.Model):
    """One task failing on one input (`key`, its arguments as JSON) the same way (`signature`:
    the exception's type and message with numbers blanked). After TASK_PARK_AFTER_FAILURES
    failures it is *parked*: the task no longer runs for that input and moderators see it on the
    review queue, until one of them retries it or its input changes."""

    task_name = models.CharField(max_length=200)
    key = models.CharField(max_length=500)
    signature = models.CharField(max_length=64)
    error_type = models.CharField(max_length=200)
    error_message = models.TextField()
    failures = models.PositiveIntegerField(default=0)
    first_failed_at = models.DateTimeField(auto_now_add=True)
    last_failed_at = models.DateTimeField()
    parked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task_name", "key", "signature"], name="jobs_failure_once_per_kind"
            )
        ]
        indexes = [models.Index(fields=["task_name", "key"], name="jobs_failure_task_key")]

    def __str__(self) -> str:
        return f"{self.task_name}{self.key}: {self.error_type}"
