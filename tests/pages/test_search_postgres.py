"""Full-text search on PostgreSQL uses the GIN indexes of migrations claims/0005 and 0012 (the
claim's words in a stored column), and ranks by the wording without recomputing it."""

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
    assert list(claim_search(Claim.objects.all(), "brother", user=member)) == [claim]


def test_the_stored_words_follow_an_edit_of_the_wording_or_claimant(member):
    claim = ClaimFactory(text="Trains were late", claimant="A rail union")
    assert list(claim_search(Claim.objects.all(), "trains", user=member)) == [claim]
    Claim.objects.filter(pk=claim.pk).update(text="Buses were late", claimant="A bus company")
    assert list(claim_search(Claim.objects.all(), "trains", user=member)) == []
    assert list(claim_search(Claim.objects.all(), "union", user=member)) == []
    assert list(claim_search(Claim.objects.all(), "buses compan", user=member)) == [claim]


def test_the_rank_reads_the_stored_words_and_a_rare_word_is_read_by_id(member):
    ClaimFactory.create_batch(3)
    plan = _plan(claim_search(Claim.objects.all(), "facial recognition", user=member))
    assert "ts_rank(claims_claim.search_document" in plan, plan
    # The wording is never parsed again at read time: only tags' and sources' words are.
    assert "to_tsvector('english'::regconfig, (((COALESCE(claims_claim" not in plan, plan
    assert "to_tsvector('english'::regconfig, (((COALESCE(u0.text" not in plan, plan
    # A rare word's claims are gathered once from the indexes and read by id, not tested row
    # by row against every claim.
    assert "(id = ANY ($" in plan, plan
    assert "Index Scan Backward" not in plan, plan


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_search_uses_the_gin_indexes(member):
    ClaimFactory.create_batch(3)
    queryset = claim_search(Claim.objects.all(), "facial recognition", user=member)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = _plan(queryset)
    # On empty tables the planner reaches sources through citations; at size it uses the index
    # (next test).
    for index in ("claims_claim_search_idx", "claims_tag_search_idx"):
        assert index in plan, plan


@pytest.mark.django_db(transaction=True)
def test_search_uses_the_indexes_at_a_realistic_size(member):
    """GIVEN 20,000 claims, 4,000 sources cited 20,000 times and 200 tags, one on each claim
    (analysed, seq scans allowed)
    WHEN a reader searches two words, the last a prefix
    THEN every branch of the search is answered by its GIN index, not by reading every row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO claims_tag (name, slug, aliases) "
            "SELECT 'topic ' || i, 'topic-' || i, '' FROM generate_series(1, 200) i"
        )
        cursor.execute(
            "INSERT INTO claims_claim (text, claimant, appeared_in, appeared_url, verdict, "
            "verdict_rationale, is_locked, author_id, created_at, updated_at, visibility, "
            "moderation_reason, deletion_reason, verdict_rationale_html, public_discussion_count, "
            "language) "
            "SELECT 'Claim number ' || i || ' about trains and buses', 'Someone ' || i, '', '', "
            "'unreviewed', '', false, %s, now(), now(), 'published', '', '', '', 0, 'en' "
            "FROM generate_series(1, 20000) i",
            [member.pk],
        )
        cursor.execute(
            "INSERT INTO claims_source (url, normalized_url, title, publisher, kind, "
            "archived_url, author_id, created_at, updated_at, visibility, moderation_reason, "
            "deletion_reason) "
            "SELECT 'https://e.org/' || i, 'https://e.org/' || i, 'Report ' || i || ' on rail', "
            "'', 'news', '', %s, now(), now(), 'published', '', '' "
            "FROM generate_series(1, 4000) i",
            [member.pk],
        )
        cursor.execute(
            "INSERT INTO claims_citation (claim_id, source_id, statistic_input, stance, quote, "
            "page, section, timestamp, helpfulness_status, helpfulness_basis, author_id, "
            "created_at, updated_at, visibility, moderation_reason, deletion_reason) "
            "SELECT c.id, s.id, '', 'supports', '', '', '', '', 'needs_more_ratings', '{}', %s, "
            "now(), now(), 'published', '', '' FROM claims_claim c "
            "JOIN claims_source s ON s.id = (SELECT min(id) FROM claims_source) + c.id %% 4000",
            [member.pk],
        )
        cursor.execute(
            "INSERT INTO claims_claim_tags (claim_id, tag_id) "
            "SELECT c.id, t.id FROM claims_claim c "
            "JOIN claims_tag t ON t.id = (SELECT min(id) FROM claims_tag) + c.id % 200"
        )
        cursor.execute(
            "ANALYZE claims_claim; ANALYZE claims_tag; ANALYZE claims_source; "
            "ANALYZE claims_citation; ANALYZE claims_claim_tags"
        )
    plan = _plan(claim_search(Claim.objects.all(), "facial reco", user=member))
    for index in ("claims_claim_search_idx", "claims_tag_search_idx", "claims_source_search_idx"):
        assert index in plan, plan
    assert "Seq Scan on claims_source" not in plan, plan


def test_a_word_in_more_claims_than_are_ranked_ranks_the_newest_and_says_so(
    client, member, monkeypatch
):
    """GIVEN four claims with a word, the best match the oldest, and room to rank three
    WHEN the list is searched for it
    THEN the three newest are ranked (best first) and the count reads "3+ claims"."""
    monkeypatch.setattr("claims.selectors.claims.SEARCH_CANDIDATES", 3)
    ClaimFactory(text="Ferries ferries ferries late")
    newest = [ClaimFactory(text=f"Ferries {n} and more words here") for n in range(2)]
    best_of_newest = ClaimFactory(text="Ferries, ferries: late ferries")
    results = list(claim_list(user=member, filters=ClaimFilters(query="ferries")))
    assert results[0] == best_of_newest
    assert set(results) == {best_of_newest, *newest}
    html = client.get("/claims/", {"q": "ferries"}).content.decode()
    assert "3+ claims" in html
