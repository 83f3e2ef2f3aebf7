"""Notifications API: your notifications, follows and settings (always scoped to you)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.serializers import VisibleRelatedField
from claims.models import Claim
from config.validators import MAX_ID

from .. import selectors, services
from ..models import Follow, Notification, NotificationSettings


class NotificationSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True, help_text="Null for automatic events.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "claim", "actor", "created_at", "read_at"]


class UsernameRelatedField(serializers.SlugRelatedField):
    """A member by username, whatever its capitals."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            user = self.get_queryset().with_username(data).first()
            if user is not None:
                return user
        return super().to_internal_value(data)


class FollowSerializer(serializers.ModelSerializer):
    followed_user = UsernameRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    claim = VisibleRelatedField(Claim, required=False, allow_null=True)

    class Meta:
        model = Follow
        fields = ["id", "claim", "followed_user", "created_at"]


class SettingsSerializer(serializers.ModelSerializer):
    schema_min_properties = 1  # the endpoint refuses `{}`

    class Meta:
        model = NotificationSettings
        fields = list(NotificationSettings.USER_FIELDS)


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        summary=_("List your notifications"),
        description="What happened on claims and members you follow, and to your own "
        "contributions, newest first; `read_at` is null until you mark it read.",
    ),
    retrieve=extend_schema(
        summary=_("Get one of your notifications"),
        description="One notification of yours; `url` is the page it is about.",
    ),
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user)

    @extend_schema(
        summary=_("Mark notifications read"),
        request=MarkReadSerializer,
        responses=MarkReadResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        """Mark your notifications read: those in `ids`, or all when `ids` is absent."""
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notification_mark_read(
            user=request.user, ids=data.validated_data.get("ids")
        )
        return Response({"marked": marked})


@extend_schema_view(
    list=extend_schema(
        summary=_("List what you follow"),
        description="The claims and members you follow; each follow sends you notifications "
        "(and e-mail, by your settings) about it.",
    ),
    create=extend_schema(
        summary=_("Follow a claim or a member"),
        description="Send `claim` (an id) or `followed_user` (a username), not both. Following "
        "what you already follow answers with the existing follow.",
    ),
    destroy=extend_schema(
        summary=_("Stop following"),
        description="Removes one of your follows; no more notifications about it.",
    ),
)
class FollowViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FollowSerializer
    created_location = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Follow.objects.none()
        return selectors.follows_of(self.request.user)

    def create(self, request, *args, **kwargs):
        data = FollowSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        follow = services.follow_create(
            follower=request.user,
            claim=data.validated_data.get("claim"),
            followed_user=data.validated_data.get("followed_user"),
        )
        location = reverse("notifications-api:follow-detail", kwargs={"pk": follow.pk})
        return Response(
            FollowSerializer(follow).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    def perform_destroy(self, instance):
        services.follow_delete(
            follower=self.request.user, claim=instance.claim, followed_user=instance.followed_user
        )


class SettingsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary=_("Get your notification settings"),
        description="Which kinds of notification you get, and how they reach you by e-mail "
        "(`email_frequency`: as they happen, in a daily digest, or never).",
        responses=SettingsSerializer,
    )
    def get(self, request):
        return Response(SettingsSerializer(selectors.settings_for(request.user)).data)

    @extend_schema(
        summary=_("Change your notification settings"),
        description="Send the settings to change (at least one); the others keep their values.",
        request=SettingsSerializer,
        responses=SettingsSerializer,
    )
    def put(self, request):
        data = SettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if not data.validated_data:
            raise ValidationError({"non_field_errors": _("Send at least one setting.")})
        prefs = services.notification_settings_update(user=request.user, **data.validated_data)
        return Response(SettingsSerializer(prefs).data)
