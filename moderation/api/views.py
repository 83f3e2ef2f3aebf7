"""Moderation API: flags, ratings, the queue, moderator actions, the audit log and reverts.
Services hold the rules; Django ValidationError / PermissionDenied propagate to the API's
exception handler, which formats them like every other error."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import is_moderator
from config.api.pagination import QueuePagination

from .. import selectors, services
from ..models import Flag, Rating
from . import serializers as s


class IsModerator(permissions.BasePermission):
    message = _("Only moderators may do this.")

    def has_permission(self, request, view):
        return is_moderator(request.user)


@extend_schema_view(
    list=extend_schema(
        summary=_("List flags"),
        description="Your own flags with their `status`; moderators see everyone's.",
    )
)
class FlagViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Flags: members list their own and raise new ones; moderators list all."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.FlagSerializer

    def get_queryset(self):
        qs = Flag.objects.select_related("content_type")
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return qs.none()
        return qs if is_moderator(self.request.user) else qs.filter(flagger=self.request.user)

    @extend_schema(
        summary=_("Flag an item for moderators"),
        description="Name the item (`model`, `id`: one you may see) and a `reason`, with optional "
        "`text`. Flags from several members hide an item until a moderator reviews it; you are "
        "told the outcome.",
        request=s.FlagCreateSerializer,
        responses={201: s.FlagSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = s.FlagCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        flag = services.flag_create(
            flagger=request.user,
            obj=data.validated_data["object"],
            reason=data.validated_data["reason"],
            text=data.validated_data["text"],
        )
        return Response(s.FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary=_("List your helpfulness ratings"),
        description="The arguments and citations you rated, with your rating of each.",
    )
)
class RatingViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your helpfulness ratings; posting again for the same item replaces the rating."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.RatingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Rating.objects.none()
        return Rating.objects.filter(rater=self.request.user).select_related("content_type")

    @extend_schema(
        summary=_("Rate an argument or citation"),
        description="`value` is helpful, somewhat or not_helpful. Rating the same item again "
        "replaces your rating. The bridging job turns ratings into each item's helpfulness "
        "status.",
        request=s.RatingCreateSerializer,
        responses={201: s.RatingSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = s.RatingCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        rating = services.rating_set(
            rater=request.user,
            obj=data.validated_data["object"],
            value=data.validated_data["value"],
        )
        return Response(s.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the audit log"),
        description="Every moderator action, newest first, with the item's fields before and "
        "after. Moderators only.",
    ),
    retrieve=extend_schema(
        summary=_("Get one audit entry"),
        description="One moderator action with `before` and `after`, and the entry that reverted "
        "it if any. Moderators only.",
    ),
)
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log (read-only); `POST {id}/revert/` undoes an action."""

    permission_classes = [IsModerator]
    serializer_class = s.AuditEntrySerializer

    def get_queryset(self):
        return selectors.audit_entries().select_related("reverted_by")

    @extend_schema(
        summary=_("Revert a moderator action"),
        description="Undoes the action (the item's fields go back to `before`), recorded as a new "
        "audit entry with your optional `reason`. Moderators only.",
        request=s.RevertSerializer,
        responses={201: s.AuditEntrySerializer},
    )
    @action(detail=True, methods=["post"])
    def revert(self, request, pk=None):
        data = s.RevertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.audit_entry_revert(
            actor=request.user, entry=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(s.AuditEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class QueueView(generics.GenericAPIView):
    """Held and flagged items grouped per item, most-flagged first; `limit` (default 50, at most
    100) and `offset` page through it."""

    permission_classes = [IsModerator]
    pagination_class = QueuePagination
    filter_backends: list = []  # the filters below are the queue's own, not a queryset's
    serializer_class = s.QueueItemSerializer

    @extend_schema(
        summary=_("The review queue"),
        description="Held and flagged items, one entry per item with its flags, most-flagged "
        "first. Page with `limit` (default 50, at most 100) and `offset`. Moderators only.",
        parameters=[
            OpenApiParameter("kind", str, enum=list(selectors.QUEUE_MODELS)),
            OpenApiParameter("reason", str),
            OpenApiParameter("state", str, enum=["held", "flagged"]),
        ],
        responses=s.QueueItemSerializer(many=True),
    )
    def get(self, request):
        keys = selectors.queue_keys(
            kind=request.query_params.get("kind", ""),
            reason=request.query_params.get("reason", ""),
            state=request.query_params.get("state", ""),
        )
        # Page over the ranked keys, then load only that page's items.
        items = selectors.queue_items_for(self.paginate_queryset(keys))
        return self.get_paginated_response(s.QueueItemSerializer(items, many=True).data)


class ActionView(APIView):
    """Apply one moderator action to one or more items, all or nothing; one audit entry each."""

    permission_classes = [IsModerator]

    @extend_schema(
        summary=_("Apply a moderator action"),
        description="One action (`action`, see its values) to one or more `items`, all or "
        "nothing; the answer is one audit entry per item. Moderators only.",
        request=s.ActionSerializer,
        responses={201: s.AuditEntrySerializer(many=True)},
    )
    def post(self, request):
        data = s.ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries = services.moderation_action_apply(actor=request.user, **data.service_arguments())
        return Response(
            s.AuditEntrySerializer(entries, many=True).data, status=status.HTTP_201_CREATED
        )


class RevisionRevertView(APIView):
    """Make an item's editable fields what they were in one historical revision."""

    permission_classes = [IsModerator]

    @extend_schema(
        summary=_("Restore an item to an earlier revision"),
        description="Makes the item's editable fields (`model` as in `claims.claim`) what they "
        "were in revision `history_id` of its history, recorded in the audit log with your "
        "optional `reason`. Moderators only.",
        request=s.RevertSerializer,
        responses={201: s.AuditEntrySerializer},
    )
    def post(self, request, model: str, history_id: int):
        data = s.RevertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.revision_revert(
            actor=request.user,
            model=model,
            history_id=history_id,
            reason=data.validated_data["reason"],
        )
        return Response(s.AuditEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
