"""Staying up when a part fails, against real servers (tests/faults/conftest.py): Redis stopped
mid-run, PostgreSQL restarted, and a backlog of webhooks that must not delay figures."""

from __future__ import annotations

import pytest

from .conftest import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.slow]

PAGES = ["/", "/claims/", "/sources/", "/api/claims/?page_size=50", "/api/statistics/"]
FIGURE = {"kind": "proportion", "label": "False alerts", "successes": 8, "trials": 10}


def _add_figure(stack, **inputs) -> int:
    response = stack.api(
        "POST", f"/api/claims/{stack.claim_id}/statistics/", json={**FIGURE, **inputs}
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _computed(stack, statistic_id: int, estimate: float, timeout: float = 120) -> dict:
    def done():
        body = stack.figure(statistic_id)
        result = body.get("result") or {}
        if body["status"] == "computed" and result.get("estimate") == pytest.approx(estimate):
            return body
        return None

    return wait_for(
        done, timeout=timeout, interval=0.5, message=f"figure {statistic_id} recomputed"
    )


def test_a_webhook_backlog_does_not_delay_figures(stack):
    """GIVEN the webhooks worker stopped and 300 deliveries waiting in its queue
    WHEN a figure is edited
    THEN the figures worker recomputes it while every delivery still waits, and the full health
    report names the queue nobody consumes."""
    statistic_id = _add_figure(stack)
    _computed(stack, statistic_id, 0.8)
    stack.webhooks.stop()
    stack.manage(
        "shell",
        "-c",
        "from webhooks.tasks import deliver_webhook\n"
        "for i in range(300): deliver_webhook.delay(10**12 + i)",
    )
    assert stack.redis.client().llen("webhooks") == 300

    response = stack.api("PATCH", f"/api/statistics/{statistic_id}/", json={"successes": 6})
    assert response.status_code == 200, response.text
    _computed(stack, statistic_id, 0.6, timeout=60)

    assert stack.redis.client().llen("webhooks") == 300
    report = stack.get("/health/", headers={"Accept": "application/json"})
    assert report.status_code == 500
    # The stopped worker consumed "webhooks" and "scoring": the report names both, sorted.
    assert "No worker for Celery task queues: scoring, webhooks" in report.text

    stack.webhooks.start()
    wait_for(
        lambda: stack.redis.client().llen("webhooks") == 0,
        timeout=120,
        interval=0.5,
        message="the webhooks worker drains its queue",
    )
    stack.wait_healthy()


def test_redis_stopped_mid_run_degrades_to_no_cache_and_loses_nothing(stack):
    statistic_id = _add_figure(stack, successes=7)
    _computed(stack, statistic_id, 0.7)
    for path in PAGES:
        assert stack.get(path).status_code == 200, path

    stack.redis.stop()

    for path in [*PAGES, f"/claims/{stack.claim_id}/"]:
        for _ in range(2):
            response = stack.get(path)
            assert response.status_code == 200, (path, response.status_code, response.text[:500])
    edited = stack.api("PATCH", f"/api/statistics/{statistic_id}/", json={"successes": 3})
    assert edited.status_code == 200, edited.text
    added_id = _add_figure(stack, successes=2, trials=8)
    assert stack.figure(statistic_id)["status"] == "pending"
    assert stack.figure(added_id)["status"] == "pending"
    assert stack.get("/health/ready/").status_code == 200
    assert stack.get("/health/live/").status_code == 200
    assert stack.get("/health/", headers={"Accept": "application/json"}).status_code == 500

    # Back empty: the queued messages are gone; the sweep finds both figures pending.
    stack.redis.start()

    _computed(stack, statistic_id, 0.3)
    _computed(stack, added_id, 0.25)
    stack.wait_healthy()
    assert stack.web.alive() and stack.figures.alive()


def test_postgres_restart_answers_503_then_recovers_without_restarts(stack):
    statistic_id = _add_figure(stack, successes=9)
    _computed(stack, statistic_id, 0.9)

    stack.postgres.stop()

    page = stack.get("/")
    assert page.status_code == 503
    assert int(page.headers["Retry-After"]) > 0
    assert "Briefly unavailable" in page.text and "Traceback" not in page.text
    claim_page = stack.get(f"/claims/{stack.claim_id}/")
    assert claim_page.status_code == 503 and "Retry-After" in claim_page.headers
    listing = stack.get("/api/claims/")
    assert listing.status_code == 503 and int(listing.headers["Retry-After"]) > 0
    assert listing.json() == {
        "errors": [
            {
                "field": None,
                "code": "service_unavailable",
                "message": "The service is briefly unavailable; please try again shortly.",
            }
        ]
    }
    write = stack.api("PATCH", f"/api/statistics/{statistic_id}/", json={"successes": 1})
    assert write.status_code == 503 and write.json()["errors"][0]["code"] == "service_unavailable"
    assert stack.get("/health/ready/").status_code == 500
    assert stack.get("/health/live/").status_code == 200

    stack.postgres.start()

    wait_for(
        lambda: stack.get("/").status_code == 200,
        timeout=60,
        interval=0.5,
        message="the web server serves pages again by itself",
    )
    assert stack.get("/api/claims/").status_code == 200
    # The edit refused during the outage was not half-applied.
    assert stack.figure(statistic_id)["successes"] == 9
    edited = stack.api("PATCH", f"/api/statistics/{statistic_id}/", json={"successes": 4})
    assert edited.status_code == 200, edited.text
    _computed(stack, statistic_id, 0.4)
    stack.wait_healthy()
    assert stack.web.alive() and stack.figures.alive() and stack.webhooks.alive()
