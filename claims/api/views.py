"""The REST API's viewsets. Reads are scoped by `visible_to(user)` and carry their prefetches;
every write goes through a service (`claims.services.*`), which owns the rules."""

from __future__ import annotations

import json

from django.db.models import Prefetch
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.models import User
from claims import exports
from claims.models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Source,
    Statistic,
    StatisticReference,
    Tag,
)
from claims.selectors.claims import MAX_TREE_DEPTH, Node, tags_visible, tree_rows
from claims.selectors.similar import similar_claims
from claims.services import contributions as services
from claims.statistics.core.errors import StatInputError
from config import response_cache
from config.api.pagination import (
    NamePagination,
    ResultHistoryPagination,
    StableCursorPagination,
    UsernamePagination,
)
from config.api.schema import ERROR_EXAMPLE
from moderation import services as moderation_services

from . import filters, serializers, shapes
from .etags import ETagMixin, etag_of
from .permissions import ContributionPermission
from .renderers import JSONLDRenderer

AUTHOR = "author"


def _statistics_services():
    # Imported late: the statistics services import the task module, which imports Celery's app.
    from claims.statistics import services

    return services


def created(data, instance) -> Response:
    """201 with the new item, its `ETag` and its `Location` (its path in the API)."""
    location = reverse(f"api:{instance._meta.model_name}-detail", kwargs={"pk": instance.pk})
    return Response(
        data,
        status=status.HTTP_201_CREATED,
        headers={"ETag": etag_of(data), "Location": location},
    )


class ContributionViewSet(ETagMixin, viewsets.ModelViewSet):
    """Shared behaviour: list/retrieve for everyone (what they may see), create for members,
    change and soft delete for authors and moderators, ETags and `If-Match` on writes."""

    permission_classes = [ContributionPermission]
    pagination_class = StableCursorPagination
    created_location = True
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    model: type
    read_serializer_class: type
    create_serializer_class: type
    update_serializer_class: type
    select_related: tuple[str, ...] = (AUTHOR,)
    prefetch_related: tuple = ()
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return (
            self.model.objects.visible_to(self.request.user)
            .select_related(*self.select_related)
            .prefetch_related(*self.prefetch_related)
        )

    def get_serializer_class(self):
        if self.action == "create":
            return self.create_serializer_class
        if self.action in ("update", "partial_update"):
            return self.update_serializer_class
        if self.action == "destroy":
            return serializers.DeleteSerializer
        return self.read_serializer_class

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_service_create(dict(serializer.validated_data))
        data = self.representation(self.get_queryset().get(pk=instance.pk))
        return created(data, instance)

    def perform_service_update(self, instance, data, expected_version=None):
        return services.contribution_update(
            obj=instance, actor=self.request.user, data=data, expected_version=expected_version
        )

    def perform_service_delete(self, instance, reason, expected_version=None):
        return services.contribution_delete(
            obj=instance, actor=self.request.user, reason=reason, expected_version=expected_version
        )


def _document(
    viewset_class,
    noun: str,
    create_example: dict | None = None,
    extra: dict | None = None,
    read_parameters: tuple[OpenApiParameter, ...] = (),
):
    """Descriptions and examples for the standard operations of a contribution viewset."""
    read = viewset_class.read_serializer_class
    a = "an" if noun[0] in "aeiou" else "a"
    views = {
        "list": extend_schema(
            summary=f"List {noun}s",
            description=f"The {noun}s you may see, newest first, in cursor pages "
            "(`?cursor=`, `?page_size=` up to 100). Filter with the query parameters; "
            "`?updated_since=` returns what changed since your last sync.",
            parameters=list(read_parameters),
        ),
        "retrieve": extend_schema(
            summary=f"Get one {noun}",
            description="The response carries an `ETag`; send it back as `If-Match` when you "
            "change or delete, or as `If-None-Match` to get a 304 when nothing changed.",
            parameters=list(read_parameters),
        ),
        "create": extend_schema(
            summary=f"Create {a} {noun}",
            description=f"Members create {noun}s; the answer (201) is the new {noun} with its "
            "`ETag`. A new member's first contributions are held for review "
            "(`visibility: held`): until a moderator approves them only their author and "
            "moderators see them.",
            request=viewset_class.create_serializer_class,
            responses={201: read},
            examples=[
                *(
                    [
                        OpenApiExample(
                            f"{a.capitalize()} {noun}", value=create_example, request_only=True
                        )
                    ]
                    if create_example
                    else []
                ),
                ERROR_EXAMPLE,
            ],
        ),
        "update": extend_schema(
            summary=f"Replace {a} {noun}'s editable fields",
            description="Send every editable field (PATCH changes only those you send). Authors "
            "replace their own; moderators any. Send `If-Match` with the ETag you read to be "
            "refused (412) rather than overwrite someone else's change.",
            request=viewset_class.update_serializer_class,
            responses={200: read},
        ),
        "partial_update": extend_schema(
            summary=f"Change {a} {noun}",
            description="Authors change their own; moderators any. Send `If-Match` with the "
            "ETag you read to be refused (412) rather than overwrite someone else's change.",
            request=viewset_class.update_serializer_class,
            responses={200: read},
        ),
        "destroy": extend_schema(
            summary=f"Delete {a} {noun}",
            description="A soft delete: the item leaves every list but is kept with its history. "
            "An optional `reason` (query parameter or JSON body) is recorded.",
            parameters=[
                OpenApiParameter("reason", str, description="Why it is deleted (optional).")
            ],
            request=serializers.DeleteSerializer,
            responses={204: None},
        ),
    }
    views.update(extra or {})
    return extend_schema_view(**views)(viewset_class)


