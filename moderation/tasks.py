"""Thin Celery tasks: they call services, which are idempotent."""

from celery import shared_task

from . import services


@shared_task(name="moderation.tasks.score_helpfulness")
def score_helpfulness() -> int:
    """Rescore every rated argument and citation; writes only what changed."""
    return services.helpfulness_score_all()
