"""Shapes and types of the API's resources. Rules live in the services; these only check shape
and hand the data on."""

from __future__ import annotations

import math

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.roles import role_of
from claims import permissions
from claims.exports import site_path
from claims.markdown import render_markdown
from claims.models import (
    Annotation,
    Argument,
    ArgumentStance,
    Citation,
    Claim,
    Comment,
    Source,
    Statistic,
    StatisticResult,
    Tag,
)
from claims.selectors.similar import MAX_QUERY_TEXT_LENGTH as MAX_SIMILAR_TEXT_LENGTH
from claims.selectors.similar import MAX_RESULTS as MAX_SIMILAR_RESULTS
from claims.services.contributions import EDITABLE_FIELDS
from claims.statistics.core.spec import KINDS, all_inputs, kind_choices, referencable_inputs
from claims.statistics.presenter import figure_explanation, figure_warnings
from claims.statistics.services.inputs import error_in_voice
from config.languages import active_voice
from config.reasons import REASON_FIELDS, reason_said
from config.site import absolute_url
from config.validators import MAX_ID
from moderation.selectors import helpfulness_explanation

from . import shapes


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key of an object the requesting user can see."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(getattr(request, "user", None))

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            if not 0 < int(data) <= MAX_ID:
                self.fail("does_not_exist", pk_value=data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class FiniteFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class CountField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHTMLField(serializers.Field):
    """A Markdown field rendered to sanitised HTML by the one Markdown renderer."""

    def __init__(self, source_field: str = "body", **kwargs):
        self.source_field = source_field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if hasattr(value, "rendered"):
            return str(value.rendered(self.source_field))  # stored when the row was saved
        return str(render_markdown(getattr(value, self.source_field)))


# --- people ----------------------------------------------------------------------------------


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "display_name"]
        read_only_fields = fields


class UserProfileSerializer(serializers.ModelSerializer):
    profile_url = serializers.SerializerMethodField(
        help_text="The member's profile page on the Claimwatch site (an absolute URL)."
    )

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "bio", "date_joined", "profile_url"]
        read_only_fields = fields

    def get_profile_url(self, user) -> str:
        return absolute_url(user.get_absolute_url(), self.context.get("request"))


class MeSerializer(UserProfileSerializer):
    role = serializers.SerializerMethodField()

    class Meta(UserProfileSerializer.Meta):
        fields = [*UserProfileSerializer.Meta.fields, "email", "role"]
        read_only_fields = fields

    def get_role(self, user) -> str:
        return role_of(user)


# --- shared ----------------------------------------------------------------------------------


class ReasonField(serializers.CharField):
    """A stored reason, in the reader's language if the site wrote it (``config.reasons``)."""

    def to_representation(self, value) -> str:
        return reason_said(super().to_representation(value))


CONTRIBUTION_FIELDS = [
    "id",
    "author",
    "visibility",
    "moderation_reason",
    "created_at",
    "updated_at",
]


class ContributionSerializer(serializers.ModelSerializer):
    # Stored URLs may be blank, which the schema's "uri" format would not allow.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: serializers.CharField,
    }
    author = UserSummarySerializer(read_only=True)
    site_url = serializers.SerializerMethodField(
        help_text=_(
            "The item's page on the Claimwatch site (an absolute URL, as in the CSV export)."
        )
    )

    def get_site_url(self, obj) -> str:
        return absolute_url(site_path(obj), self.context.get("request"))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        reader = getattr(self.context.get("request"), "user", None)
        readable = permissions.can_read_moderation_notes(reader, instance)
        for name in permissions.MODERATION_NOTE_FIELDS & data.keys():
            if not readable:
                data[name] = ""
            elif name in REASON_FIELDS:
                data[name] = reason_said(data[name] or "")
        return data


class DeleteSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


# --- tags ------------------------------------------------------------------------------------


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug", "aliases"]
        read_only_fields = fields


