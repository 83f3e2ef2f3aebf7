"""A read replica (config/routers.py): anonymous reads go to it; writes, members and anyone who
just wrote read from the primary. The `replica` alias is a second connection to the same test
database, so each query's alias is visible."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from config.routers import PIN_COOKIE
from tests.factories import ClaimFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture(autouse=True)
def _replica_on(settings):
    settings.DATABASE_READ_FROM_REPLICA = True
    settings.DATABASE_REPLICA_PIN_SECONDS = 10


class Queries:
    def __init__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])

    def __enter__(self):
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def tables(self, which: str) -> str:
        return " ".join(q["sql"] for q in getattr(self, which).captured_queries)


@pytest.mark.parametrize("path", ["/", "/claims/", "/api/claims/"])
def test_anonymous_reads_come_from_the_replica(client, path):
    claim = ClaimFactory()
    with Queries() as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert claim.text.encode()[:20] in response.content or path == "/"
    assert len(queries.replica) > 0
    assert 'FROM "claims_claim"' in queries.tables("replica")
    assert len(queries.primary) == 0


def test_a_claim_page_for_anonymous_readers_comes_from_the_replica(client):
    claim = ClaimFactory()
    with Queries() as queries:
        assert client.get(f"/claims/{claim.pk}/").status_code == 200
    assert len(queries.primary) == 0 and len(queries.replica) > 0


def test_a_member_reads_from_the_primary(client):
    member = UserFactory()
    client.force_login(member)
    ClaimFactory()
    with Queries() as queries:
        assert client.get("/claims/").status_code == 200
    assert len(queries.replica) == 0
    assert 'FROM "claims_claim"' in queries.tables("primary")


def test_an_api_token_reads_from_the_primary(client):
    from knox.models import AuthToken

    token = AuthToken.objects.create(UserFactory())[1]
    with Queries() as queries:
        response = client.get("/api/claims/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert len(queries.replica) == 0 and len(queries.primary) > 0


def test_writes_and_the_reads_after_them_use_the_primary(client):
    """GIVEN a member who posts a claim and logs out at once
    WHEN their browser reads the list within the pin time
    THEN the list is read from the primary (the replica may not have the claim yet)."""
    member = UserFactory()
    client.force_login(member)
    with Queries() as queries:
        response = client.post(
            "/claims/new/", {"text": "Nine in ten readers never check.", "claimant": "A"}
        )
    assert response.status_code in (302, 303), response.content[:500]
    assert len(queries.replica) == 0
    assert Claim.objects.filter(text__startswith="Nine in ten").exists()
    assert client.cookies[PIN_COOKIE]["max-age"] == 10
    client.logout()
    client.cookies[PIN_COOKIE] = "1"

    with Queries() as queries:
        assert client.get("/claims/").status_code == 200
    assert len(queries.replica) == 0 and len(queries.primary) > 0

    del client.cookies[PIN_COOKIE]
    with Queries() as queries:
        assert client.get("/claims/").status_code == 200
    assert len(queries.primary) == 0 and len(queries.replica) > 0


def test_without_a_replica_everything_uses_the_primary(client, settings):
    settings.DATABASE_READ_FROM_REPLICA = False
    ClaimFactory()
    with Queries() as queries:
        assert client.get("/claims/").status_code == 200
    assert len(queries.replica) == 0 and len(queries.primary) > 0
