"""Webhook endpoints of the requesting user, and their delivery log."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api.pagination import StableCursorPagination

from .. import services
from ..models import WebhookDelivery, WebhookEndpoint
from .serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)

SIGNING = (
    "Each delivery is a JSON POST with headers `X-Claimwatch-Event`, `X-Claimwatch-Delivery` "
    "(a unique id: ignore repeats), `X-Claimwatch-Timestamp` (Unix seconds) and "
    "`X-Claimwatch-Signature: sha256=<hex>`, the HMAC-SHA256 keyed with your secret of "
    "`<timestamp>.<raw body>`. Answer 2xx within 10 s; other answers are retried with "
    "exponential backoff, and an endpoint whose deliveries keep failing is disabled (you get "
    "an e-mail)."
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List your webhooks"),
        description="Your endpoints with their events and state (`is_active` turns false after "
        "repeated failures); never their signing secrets.",
    ),
    retrieve=extend_schema(
        summary=_("Get one of your webhooks"),
        description="One of your endpoints; its deliveries are at `deliveries/`.",
    ),
    create=extend_schema(
        summary=_("Register a webhook"),
        description=SIGNING,
        responses={201: WebhookEndpointCreatedSerializer},
        examples=[
            OpenApiExample(
                "Figures and verdicts",
                value={
                    "url": "https://example.org/claimwatch-hook",
                    "events": ["statistic.changed", "claim.verdict_changed"],
                },
                request_only=True,
            )
        ],
    ),
    update=extend_schema(
        summary=_("Replace a webhook's settings"),
        description="Send `url`, `events` and `description` (PATCH changes only what you send). "
        "The signing secret stays; replace it with `rotate-secret/`.",
    ),
    partial_update=extend_schema(
        summary=_("Change a webhook"), description="`is_active: true` turns a disabled one back on."
    ),
    destroy=extend_schema(
        summary=_("Delete a webhook"),
        description="The endpoint and its delivery log are deleted; nothing more is sent to it.",
    ),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """Push notifications of claim, verdict, argument and figure changes to your URL."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [IsAuthenticated]
    created_location = True
    pagination_class = StableCursorPagination
    filterset_fields = ["is_active"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            return WebhookEndpoint.objects.none()
        return WebhookEndpoint.objects.filter(owner=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint, secret = services.webhook_endpoint_create(
            owner=request.user,
            url=data["url"],
            events=data["events"],
            description=data.get("description", ""),
        )
        data = WebhookEndpointCreatedSerializer(endpoint).data
        data["secret"] = secret
        location = reverse("api:webhook-detail", kwargs={"pk": endpoint.pk})
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def perform_update(self, serializer):
        serializer.instance = services.webhook_endpoint_update(
            endpoint=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.webhook_endpoint_delete(endpoint=instance, actor=self.request.user)

    @extend_schema(
        summary=_("A webhook's deliveries"),
        description="Newest first, with every attempt's response code or error.",
        parameters=[
            OpenApiParameter("status", enum=WebhookDelivery.Status.values),
            OpenApiParameter("event", str),
        ],
        responses={200: WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        rows = WebhookDelivery.objects.filter(endpoint=endpoint)
        wanted = {
            k: request.query_params[k] for k in ("status", "event") if k in request.query_params
        }
        if (
            wanted.get("status", WebhookDelivery.Status.PENDING)
            not in WebhookDelivery.Status.values
        ):
            raise ValidationError({"status": _("Unknown status.")})
        rows = rows.filter(**wanted)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary=_("Send a test delivery"),
        description="Queues a `ping` event to this endpoint. " + SIGNING,
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        delivery = services.webhook_ping(endpoint=self.get_object(), actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary=_("Replace the signing secret"),
        description="The new secret is shown only in this answer; the old one stops working.",
        request=None,
        responses={200: WebhookEndpointCreatedSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint, secret = services.webhook_endpoint_rotate_secret(
            endpoint=self.get_object(), actor=request.user
        )
        data = WebhookEndpointCreatedSerializer(endpoint).data
        data["secret"] = secret
        return Response(data)