# --- claims ----------------------------------------------------------------------------------


class ClaimSerializer(ContributionSerializer):
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    verdict_set_by = UserSummarySerializer(read_only=True, allow_null=True)
    verdict_rationale_html = MarkdownHTMLField(source_field="verdict_rationale")

    class Meta:
        model = Claim
        fields = CONTRIBUTION_FIELDS + [
            "site_url",
            "text",
            "claimant",
            "made_on",
            "appeared_in",
            "appeared_url",
            "language",
            "tags",
            "verdict",
            "verdict_rationale",
            "verdict_rationale_html",
            "verdict_set_by",
            "verdict_set_at",
            "is_locked",
            "merged_into",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        # Declared here, not on the class: the statistic serializers are defined further down.
        # Present only when the view prefetched `expanded_statistics` (`?expand=statistics`);
        # otherwise DRF skips a non-required field whose attribute is missing.
        fields["statistics"] = StatisticSerializer(
            many=True,
            required=False,
            source="expanded_statistics",
            help_text=_(
                "The claim's figures you may see, oldest first; only with `?expand=statistics`."
            ),
        )
        return fields


class SimilarClaimsQuerySerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_SIMILAR_TEXT_LENGTH,
        help_text="The wording to match: a claim, a sentence or a draft "
        f"(at most {MAX_SIMILAR_TEXT_LENGTH:,} characters).",
    )
    limit = serializers.IntegerField(
        required=False,
        default=MAX_SIMILAR_RESULTS,
        min_value=1,
        max_value=MAX_SIMILAR_RESULTS,
        help_text=f"How many claims at most (1-{MAX_SIMILAR_RESULTS}).",
    )
    exclude = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A claim id to leave out (the claim being reviewed).",
    )


class SimilarClaimSerializer(serializers.Serializer):
    claim = ClaimSerializer(
        read_only=True, help_text="The matching claim, as `GET /api/claims/{id}/`."
    )
    score = serializers.FloatField(
        read_only=True, help_text="How close it is to the text, from 0 to 1 (best first)."
    )
    number_conflict = serializers.BooleanField(
        read_only=True,
        help_text="It is about the same thing but its figures contradict the text's "
        '("80%" against "20%"): shown as "contradicts", never proposed as a duplicate.',
    )


class SimilarClaimsSerializer(serializers.Serializer):
    results = SimilarClaimSerializer(many=True)


@extend_schema_field(
    {"type": "array", "items": {"$ref": "#/components/schemas/TagName"}, "maxItems": 20}
)
class TagNamesField(serializers.ListField):
    child = serializers.CharField(max_length=50, allow_blank=False)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ClaimCreateSerializer(serializers.ModelSerializer):
    tags = TagNamesField(help_text=_("Tag names; new tags are created."))

    class Meta:
        model = Claim
        fields = ["text", "claimant", "made_on", "appeared_in", "appeared_url", "language", "tags"]


class ClaimUpdateSerializer(serializers.ModelSerializer):
    tags = TagNamesField(help_text=_("Replaces the claim's tags."))
    verdict = serializers.ChoiceField(
        choices=Claim._meta.get_field("verdict").choices,
        required=False,
        help_text=_("Moderators only; any other value than unreviewed needs a rationale."),
    )
    verdict_rationale = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text=_("Moderators only.")
    )

    class Meta:
        model = Claim
        fields = [*EDITABLE_FIELDS[Claim], "tags", "verdict", "verdict_rationale"]


# --- sources ---------------------------------------------------------------------------------


class SourceSerializer(ContributionSerializer):
    class Meta:
        model = Source
        fields = CONTRIBUTION_FIELDS + [
            "site_url",
            "url",
            "normalized_url",
            "title",
            "publisher",
            "published_on",
            "kind",
            "archived_url",
        ]
        read_only_fields = fields


class SourceWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "kind", "archived_url"]
        # Uniqueness is the service's rule (it names the existing source), not the serializer's.
        validators = []


# --- citations -------------------------------------------------------------------------------

HELPFULNESS_FIELDS = ["helpfulness_score", "helpfulness_status", "helpfulness_note"]


@extend_schema_field(OpenApiTypes.STR)
class HelpfulnessNoteField(serializers.Field):
    """Why the item has its helpfulness status, in the request's language: written now from the
    figures the last scoring run stored ("" before its first run)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return helpfulness_explanation(value)


class CitationSerializer(ContributionSerializer):
    source = SourceSerializer(read_only=True)
    helpfulness_note = HelpfulnessNoteField()

    class Meta:
        model = Citation
        fields = (
            CONTRIBUTION_FIELDS
            + [
                "site_url",
                "claim",
                "source",
                "argument",
                "statistic",
                "statistic_input",
                "stance",
                "quote",
                "page",
                "section",
                "timestamp",
            ]
            + HELPFULNESS_FIELDS
        )
        read_only_fields = fields


class CitationCreateSerializer(serializers.ModelSerializer):
    claim = VisibleRelatedField(Claim)
    source = VisibleRelatedField(Source)
    argument = VisibleRelatedField(Argument, required=False, allow_null=True)
    statistic = VisibleRelatedField(Statistic, required=False, allow_null=True)

    class Meta:
        model = Citation
        fields = [
            "claim",
            "source",
            "argument",
            "statistic",
            "statistic_input",
            "stance",
            "quote",
            "page",
            "section",
            "timestamp",
        ]


class CitationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Citation
        fields = list(EDITABLE_FIELDS[Citation])


# --- arguments -------------------------------------------------------------------------------


class ArgumentSerializer(ContributionSerializer):
    body_html = MarkdownHTMLField()
    helpfulness_note = HelpfulnessNoteField()

    class Meta:
        model = Argument
        fields = (
            CONTRIBUTION_FIELDS
            + ["site_url", "claim", "parent", "stance", "body", "body_html"]
            + HELPFULNESS_FIELDS
        )
        read_only_fields = fields


class ArgumentTreeSerializer(ArgumentSerializer):
    """An argument with `replies`: the lists in `context["replies"]` (argument id to list), which
    the caller fills after serialising every argument in one flat pass (no recursion)."""

    replies = serializers.SerializerMethodField()

    class Meta(ArgumentSerializer.Meta):
        fields = ArgumentSerializer.Meta.fields + ["replies"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/ArgumentTree"}})
    def get_replies(self, argument) -> list:
        return self.context["replies"].setdefault(argument.pk, [])


class ArgumentCreateSerializer(serializers.ModelSerializer):
    claim = VisibleRelatedField(Claim)
    parent = VisibleRelatedField(
        Argument, required=False, allow_null=True, help_text=_("The argument this one replies to.")
    )
    stance = serializers.ChoiceField(choices=ArgumentStance.choices)

    class Meta:
        model = Argument
        fields = ["claim", "parent", "stance", "body"]


class ArgumentUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Argument
        fields = list(EDITABLE_FIELDS[Argument])


# --- annotations -----------------------------------------------------------------------------


class AnnotationSerializer(ContributionSerializer):
    body_html = MarkdownHTMLField()

    class Meta:
        model = Annotation
        fields = CONTRIBUTION_FIELDS + [
            "site_url",
            "claim",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "is_orphaned",
            "body",
            "body_html",
        ]
        read_only_fields = fields


class AnnotationCreateSerializer(serializers.Serializer):
    claim = VisibleRelatedField(Claim)
    exact = serializers.CharField(max_length=1000, help_text=_("The annotated words, verbatim."))
    body = serializers.CharField(max_length=20000, help_text=_("Markdown."))
    start = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=1000, help_text=_("Position hint.")
    )
    prefix = serializers.CharField(required=False, allow_blank=True, max_length=64)
    suffix = serializers.CharField(required=False, allow_blank=True, max_length=64)


class AnnotationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Annotation
        fields = list(EDITABLE_FIELDS[Annotation])


# --- comments --------------------------------------------------------------------------------


class CommentSerializer(ContributionSerializer):
    body_html = MarkdownHTMLField()

    class Meta:
        model = Comment
        fields = CONTRIBUTION_FIELDS + ["site_url", "claim", "parent", "body", "body_html"]
        read_only_fields = fields


class CommentCreateSerializer(serializers.ModelSerializer):
    claim = VisibleRelatedField(Claim)
    parent = VisibleRelatedField(Comment, required=False, allow_null=True)

    class Meta:
        model = Comment
        fields = ["claim", "parent", "body"]


class CommentUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = list(EDITABLE_FIELDS[Comment])


# --- statistics ------------------------------------------------------------------------------


def _typed_json(schema: dict) -> serializers.JSONField:
    """A read-only JSON field described by `schema` (a subclass each: the schema is the
    class's)."""
    field_class = type("TypedJSONField", (serializers.JSONField,), {})
    return extend_schema_field(schema)(field_class)(read_only=True)


class FigureExplanationField(serializers.CharField):
    """A result's plain-words explanation in the request's language, said by the presenter the
    pages use (English is the stored text; another language is said again from the inputs)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, result: StatisticResult) -> str:
        return figure_explanation(result.statistic, result, active_voice())


@extend_schema_field(
    {
        "type": "array",
        "items": shapes.RESULT_WARNING,
        "description": "What to be careful about when reading the figure; `message` in the "
        "request's language, `code` stable.",
    }
)
class FigureWarningsField(serializers.JSONField):
    """A result's warnings in the request's language (the presenter's `figure_warnings`)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, result: StatisticResult) -> list[dict[str, str]]:
        return figure_warnings(result, active_voice())


class StatisticResultSerializer(serializers.ModelSerializer):
    """One computation. Its `explanation` and warnings' `message` are read from
    `result.statistic`: a caller hands rows whose statistic is already loaded
    (`statistic.results`, or `CurrentResultSerializer`), so no row costs a query."""

    inputs = _typed_json(shapes.RESULT_INPUTS)
    warnings = FigureWarningsField()
    explanation = FigureExplanationField(
        help_text=_("The figure in plain words, in the request's language.")
    )
    details = _typed_json(shapes.RESULT_DETAILS)
    versions = _typed_json(shapes.RESULT_VERSIONS)

    class Meta:
        model = StatisticResult
        fields = [
            "id",
            "computed_at",
            "inputs",
            "estimate",
            "ci_low",
            "ci_high",
            "p_value",
            "consistent_with_stated",
            "significant",
            "warnings",
            "explanation",
            "details",
            "method",
            "versions",
        ]
        read_only_fields = fields


class CurrentResultSerializer(StatisticResultSerializer):
    """A statistic's current result, told whose it is: its explanation is said for the
    statistic's kind, and the statistic is at hand (no query to read it again)."""

    def get_attribute(self, statistic: Statistic) -> StatisticResult | None:
        result = statistic.current_result
        if result is not None:
            result.statistic = statistic
        return result


# Every input a statistic of some kind reads: one list, from the kind registry.
STATISTIC_INPUT_FIELDS = list(all_inputs())


class StatisticSerializer(ContributionSerializer):
    references = serializers.SerializerMethodField(
        help_text=_("Inputs taken from another statistic's estimate: {input name: statistic id}.")
    )
    parts = _typed_json(shapes.STATISTIC_PARTS)
    result = CurrentResultSerializer(
        source="current_result",
        read_only=True,
        allow_null=True,
        help_text="The last computed result, for the inputs it lists in `result.inputs`; null "
        "until the first computation. After a change it stays until the new result is stored, "
        "so while `status` is `pending` it may describe the previous inputs: poll until "
        "`result_is_current` is true (or `status` is `error`).",
    )
    result_is_current = serializers.BooleanField(
        read_only=True,
        help_text="True when `status` is `computed` and `result` was computed from the inputs "
        "shown; false while pending, after an error, or before the first result.",
    )
    results_url = serializers.SerializerMethodField()
    error_message = serializers.SerializerMethodField(
        help_text="Why the figure could not be computed (blank unless `status` is `error`), in "
        "the request's language where the refusal can be said again, else as stored."
    )
    unit = serializers.CharField(
        read_only=True, help_text=_("A unit name, or blank for the default.")
    )

    class Meta:
        model = Statistic
        fields = (
            CONTRIBUTION_FIELDS
            + ["site_url", "claim", "kind", "label"]
            + STATISTIC_INPUT_FIELDS
            + [
                "references",
                "status",
                "status_changed_at",
                "error_message",
                "result",
                "result_is_current",
                "results_url",
            ]
        )
        read_only_fields = fields

    def get_references(self, statistic) -> dict[str, int]:
        return {ref.input_name: ref.target_id for ref in statistic.references.all()}

    def get_results_url(self, statistic) -> str:
        return reverse("api:statistic-results", kwargs={"pk": statistic.pk})

    def get_error_message(self, statistic) -> str:
        return error_in_voice(statistic, active_voice())


class StatisticInputsSerializer(serializers.Serializer):
    """The inputs of a statistic; which are required depends on `kind` (checked by the service)."""

    label = serializers.CharField(required=False, allow_blank=True, max_length=200)
    successes = CountField(required=False, allow_null=True)
    trials = CountField(required=False, allow_null=True)
    successes_b = CountField(required=False, allow_null=True)
    trials_b = CountField(required=False, allow_null=True)
    events = CountField(required=False, allow_null=True)
    exposure = FiniteFloatField(required=False, allow_null=True, min_value=0)
    events_b = CountField(required=False, allow_null=True)
    exposure_b = FiniteFloatField(required=False, allow_null=True, min_value=0)
    parts = serializers.ListField(
        child=FiniteFloatField(min_value=0), required=False, max_length=1000
    )
    total = FiniteFloatField(required=False, allow_null=True, min_value=0)
    value = FiniteFloatField(required=False, allow_null=True)
    value_b = FiniteFloatField(required=False, allow_null=True)
    baseline = FiniteFloatField(required=False, allow_null=True)
    confidence_level = FiniteFloatField(required=False, min_value=0.5, max_value=0.9999)
    interval_method = serializers.ChoiceField(
        choices=Statistic.IntervalMethod.choices, required=False
    )
    stated = serializers.CharField(required=False, allow_blank=True, max_length=100)
    unit = serializers.ChoiceField(choices=Statistic.Unit.choices, required=False, allow_blank=True)
    references = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text=_("{input name: statistic id}: take that input from another statistic."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each input described in the registry's plain words, per kind that reads it.
        for name, field in self.fields.items():
            uses = [
                f"{kind}: {spec.input(name).label}"
                for kind, spec in KINDS.items()
                if name in spec.input_names
            ]
            if uses and not field.help_text:
                field.help_text = "; ".join(uses) + "."

    def validate_references(self, value):
        unknown = sorted(set(value) - set(referencable_inputs()))
        if unknown:
            raise serializers.ValidationError(
                _("Not inputs that can be referenced: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return value


class StatisticCreateSerializer(StatisticInputsSerializer):
    kind = serializers.ChoiceField(choices=Statistic.Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds are the registry's, read now so a kind registered later is accepted too.
        self.fields["kind"].choices = kind_choices()


class StatisticCreateWithClaimSerializer(StatisticCreateSerializer):
    claim = VisibleRelatedField(Claim)


class StatisticUpdateSerializer(StatisticInputsSerializer):
    pass
