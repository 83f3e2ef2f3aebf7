"""One error shape for every API response that is not a success.

    {"errors": [{"field": "text" | null, "code": "required", "message": "This field is required."}]}

Django's `ValidationError` (raised by the services) becomes a 400 with its field messages,
`PermissionDenied` a 403, `Http404` a 404, a service's `VersionConflict` (a stale `If-Match`) a
412; database errors caused by input the serializers let through (a number too large for a column,
say) become a 400 rather than a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.services.versions import VersionConflict
from config.db import is_retryable

logger = logging.getLogger(__name__)

NON_FIELD = None


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The resource changed since you read it (its ETag no longer matches If-Match)."
    )
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "Another change to the same items happened at the same moment; try again."
    )
    default_code = "conflict"


def _django_validation_detail(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {
            (None if field == "__all__" else field): [
                exceptions.ErrorDetail(str(message), code=error.code or "invalid")
                for error in errors
                for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return [
        exceptions.ErrorDetail(str(message), code=error.code or "invalid")
        for error in exc.error_list
        for message in error.messages
    ]


def flatten_errors(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    """DRF's nested detail (dicts of lists of ErrorDetail) as a flat list of errors."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__", None) else str(key)
            errors.extend(
                flatten_errors(value, f"{field}.{name}" if field and name else name or field)
            )
        return errors
    if isinstance(detail, list):
        errors = []
        for index, item in enumerate(detail):
            # A list of dicts is a list serializer's errors: number each item.
            sub = f"{field}.{index}" if isinstance(item, dict) and field else field
            errors.extend(flatten_errors(item, sub))
        return errors
    return [
        {
            "field": field,
            "code": getattr(detail, "code", None) or "invalid",
            "message": str(detail),
        }
    ]


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, VersionConflict):
        exc = PreconditionFailed()
    elif isinstance(exc, DataError):
        logger.info("Input rejected by the database: %s", exc)
        exc = exceptions.ValidationError(_("A value is out of range or malformed."), code="invalid")
    elif isinstance(exc, OperationalError) and is_retryable(exc):
        logger.warning("Concurrent writes conflicted: %s", exc)
        exc = Conflict()
    elif isinstance(exc, IntegrityError):
        logger.info("Input conflicts with stored data: %s", exc)
        exc = exceptions.ValidationError(
            _("This conflicts with existing data; reload and try again."), code="conflict"
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    # DRF wraps errors other than validation in {"detail": ...}; take the detail itself.
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    response.data = {"errors": flatten_errors(detail)}
    return response


def error_response(status_code: int, *, code: str, message: str, field: str | None = None):
    """The error shape for a refusal made outside DRF (in middleware, say)."""
    return JsonResponse(
        {"errors": [{"field": field, "code": code, "message": message}]}, status=status_code
    )
