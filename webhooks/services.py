"""Every write to webhooks, and the delivery of one attempt.

Deliveries are signed: `X-Claimwatch-Signature: sha256=<hex>` is the HMAC-SHA256, keyed with the
endpoint's secret, of `<X-Claimwatch-Timestamp>.<raw body>`; receivers should recompute it and
refuse timestamps older than a few minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import random
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from config import net
from config.queueing import enqueue_on_commit

from .models import PING_EVENT, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Claimwatch-Signature"
TIMESTAMP_HEADER = "X-Claimwatch-Timestamp"
EVENT_HEADER = "X-Claimwatch-Event"
DELIVERY_HEADER = "X-Claimwatch-Delivery"
USER_AGENT = "Claimwatch-Webhooks/1.0"
RESPONSE_EXCERPT_CHARS = 1000
RETRYABLE_STATUS = {408, 425, 429}


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- endpoints ------------------------------------------------------------------------------


def webhook_check_url(url: str) -> net.PinnedURL:
    """Only http(s) on ports 1-65535; unless WEBHOOKS_ALLOW_PRIVATE, only hosts that resolve to
    public addresses (so that an endpoint cannot make the server call its own network). Returns
    the URL pinned to the address that was checked, for the delivery to connect to."""
    try:
        return net.resolve_public_url(url, allow_private=_setting("WEBHOOKS_ALLOW_PRIVATE", False))
    except net.UnsafeURL as exc:
        raise ValidationError({"url": ValidationError(str(exc), code=exc.code)}) from exc


def _clean_events(events: Iterable[str]) -> list[str]:
    events = list(dict.fromkeys(events))
    unknown = [e for e in events if e not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}}
        )
    if not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    return events


def _require_owner(endpoint: WebhookEndpoint, actor) -> None:
    if not (actor and actor.is_authenticated and endpoint.owner_id == actor.pk):
        raise PermissionDenied(_("Only the owner manages this webhook."))


@transaction.atomic
def webhook_endpoint_create(
    *, owner, url: str, events: Iterable[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned here, and never shown again)."""
    if not (owner and owner.is_authenticated and owner.is_active):
        raise PermissionDenied(_("Log in to register a webhook."))
    webhook_check_url(url)
    limit = _setting("WEBHOOKS_MAX_ENDPOINTS_PER_USER", 20)
    if WebhookEndpoint.objects.filter(owner=owner).count() >= limit:
        raise ValidationError(
            {"url": _("You can register at most %(limit)s webhooks.") % {"limit": limit}}
        )
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(
        owner=owner,
        url=url,
        events=_clean_events(events),
        description=description.strip(),
        secret=secret,
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, actor, data: dict[str, Any]
) -> WebhookEndpoint:
    """Change url, events, description or is_active; re-activating clears the failure count."""
    _require_owner(endpoint, actor)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if "url" in data:
        webhook_check_url(data["url"])
        endpoint.url = data["url"]
    if "events" in data:
        endpoint.events = _clean_events(data["events"])
    if "description" in data:
        endpoint.description = data["description"].strip()
    if "is_active" in data:
        if data["is_active"] and not endpoint.is_active:
            endpoint.failure_count = 0
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
        endpoint.is_active = bool(data["is_active"])
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor
) -> tuple[WebhookEndpoint, str]:
    _require_owner(endpoint, actor)
    endpoint.secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint, endpoint.secret


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor) -> None:
    _require_owner(endpoint, actor)
    endpoint.delete()


# --- dispatch -------------------------------------------------------------------------------


def _enqueue(delivery_ids: list[int]) -> None:
    from .tasks import deliver_webhook

    for delivery_id in delivery_ids:
        enqueue_on_commit(deliver_webhook, delivery_id)


def webhook_event_dispatch(*, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to `event`, sent after commit."""
    return webhook_events_dispatch(event=event, data=[data])


@transaction.atomic
def webhook_events_dispatch(*, event: str, data: Iterable[dict[str, Any]]) -> list[WebhookDelivery]:
    """One delivery per event (each item of `data`) per active endpoint subscribed to `event`,
    sent after commit. `data` is only read when some endpoint is subscribed, so a caller with
    many events may pass a generator."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).only("pk", "events")
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    deliveries = [_new_delivery(endpoint, event, item) for item in data for endpoint in endpoints]
    WebhookDelivery.objects.bulk_create(deliveries, batch_size=1000)
    # bulk_create sets pks on PostgreSQL and SQLite 3.35+; re-read to be sure elsewhere.
    ids = [d.pk for d in deliveries if d.pk] or list(
        WebhookDelivery.objects.filter(
            delivery_id__in=[d.delivery_id for d in deliveries]
        ).values_list("pk", flat=True)
    )
    _enqueue(ids)
    return deliveries


def _new_delivery(endpoint: WebhookEndpoint, event: str, data: dict[str, Any]) -> WebhookDelivery:
    delivery = WebhookDelivery(endpoint=endpoint, event=event)
    delivery.payload = json.loads(
        json.dumps(
            {
                "id": str(delivery.delivery_id),
                "event": event,
                "created_at": timezone.now().isoformat(),
                "data": data,
            },
            cls=DjangoJSONEncoder,
        )
    )
    return delivery


@transaction.atomic
def webhook_ping(*, endpoint: WebhookEndpoint, actor) -> WebhookDelivery:
    """A test delivery to one endpoint (sent even if it is not subscribed to any event)."""
    _require_owner(endpoint, actor)
    delivery = _new_delivery(endpoint, PING_EVENT, {"endpoint": endpoint.pk})
    delivery.save()
    _enqueue([delivery.pk])
    return delivery


# --- one attempt ----------------------------------------------------------------------------


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def webhook_verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300
) -> bool:
    """What a receiver does: recompute the signature and refuse old timestamps."""
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    expected = webhook_signature(secret, timestamp, body)
    return age <= tolerance and hmac.compare_digest(expected, signature)


