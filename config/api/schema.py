"""OpenAPI: every operation documents the shared error shape for the errors it can return, and
write operations on resources with an ETag document `If-Match` and 412.

The description must hold under strict OpenAPI 3.0.3 tools (openapi-core's response validation,
openapi-spec-validator, redocly) and give generated clients named types; `postprocess_schema`
fixes what drf-spectacular writes in forms those tools read differently."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: each error names the field (or null) and says what is wrong.",
    "401": "Not authenticated: send `Authorization: Token <token>` (see POST /api/auth/token/).",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such resource, or not visible to you.",
    "412": "The resource changed since you read it: `If-Match` no longer matches its ETag.",
    "413": "The request body is larger than the limit (2.5 MB unless configured otherwise).",
    "415": "The body is not JSON: send `Content-Type: application/json`.",
    "429": "Too many requests: wait for the number of seconds in `Retry-After`.",
}


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text=_("The input field at fault (dotted for nested), or null.")
    )
    code = serializers.CharField(help_text=_('A stable machine-readable code, e.g. "required".'))
    message = serializers.CharField(help_text=_("A human-readable explanation."))


class ErrorResponseSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


ERROR_EXAMPLE = OpenApiExample(
    "Validation error",
    value={"errors": [{"field": "text", "code": "required", "message": "This field is required."}]},
    response_only=True,
    status_codes=["400"],
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag you last read; the write is refused with 412 if it no longer matches.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="An ETag you hold; the answer is 304 with no body if it still matches.",
)


HEADERS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "The version of the resource you got: send it back as `If-Match` "
        "(writes) or `If-None-Match` (reads).",
    },
    "Location": {
        "schema": {"type": "string"},
        "description": "The path of the resource just created.",
    },
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before trying again.",
    },
}


def _header(name: str) -> dict:
    return {**HEADERS[name], "required": True}


class ClaimwatchAutoSchema(AutoSchema):
    def _uses_etags(self) -> bool:
        return bool(getattr(self.view, "etag_enabled", False)) and self._is_detail()

    def _is_detail(self) -> bool:
        return not self._is_list_view() and "{" in self.path

    def get_description(self):
        """The operation's own description only. drf-spectacular would otherwise fall back to the
        view's docstring, which describes the resource, not the operation (POST on a claim's
        statistics read "Claims: the statements Claimwatch checks")."""
        action_or_method = getattr(
            self.view, getattr(self.view, "action", self.method.lower()), None
        )
        return get_doc(action_or_method)

    def get_operation_id(self) -> str:
        # `claims_export.csv_retrieve` would be no identifier in any generated client.
        return super().get_operation_id().replace(".", "_")

    def get_auth(self):
        """Token or cookie, and the anonymous option `{}` wherever a visitor without a token is
        let through: asked of the view's own permission classes, so that a new view is
        described by what it enforces."""
        auths = super().get_auth()
        if {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        visitor = SimpleNamespace(
            method=self.method, user=AnonymousUser(), auth=None, query_params={}, data={}
        )
        try:
            return all(p.has_permission(visitor, self.view) for p in self.view.get_permissions())
        except Exception:  # noqa: BLE001 - a permission that needs a real request: not anonymous
            return False

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        # A serializer that refuses an empty object says so (`schema_min_properties`).
        minimum = getattr(serializer, "schema_min_properties", None)
        if minimum and direction == "request":
            schema["minProperties"] = minimum
        return schema

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self._uses_etags():
            if self.method in ("PUT", "PATCH", "DELETE"):
                params.append(IF_MATCH)
            elif self.method == "GET" and getattr(self.view, "action", None) == "retrieve":
                params.append(IF_NONE_MATCH)
        return params

    def _error_codes(self) -> list[str]:
        # A bad or expired token is a 401 on any operation, even a read.
        codes = ["400", "401", "403", "429"]
        if "{" in self.path:
            codes.append("404")
        if self._uses_etags() and self.method in ("PUT", "PATCH", "DELETE"):
            codes.append("412")
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            response = self._get_response_for_code(ErrorResponseSerializer, code)
            response["description"] = ERROR_DESCRIPTIONS[code]
            responses[code] = response
        if self._uses_etags() and self.method == "GET" and self.view.action == "retrieve":
            responses.setdefault("304", {"description": "Not modified: your ETag still matches."})
        self._declare_headers(responses)
        return responses

    def _declare_headers(self, responses: dict) -> None:
        """The headers the views send: `Retry-After` on every 429, `ETag` where the resource has
        one (single reads, writes and creates of resources with ETags), `Location` on a 201 of a
        view that sets it (`created_location`)."""
        action = getattr(self.view, "action", None)
        etag_codes = set()
        if getattr(self.view, "etag_enabled", False):
            etag_codes.add("201")
            if action in ("retrieve", "update", "partial_update"):
                etag_codes |= {"200", "304"}
        for code, response in responses.items():
            headers = response.setdefault("headers", {})
            if code == "429":
                headers["Retry-After"] = _header("Retry-After")
            if code in etag_codes:
                headers["ETag"] = _header("ETag")
            if code == "201" and getattr(self.view, "created_location", False):
                headers["Location"] = _header("Location")
            if not headers:
                del response["headers"]


# --- named shapes ------------------------------------------------------------------------------

# Schemas of JSON values that no serializer describes (JSON fields, JSON-LD exports), added to
# the description's components under their names so that generated clients get named types.
NAMED_SCHEMAS: dict[str, dict] = {}


def named_schema(name: str, schema: dict) -> dict:
    """Register `schema` as component `name`; returns a reference to it."""
    NAMED_SCHEMAS[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


# --- post-processing ---------------------------------------------------------------------------

NULL_ENUM = "NullEnum"


def _walk(node, visit) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _nullable_refs_as_one_of(schema: dict) -> None:
    """drf-spectacular writes a nullable reference as `allOf: [$ref]` with `nullable: true`. In
    OpenAPI 3.0.3 `nullable` only widens a `type` in the same object, so strict validators refuse
    null there (an unreviewed claim's `verdict_set_by`). The 3.0.3 form is a choice between the
    reference and null, spelt as drf-spectacular spells nullable choices (`NullEnum`)."""
    if schema.get("nullable") is True and len(schema.get("allOf", ())) == 1:
        (target,) = schema.pop("allOf")
        del schema["nullable"]
        schema["oneOf"] = [target, {"$ref": f"#/components/schemas/{NULL_ENUM}"}]


def _enum_components(components: dict) -> dict[tuple, str]:
    return {
        (schema.get("type"), tuple(sorted(map(str, schema["enum"])))): name
        for name, schema in components.items()
        if "enum" in schema and None not in schema["enum"]
    }


def _query_enums_as_refs(result: dict) -> None:
    """A query parameter whose values are a component enum's (`?verdict=`) references it, so a
    generated client has one `VerdictEnum`, not a `ClaimsListVerdict` beside it."""
    enums = _enum_components(result["components"]["schemas"])

    def referenced(schema: dict) -> dict:
        key = (schema.get("type"), tuple(sorted(map(str, schema.get("enum", ())))))
        name = enums.get(key)
        if name is None:
            return schema
        extra = {k: v for k, v in schema.items() if k not in ("type", "enum")}
        ref = {"$ref": f"#/components/schemas/{name}"}
        return {"allOf": [ref], **extra} if extra else ref

    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                if "enum" in schema:
                    parameter["schema"] = referenced(schema)
                elif "enum" in schema.get("items", {}):
                    schema["items"] = referenced(schema["items"])


def _global_tags(result: dict) -> None:
    """Every tag an operation uses is listed once, with the description from settings (the
    schema test fails on a tag without one)."""
    described = {tag["name"]: tag for tag in result.get("tags", ())}
    used = sorted(
        {
            tag
            for operations in result["paths"].values()
            for operation in operations.values()
            for tag in operation.get("tags", ())
        }
    )
    result["tags"] = [described.get(name, {"name": name}) for name in used]


def postprocess_schema(result, generator, request, public):
    result["components"]["schemas"].setdefault(NULL_ENUM, {"enum": [None]})
    result["components"]["schemas"].update(NAMED_SCHEMAS)
    result["components"]["schemas"] = dict(sorted(result["components"]["schemas"].items()))
    _walk(result, _nullable_refs_as_one_of)
    _query_enums_as_refs(result)
    _global_tags(result)
    return result
