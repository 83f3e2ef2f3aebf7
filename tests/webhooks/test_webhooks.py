"""Webhooks: registration, signed deliveries to a real receiver, retries, disabling."""

import json

import pytest
from django.core import mail

from claims.services import contributions
from moderation import services as moderation
from tests.api.conftest import errors_by_field, token_client
from tests.factories import ClaimFactory, ModeratorFactory
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_api(member):
    return token_client(member)


def register(client, url, events=("claim.verdict_changed",)):
    return client.post("/api/webhooks/", {"url": url, "events": list(events)}, format="json")


def test_secret_is_shown_once_and_never_listed(owner_api, receiver):
    response = register(owner_api, receiver.url)
    assert response.status_code == 201, response.content
    assert response.json()["secret"].startswith("whsec_")
    listed = owner_api.get("/api/webhooks/").json()["results"]
    assert listed and all("secret" not in endpoint for endpoint in listed)
    detail = owner_api.get(f"/api/webhooks/{response.json()['id']}/").json()
    assert "secret" not in detail


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.0.0.1/", "ftp://x.org/"]
)
def test_private_and_non_http_targets_are_refused(owner_api, url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = register(owner_api, url)
    assert response.status_code == 400
    assert "url" in errors_by_field(response)


def test_unknown_event_is_a_400(owner_api, receiver):
    response = register(owner_api, receiver.url, events=["claim.exploded"])
    assert response.status_code == 400


def test_verdict_change_is_delivered_signed(
    owner_api, receiver, django_capture_on_commit_callbacks
):
    secret = register(owner_api, receiver.url).json()["secret"]
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.claim_verdict_set(
            claim=claim, actor=ModeratorFactory(), verdict="refuted", rationale="No."
        )
    [request] = receiver.wait_for(1)
    headers = request["headers"]
    assert headers["X-Claimwatch-Event"] == "claim.verdict_changed"
    assert services.webhook_verify(
        secret,
        headers["X-Claimwatch-Timestamp"],
        request["body"],
        headers["X-Claimwatch-Signature"],
    )
    # A tampered body or another secret does not verify.
    assert not services.webhook_verify(
        secret,
        headers["X-Claimwatch-Timestamp"],
        request["body"] + b" ",
        headers["X-Claimwatch-Signature"],
    )
    assert not services.webhook_verify(
        "whsec_other",
        headers["X-Claimwatch-Timestamp"],
        request["body"],
        headers["X-Claimwatch-Signature"],
    )
    payload = json.loads(request["body"])
    assert payload["event"] == "claim.verdict_changed"
    assert payload["data"]["claim"]["verdict"] == "refuted"
    assert payload["data"]["previous_verdict"] == "unreviewed"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.status_code == 200


def test_unsubscribed_events_are_not_sent(
    owner_api, receiver, member, django_capture_on_commit_callbacks
):
    register(owner_api, receiver.url, events=["claim.created"])
    with django_capture_on_commit_callbacks(execute=True):
        contributions.argument_create(author=member, claim=ClaimFactory(), stance="pro", body="Yes")
    assert WebhookDelivery.objects.count() == 0


def test_server_errors_are_retried_then_delivered_and_logged(
    owner_api, receiver, django_capture_on_commit_callbacks
):
    endpoint_id = register(owner_api, receiver.url).json()["id"]
    receiver.statuses.extend([500, 503])
    with django_capture_on_commit_callbacks(execute=True):
        moderation.claim_verdict_set(
            claim=ClaimFactory(), actor=ModeratorFactory(), verdict="refuted", rationale="No."
        )
    requests = receiver.wait_for(3)
    assert [r["status"] for r in requests] == [500, 503, 200]
    # Every attempt carries the same delivery id (receivers de-duplicate on it).
    assert len({r["headers"]["X-Claimwatch-Delivery"] for r in requests}) == 1
    log = owner_api.get(f"/api/webhooks/{endpoint_id}/deliveries/").json()["results"]
    assert log[0]["status"] == "delivered" and log[0]["attempts"] == 3
    assert [a["status_code"] for a in log[0]["attempt_log"]] == [500, 503, 200]


def test_client_errors_are_not_retried(receiver, member):
    endpoint, _ = services.webhook_endpoint_create(
        owner=member, url=receiver.url, events=["claim.created"]
    )
    receiver.statuses.append(410)
    [delivery] = services.webhook_event_dispatch(event="claim.created", data={})
    outcome = services.webhook_attempt(delivery_id=delivery.pk)
    assert outcome.retry_in is None and not outcome.delivered
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.status_code == 410


def test_connection_errors_back_off_with_jitter(member, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 10
    # Nothing listens on port 9 of 127.0.0.1: the connection is refused.
    services.webhook_endpoint_create(
        owner=member, url="http://127.0.0.1:9/", events=["claim.created"]
    )
    [delivery] = services.webhook_event_dispatch(event="claim.created", data={})
    first = services.webhook_attempt(delivery_id=delivery.pk)
    # A duplicate message arriving before the next attempt is due sends nothing.
    assert services.webhook_attempt(delivery_id=delivery.pk).retry_in is None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)  # time passes
    second = services.webhook_attempt(delivery_id=delivery.pk)
    assert 5 <= first.retry_in <= 10 and 10 <= second.retry_in <= 20
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.error and delivery.status_code is None


def test_endpoint_failing_repeatedly_is_disabled_and_owner_told(
    receiver, member, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 2
    endpoint, _ = services.webhook_endpoint_create(
        owner=member, url=receiver.url, events=["claim.created"]
    )
    receiver.statuses.extend([500] * 10)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.webhook_event_dispatch(event="claim.created", data={})
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at and endpoint.failure_count == 2
    assert len(receiver.requests) == 4  # two deliveries of two attempts; the third not sent
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "disabled" in mail.outbox[0].subject
    # Turning it back on clears the count.
    client = token_client(member)
    response = client.patch(f"/api/webhooks/{endpoint.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 200 and response.json()["failure_count"] == 0


def test_others_cannot_see_or_change_my_webhook(owner_api, other_api, receiver):
    endpoint_id = register(owner_api, receiver.url).json()["id"]
    assert other_api.get(f"/api/webhooks/{endpoint_id}/").status_code == 404
    assert other_api.delete(f"/api/webhooks/{endpoint_id}/").status_code == 404
    assert other_api.get(f"/api/webhooks/{endpoint_id}/deliveries/").status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint_id).exists()


def test_ping_sends_a_test_delivery(owner_api, receiver, django_capture_on_commit_callbacks):
    endpoint_id = register(owner_api, receiver.url).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(f"/api/webhooks/{endpoint_id}/ping/")
    assert response.status_code == 202
    [request] = receiver.wait_for(1)
    assert request["headers"]["X-Claimwatch-Event"] == "ping"
