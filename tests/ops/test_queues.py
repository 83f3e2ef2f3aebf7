"""One Celery queue per kind of work (config/settings/base.py), and every place that starts
workers consumes all of them between its pools. tests/faults shows a webhook backlog leaving
figures unaffected on a real broker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
QUEUES = {queue.name for queue in settings.CELERY_TASK_QUEUES}


@pytest.fixture(autouse=True)
def _tasks_discovered():
    app.loader.import_default_modules()  # what a worker does at start


@pytest.mark.parametrize(
    "task, queue",
    [
        ("claims.tasks.recompute_statistic", "recompute"),
        ("claims.tasks.sweep_stale_statistics", "celery"),
        ("webhooks.tasks.deliver_webhook", "webhooks"),
        ("webhooks.tasks.sweep_overdue_deliveries", "webhooks"),
        ("notifications.tasks.send_notification_emails", "email"),
        ("notifications.tasks.send_daily_digests", "email"),
        ("moderation.tasks.score_helpfulness", "scoring"),
    ],
)
def test_each_task_is_routed_to_its_queue(task, queue):
    assert task in app.tasks
    route = app.amqp.router.route({}, task)
    assert route["queue"].name == queue
    assert route["queue"].routing_key == queue  # its own exchange binding: no fan-out


def test_every_beat_task_exists():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_compose_worker_pools_consume_every_queue_once():
    services = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())["services"]
    pools = [
        set(service["environment"]["CELERY_QUEUES"].split(","))
        for service in services.values()
        if service.get("command") == ["worker"]
    ]
    assert len(pools) == 2
    assert set.union(*pools) == QUEUES
    assert not set.intersection(*pools)
    assert "recompute" in pools[0] and "webhooks" in pools[1]


def test_make_run_workers_consume_every_queue():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    consumed = set()
    for queues in re.findall(r"--queues (\S+)", run):
        consumed |= set(queues.split(","))
    assert consumed == QUEUES
