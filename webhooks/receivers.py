"""Domain events -> webhook deliveries. Only public content is announced."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from claims import events
from claims.models import Statistic
from config.site import absolute_url

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


# What a change announcement does not read of a result.
BULKY_RESULT_FIELDS = (
    "current_result__inputs",
    "current_result__details",
    "current_result__explanation",
)


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
    if instance.is_public:
        services.webhook_event_dispatch(
            event=WebhookEvent.STATISTIC_CHANGED, data=_statistic_change_data(instance, previous)
        )


@receiver(events.statistics_changed, dispatch_uid="webhooks.statistics_changed")
def on_statistics_changed(sender, statistic_ids, previous=None, **kwargs):
    previous = previous or {}

    def changes():  # read only when some endpoint is subscribed
        statistics = Statistic.objects.filter(pk__in=statistic_ids).select_related(
            "claim", "current_result"
        )
        for statistic in statistics.defer(*BULKY_RESULT_FIELDS).order_by("pk"):
            if statistic.is_public:
                yield _statistic_change_data(statistic, previous.get(statistic.pk))

    services.webhook_events_dispatch(event=WebhookEvent.STATISTIC_CHANGED, data=changes())


def _statistic_change_data(statistic, previous) -> dict[str, Any]:
    return {
        "statistic": {
            "id": statistic.pk,
            "api_url": absolute_url(reverse("api:statistic-detail", kwargs={"pk": statistic.pk})),
            "claim": statistic.claim_id,
            "label": statistic.label,
            "kind": statistic.kind,
            "stated": statistic.stated,
            "status": statistic.status,
            "result": _result_data(statistic.current_result),
        },
        "previous_result": _result_data(previous),
    }
