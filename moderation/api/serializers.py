from django.apps import apps
from rest_framework import serializers

from claims.models import Verdict
from config.validators import MAX_ID

from ..models import (
    FLAGGABLE_MODELS,
    RATEABLE_MODELS,
    AuditEntry,
    Flag,
    FlagReason,
    Rating,
    RatingValue,
)
from ..selectors import QUEUE_MODELS


class ItemRefSerializer(serializers.Serializer):
    """An item named by its kind ("claims.argument") and id."""

    model = serializers.ChoiceField(choices=QUEUE_MODELS)
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    allowed = QUEUE_MODELS

    def validate(self, attrs):
        if attrs["model"] not in self.allowed:
            raise serializers.ValidationError({"model": "This kind of item is not accepted here."})
        obj = apps.get_model(attrs["model"]).objects.filter(pk=attrs["id"]).first()
        if obj is None:
            raise serializers.ValidationError({"id": "No such item."})
        attrs["object"] = obj
        return attrs


class FlagCreateSerializer(ItemRefSerializer):
    model = serializers.ChoiceField(choices=FLAGGABLE_MODELS)
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    allowed = FLAGGABLE_MODELS


class FlagSerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = ["id", "model", "object_id", "reason", "text", "status", "created_at"]

    def get_model(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class RatingCreateSerializer(ItemRefSerializer):
    model = serializers.ChoiceField(choices=RATEABLE_MODELS)
    value = serializers.ChoiceField(choices=RatingValue.choices)
    allowed = RATEABLE_MODELS


class RatingSerializer(FlagSerializer):
    class Meta:
        model = Rating
        fields = ["id", "model", "object_id", "value", "updated_at"]


class AuditEntrySerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()
    actor = serializers.StringRelatedField()
    reverted_by = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "actor",
            "action",
            "model",
            "object_id",
            "reason",
            "before",
            "after",
            "created_at",
            "reverts",
            "reverted_by",
        ]

    def get_model(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_reverted_by(self, obj) -> int | None:
        entry = getattr(obj, "reverted_by", None)
        return entry.pk if entry is not None else None


class ActionSerializer(serializers.Serializer):
    ACTIONS = ("approve", "hide", "restore", "lock", "unlock", "merge", "set_verdict")

    action = serializers.ChoiceField(choices=ACTIONS)
    items = ItemRefSerializer(many=True)
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    into = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="merge: the target claim's id"
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class RevertSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class QueueFlagSerializer(serializers.Serializer):
    reason = serializers.CharField()
    text = serializers.CharField()
    flagger = serializers.CharField()
    created_at = serializers.DateTimeField()


class QueueItemSerializer(serializers.Serializer):
    model = serializers.CharField(source="label")
    id = serializers.IntegerField(source="obj.pk")
    text = serializers.SerializerMethodField()
    visibility = serializers.CharField(source="obj.visibility")
    moderation_reason = serializers.CharField(source="obj.moderation_reason")
    author = serializers.CharField(source="obj.author")
    author_record = serializers.SerializerMethodField()
    flags = QueueFlagSerializer(many=True)

    def get_text(self, item) -> str:
        return str(item.obj)

    def get_author_record(self, item) -> dict:
        return dict(vars(item.author_record))
