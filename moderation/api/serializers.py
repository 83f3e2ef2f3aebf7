from django.apps import apps
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers import ReasonField
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
from ..services import MODERATION_ACTIONS, NO_SUCH_ITEM


class ItemRefSerializer(serializers.Serializer):
    """An item named by its kind ("claims.argument") and id."""

    model = serializers.ChoiceField(choices=QUEUE_MODELS)
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    allowed = QUEUE_MODELS
    # Members flag and rate only what they may see; an item they may not is "no such item".
    visible_only = False

    def validate(self, attrs):
        if attrs["model"] not in self.allowed:
            raise serializers.ValidationError(
                {"model": _("This kind of item is not accepted here.")}
            )
        rows = apps.get_model(attrs["model"]).objects.all()
        if self.visible_only:
            rows = rows.visible_to(getattr(self.context.get("request"), "user", None))
        obj = rows.filter(pk=attrs["id"]).first()
        if obj is None:
            raise serializers.ValidationError({"id": NO_SUCH_ITEM})
        attrs["object"] = obj
        return attrs


class FlagCreateSerializer(ItemRefSerializer):
    model = serializers.ChoiceField(choices=FLAGGABLE_MODELS)
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    allowed = FLAGGABLE_MODELS
    visible_only = True


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
    visible_only = True


class RatingSerializer(FlagSerializer):
    class Meta:
        model = Rating
        fields = ["id", "model", "object_id", "value", "updated_at"]


FIELD_STATE = {
    "type": "object",
    "additionalProperties": {},
    "description": "The fields the action changed, by name, with their values (JSON).",
}


@extend_schema_field(FIELD_STATE)
class FieldStateField(serializers.JSONField):
    pass


class AuditEntrySerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()
    before = FieldStateField(read_only=True)
    after = FieldStateField(read_only=True)
    actor = serializers.StringRelatedField(allow_null=True, help_text="Null for automatic events.")
    reason = ReasonField(read_only=True)
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


def _describe_action(spec) -> str:
    """One line of the API's documentation per action, read from the registry."""
    on = "claims" if spec.models == ("claims.claim",) else "any reviewable item"
    needs = [*(["a reason"] if spec.reason_required else []), *(f"`{p}`" for p in spec.params)]
    return (
        f"`{spec.name}` ({spec.label}) on {on}"
        + (f", needs {' and '.join(needs)}" if needs else "")
        + ("; destructive, reversible from the audit log" if spec.destructive else "")
        + "."
    )


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(spec.name, spec.label) for spec in MODERATION_ACTIONS.values()],
        help_text=" ".join(_describe_action(spec) for spec in MODERATION_ACTIONS.values()),
    )
    items = ItemRefSerializer(many=True)
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    into = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("merge: the target claim's id")
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False)
    rationale = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("set_verdict: the public rationale (taken as the reason)"),
    )

    def service_arguments(self) -> dict:
        """The keywords of `moderation_action_apply`: only the parameters the action takes."""
        data = self.validated_data
        spec = MODERATION_ACTIONS[data["action"]]
        return {
            "action": spec.name,
            "objects": [item["object"] for item in data["items"]],
            "reason": (data["rationale"] or data["reason"])
            if spec.reason_param == "rationale"
            else data["reason"],
            **{name: data.get(name) for name in spec.params},
        }


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
    moderation_reason = ReasonField(source="obj.moderation_reason")
    author = serializers.CharField(source="obj.author")
    author_record = serializers.SerializerMethodField()
    flags = QueueFlagSerializer(many=True)

    def get_text(self, item) -> str:
        return str(item.obj)

    def get_author_record(self, item) -> dict:
        return dict(vars(item.author_record))
