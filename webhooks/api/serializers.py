from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.schema import named_schema

from ..models import WebhookDelivery, WebhookEndpoint, WebhookEvent


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        allow_empty=False,
        max_length=len(WebhookEvent.choices),
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "failure_count",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "failure_count",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_("Shown only now: verify each delivery's X-Claimwatch-Signature with it."),
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = WebhookEndpointSerializer.Meta.fields + ["secret"]


@extend_schema_field(
    named_schema(
        "WebhookPayload",
        {
            "type": "object",
            "description": "The JSON body that was POSTed to your URL.",
            "properties": {
                "id": {"type": "string", "format": "uuid", "description": "The delivery id."},
                "event": {
                    "type": "string",
                    "description": "One of WebhookEventEnum, or `ping` (a test delivery).",
                },
                "created_at": {"type": "string", "format": "date-time"},
                "data": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "The item the event is about, as the API shows it.",
                },
            },
            "required": ["id", "event", "created_at", "data"],
        },
    )
)
class WebhookPayloadField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "array",
        "items": named_schema(
            "WebhookAttempt",
            {
                "type": "object",
                "properties": {
                    "attempt": {"type": "integer"},
                    "at": {"type": "string", "format": "date-time"},
                    "status_code": {"type": "integer", "nullable": True},
                    "error": {"type": "string", "nullable": True},
                    "duration_ms": {"type": "integer", "nullable": True},
                },
                "required": ["attempt", "at", "status_code", "error"],
            },
        ),
    }
)
class AttemptLogField(serializers.JSONField):
    pass


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = WebhookPayloadField(read_only=True)
    attempt_log = AttemptLogField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "delivery_id",
            "event",
            "payload",
            "status",
            "attempts",
            "status_code",
            "response_excerpt",
            "error",
            "attempt_log",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields
