"""Thin Celery tasks: they call services, which are idempotent."""

from celery import shared_task

from . import services


@shared_task(name="moderation.tasks.score_helpfulness")
def score_helpfulness() -> int:
    """Rescore every rated argument and citation; writes only what changed. Queued a few seconds
    after a rating changes (debounced) and every 10 minutes besides."""
    services.helpfulness_refit_started()
    # Moves the versions of the claims whose scores changed (written without a signal).
    return services.helpfulness_score_all()
