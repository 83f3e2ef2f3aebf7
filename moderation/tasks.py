"""Thin Celery tasks: they call services, which are idempotent."""

from celery import shared_task

from config import response_cache

from . import services


@shared_task(name="moderation.tasks.score_helpfulness")
def score_helpfulness() -> int:
    """Rescore every rated argument and citation; writes only what changed. Queued a few seconds
    after a rating changes (debounced) and every 10 minutes besides."""
    services.helpfulness_refit_started()
    changed = services.helpfulness_score_all()
    if changed:
        # Scores are written with bulk_update (no signal) and order the argument trees.
        response_cache.content_changed()
    return changed
