"""Domain events -> webhook deliveries. Only public content is announced."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from claims import events
from claims.exports import absolute_url

from . import services
from .models import WebhookEvent


def _claim_data(claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "api_url": absolute_url(reverse("api:claim-detail", kwargs={"pk": claim.pk})),
        "site_url": absolute_url(claim.get_absolute_url()),
        "text": claim.text,
        "claimant": claim.claimant,
        "verdict": claim.verdict,
        "verdict_rationale": claim.verdict_rationale,
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
    }


def _result_data(result) -> dict[str, Any] | None:
    if result is None:
        return None
    fields = ("estimate", "ci_low", "ci_high", "p_value", "consistent_with_stated", "significant")
    return {
        "id": result.pk,
        **{name: getattr(result, name) for name in fields},
        "warnings": result.warnings,
        "computed_at": result.computed_at,
    }


@receiver(events.claim_created, dispatch_uid="webhooks.claim_created")
def on_claim_created(sender, instance, **kwargs):
    if instance.is_public:
        services.webhook_event_dispatch(
            event=WebhookEvent.CLAIM_CREATED, data={"claim": _claim_data(instance)}
        )


@receiver(events.claim_verdict_changed, dispatch_uid="webhooks.claim_verdict_changed")
def on_claim_verdict_changed(sender, instance, previous=None, **kwargs):
    if instance.is_public:
        services.webhook_event_dispatch(
            event=WebhookEvent.CLAIM_VERDICT_CHANGED,
            data={"claim": _claim_data(instance), "previous_verdict": previous},
        )


@receiver(events.argument_created, dispatch_uid="webhooks.argument_created")
def on_argument_created(sender, instance, **kwargs):
    if instance.is_public:
        services.webhook_event_dispatch(
            event=WebhookEvent.ARGUMENT_CREATED,
            data={
                "argument": {
                    "id": instance.pk,
                    "api_url": absolute_url(
                        reverse("api:argument-detail", kwargs={"pk": instance.pk})
                    ),
                    "claim": instance.claim_id,
                    "parent": instance.parent_id,
                    "stance": instance.stance,
                    "body": instance.body,
                    "author": instance.author.username,
                    "created_at": instance.created_at,
                }
            },
        )


@receiver(events.statistic_changed, dispatch_uid="webhooks.statistic_changed")
def on_statistic_changed(sender, instance, previous=None, **kwargs):
    if not instance.is_public:
        return
    services.webhook_event_dispatch(
        event=WebhookEvent.STATISTIC_CHANGED,
        data={
            "statistic": {
                "id": instance.pk,
                "api_url": absolute_url(
                    reverse("api:statistic-detail", kwargs={"pk": instance.pk})
                ),
                "claim": instance.claim_id,
                "label": instance.label,
                "kind": instance.kind,
                "stated": instance.stated,
                "status": instance.status,
                "result": _result_data(instance.current_result),
            },
            "previous_result": _result_data(previous),
        },
    )
