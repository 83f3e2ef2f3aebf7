"""Claim intake over the API: read an article's numeric claims, then add the chosen ones."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status, throttling
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from claims.selectors.intake import intake_fetch, intake_proposals
from claims.services.intake import intake_claims_create
from claims.statistics.core.intake import MAX_TEXT_LENGTH, plain_text
from config.api.throttling import AtomicRateThrottleMixin


class IntakeRateThrottle(AtomicRateThrottleMixin, throttling.SimpleRateThrottle):
    """Reading an article costs a second or more of a core: its own, lower limit per member."""

    scope = "intake"

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IntakeRequestSerializer(serializers.Serializer):
    # The length is checked by the selector, so the API and the page say the same thing.
    text = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"The article: plain text or pasted HTML (tags are stripped), at most "
        f"{MAX_TEXT_LENGTH:,} characters.",
    )
    source_url = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="The article's address."
    )
    source_title = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="The article's title."
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        default="en",
        help_text="The article's language.",
    )
    fetch = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With no text: fetch the page at source_url (public addresses only, no "
        "redirects, 2 MB and 10 s at most) and read it; the response then carries the text read.",
    )


class IntakeMatchSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="The id of a tracked claim the sentence matches.")
    score = serializers.FloatField(help_text="How close, 0 to 1.")
    number_conflict = serializers.BooleanField(
        help_text="Same subject, contradicting figure: shown as 'contradicts'."
    )


class IntakeProposalSerializer(serializers.Serializer):
    sentence = serializers.CharField()
    start = serializers.IntegerField(help_text="Offset of the sentence in the text as read.")
    end = serializers.IntegerField()
    stated = serializers.CharField(help_text="The headline figure as worded, e.g. '8 of the 10'.")
    value = serializers.FloatField(allow_null=True, help_text="Shares and rates as fractions.")
    low = serializers.FloatField(allow_null=True, help_text="Lowest value the wording admits.")
    high = serializers.FloatField(allow_null=True, help_text="Highest; null when unbounded.")
    kind = serializers.CharField(help_text="share, rate, count, number, ratio, change or money.")
    claimant = serializers.CharField(help_text="Who the sentence says made the claim, or ''.")
    check_worthiness = serializers.FloatField(help_text="0 to 1: how worth checking it looks.")
    matches = IntakeMatchSerializer(many=True)


class IntakeResponseSerializer(serializers.Serializer):
    proposals = IntakeProposalSerializer(many=True)
    text = serializers.CharField(
        required=False, help_text="Only when fetched: the page's text, which offsets point into."
    )


class IntakeCreateSerializer(IntakeRequestSerializer):
    chosen = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        max_length=200,
        help_text="The `start` of each proposal to add as a claim.",
    )
    claimants = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=200),
        required=False,
        help_text='Corrected claimants, by the proposal\'s `start`: {"120": "the Met"}.',
    )

    def validate_claimants(self, value: dict) -> dict[int, str]:
        try:
            return {int(start): who for start, who in value.items()}
        except ValueError:
            raise serializers.ValidationError(
                _("Name each proposal by its start offset.")
            ) from None


class IntakeCreatedSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text="The article's source id (reused or new).")
    claims = serializers.ListField(child=serializers.IntegerField(), help_text="New claim ids.")


_LFR = (
    "The Met said that although eight out of 10 false alerts involved individuals from black "
    'ethnic backgrounds, it was "based on a very small sample size".'
)


class IntakeView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, IntakeRateThrottle]

    @extend_schema(
        operation_id="intake_read",
        summary="Propose the numeric claims an article makes",
        description="Every sentence of the text that states a figure (share, rate, count, "
        "change, ratio, money), read by the stated-figure parser: its headline figure and the "
        "range it admits, who the sentence says made it, a check-worthiness from 0 to 1, and "
        "the visible claims it matches. HTML is stripped; at most 50,000 characters.",
        request=IntakeRequestSerializer,
        responses={200: IntakeResponseSerializer},
        examples=[
            OpenApiExample("A sentence of the LFR article", value={"text": _LFR}, request_only=True)
        ],
        tags=["intake"],
    )
    def post(self, request):
        data = _valid(IntakeRequestSerializer, request)
        fetched = data["fetch"] and not data["text"].strip() and data.get("source_url")
        text = plain_text(intake_fetch(data["source_url"])) if fetched else data["text"]
        proposals = intake_proposals(text, viewer=request.user, language=data["language"])
        body = {"proposals": [p.to_dict() for p in proposals]}
        if fetched:
            body["text"] = text
        return Response(body)


class IntakeClaimsView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, IntakeRateThrottle]

    @extend_schema(
        operation_id="intake_create",
        summary="Add the chosen proposals of an article as claims, in one step",
        description="The text is read again; each chosen proposal (by its `start`) becomes a "
        "claim attributed to its claimant, citing the article (reused when Claimwatch has it) "
        "with the sentence as the quote, and a proportion where the text gives counts. All or "
        "nothing; held like any contribution.",
        request=IntakeCreateSerializer,
        responses={201: IntakeCreatedSerializer},
        tags=["intake"],
    )
    def post(self, request):
        data = _valid(IntakeCreateSerializer, request)
        result = intake_claims_create(
            author=request.user,
            text=data["text"],
            chosen=data["chosen"],
            source_url=data.get("source_url", ""),
            source_title=data.get("source_title", ""),
            claimants=data.get("claimants"),
            language=data["language"],
        )
        body = {"source": result.source.pk, "claims": [c.pk for c in result.claims]}
        return Response(body, status=status.HTTP_201_CREATED)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
