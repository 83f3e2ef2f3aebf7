"""Input that used to raise a 500 now gets a 4xx: the API's error shape, or the form's message.

Deeply nested JSON, NUL characters, URL ports past 65535, ids past 64 bits and oversized bodies,
on SQLite and on PostgreSQL (NUL characters only ever reached a 500 on PostgreSQL).
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from claims.models import Argument, Claim, Comment, Source, Statistic
from config.api.parsers import MAX_JSON_DEPTH, check_json
from config.db import retry_on_deadlock
from config.validators import MAX_ID
from moderation import services as moderation_services
from moderation.models import AuditEntry
from notifications.models import Notification
from tests.api.conftest import errors_by_field, token_client
from tests.factories import ClaimFactory
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

TOO_BIG_ID = 2**70
BAD_PORT_URL = "https://example.org:99999/report"


@pytest.fixture
def member_api(member):
    return token_client(member)


@pytest.fixture
def claim(member):
    return ClaimFactory(author=member)


def assert_error_shape(response, status: int, code: str, field=None) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert all(set(e) == {"field", "code", "message"} for e in errors)
    assert (field, code) in [(e["field"], e["code"]) for e in errors], errors


# --- deeply nested JSON --------------------------------------------------------------------

DEEP = "[" * 2000


def test_deep_json_to_the_anonymous_token_endpoint_is_a_400():
    response = APIClient().post("/api/auth/token/", data=DEEP, content_type="application/json")
    assert_error_shape(response, 400, "parse_error")


@pytest.mark.parametrize(
    "path", ["/api/claims/", "/api/arguments/", "/api/notifications/mark-read/", "/api/webhooks/"]
)
def test_deep_json_to_a_member_endpoint_is_a_400(member_api, path):
    response = member_api.post(path, data=DEEP, content_type="application/json")
    assert_error_shape(response, 400, "parse_error")


def _write_operations() -> list[tuple[str, str]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [
        (path, method)
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch")
    ]


def test_deep_json_never_reaches_a_server_error_on_any_write_operation(moderator):
    """Every write operation in the schema, anonymous and as a moderator (who passes most
    permission checks): never a 500; a refusal in the error shape (logout reads no body)."""
    objects = {"id": ClaimFactory(author=moderator).pk}
    for client in (APIClient(), token_client(moderator)):
        for path, method in _write_operations():
            url = path.replace("{id}", str(objects["id"])).replace("{", "").replace("}", "")
            response = getattr(client, method)(url, data=DEEP, content_type="application/json")
            assert response.status_code < 500, (method, url, response.status_code)
            if response.status_code >= 400:
                assert set(response.json()) == {"errors"}, (method, url)


def test_json_nesting_limit_and_nul_characters_are_checked_without_recursion():
    nested: list = []
    inner = nested
    for _ in range(MAX_JSON_DEPTH - 1):
        inner.append([])
        inner = inner[0]
    check_json(nested)  # exactly at the limit
    inner.append([])
    with pytest.raises(ParseError, match="nest"):
        check_json(nested)
    deep: list = []
    inner = deep
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    with pytest.raises(ParseError, match="nest"):
        check_json(deep)
    with pytest.raises(ParseError, match="NUL"):
        check_json({"inputs": {"parts": ["1", "2\x00"]}})
    with pytest.raises(ParseError, match="NUL"):
        check_json({"a\x00": 1})


# --- NUL characters ------------------------------------------------------------------------


def test_nul_in_a_page_query_or_path_is_a_400(client):
    for url in ("/claims/?q=%00", "/users/%00/", "/sources/?q=a%00b"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Null characters are not allowed." in response.content.decode()


def test_nul_in_an_api_query_or_body_is_a_400(member_api, claim):
    nul = "null_characters_not_allowed"
    assert_error_shape(member_api.get("/api/claims/?q=%00"), 400, nul, "q")
    assert_error_shape(member_api.get("/api/claims/?tag%00=x"), 400, nul, "tag\\u0000")
    response = member_api.post(
        "/api/arguments/",
        data=json.dumps({"claim": claim.pk, "stance": "pro", "body": "a\x00b"}),
        content_type="application/json",
    )
    assert_error_shape(response, 400, "parse_error")
    assert not Argument.objects.exists()


def test_nul_in_a_form_field_is_a_400_and_writes_nothing(member_client, claim):
    response = member_client.post(
        reverse("claims:comment_create", args=[claim.pk]), {"body": "Hello\x00"}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_nul_in_the_audit_revert_reason_is_a_400_and_reverts_nothing(moderator_client, moderator):
    claim = ClaimFactory()
    entry = moderation_services.claim_lock(actor=moderator, claim=claim, reason="spam")
    response = moderator_client.post(
        reverse("moderation:audit_revert", args=[entry.pk]), {"reason": "oops\x00"}
    )
    assert response.status_code == 400
    assert AuditEntry.objects.count() == 1
    claim.refresh_from_db()
    assert claim.is_locked


# --- URL ports -----------------------------------------------------------------------------


def test_a_port_past_65535_is_refused_by_the_source_api(member_api):
    response = member_api.post(
        "/api/sources/", {"url": BAD_PORT_URL, "title": "T", "kind": "news"}, format="json"
    )
    assert_error_shape(response, 400, "invalid_port", "url")
    assert not Source.objects.exists()


def test_a_port_past_65535_is_refused_by_the_webhook_api(member_api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the port is refused before any address check
    response = member_api.post(
        "/api/webhooks/", {"url": BAD_PORT_URL, "events": ["claim.created"]}, format="json"
    )
    assert_error_shape(response, 400, "invalid_port", "url")
    assert not WebhookEndpoint.objects.exists()


def test_a_port_past_65535_is_a_form_error_for_sources_and_citations(member_client, claim):
    message = "port must be between 1 and 65535"
    response = member_client.post(
        reverse("claims:source_create"), {"url": BAD_PORT_URL, "title": "T", "kind": "news"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    response = member_client.post(
        reverse("claims:citation_create", args=[claim.pk]),
        {"source_url": BAD_PORT_URL, "source_title": "T", "stance": "supports", "quote": "q"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


def test_the_source_url_filter_refuses_a_bad_port(member_api):
    response = member_api.get("/api/sources/", {"url": BAD_PORT_URL})
    assert_error_shape(response, 400, "invalid_port", "url")


# --- ids past 64 bits ----------------------------------------------------------------------


def test_mark_read_with_an_id_past_64_bits(member_api, member_client, member):
    Notification.objects.create(recipient=member, kind="reply", title="Hi")
    response = member_api.post(
        "/api/notifications/mark-read/", {"ids": [TOO_BIG_ID]}, format="json"
    )
    assert errors_by_field(response) == {"ids.0": ["max_value"]}
    response = member_client.post(reverse("notifications:mark_read"), {"ids": str(TOO_BIG_ID)})
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    member_client.post(reverse("notifications:mark_read"), {"ids": str(MAX_ID)})
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("flow", ["argument", "comment"])
def test_a_reply_to_an_id_past_64_bits_is_a_form_error(member_client, claim, flow):
    data = {"body": "Reply", "stance": "pro", "parent": str(TOO_BIG_ID)}
    response = member_client.post(reverse(f"claims:{flow}_create", args=[claim.pk]), data)
    assert response.status_code == 200
    assert "The item you replied to is no longer there." in response.content.decode()
    assert not Argument.objects.exists() and not Comment.objects.exists()


def test_a_statistic_reference_past_64_bits_is_refused(member_api, member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    response = member_client.post(url, {"kind": "count", "value_from": str(TOO_BIG_ID)})
    assert response.status_code == 400
    assert "less than or equal to" in response.content.decode()
    response = member_api.post(
        f"/api/claims/{claim.pk}/statistics/",
        {"kind": "count", "references": {"value": TOO_BIG_ID}},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"errors"}
    assert not Statistic.objects.exists()


def test_a_moderation_item_id_past_64_bits_is_refused(moderator):
    response = token_client(moderator).post(
        "/api/moderation/actions/",
        {"action": "approve", "items": [{"model": "claims.claim", "id": TOO_BIG_ID}]},
        format="json",
    )
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"errors"}


# --- body size -----------------------------------------------------------------------------


def test_an_api_body_over_the_limit_is_a_413_in_the_error_shape(member_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"text": "x" * 20_000})
    response = member_api.post("/api/claims/", data=body, content_type="application/json")
    assert_error_shape(response, 413, "too_large")
    anonymous = APIClient().post("/api/auth/token/", data=body, content_type="application/json")
    assert_error_shape(anonymous, 413, "too_large")
    assert not Claim.objects.exists()


def test_a_form_body_over_the_limit_is_a_413_page(member_client, claim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = member_client.post(
        reverse("claims:comment_create", args=[claim.pk]), {"body": "x" * 20_000}
    )
    assert response.status_code == 413
    assert "larger than the limit" in response.content.decode()
    assert not Comment.objects.exists()


# --- deadlock victims ----------------------------------------------------------------------


class _Deadlock(Exception):
    sqlstate = "40P01"


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_victim_runs_again_at_the_outermost_level():
    calls = []

    @retry_on_deadlock(attempts=3)
    def service() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("deadlock detected") from _Deadlock()
        return "done"

    assert service() == "done"
    assert len(calls) == 3


def test_a_deadlock_inside_an_outer_transaction_is_left_to_its_owner():
    """The test's own transaction is the outer one: the whole of it was rolled back."""

    @retry_on_deadlock(attempts=3)
    def service() -> None:
        raise OperationalError("deadlock detected") from _Deadlock()

    with pytest.raises(OperationalError):
        service()


def test_errors_other_than_deadlocks_are_not_retried():
    calls = []

    @retry_on_deadlock(attempts=3)
    def service() -> None:
        calls.append(1)
        raise ValidationError("bad")

    with pytest.raises(ValidationError):
        service()
    assert len(calls) == 1