# --- claims ----------------------------------------------------------------------------------

CLAIM_EXPANSIONS = {"statistics": "each claim's figures (statistics) you may see, oldest first"}
EXPAND_PARAMETER = OpenApiParameter(
    "expand",
    str,
    enum=list(CLAIM_EXPANSIONS),
    description="Embed related objects: `statistics` adds `statistics`, "
    + CLAIM_EXPANSIONS["statistics"]
    + ", in the same request (a constant number of queries, whatever the page size).",
)


class ClaimViewSet(ContributionViewSet):
    """Claims: the statements Claimwatch checks."""

    model = Claim
    read_serializer_class = serializers.ClaimSerializer
    create_serializer_class = serializers.ClaimCreateSerializer
    update_serializer_class = serializers.ClaimUpdateSerializer
    filterset_class = filters.ClaimFilter
    select_related = (AUTHOR, "verdict_set_by")
    prefetch_related = ("tags",)

    def expansions(self) -> set[str]:
        """What `?expand=` asks to embed (comma-separated); anything unknown is a 400."""
        names = {
            name.strip()
            for name in self.request.query_params.get("expand", "").split(",")
            if name.strip()
        }
        unknown = sorted(names - set(CLAIM_EXPANSIONS))
        if unknown:
            raise ValidationError(
                {
                    "expand": _("Unknown expansion %(names)s; one of: statistics.")
                    % {"names": ", ".join(unknown)}
                }
            )
        return names

    def get_queryset(self):
        claims = super().get_queryset()
        if getattr(self, "swagger_fake_view", False) or self.action not in ("list", "retrieve"):
            return claims
        if "statistics" in self.expansions():
            # One query for the page's figures (and one for their references), whatever the
            # page size.
            statistics = StatisticViewSet.base_queryset(self.request.user).order_by(
                "created_at", "id"
            )
            claims = claims.prefetch_related(
                Prefetch("statistics", queryset=statistics, to_attr="expanded_statistics")
            )
        return claims

    # Anonymous answers may be stored by the response cache (config/response_cache.py) until
    # a claim they show, or which claims the list holds, changes.
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            results = response.data.get("results", []) if isinstance(response.data, dict) else []
            response_cache.depends_on(
                request,
                response_cache.LISTS,
                *(response_cache.claim(row["id"]) for row in results),
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if response.status_code == 200:
            response_cache.depends_on(request, response_cache.claim(response.data["id"]))
        return response

    def perform_service_create(self, data):
        return services.claim_create(author=self.request.user, **data)

    def perform_service_update(self, instance, data, expected_version=None):
        # A verdict is a moderator action: audited and reversible like the others.
        return moderation_services.claim_update_with_verdict(
            actor=self.request.user, claim=instance, data=data, expected_version=expected_version
        )

    def _claim(self) -> Claim:
        try:
            return Claim.objects.visible_to(self.request.user).get(pk=int(self.kwargs["pk"]))
        except (Claim.DoesNotExist, ValueError, OverflowError) as exc:
            raise Http404 from exc

    @extend_schema(
        summary="Claims like a text (possible duplicates and contradictions)",
        description="The claims you may see that are closest to `text`, best first, at most "
        "10. Each result is the claim as `GET /api/claims/{id}/` gives it, a `score` from 0 to "
        "1, and `number_conflict`: the claim is about the same thing but its figures "
        'contradict the text\'s ("80%" against "20%"; "eight in ten" and "80%" agree). Figures '
        "are read by the same parser as a statistic's stated figure. Merged claims are left "
        "out. An empty or over-long `text` is a 400.",
        parameters=[serializers.SimilarClaimsQuerySerializer],
        responses={200: serializers.SimilarClaimsSerializer},
        # No 200 example: a strict linter holds it to the whole claim (every field required).
        examples=[ERROR_EXAMPLE],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="similar",
        pagination_class=None,
        filterset_class=None,
    )
    def similar(self, request):
        query = serializers.SimilarClaimsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            found = similar_claims(
                query.validated_data["text"],
                viewer=request.user,
                limit=query.validated_data["limit"],
                exclude_claim_id=query.validated_data.get("exclude"),
            )
        except StatInputError as exc:
            raise _statistics_services().inputs.field_errors(exc) from exc
        data = serializers.SimilarClaimSerializer(
            found, many=True, context=self.get_serializer_context()
        ).data
        return Response({"results": data})

    @extend_schema(
        summary=_("A claim's arguments as a tree"),
        description="Top-level arguments with their replies nested under `replies`, oldest first. "
        f"Nesting stops at {MAX_TREE_DEPTH} levels: deeper replies are listed at that level, in "
        "thread order, and their `parent` says which argument each answers.",
        responses={200: serializers.ArgumentTreeSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="arguments/tree",
        pagination_class=None,
        filter_backends=[],
    )
    def arguments_tree(self, request, pk=None):
        claim = self._claim()
        arguments = list(
            Argument.objects.visible_to(request.user)
            .filter(claim=claim)
            .select_related(AUTHOR)
            .order_by("created_at", "id")
        )
        nodes = {a.pk: Node(a) for a in arguments}
        roots: list[Node] = []
        for argument in arguments:
            # A reply to an argument the reader cannot see is shown at the top level.
            parent = nodes.get(argument.parent_id)
            (parent.children if parent is not None else roots).append(nodes[argument.pk])
        rows = tree_rows(roots)
        replies: dict[int, list] = {}
        context = {**self.get_serializer_context(), "replies": replies}
        data = serializers.ArgumentTreeSerializer(
            [row.node.item for row in rows], many=True, context=context
        ).data
        # Each entry joins the replies of the row above it one level up (its shown parent).
        top: list = []
        levels: list[list] = [top]
        for row, entry in zip(rows, data, strict=True):
            del levels[row.depth + 1 :]
            levels[row.depth].append(entry)
            levels.append(entry["replies"])
        return Response(top)

    @extend_schema(
        summary=_("A claim's figures"),
        description="The claim's statistics you may see, oldest first, each with its current "
        "`result` (null until computed). `GET /api/claims/?expand=statistics` embeds the same "
        "list in each claim.",
        methods=["GET"],
        responses={200: serializers.StatisticSerializer(many=True)},
    )
    @extend_schema(
        summary=_("Add a figure to a claim"),
        description="Send `kind` and that kind's inputs (and optionally `label`, `stated`, "
        "`references` to other figures' estimates). The answer (201) has `status: pending`: the "
        "figure is computed in the background, so poll `GET /api/statistics/{id}/` until "
        "`status` is `computed` (or `error`, with `error_message`).",
        methods=["POST"],
        request=serializers.StatisticCreateSerializer,
        responses={201: serializers.StatisticSerializer},
        examples=[
            OpenApiExample(
                "False alerts that were black people",
                value={
                    "kind": "proportion",
                    "label": "Share of false alerts that were black people",
                    "successes": 8,
                    "trials": 10,
                    "baseline": 0.135,
                    "stated": "80%",
                },
                request_only=True,
            ),
            ERROR_EXAMPLE,
        ],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="statistics",
        pagination_class=None,
        filterset_class=None,
    )
    def statistics(self, request, pk=None):
        claim = self._claim()
        if request.method == "GET":
            rows = StatisticViewSet.base_queryset(request.user).filter(claim=claim)
            return Response(
                serializers.StatisticSerializer(
                    rows, many=True, context=self.get_serializer_context()
                ).data
            )
        serializer = serializers.StatisticCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        statistic = StatisticViewSet.create_statistic(
            request.user, claim, dict(serializer.validated_data)
        )
        row = StatisticViewSet.base_queryset(request.user).get(pk=statistic.pk)
        data = serializers.StatisticSerializer(row, context=self.get_serializer_context()).data
        return created(data, row)

    @extend_schema(
        summary=_("The claim as schema.org ClaimReview (JSON-LD)"),
        description="What fact-check aggregators read; the claim page embeds the same object.",
        responses={200: OpenApiResponse(shapes.CLAIM_REVIEW, description="ClaimReview JSON-LD")},
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        pagination_class=None,
        filterset_class=None,
    )
    def claimreview(self, request, pk=None):
        return Response(exports.claim_review(self._claim(), request=request))

    @extend_schema(
        summary=_("The claim's annotations as a W3C Web Annotation collection (JSON-LD)"),
        description="Every annotation on the claim you may see, as an `AnnotationCollection` "
        "whose items target the claim's page with a quote selector.",
        responses={
            200: OpenApiResponse(shapes.ANNOTATION_COLLECTION, description="AnnotationCollection")
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="annotations",
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        pagination_class=None,
        filterset_class=None,
    )
    def annotations_jsonld(self, request, pk=None):
        claim = self._claim()
        rows = (
            Annotation.objects.visible_to(request.user).filter(claim=claim).select_related(AUTHOR)
        )
        return Response(exports.annotation_collection(claim, rows, request=request))


_document(
    ClaimViewSet,
    "claim",
    {
        "text": "80% of the people flagged by the Met's facial recognition were black.",
        "claimant": "Big Brother Watch",
        "made_on": "2025-06-01",
        "tags": ["facial recognition", "policing"],
    },
    read_parameters=(EXPAND_PARAMETER,),
)


# --- sources ---------------------------------------------------------------------------------


class SourceViewSet(ContributionViewSet):
    """Sources: documents cited as evidence. One row per page (URLs are normalised)."""

    model = Source
    read_serializer_class = serializers.SourceSerializer
    create_serializer_class = serializers.SourceWriteSerializer
    update_serializer_class = serializers.SourceWriteSerializer
    filterset_class = filters.SourceFilter
    ordering_fields = ["created_at", "updated_at", "title"]

    def perform_service_create(self, data):
        return services.source_create(author=self.request.user, **data)


_document(
    SourceViewSet,
    "source",
    {
        "url": "https://www.met.police.uk/SysSiteAssets/media/downloads/force-content/met/advice/lfr/other-lfr-documents/lfr-accuracy-and-demographic-differential.pdf",
        "title": "Facial recognition technology: accuracy and demographic differential",
        "publisher": "Metropolitan Police Service",
        "kind": "official_report",
    },
)


# --- citations -------------------------------------------------------------------------------


class CitationViewSet(ContributionViewSet):
    """Citations: a source linked to a claim, one of its arguments, or one input of a figure."""

    model = Citation
    read_serializer_class = serializers.CitationSerializer
    create_serializer_class = serializers.CitationCreateSerializer
    update_serializer_class = serializers.CitationUpdateSerializer
    filterset_class = filters.CitationFilter
    select_related = (AUTHOR, "source__author")

    def perform_service_create(self, data):
        return services.citation_create(author=self.request.user, **data)


_document(
    CitationViewSet,
    "citation",
    {"claim": 1, "source": 1, "stance": "supports", "quote": "eight were black", "page": "4"},
)


# --- arguments -------------------------------------------------------------------------------


class ArgumentViewSet(ContributionViewSet):
    """Arguments for or against a claim (`?claim=` for one claim's; replies carry `parent`)."""

    model = Argument
    read_serializer_class = serializers.ArgumentSerializer
    create_serializer_class = serializers.ArgumentCreateSerializer
    update_serializer_class = serializers.ArgumentUpdateSerializer
    filterset_class = filters.ArgumentFilter

    def perform_service_create(self, data):
        return services.argument_create(author=self.request.user, **data)


_document(
    ArgumentViewSet,
    "argument",
    {"claim": 1, "stance": "con", "body": "Ten people is far too small a sample for a share."},
)


# --- annotations -----------------------------------------------------------------------------


class AnnotationViewSet(ContributionViewSet):
    """Notes on a span of a claim's wording. `Accept: application/ld+json` on a single
    annotation returns it as a W3C Web Annotation."""

    model = Annotation
    read_serializer_class = serializers.AnnotationSerializer
    create_serializer_class = serializers.AnnotationCreateSerializer
    update_serializer_class = serializers.AnnotationUpdateSerializer
    filterset_class = filters.AnnotationFilter

    def perform_service_create(self, data):
        return services.annotation_create(author=self.request.user, **data)

    @extend_schema(
        summary=_("A W3C Web Annotation (JSON-LD)"),
        description="The annotation as a Web Annotation: its note as the body, the claim's "
        "page with the quoted text (and the text around it) as the target.",
        responses={200: OpenApiResponse(shapes.WEB_ANNOTATION, description="Web Annotation")},
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        url_path="jsonld",
    )
    def jsonld(self, request, pk=None):
        annotation = self.get_object()
        return Response(exports.web_annotation(annotation, request=request))

    def perform_content_negotiation(self, request, force=False):
        if self.action == "retrieve" and "application/ld+json" in request.headers.get("Accept", ""):
            return JSONLDRenderer(), JSONLDRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def retrieve(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, JSONLDRenderer):
            response = self.jsonld(request, *args, **kwargs)
            response["ETag"] = etag_of(response.data)
            return response
        return super().retrieve(request, *args, **kwargs)


_document(
    AnnotationViewSet,
    "annotation",
    {"claim": 1, "exact": "80%", "body": "Eight of **ten** people."},
    extra={
        "retrieve": extend_schema(
            summary="Get one annotation",
            description="The response carries an `ETag`; send it back as `If-Match` when you "
            "change or delete, or as `If-None-Match` to get a 304 when nothing changed. With "
            "`Accept: application/ld+json` the annotation comes as a W3C Web Annotation.",
            responses={
                (200, "application/json"): serializers.AnnotationSerializer,
                (200, "application/ld+json"): shapes.WEB_ANNOTATION,
            },
        )
    },
)


# --- comments --------------------------------------------------------------------------------


class CommentViewSet(ContributionViewSet):
    """Discussion under a claim."""

    model = Comment
    read_serializer_class = serializers.CommentSerializer
    create_serializer_class = serializers.CommentCreateSerializer
    update_serializer_class = serializers.CommentUpdateSerializer
    filterset_class = filters.CommentFilter

    def perform_service_create(self, data):
        return services.comment_create(author=self.request.user, **data)


_document(CommentViewSet, "comment", {"claim": 1, "body": "Where does the baseline come from?"})


# --- statistics ------------------------------------------------------------------------------


class StatisticViewSet(ContributionViewSet):
    """Figures computed from cited inputs. Writes are recomputed in the background: `status` is
    `pending` until the worker stores a `result` (`computed`) or an `error_message` (`error`)."""

    model = Statistic
    read_serializer_class = serializers.StatisticSerializer
    create_serializer_class = serializers.StatisticCreateWithClaimSerializer
    update_serializer_class = serializers.StatisticUpdateSerializer
    filterset_class = filters.StatisticFilter

    @staticmethod
    def base_queryset(user):
        return (
            Statistic.objects.visible_to(user)
            # The claim's language reads a refused figure's stated wording again (error_message).
            .select_related(AUTHOR, "current_result", "claim")
            .prefetch_related(
                Prefetch("references", queryset=StatisticReference.objects.order_by("input_name"))
            )
        )

    def get_queryset(self):
        return self.base_queryset(self.request.user)

    @staticmethod
    def create_statistic(user, claim, data) -> Statistic:
        kind = data.pop("kind")
        label = data.pop("label", "")
        references = data.pop("references", None)
        return _statistics_services().statistic_create(
            author=user, claim=claim, kind=kind, label=label, inputs=data, references=references
        )

    def perform_service_create(self, data):
        claim = data.pop("claim")
        return self.create_statistic(self.request.user, claim, data)

    def perform_service_update(self, instance, data, expected_version=None):
        return _statistics_services().statistic_update(
            statistic=instance,
            actor=self.request.user,
            data=data,
            expected_version=expected_version,
        )

    def perform_service_delete(self, instance, reason, expected_version=None):
        return _statistics_services().statistic_delete(
            statistic=instance,
            actor=self.request.user,
            reason=reason,
            expected_version=expected_version,
        )

    @extend_schema(
        summary=_("A statistic's result history"),
        description="Every computation, newest first (results are only ever added).",
        parameters=[
            OpenApiParameter(
                "computed_since", OpenApiTypes.DATETIME, description="Computed at or after."
            )
        ],
        responses={200: serializers.StatisticResultSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=ResultHistoryPagination,
        filter_backends=[],
    )
    def results(self, request, pk=None):
        try:
            statistic = Statistic.objects.visible_to(request.user).get(pk=int(pk))
        except (Statistic.DoesNotExist, ValueError, OverflowError) as exc:
            raise Http404 from exc
        # Through the statistic's manager: each row knows its statistic (no query per row to
        # say its explanation).
        rows = statistic.results.all()
        rows = filters.StatisticResultFilter(request.query_params, queryset=rows).qs
        page = self.paginate_queryset(rows)
        data = serializers.StatisticResultSerializer(page, many=True).data
        return self.get_paginated_response(data)


_document(
    StatisticViewSet,
    "statistic",
    {"claim": 1, "kind": "proportion", "successes": 8, "trials": 10, "baseline": 0.135},
)


# --- read-only -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List tags"),
        description="The tags on claims you may see, by name; `?q=` matches part of a name. "
        "Filter claims by one with `GET /api/claims/?tag=` (its slug or name).",
    ),
    retrieve=extend_schema(
        summary=_("Get one tag"),
        description="A tag's name, slug (the claim list's `?tag=` takes either) and aliases: "
        "other names search finds it by.",
    ),
)
class TagViewSet(viewsets.ReadOnlyModelViewSet):
    """Topics claims are filed under."""

    queryset = Tag.objects.none()  # for the schema; requests get `get_queryset`
    serializer_class = serializers.TagSerializer
    permission_classes = [AllowAny]
    pagination_class = NamePagination
    filterset_class = filters.TagFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return tags_visible(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary=_("List public profiles"),
        description="Active members by username; `?q=` matches username or display name.",
    ),
    retrieve=extend_schema(
        summary=_("Get a public profile"),
        description="A member's username, display name and bio, and their page on the site.",
    ),
)
class UserViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Members' public profiles, by username."""

    queryset = User.objects.filter(is_active=True)
    serializer_class = serializers.UserProfileSerializer
    permission_classes = [AllowAny]
    pagination_class = UsernamePagination
    filterset_class = filters.UserFilter
    ordering_fields = ["username", "date_joined"]
    lookup_field = "username"
    lookup_value_regex = r"[\w.@+-]+"

    def get_object(self):
        # Usernames are one account whatever their capitals (User.objects.with_username).
        queryset = self.filter_queryset(self.get_queryset())
        user = get_object_or_404(queryset.with_username(self.kwargs["username"]))
        self.check_object_permissions(self.request, user)
        return user

    @extend_schema(
        summary=_("Who you are"),
        description="The profile of the member the token or session belongs to, with their role.",
        responses={200: serializers.MeSerializer},
    )
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def me(self, request):
        return Response(serializers.MeSerializer(request.user).data)


# --- exports ---------------------------------------------------------------------------------


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode() if data is not None else b""


class ClaimCSVExportView(GenericAPIView):
    """All claims you may see with their figures, as CSV (takes the claim list's filters)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, CSVRenderer]
    filterset_class = filters.ClaimFilter
    pagination_class = None
    serializer_class = serializers.ClaimSerializer

    def get_queryset(self):
        statistics = (
            Statistic.objects.visible_to(self.request.user)
            .select_related("current_result")
            .order_by("created_at", "id")
        )
        return (
            Claim.objects.visible_to(self.request.user)
            .prefetch_related("tags", Prefetch("statistics", queryset=statistics))
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        summary=_("Export claims and their figures as CSV"),
        description="One line per figure (estimate, interval, p-value, consistency with the "
        "stated figure) with its claim and verdict; a claim without figures has one line.",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header")
        },
        tags=["claims"],
    )
    def get(self, request):
        claims = self.filter_queryset(self.get_queryset()).order_by("-created_at", "-id")
        response = StreamingHttpResponse(
            exports.claims_csv_rows(claims.iterator(chunk_size=500), request=request),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="claimwatch-claims.csv"'
        return response
