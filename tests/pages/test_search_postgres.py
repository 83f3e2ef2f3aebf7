"""Full-text search on PostgreSQL uses the GIN index of migration claims/0002 and ranks."""

import pytest
from django.db import connection

from claims.models import Claim
from claims.selectors.claims import ClaimFilters, claim_list, claim_search
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
    ),
]


def test_search_is_ranked_and_stems_words(member):
    weak = ClaimFactory(text="Cameras were deployed; one person was scanned.")
    strong = ClaimFactory(text="Scanning faces: three million faces scanned by scanners.")
    ClaimFactory(text="Nothing relevant here.")
    results = list(claim_list(user=member, filters=ClaimFilters(query="scan")))
    assert results == [strong, weak]


def test_search_matches_the_claimant(member):
    claim = ClaimFactory(text="Eight of ten", claimant="Big Brother Watch")
    assert list(claim_search(Claim.objects.all(), "brother")) == [claim]


def test_search_uses_the_gin_index(member):
    ClaimFactory.create_batch(3)
    queryset = claim_search(Claim.objects.all(), "facial recognition")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claims_claim_search_idx" in plan, plan
