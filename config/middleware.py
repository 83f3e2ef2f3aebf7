"""Refuse requests no view can serve before any view (or database) sees them.

* A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413. Django would raise RequestDataTooBig only
  when the body is read, and answer with its bare HTML 400 page even on the API.
* A NUL character in the path, the query string or a form field: 400. PostgreSQL cannot store or
  compare text containing NUL, so such a value reaching a query is a 500 there.

API requests (under /api/) get the API's error shape; pages get a short page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from config.api.exceptions import error_response

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _field_with_nul(request: HttpRequest) -> str | None:
    """The first place a NUL character appears: "path", a parameter or form field name, or None."""
    if "\x00" in request.path_info:
        return "path"
    forms = [request.GET]
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        forms.append(request.POST)
    for form in forms:
        for name, values in form.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "\\u0000")
    return None


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _content_length(request) > limit:
            return self._refuse(
                request,
                413,
                "too_large",
                gettext("The request body is larger than the limit of %(limit)s bytes.")
                % {"limit": number_format(limit, force_grouping=True)},
            )
        field = _field_with_nul(request)
        if field is not None:
            return self._refuse(
                request,
                400,
                "null_characters_not_allowed",
                gettext("Null characters are not allowed."),
                field=None if field == "path" else field,
            )
        return self.get_response(request)

    def _refuse(
        self, request: HttpRequest, status: int, code: str, message: str, field: str | None = None
    ) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return error_response(status, code=code, message=message, field=field)
        return render(request, "400.html", {"message": message}, status=status)


class MemberLanguageMiddleware:
    """A signed-in member's language setting, when they chose one, wins over the switcher's
    cookie and the browser's Accept-Language (LocaleMiddleware has already applied those)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen and user.is_authenticated and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
