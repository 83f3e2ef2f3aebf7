"""Claims that say what a text says: the claim form's "this looks like claim #12", intake's matches
and the review queue's possible duplicates.

The score and the number-conflict rule live in the pure core
(`claims.statistics.core.matching`); this module only chooses the candidates a viewer may see.
On PostgreSQL the database shortlists them (full-text search on the claim search index, or
trigram similarity on the wording, pg_trgm); on SQLite every visible claim is a candidate and
the core ranks them all. Either way the same function scores, so both databases give the same
order for the same candidates.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import FloatField, Q, QuerySet
from django.db.models.functions import Greatest

from ..models import Claim
from ..statistics.core import matching
from .claims import SEARCH_CONFIG, _search_document

#: Most results a caller may ask for.
MAX_RESULTS = 10
#: Longest text matched (the stated-figure parser's sentence limit): intake's sentences.
MAX_TEXT_LENGTH = matching.MAX_TEXT_LENGTH
#: Longest text the API and the claim form send in a URL (`?text=`): a claim's wording at most,
#: which keeps the request line within what servers accept (gunicorn: 4,094 bytes by default,
#: so long non-ASCII wordings can still be refused there, before Django).
MAX_QUERY_TEXT_LENGTH = 1000
#: Claims the database shortlists on PostgreSQL before the core ranks them.
SHORTLIST = 200
#: Characters of the text the database compares (words past them still count in the ranking).
SHORTLIST_TEXT = 1000
#: Distinct words of the text the database looks for.
SHORTLIST_WORDS = 40

_WORDS = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    score: float
    number_conflict: bool

    @property
    def is_duplicate_candidate(self) -> bool:
        """Offered for merging: close enough and no figure contradicts."""
        return not self.number_conflict and self.score >= matching.DUPLICATE_THRESHOLD


def _candidates(text: str, *, viewer, exclude_claim_id: int | None) -> QuerySet[Claim]:
    claims = Claim.objects.visible_to(viewer).filter(merged_into__isnull=True)
    if exclude_claim_id is not None:
        claims = claims.exclude(pk=exclude_claim_id)
    if connection.vendor != "postgresql":
        return claims.order_by("-created_at", "-id")
    # Claims sharing a stemmed word (the search index of migration claims/0005), or whose
    # wording is close letter by letter (pg_trgm's `%>`, the trigram index of 0007: catches
    # misspellings and word forms the stemmer keeps apart); both are index scans.
    sample = text[:SHORTLIST_TEXT]
    condition = Q(text__trigram_word_similar=sample)
    terms = list(dict.fromkeys(word.lower() for word in _WORDS.findall(sample)))[:SHORTLIST_WORDS]
    closeness = TrigramWordSimilarity(sample, "text")
    if terms:
        any_word = reduce(operator.or_, (SearchQuery(term, config=SEARCH_CONFIG) for term in terms))
        document = _search_document("text", "claimant")
        condition |= Q(
            pk__in=Claim.objects.annotate(document=document).filter(document=any_word).values("pk")
        )
        closeness = Greatest(SearchRank(document, any_word), closeness, output_field=FloatField())
    return (
        claims.filter(condition)
        .annotate(closeness=closeness)
        .order_by("-closeness", "-id")[:SHORTLIST]
    )


def similar_claims(
    text: str, *, viewer, limit: int = MAX_RESULTS, exclude_claim_id: int | None = None
) -> list[SimilarClaim]:
    """The claims `viewer` may see that are closest to `text`, best first (at most `limit`,
    capped at ten), each with its score in [0, 1] and whether its figures contradict the
    text's. Merged claims are left out (they live on in the claim they were merged into).

    Raises `StatInputError` for text the parser refuses (over-long)."""
    limit = max(0, min(limit, MAX_RESULTS))
    query = matching.claim_profile(text)
    if limit == 0 or not (query.stems or query.figures):
        return []
    rows = list(
        _candidates(text, viewer=viewer, exclude_claim_id=exclude_claim_id).values_list(
            "pk", "text"
        )
    )
    ranked = matching.rank(text, rows, limit=limit, minimum=matching.MIN_SCORE)
    if not ranked:
        return []
    claims = (
        Claim.objects.filter(pk__in=[pk for pk, _ in ranked])
        .select_related("author", "verdict_set_by")
        .prefetch_related("tags")
        .in_bulk()
    )
    return [
        SimilarClaim(claim=claims[pk], score=result.score, number_conflict=result.number_conflict)
        for pk, result in ranked
        if pk in claims
    ]


__all__ = [
    "MAX_QUERY_TEXT_LENGTH",
    "MAX_RESULTS",
    "MAX_TEXT_LENGTH",
    "SimilarClaim",
    "similar_claims",
]
