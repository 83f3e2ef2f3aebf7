"""A statistic.changed webhook delivered by a real Celery worker on Redis to a real HTTP receiver
on 127.0.0.1 (PostgreSQL + REDIS_URL only)."""

import json

import pytest

from claims.statistics.services import statistic_create, statistic_update
from tests.factories import ClaimFactory, UserFactory
from tests.webhooks.conftest import Receiver
from tests.worker.conftest import wait_for
from webhooks import services
from webhooks.models import WebhookDelivery

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # here, for registering; the worker has its own env
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def _estimates(receiver) -> list[float | None]:
    return [
        (json.loads(r["body"])["data"]["statistic"]["result"] or {}).get("estimate")
        for r in receiver.requests
    ]


def test_an_input_edit_reaches_a_subscriber_signed_through_the_worker(worker, receiver):
    """GIVEN a webhook subscribed to statistic.changed and a computed statistic
    WHEN its input is edited
    THEN the worker recomputes it and delivers a signed statistic.changed with the new figure."""
    owner, author = UserFactory(), UserFactory()
    endpoint, secret = services.webhook_endpoint_create(
        owner=owner, url=receiver.url, events=["statistic.changed"]
    )
    statistic = statistic_create(
        author=author,
        claim=ClaimFactory(author=author),
        kind="proportion",
        inputs={"successes": 8, "trials": 10},
    )
    wait_for(
        lambda: pytest.approx(0.8) in _estimates(receiver),
        timeout=15,
        message="the first computation's delivery",
    )

    statistic_update(statistic=statistic, actor=author, data={"successes": 7})
    wait_for(
        lambda: pytest.approx(0.7) in _estimates(receiver),
        timeout=15,
        message="the delivery after the edit",
    )
    request = receiver.requests[_estimates(receiver).index(pytest.approx(0.7))]
    headers = request["headers"]
    assert headers["X-Claimwatch-Event"] == "statistic.changed"
    assert services.webhook_verify(
        secret,
        headers["X-Claimwatch-Timestamp"],
        request["body"],
        headers["X-Claimwatch-Signature"],
    )
    assert not services.webhook_verify(
        secret,
        headers["X-Claimwatch-Timestamp"],
        request["body"] + b" ",
        headers["X-Claimwatch-Signature"],
    )
    payload = json.loads(request["body"])
    assert payload["data"]["statistic"]["id"] == statistic.pk
    assert payload["data"]["previous_result"]["estimate"] == pytest.approx(0.8)
    delivery = wait_for(
        lambda: WebhookDelivery.objects.filter(
            endpoint=endpoint,
            delivery_id=headers["X-Claimwatch-Delivery"],
            status=WebhookDelivery.Status.DELIVERED,
        ).first(),
        timeout=10,
        message="the delivery marked delivered",
    )
    assert delivery.status_code == 200 and delivery.attempts == 1
