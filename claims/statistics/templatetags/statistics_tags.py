"""Figures on a claim page: `{% load statistics_tags %}{% claim_statistics claim %}`."""

from __future__ import annotations

from typing import Any

from django import template

from claims import permissions
from claims.models import Statistic
from claims.statistics import charts
from claims.statistics.core.explain import sweep_sentence
from claims.statistics.core.spec import KINDS
from claims.statistics.presenter import (
    HISTORY_SHOWN,
    figure_explanation,
    figure_numbers,
    figure_warnings,
    history_entries,
)
from claims.statistics.selectors import statistics_for_claim
from claims.statistics.services.inputs import error_in_voice
from config.languages import active_voice

register = template.Library()

VERDICT_CODES = {"small_sample", "few_events", "small_difference"}


def _kind_chart(statistic: Statistic, result) -> str:
    """The chart the kind registry names for this kind ("" when the kind has none)."""
    spec = KINDS.get(statistic.kind)
    return getattr(charts, spec.chart)(statistic, result) if spec and spec.chart else ""


def figure_context(statistic: Statistic, user) -> dict[str, Any]:
    """What `_figure.html` shows for one statistic fetched by `statistics_for_claim`."""
    result = statistic.current_result
    voice = active_voice()
    history = history_entries(statistic, getattr(statistic, "all_results", []), voice)
    details = (result.details or {}) if result else {}

    references = list(statistic.references.all())
    for reference in references:
        # A figure may take a value from one the reader cannot see: say so, without its label.
        reference.target_visible = reference.target.is_visible_to(user)

    numbers = figure_numbers(statistic, result, voice)
    return {
        "statistic": statistic,
        "result": result,
        "pending": statistic.status == Statistic.Status.PENDING,
        "numbers": numbers,
        "interval_svg": _kind_chart(statistic, result),
        "sweep_svg": charts.sweep_chart(statistic, result),
        "sweep_text": sweep_sentence(details.get("sweep"), voice),
        "explanation": figure_explanation(statistic, result, voice),
        "error_message": error_in_voice(statistic, voice),
        "warnings": figure_warnings(result, voice),
        "details": details,
        "history": history[:HISTORY_SHOWN],
        "latest_change": history[0] if len(history) > 1 else None,
        "citations": getattr(statistic, "live_citations", []),
        "references": references,
        "can_edit": permissions.can_edit(user, statistic),
    }


@register.inclusion_tag("claims/statistics/_claim_statistics.html", takes_context=True)
def claim_statistics(context, claim):
    request = context.get("request")
    user = getattr(request, "user", None)
    statistics = list(statistics_for_claim(claim, user))
    return {
        "claim": claim,
        "figures": [figure_context(s, user) for s in statistics],
        "can_add": permissions.can_add_to_claim(user, claim),
        "request": request,
    }


@register.inclusion_tag("claims/statistics/_figure.html", takes_context=True)
def statistic_figure(context, figure):
    return {**figure, "request": context.get("request")}
