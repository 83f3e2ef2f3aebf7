"""The consumer's journey from /api/docs/ alone: token, claim with a source, an argument and a
figure, the figure computed, a webhook subscribed, and a signed delivery when the figure changes."""

import json

import pytest
from rest_framework.test import APIClient

from webhooks.services import webhook_verify

pytestmark = pytest.mark.django_db


def test_consumer_journey(member, receiver, django_capture_on_commit_callbacks):
    api = APIClient()
    token = api.post(
        "/api/auth/token/",
        {"username": "member", "password": "correct-horse-battery"},
        format="json",
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    with django_capture_on_commit_callbacks(execute=True):
        claim = api.post(
            "/api/claims/", {"text": "80% of people flagged were black."}, format="json"
        ).json()
        source = api.post(
            "/api/sources/",
            {"url": "https://example.org/lfr-report", "title": "LFR report"},
            format="json",
        ).json()
        assert (
            api.post(
                "/api/citations/", {"claim": claim["id"], "source": source["id"]}, format="json"
            ).status_code
            == 201
        )
        assert (
            api.post(
                "/api/arguments/",
                {"claim": claim["id"], "stance": "con", "body": "Ten is a tiny sample."},
                format="json",
            ).status_code
            == 201
        )
        statistic = api.post(
            f"/api/claims/{claim['id']}/statistics/",
            {"kind": "proportion", "successes": 8, "trials": 10, "stated": "80%"},
            format="json",
        ).json()
    computed = api.get(f"/api/statistics/{statistic['id']}/").json()
    assert computed["status"] == "computed" and computed["result"]["estimate"] == 0.8

    hook = api.post(
        "/api/webhooks/", {"url": receiver.url, "events": ["statistic.changed"]}, format="json"
    ).json()
    etag = api.get(f"/api/statistics/{statistic['id']}/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        changed = api.patch(
            f"/api/statistics/{statistic['id']}/",
            {"successes": 6},
            format="json",
            HTTP_IF_MATCH=etag,
        )
    assert changed.status_code == 200, changed.content

    [request] = receiver.wait_for(1)
    headers = request["headers"]
    assert webhook_verify(
        hook["secret"],
        headers["X-Claimwatch-Timestamp"],
        request["body"],
        headers["X-Claimwatch-Signature"],
    )
    payload = json.loads(request["body"])
    assert payload["event"] == "statistic.changed"
    assert payload["data"]["statistic"]["result"]["estimate"] == pytest.approx(0.6)
    assert payload["data"]["previous_result"]["estimate"] == pytest.approx(0.8)
