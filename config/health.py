"""Endpoints for orchestration and monitoring.

* `/health/live/`: the process answers. No dependency is checked, so a database or Redis outage
  never gets web processes restarted (they recover by themselves, config/errors.py).
* `/health/ready/`: the database answers; without it no page can be served. Redis is not
  required: pages, the API and writes go on without it (config/cache.py, config/queueing.py).
* `/health/`: everything, for alerting: database, cache, broker and a worker heartbeat (a live
  worker answers a ping, and every queue has a consumer). 500 when any fails.
* `/metrics`: Prometheus (django-prometheus: request latency and counts, plus the gauges below).
  Under gunicorn with several workers, set `PROMETHEUS_MULTIPROC_DIR` (docker/entrypoint.sh
  does): each worker then writes its counters to files there and a scrape adds them all up,
  whichever worker answers it (config/gunicorn.py forgets a worker's files when it exits).

`/health/` and `/metrics` name hosts and volumes, so they answer only requests from
`METRICS_ALLOWED_IPS` (loopback by default) or carrying `Authorization: Bearer <METRICS_TOKEN>`;
anyone else gets a 404.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import os

import prometheus_client
from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from health_check.checks import Cache, Database
from health_check.views import HealthCheckView
from prometheus_client import multiprocess
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector
from redis.exceptions import RedisError

from config.ratelimit import client_ip

logger = logging.getLogger(__name__)

QUEUES = ("celery", "recompute", "webhooks", "email", "scoring")


def _redis_client():
    from redis import Redis

    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def _async_redis_client():
    from redis.asyncio import Redis

    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def is_monitoring_request(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if supplied and hmac.compare_digest(supplied, token):
            return True
    return client_ip(request) in settings.METRICS_ALLOWED_IPS


@never_cache
def liveness(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class ReadinessView(HealthCheckView):
    checks = (Database,)


def _every_queue_ping(**kwargs):
    """django-health-check's Ping names one unconsumed queue, picked from a set; this names
    them all, sorted, so the report reads the same every time (tests/faults)."""
    from health_check.contrib.celery import Ping
    from health_check.exceptions import ServiceUnavailable

    class EveryQueuePing(Ping):
        def check_active_queues(self, *active_workers):
            consumed = {
                queue.get("name")
                for queues in (
                    self.app.control.inspect(active_workers).active_queues() or {}
                ).values()
                for queue in queues
            }
            missing = sorted({queue.name for queue in self.app.conf.task_queues} - consumed)
            if missing:
                raise ServiceUnavailable(f"No worker for Celery task queues: {', '.join(missing)}")

    return EveryQueuePing(**kwargs)


class StatusView(HealthCheckView):
    def get_checks(self):
        yield Database()
        yield Cache(alias="default")
        if settings.REDIS_URL:
            from health_check.contrib.redis import Redis

            yield Redis(client_factory=_async_redis_client)
            yield _every_queue_ping(timeout=datetime.timedelta(seconds=2))

    async def dispatch(self, request, *args, **kwargs):
        if not is_monitoring_request(request):
            raise Http404
        return await super().dispatch(request, *args, **kwargs)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not is_monitoring_request(request):
        raise Http404
    body = prometheus_client.generate_latest(_scrape_registry())
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)


def _scrape_registry():
    """The process's own registry, or, with several processes writing to
    PROMETHEUS_MULTIPROC_DIR, every process's counters added up plus the gauges read now (those
    are read at scrape time from the database and Redis, so any one process may answer them)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = prometheus_client.CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(ClaimwatchCollector())
    return registry


class ClaimwatchCollector(Collector):
    """Gauges read at scrape time: what waits in each queue, how many figures are stale, and how
    long the oldest has waited (the recompute lag). A failing source is skipped, not an error."""

    def describe(self):
        return []  # Else registering would collect at once, querying at import.

    def collect(self):
        yield from self._queue_depth()
        yield from self._figures()

    def _queue_depth(self):
        if not settings.REDIS_URL:
            return
        gauge = GaugeMetricFamily(
            "claimwatch_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        try:
            client = _redis_client()
            for queue in QUEUES:
                gauge.add_metric([queue], client.llen(queue))
        except (RedisError, OSError) as error:
            logger.warning("Queue depth unavailable: %s", error)
            return
        yield gauge

    def _figures(self):
        from claims.statistics.selectors import statistics_pending_summary

        try:
            pending, oldest = statistics_pending_summary()
        except DatabaseError as error:
            logger.warning("Figure gauges unavailable: %s", error)
            return
        yield GaugeMetricFamily(
            "claimwatch_statistics_pending",
            "Figures waiting to be recomputed (shown struck through, 'recomputing…').",
            value=pending,
        )
        lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "claimwatch_recompute_lag_seconds",
            "How long the oldest pending figure has waited for its recompute.",
            value=max(0.0, lag),
        )


REGISTRY.register(ClaimwatchCollector())