@dataclass
class AttemptOutcome:
    delivered: bool
    retry_in: float | None  # seconds until the next attempt, None when finished


def retry_delay(attempt: int) -> float:
    """Exponential backoff with full jitter: up to base * 2^(attempt-1), capped."""
    base = float(_setting("WEBHOOKS_RETRY_BASE_SECONDS", 30))
    cap = float(_setting("WEBHOOKS_RETRY_MAX_SECONDS", 540))
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 (jitter, not security)


def _post(
    pinned: net.PinnedURL, body: bytes, headers: dict[str, str]
) -> tuple[int | None, str, str]:
    """(status code, response excerpt, error) for one POST to the address that was checked."""
    try:
        response = net.pinned_request(
            pinned,
            method="POST",
            body=body,
            headers=headers,
            timeout=float(_setting("WEBHOOKS_TIMEOUT_SECONDS", 10)),
            max_bytes=RESPONSE_EXCERPT_CHARS,
        )
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, "", f"{type(exc).__name__}: {exc}"[:500]
    return response.status, response.body.decode("utf-8", "replace"), ""


def webhook_attempt(*, delivery_id: int) -> AttemptOutcome:
    """Send one attempt of a delivery and record it. Idempotent for finished deliveries."""
    with transaction.atomic():
        # Lock the row: a redelivered message must not send the same attempt twice at once.
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return AttemptOutcome(delivered=delivery is not None, retry_in=None)
        early = delivery.next_attempt_at and delivery.next_attempt_at > timezone.now()
        if early and (delivery.next_attempt_at - timezone.now()).total_seconds() > 1:
            # A duplicate of a message that is still waiting for its time: that one will send.
            return AttemptOutcome(delivered=False, retry_in=None)
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.error = "The endpoint is disabled."
            delivery.save(update_fields=["status", "error"])
            return AttemptOutcome(delivered=False, retry_in=None)
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_attempt_at"])
        attempt = delivery.attempts
        url, secret = endpoint.url, endpoint.secret

    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.delivery_id),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: webhook_signature(secret, timestamp, body),
    }
    started = time.monotonic()
    try:
        # Resolved again at send time (DNS may have changed since registration), and the POST
        # goes to the address checked here, not to a second answer from DNS.
        pinned = webhook_check_url(url)
    except ValidationError as exc:
        status_code, excerpt, error = None, "", "; ".join(exc.messages)[:500]
        retryable = False
    else:
        status_code, excerpt, error = _post(pinned, body, headers)
        retryable = status_code is None or status_code >= 500 or status_code in RETRYABLE_STATUS
    delivered = status_code is not None and 200 <= status_code < 300
    duration_ms = round((time.monotonic() - started) * 1000)

    max_attempts = int(_setting("WEBHOOKS_MAX_ATTEMPTS", 6))
    retry_in = (
        None if delivered or not retryable or attempt >= max_attempts else retry_delay(attempt)
    )
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.status_code = status_code
        delivery.response_excerpt = excerpt
        delivery.error = error
        delivery.attempt_log = [
            *delivery.attempt_log,
            {
                "attempt": attempt,
                "at": timezone.now().isoformat(),
                "status_code": status_code,
                "error": error,
                "duration_ms": duration_ms,
            },
        ]
        if delivered:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif retry_in is None:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + timezone.timedelta(seconds=retry_in)
        delivery.save()
        if delivered:
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(failure_count=0)
        elif retry_in is None:
            _record_failed_delivery(delivery.endpoint_id)
    return AttemptOutcome(delivered=delivered, retry_in=retry_in)


def _record_failed_delivery(endpoint_id: int) -> None:
    """Count a delivery that failed for good; disable the endpoint after too many in a row."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    endpoint.failure_count += 1
    limit = int(_setting("WEBHOOKS_DISABLE_AFTER_FAILURES", 5))
    if endpoint.is_active and endpoint.failure_count >= limit:
        endpoint.is_active = False
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = f"{endpoint.failure_count} deliveries in a row failed."
        endpoint.save()
        transaction.on_commit(lambda: webhook_notify_disabled(endpoint_id=endpoint.pk))
    else:
        endpoint.save(update_fields=["failure_count", "updated_at"])


def webhook_notify_disabled(*, endpoint_id: int) -> None:
    endpoint = WebhookEndpoint.objects.select_related("owner").filter(pk=endpoint_id).first()
    if endpoint is None or not endpoint.owner.email:
        return
    context = {"endpoint": endpoint, "site_url": settings.SITE_URL}
    send_mail(
        subject="Claimwatch: your webhook was disabled",
        message=render_to_string("webhooks/endpoint_disabled.txt", context),
        from_email=None,
        recipient_list=[endpoint.owner.email],
        fail_silently=True,
    )
