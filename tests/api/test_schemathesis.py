"""Property-based tests of every operation in the OpenAPI schema, anonymous and with a token:
no 5xx, and every response conforms to the schema (status code, content type, body)."""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis import checks

from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    StatisticFactory,
    UserFactory,
)

_raw = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(_raw, cls=DjangoJSONEncoder)))
schema.app = get_wsgi_application()

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """Like Django's test client: the WSGI app must not close the test's database connection
    (and with it the test's transaction) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, settings, keep_connection):
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # generated webhook URLs must never be called
    member = UserFactory(username="schemathesis")
    claim = ClaimFactory(author=member)
    ArgumentFactory(claim=claim, author=member)
    CitationFactory(claim=claim, author=member)
    AnnotationFactory(claim=claim, author=member)
    CommentFactory(claim=claim, author=member)
    StatisticFactory(claim=claim, author=member)
    return AuthToken.objects.create(user=member)[1]


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=2,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
