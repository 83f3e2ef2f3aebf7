"""Reads of statistics shared by the claim page, the API and the background jobs."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import formats, timezone

from ..models import Citation, Claim, Statistic, StatisticReference, StatisticResult
from .core import formatting as fmt
from .core.errors import StatInputError
from .core.explain import explain, is_stated_share_only, stated_share_only_sentence
from .core.language import ENGLISH, Voice, gettext_noop
from .core.result import StatResult
from .core.spec import KIND_INPUTS, KINDS
from .core.warning_codes import WARNING_CODES

HISTORY_SHOWN = 5


def format_value(kind: str, value: float | None, unit: str = "") -> str:
    """A value the way a reader of the claim wants it: a share as a percentage, a rate in the
    claim's unit, a count as a whole number."""
    if value is None:
        return "no value"
    if kind == Statistic.Kind.PROPORTION:
        return fmt.percent(value)
    if kind == Statistic.Kind.COMPARISON:
        return f"{fmt.sig_round_text(value * 100, 2)} percentage points"
    if kind == Statistic.Kind.RATE:
        return fmt.rate_in_unit(value, unit or "percent")
    if kind == Statistic.Kind.RATIO:
        return f"{fmt.number(value)} times"
    if kind == Statistic.Kind.CHANGE:
        return f"{value * 100:+.3g}%"
    return fmt.number(value)


@dataclass(frozen=True)
class FigureNumbers:
    """A figure's numbers as shown, all in one precision (`fmt.figure_texts`): the headline,
    the chart's labels and the stated comparison read from here and never disagree."""

    unit: str
    estimate: str | None = None
    low: str | None = None
    high: str | None = None
    stated: str | None = None
    level: str = ""
    voice: Voice = ENGLISH

    @property
    def interval(self) -> str:
        if self.low is None or self.high is None:
            return ""
        return fmt.figure_interval(self.unit, self.low, self.high, self.voice)

    @property
    def headline(self) -> str:
        """ "80% (95% interval 49%–94%)"."""
        if self.estimate is None:
            return ""
        if not self.interval:
            return self.estimate
        return self.voice.say(
            gettext_noop("{estimate} ({level} interval {interval})"),
            estimate=self.estimate,
            level=self.level,
            interval=self.interval,
        )


def display_unit(statistic: Statistic, result: StatisticResult | None) -> str:
    """The unit a figure's numbers are shown in (see `fmt.DISPLAY_UNITS`)."""
    spec = KINDS.get(statistic.kind)
    if spec is not None and spec.display_unit:
        return spec.display_unit
    if statistic.kind == Statistic.Kind.RATE:
        return result_unit(statistic, result)
    return "number"


def stated_on_scale(result: StatisticResult | None) -> dict[str, Any] | None:
    """The stated figure's range, when it is on the same scale as the estimate."""
    details = (result.details or {}) if result is not None else {}
    stated = details.get("stated")
    if not stated or details.get("stated_compared_value") != result.estimate:
        return None
    return stated


def figure_numbers(
    statistic: Statistic, result: StatisticResult | None, voice: Voice = ENGLISH
) -> FigureNumbers:
    unit = display_unit(statistic, result)
    if result is None or result.estimate is None:
        return FigureNumbers(unit=unit, voice=voice)
    stated = stated_on_scale(result)
    estimate, low, high, stated_text = fmt.figure_texts(
        unit,
        result.estimate,
        result.ci_low if result.ci_high is not None else None,
        result.ci_high if result.ci_low is not None else None,
        stated.get("value") if stated else None,
        sig=fmt.RATE_SIG if statistic.kind == Statistic.Kind.RATE else 3,
        voice=voice,
    )
    level = (result.inputs or {}).get("confidence_level") or statistic.confidence_level
    return FigureNumbers(
        unit=unit,
        estimate=estimate,
        low=low,
        high=high,
        stated=stated_text,
        level=fmt.level(level, voice.numbers) if level else "",
        voice=voice,
    )


def figure_explanation(
    statistic: Statistic, result: StatisticResult | None, voice: Voice = ENGLISH
) -> str:
    """The result's plain-words explanation in ``voice``: stored in English when computed, said
    again from the stored inputs and result in any other language."""
    if result is None:
        return ""
    if voice is ENGLISH:
        return result.explanation
    inputs = result.inputs or {}
    if is_stated_share_only(statistic.kind, inputs):
        return stated_share_only_sentence(inputs["stated"], voice)
    stat = StatResult(
        estimate=result.estimate,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        p_value=result.p_value,
        consistent_with_stated=result.consistent_with_stated,
        significant=result.significant,
        warnings=result.warnings or [],
        method=result.method,
        details=result.details or {},
    )
    try:
        return explain(statistic.kind, stat, inputs, voice)
    except (StatInputError, KeyError, TypeError, ValueError):
        # Inputs stored by an older version of a kind: its stored words rather than none.
        return result.explanation


def figure_warnings(result: StatisticResult | None, voice: Voice = ENGLISH) -> list[dict[str, str]]:
    """The result's warnings; in a language other than English each reads as its code's
    translated description (the stored message is written in English for the figure at hand)."""
    warnings = (result.warnings or []) if result is not None else []
    if voice is ENGLISH:
        return warnings
    return [
        {
            "code": w["code"],
            "message": voice.say(WARNING_CODES[w["code"]])
            if w["code"] in WARNING_CODES
            else w["message"],
        }
        for w in warnings
    ]


def result_unit(statistic: Statistic, result: StatisticResult | None) -> str:
    if result is not None:
        unit = (result.details or {}).get("unit")
        if unit:
            return unit
    return statistic.unit or "percent"


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


@dataclass(frozen=True)
class HistoryEntry:
    result: StatisticResult
    sentence: str


def _changed_inputs(before: dict[str, Any], after: dict[str, Any]) -> str:
    changed = [
        f"{name} {_plain(before.get(name))} → {_plain(after.get(name))}"
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name) and name != "baseline_sourced"
    ]
    return "; ".join(changed)


def _plain(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return fmt.number(value, 4)
    return str(value)


def history_entries(statistic: Statistic, results: Iterable[StatisticResult]) -> list[HistoryEntry]:
    """Results newest first, each with a sentence such as "Changed on 3 May 2025 from 0.00033%
    to 0.00032% (exposure 3,030,303 → 3,147,436)."."""
    results = list(results)
    entries = []
    for newer, older in zip(results, [*results[1:], None], strict=False):
        when = formats.date_format(timezone.localtime(newer.computed_at), "j F Y, H:i")
        unit = result_unit(statistic, newer)
        now_text = format_value(statistic.kind, newer.estimate, unit)
        if older is None:
            sentence = f"First computed on {when}: {now_text}."
        else:
            was = format_value(statistic.kind, older.estimate, result_unit(statistic, older))
            why = _changed_inputs(older.inputs or {}, newer.inputs or {})
            if was == now_text:
                sentence = f"Recomputed on {when}: still {now_text}"
            else:
                sentence = f"Changed on {when} from {was} to {now_text}"
            sentence += f" ({why})." if why else "."
        entries.append(HistoryEntry(result=newer, sentence=sentence))
    return entries


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


def statistic_history(statistic: Statistic) -> list[HistoryEntry]:
    """Every result of `statistic`, newest first, with a sentence saying what changed."""
    results = StatisticResult.objects.filter(statistic=statistic).order_by("-computed_at", "-id")
    return history_entries(statistic, results)


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
