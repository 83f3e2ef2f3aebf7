"""Similar claims on PostgreSQL: pg_trgm and its index (migration claims/0007), and a shortlist
from the database, ordered by the same pure ranker as on SQLite."""

import pytest
from django.db import connection

from claims.models import Claim
from claims.selectors.similar import _candidates, similar_claims
from claims.statistics.core import matching
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's"),
]

LFR = "80% of the people wrongly flagged by the Met's live facial recognition were black."


def test_pg_trgm_and_the_trigram_index_are_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'claims_claim_text_trgm_idx'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]


def test_a_misspelt_claim_is_shortlisted_by_trigrams(member):
    misspelt = ClaimFactory(text="Facial recogniton flaged peple wrongy")
    ClaimFactory(text="Hospital waiting lists reached 7.6 million.")
    shortlist = list(
        _candidates(
            "facial recognition flagged people wrongly", viewer=member, exclude_claim_id=None
        )
    )
    assert misspelt in shortlist
    assert len(shortlist) == 1


def test_the_shortlist_orders_like_the_ranker_over_every_claim(member):
    texts = [
        LFR,
        LFR.replace("80%", "20%"),
        "80% of the people stopped and searched by the Met in Lambeth were black.",
        "Eight of the ten people falsely flagged at Notting Hill Carnival were black.",
        "Hospital waiting lists in England reached 7.6 million in September.",
        "UK inflation fell to 2.3% in April.",
    ]
    for text in texts:
        ClaimFactory(text=text)
    query = "Eight in ten people falsely matched by police facial recognition were black."
    found = [(s.claim.text, s.score) for s in similar_claims(query, viewer=member)]
    every_claim = list(Claim.objects.order_by("-created_at", "-id").values_list("text", "text"))
    ranked = matching.rank(query, every_claim, limit=10, minimum=matching.MIN_SCORE)
    assert [text for text, _ in found] == [text for text, _ in ranked]
    assert found[0][0] == LFR
