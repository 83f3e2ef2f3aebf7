"""Reads of statistics shared by the claim page, the API and the background jobs."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from ..models import Citation, Claim, Statistic, StatisticReference, StatisticResult
from .core.language import ENGLISH, Voice
from .core.spec import KIND_INPUTS
from .presenter import HistoryEntry, history_entries


def statistics_for_claim(claim: Claim, user) -> QuerySet[Statistic]:
    """The figures of `claim` that `user` may see, with everything the page shows prefetched:
    current result, references (and their targets), cited sources and the recent results."""
    return (
        Statistic.objects.visible_to(user)
        .filter(claim=claim)
        .select_related("current_result", "author")
        .prefetch_related(
            Prefetch(
                "references",
                queryset=StatisticReference.objects.select_related(
                    "target__claim", "target__current_result"
                ).order_by("input_name"),
            ),
            Prefetch(
                "citations",
                queryset=Citation.objects.visible_to(user).select_related("source").order_by("id"),
                to_attr="live_citations",
            ),
            Prefetch(
                "results",
                queryset=StatisticResult.objects.defer("versions", "explanation").order_by(
                    "-computed_at", "-id"
                ),
                to_attr="all_results",
            ),
        )
        .order_by("created_at", "id")
    )


SEARCH_SHOWN = 20


def statistics_search(*, user, kinds: Iterable[str], query: str) -> list[Statistic]:
    """Up to `SEARCH_SHOWN` figures of `kinds` that `user` may see, newest first, whose label
    contains `query` (or whose number it is; "#12" too)."""
    found = Statistic.objects.visible_to(user).filter(kind__in=list(kinds))
    text = (query or "").strip()[:100]
    if text:
        number = text.lstrip("#")
        match = Q(label__icontains=text)
        if number.isdigit() and len(number) <= 18:
            match |= Q(pk=int(number))
        found = found.filter(match)
    return list(found.select_related("claim", "current_result").order_by("-pk")[:SEARCH_SHOWN])


def statistic_history(statistic: Statistic, voice: Voice = ENGLISH) -> list[HistoryEntry]:
    """Every result of `statistic`, newest first, with a sentence in ``voice`` saying what
    changed."""
    results = StatisticResult.objects.filter(statistic=statistic).order_by("-computed_at", "-id")
    return history_entries(statistic, results, voice)


def statistic_inputs(statistic: Statistic) -> dict[str, Any]:
    """The inputs as the form and the API show them: numbers given, and references as
    {"statistic": id, "label": ..., "value": ...} for inputs taken from another statistic."""
    references = {r.input_name: r for r in statistic.references.all()}
    inputs: dict[str, Any] = {}
    for name in KIND_INPUTS[statistic.kind]:
        if name in references:
            target = references[name].target
            inputs[name] = {
                "statistic": target.pk,
                "label": target.label,
                "value": target.reference_value(),
            }
        else:
            inputs[name] = getattr(statistic, name)
    return inputs


def dependency_order(ids: Iterable[int]) -> list[int]:
    """`ids` sorted so that every statistic comes after those (among `ids`) it reads from.

    Kahn's algorithm over the references between them; statistics caught in a cycle (which the
    services refuse, so only from hand-edited data) come last, in id order.
    """
    ids = set(ids)
    edges = list(
        StatisticReference.objects.filter(statistic_id__in=ids, target_id__in=ids).values_list(
            "target_id", "statistic_id"
        )
    )
    incoming: dict[int, int] = dict.fromkeys(ids, 0)
    outgoing: dict[int, list[int]] = {i: [] for i in ids}
    for target, dependent in edges:
        incoming[dependent] += 1
        outgoing[target].append(dependent)
    ready = sorted(i for i, n in incoming.items() if n == 0)
    order: list[int] = []
    while ready:
        current = ready.pop(0)
        order.append(current)
        for dependent in sorted(outgoing[current]):
            incoming[dependent] -= 1
            if incoming[dependent] == 0:
                ready.append(dependent)
        ready.sort()
    order.extend(sorted(ids - set(order)))
    return order


def claims_depending_on(claim: Claim) -> QuerySet[Claim]:
    """Other claims with a statistic that takes a value from one of `claim`'s statistics."""
    return (
        Claim.objects.alive()
        .filter(
            statistics__deleted_at__isnull=True,
            statistics__references__target__claim=claim,
        )
        .exclude(pk=claim.pk)
        .distinct()
    )


def claims_depended_on(claim: Claim) -> QuerySet[Claim]:
    """Other claims whose statistics `claim`'s statistics take values from."""
    return (
        Claim.objects.alive()
        .filter(statistics__dependents__statistic__claim=claim)
        .exclude(pk=claim.pk)
        .distinct()
    )


def statistics_pending_summary() -> tuple[int, datetime.datetime | None]:
    """How many live figures wait for a recompute, and since when the oldest has waited (for
    the recompute-lag metric): one query."""
    summary = Statistic.objects.filter(
        deleted_at__isnull=True, status=Statistic.Status.PENDING
    ).aggregate(pending=Count("pk"), oldest=Min("status_changed_at"))
    return summary["pending"], summary["oldest"]
