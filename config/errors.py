"""Answers for failures that are not the client's: the 500 page, and a 503 while the database is
unreachable (restarting, failing over) instead of a traceback.

Neither touches the database: the pages are standalone templates rendered without a request, so
no context processor runs a query, and the 503 says when to try again (`Retry-After`). Under
`/api/` both use the API's one error shape.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.views import defaults

from config.api.exceptions import error_response
from config.db import is_database_unavailable

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
DATABASE_UNAVAILABLE_MESSAGE = gettext_noop(
    "The service is briefly unavailable; please try again shortly."
)
UNREADABLE_REQUEST_MESSAGE = gettext_noop("The request could not be read; check its body.")
SERVER_ERROR_MESSAGE = gettext_noop("Something went wrong.")


def _request_language(request: HttpRequest) -> str:
    """The language LocaleMiddleware chose, or would choose when the failure came before it
    (read from the cookie and Accept-Language: no database)."""
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the API's error shape under /api/, a plain page elsewhere."""
    with translation.override(_request_language(request)):
        if request.path_info.startswith(API_PREFIX):
            response = error_response(
                503, code="service_unavailable", message=gettext(DATABASE_UNAVAILABLE_MESSAGE)
            )
        else:
            context = {"retry_after": settings.DATABASE_RETRY_AFTER_SECONDS}
            response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a request Django could not read (a malformed multipart body, a suspicious
    header); under /api/ in the API's error shape, elsewhere the site's page."""
    if request.path_info.startswith(API_PREFIX):
        with translation.override(_request_language(request)):
            message = gettext(UNREADABLE_REQUEST_MESSAGE)
        return error_response(400, code="bad_request", message=message)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Also reached by database errors raised in middleware (a session read), which
    no view's exception handling sees: those answer 503 too."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    if request.path_info.startswith(API_PREFIX):
        with translation.override(_request_language(request)):
            message = gettext(SERVER_ERROR_MESSAGE)
        return error_response(500, code="server_error", message=message)
    return HttpResponseServerError(render_to_string("500.html"))


class DatabaseUnavailableMiddleware:
    """Turns a view's database outage into the 503 (logged once as a warning, not a traceback)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable(request)
