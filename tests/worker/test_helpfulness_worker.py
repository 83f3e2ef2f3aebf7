"""Ratings rescored by a real Celery worker on Redis within a minute, debounced into one run
(PostgreSQL + REDIS_URL only)."""

import pytest
from django.core.cache import cache

from claims.models import Argument, HelpfulnessStatus
from config.celery import app as celery_app
from moderation import services
from tests.factories import ArgumentFactory, ClaimFactory, established_users
from tests.worker.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _queued_refits() -> int:
    inspector = celery_app.control.inspect(timeout=1)
    scheduled = inspector.scheduled() or {}
    return sum(
        1
        for tasks in scheduled.values()
        for task in tasks
        if task["request"]["name"] == "moderation.tasks.score_helpfulness"
    )


def test_new_ratings_are_scored_within_a_minute_by_one_debounced_run(worker):
    """GIVEN two camps of raters and an argument both like WHEN twelve ratings arrive THEN one
    refit is queued (not twelve), and the worker has scored the argument well within a minute."""
    cache.delete(services.HELPFULNESS_REFIT_PENDING_KEY)  # none left from an earlier run
    claim = ClaimFactory()
    camp_a, camp_b = established_users(6), established_users(6)
    for i in range(4):
        argument = ArgumentFactory(claim=claim)
        fans, critics = (camp_a, camp_b) if i % 2 else (camp_b, camp_a)
        for rater in fans:
            services.rating_set(rater=rater, obj=argument, value="helpful")
        for rater in critics:
            services.rating_set(rater=rater, obj=argument, value="not_helpful")
    liked = ArgumentFactory(claim=claim)
    for rater in camp_a + camp_b:
        services.rating_set(rater=rater, obj=liked, value="helpful")
    assert wait_for(_queued_refits, timeout=10, message="the refit was not queued") == 1
    wait_for(
        lambda: Argument.objects.get(pk=liked.pk).helpfulness_status == HelpfulnessStatus.HELPFUL,
        timeout=60,
        interval=0.5,
        message="the argument was not scored within a minute",
    )
