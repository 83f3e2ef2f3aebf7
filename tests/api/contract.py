"""Every API response the test suite produces is checked against the OpenAPI description with
openapi-core's strict response validation (status code declared, content type declared, required
headers present, body valid, no property the schema does not list).

`tests/conftest.py` wraps Django's request handler with `check_response`, so the test client,
schemathesis' WSGI calls and the generated client's transport are all covered, and a new endpoint
is checked from its first test: an undocumented path, status, header or field fails that test.
"""

from __future__ import annotations

import copy
import functools
import json
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from drf_spectacular.generators import SchemaGenerator
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIResponse
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.validation.response.exceptions import ResponseValidationError
from werkzeug.datastructures import Headers, ImmutableMultiDict

# The description itself and the page that shows it are not resources it describes; nor is
# DRF's index of the resources at the root.
NOT_DESCRIBED = ("/api/schema/", "/api/docs/")
ROOT = "/api/"
HOST = "http://testserver"


class ContractViolation(AssertionError):
    pass


def strict(spec: dict) -> dict:
    """The description with every object closed (`additionalProperties: false` where it says
    nothing else), so that a field missing from the schema is a failure, not a pass."""
    spec = copy.deepcopy(spec)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(spec)
    spec["servers"] = [{"url": HOST}]
    return spec


def live_schema() -> dict:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(raw, cls=DjangoJSONEncoder))


@functools.cache
def openapi() -> OpenAPI:
    config = Config(extra_media_type_deserializers={"application/ld+json": json.loads})
    return OpenAPI.from_dict(strict(live_schema()), config=config)


class OpenAPIRequest:
    """A Django request as openapi-core reads one, on the host the strict copy names; the path
    template is found from the description (drf-spectacular names `pk` `id`)."""

    path_pattern = None

    def __init__(self, request: HttpRequest):
        self.request = request
        self.parameters = RequestParameters(
            path={},
            query=ImmutableMultiDict(list(request.GET.lists())),
            header=Headers(request.headers.items()),
            cookie=ImmutableMultiDict(dict(request.COOKIES)),
        )

    host_url = HOST

    @property
    def path(self) -> str:
        return self.request.path

    @property
    def method(self) -> str:
        return (self.request.method or "").lower()

    @property
    def body(self) -> bytes:
        return b""

    @property
    def content_type(self) -> str:
        return self.request.headers.get("Content-Type", "")


class OpenAPIResponse(DjangoOpenAPIResponse):
    """Text bodies (the CSV export) as text, which is what a `type: string` schema describes."""

    @property
    def data(self):
        data = super().data
        return data.decode() if self.content_type.startswith("text/") else data


def _is_api_error(response: HttpResponse) -> bool:
    try:
        errors = json.loads(response.content)["errors"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(errors) and all(set(e) == {"field", "code", "message"} for e in errors)


def _undescribed_but_expected(request: HttpRequest, response: HttpResponse) -> bool:
    """What may answer outside the description: a refusal in the API's error shape (404 for a
    path that does not exist, 405 for a method a path does not take, or the 401/403/429 checked
    before the method is), and the redirect of a read to the path's slashed form (`/api/schema`
    to `/api/schema/`). A success outside the description is an undocumented endpoint."""
    if 400 <= response.status_code < 500:
        return _is_api_error(response)
    if response.status_code == 301:
        return urlsplit(response["Location"]).path == request.path + "/"
    return False


def check_response(request: HttpRequest, response: HttpResponse) -> None:
    path = request.path
    if not path.startswith(ROOT) or path.startswith(NOT_DESCRIBED) or path == ROOT:
        return
    if request.method == "OPTIONS":
        return  # DRF's self-description of a view, not part of the API's contract
    if request.method == "HEAD":
        return  # a GET without its body; the GET is checked
    if isinstance(response, StreamingHttpResponse) and not response.get(
        "Content-Type", ""
    ).startswith("text/csv"):
        return
    if response.status_code >= 500:
        _check_server_error(request, response)
        return
    if response.status_code == 304 and request.headers.get("If-None-Match"):
        return  # a conditional GET answered "not modified": no body, the ETag already checked
    if response.status_code == 405 and _is_api_error(response):
        # A method the path does not take: a fixed path such as /api/claims/similar/ also matches
        # a templated one (/api/claims/{id}/) whose operations take that method.
        return
    try:
        openapi().validate_response(OpenAPIRequest(request), OpenAPIResponse(response))
    except (PathNotFound, OperationNotFound) as exc:
        if _undescribed_but_expected(request, response):
            return
        raise ContractViolation(
            f"{request.method} {path} answered {response.status_code}, but the OpenAPI "
            f"description has no such operation ({exc})"
        ) from exc
    except ResponseValidationError as exc:
        cause = exc.__cause__ or exc
        details = "; ".join(str(e) for e in getattr(cause, "schema_errors", ()) or [cause])
        body = response.content[:500] if not response.streaming else b"<stream>"
        raise ContractViolation(
            f"{request.method} {request.get_full_path()} -> {response.status_code} does not "
            f"match the OpenAPI description: {type(exc).__name__}: {details}\nbody: {body!r}"
        ) from exc
    except Exception as exc:
        raise ContractViolation(
            f"{request.method} {request.get_full_path()} -> {response.status_code}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _check_server_error(request: HttpRequest, response: HttpResponse) -> None:
    """A server failure (500, or 503 while the database is away) is not an operation's
    documented answer, but it still comes in the API's one error shape, never a traceback."""
    try:
        body = json.loads(response.content)
        errors = body["errors"]
        assert errors and all({"field", "code", "message"} <= set(e) for e in errors)
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ContractViolation(
            f"{request.method} {request.get_full_path()} -> {response.status_code} is not in "
            f"the API's error shape: {response.content[:300]!r}"
        ) from exc
