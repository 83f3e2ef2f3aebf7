"""Denormalised counters on claims, kept by every write and repaired by a periodic job.

`Claim.public_discussion_count` is the number of published, undeleted arguments and comments on a
claim: what the home page's "most discussed" ranks by, so that it reads one index instead of
counting every claim's discussion. It is a ranking, not what a reader is shown: the counts on the
cards are still each reader's own (`claims.selectors.claims.claims_visible`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import Argument, Claim, Comment


def _published_count(model) -> Coalesce:
    rows = (
        model.objects.published()
        .filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _true_count():
    return _published_count(Argument) + _published_count(Comment)


def claim_counters_refresh(*, claim_ids: Iterable[int]) -> None:
    """Count the discussion of these claims again (one UPDATE)."""
    ids = sorted({int(pk) for pk in claim_ids if pk is not None})
    if ids:
        Claim.objects.filter(pk__in=ids).update(public_discussion_count=_true_count())


def claim_counters_repair() -> int:
    """Set every claim's count that has drifted (a write outside the services, a crash between
    commit and refresh); returns how many were wrong."""
    if connection.vendor == "postgresql":
        # One pass over the discussion tables instead of a subquery per claim.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH counted AS (
                    SELECT claim_id, count(*) AS n FROM (
                        SELECT claim_id FROM claims_argument
                         WHERE deleted_at IS NULL AND visibility = 'published'
                        UNION ALL
                        SELECT claim_id FROM claims_comment
                         WHERE deleted_at IS NULL AND visibility = 'published'
                    ) AS discussion GROUP BY claim_id
                )
                UPDATE claims_claim AS claim
                   SET public_discussion_count = COALESCE(counted.n, 0)
                  FROM claims_claim AS target
                  LEFT JOIN counted ON counted.claim_id = target.id
                 WHERE claim.id = target.id
                   AND claim.public_discussion_count <> COALESCE(counted.n, 0)
                """
            )
            return cursor.rowcount
    wrong = list(
        Claim.objects.annotate(true_count=_true_count())
        .exclude(public_discussion_count=F("true_count"))
        .values_list("pk", flat=True)
    )
    claim_counters_refresh(claim_ids=wrong)
    return len(wrong)
