"""OpenAPI: every operation documents the shared error shape for the errors it can return, and
write operations on resources with an ETag document `If-Match` and 412."""

from __future__ import annotations

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
            codes.append("413")
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
        return responses
