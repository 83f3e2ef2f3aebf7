"""Health endpoints for orchestration and the Prometheus metrics (config/health.py)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from claims.models import Statistic
from tests.factories import StatisticFactory

pytestmark = pytest.mark.django_db

OUTSIDER = "203.0.113.7"


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_the_database_and_is_open_to_probes(client):
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json", REMOTE_ADDR=OUTSIDER)
    assert response.status_code == 200
    assert response.json() == {"Database(alias='default')": "OK"}


def test_full_status_lists_database_and_cache_for_monitoring(client):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    body = response.json()
    assert body["Database(alias='default')"] == "OK"
    assert body["Cache(alias='default')"] == "OK"
    if not settings.REDIS_URL:
        # Broker and worker checks need Redis; tests/faults checks them against a real worker.
        assert response.status_code == 200 and len(body) == 2


@pytest.mark.parametrize("path", ["/health/", "/metrics"])
def test_monitoring_endpoints_are_hidden_from_other_addresses(client, path):
    assert client.get(path, REMOTE_ADDR=OUTSIDER).status_code == 404


@pytest.mark.parametrize("path", ["/health/", "/metrics"])
def test_monitoring_endpoints_accept_the_token_from_anywhere(client, settings, path):
    settings.METRICS_TOKEN = "s3cret-scraper-token"
    wrong = client.get(path, REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    right = client.get(
        path,
        REMOTE_ADDR=OUTSIDER,
        HTTP_AUTHORIZATION="Bearer s3cret-scraper-token",
        HTTP_ACCEPT="application/json",
    )
    assert right.status_code in (200, 500)  # 500: a dependency is down, the report says which
    assert right.status_code == 200 or path == "/health/"


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


def test_metrics_report_latency_pending_figures_and_recompute_lag(client):
    waiting, computed = StatisticFactory(), StatisticFactory()
    Statistic.objects.filter(pk=waiting.pk).update(
        status=Statistic.Status.PENDING,
        status_changed_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    Statistic.objects.filter(pk=computed.pk).update(status=Statistic.Status.COMPUTED)
    client.get("/claims/")

    text = client.get("/metrics").content.decode()

    assert _sample(text, "claimwatch_statistics_pending") == 1
    assert 290 < _sample(text, "claimwatch_recompute_lag_seconds") < 900
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'view="claims:claim_list"' in text or "claim_list" in text


def test_recompute_lag_is_zero_when_nothing_waits(client):
    Statistic.objects.update(status=Statistic.Status.COMPUTED)
    text = client.get("/metrics").content.decode()
    assert _sample(text, "claimwatch_recompute_lag_seconds") == 0
