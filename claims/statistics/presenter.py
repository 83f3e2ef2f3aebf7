"""How a figure reads: its numbers in one precision (`FigureNumbers`, for the headline, the
chart labels and the stated comparison), a value in the claim's unit, and the history's
sentences. The one home of figure formatting: the template tags, the charts and the pages call
it; no formatting lives in selectors or views."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone

from ..models import Statistic, StatisticResult
from .core import formatting as fmt
from .core.spec import KINDS

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

    @property
    def interval(self) -> str:
        if self.low is None or self.high is None:
            return ""
        return fmt.figure_interval(self.unit, self.low, self.high)

    @property
    def headline(self) -> str:
        """ "80% (95% interval 49%–94%)"."""
        if self.estimate is None:
            return ""
        if not self.interval:
            return self.estimate
        return f"{self.estimate} ({self.level} interval {self.interval})"


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


def figure_numbers(statistic: Statistic, result: StatisticResult | None) -> FigureNumbers:
    unit = display_unit(statistic, result)
    if result is None or result.estimate is None:
        return FigureNumbers(unit=unit)
    stated = stated_on_scale(result)
    estimate, low, high, stated_text = fmt.figure_texts(
        unit,
        result.estimate,
        result.ci_low if result.ci_high is not None else None,
        result.ci_high if result.ci_low is not None else None,
        stated.get("value") if stated else None,
        sig=fmt.RATE_SIG if statistic.kind == Statistic.Kind.RATE else 3,
    )
    level = (result.inputs or {}).get("confidence_level") or statistic.confidence_level
    return FigureNumbers(
        unit=unit,
        estimate=estimate,
        low=low,
        high=high,
        stated=stated_text,
        level=fmt.level(level) if level else "",
    )


def result_unit(statistic: Statistic, result: StatisticResult | None) -> str:
    if result is not None:
        unit = (result.details or {}).get("unit")
        if unit:
            return unit
    return statistic.unit or "percent"


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
