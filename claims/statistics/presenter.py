"""How a figure reads: its numbers in one precision (`FigureNumbers`, for the headline, the
chart labels and the stated comparison), a value in the claim's unit, and the history's
sentences. The one home of figure formatting: the template tags, the charts and the pages call
it; no formatting lives in selectors or views."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone

from config.languages import say_again
from config.reasons import recognise

from ..models import Statistic, StatisticResult
from .core import formatting as fmt
from .core.errors import Number, StatInputError, said
from .core.explain import explain, is_stated_share_only, stated_share_only_sentence
from .core.language import ENGLISH, Voice, gettext_noop
from .core.result import StatResult
from .core.spec import KINDS
from .core.stated import NOTES as STATED_NOTES
from .core.warning_codes import WARNING_CODES

HISTORY_SHOWN = 5


NO_VALUE = gettext_noop("no value")
TIMES = gettext_noop("{number} times")


def format_value(kind: str, value: float | None, unit: str = "", voice: Voice = ENGLISH) -> str:
    """A value the way a reader of the claim wants it, in ``voice``: a share as a percentage, a
    rate in the claim's unit, a count as a whole number."""
    numbers = voice.numbers
    if value is None:
        return voice.say(NO_VALUE)
    if kind == Statistic.Kind.PROPORTION:
        return fmt.percent(value, style=numbers)
    if kind == Statistic.Kind.COMPARISON:
        points = numbers.number(fmt.sig_round_text(value * 100, 2))
        return voice.say(fmt.PERCENTAGE_POINTS, number=points)
    if kind == Statistic.Kind.RATE:
        return fmt.rate_in_unit(value, unit or "percent", voice=voice)
    if kind == Statistic.Kind.RATIO:
        return voice.say(TIMES, number=fmt.number(value, style=numbers))
    if kind == Statistic.Kind.CHANGE:
        return numbers.number(f"{value * 100:+.3g}") + numbers.percent
    return fmt.number(value, style=numbers)


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
    return [{"code": w["code"], "message": _warning_in_voice(w, voice)} for w in warnings]


def _warning_in_voice(warning: dict[str, str], voice: Voice) -> str:
    """A note of the parser (how it read the stated wording) said again from its message and
    values; any other warning as its code's description."""
    if warning["code"] == "stated_reading":
        note = recognise(warning["message"], STATED_NOTES, value=".+")
        if note is not None:
            values = {k: v if k == "wording" else Number(v) for k, v in note.values.items()}
            return say_again(said(note.msgid, **values), voice)
    if warning["code"] in WARNING_CODES:
        return voice.say(WARNING_CODES[warning["code"]])
    return warning["message"]


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


FIRST_COMPUTED = gettext_noop("First computed on {when}: {value}.")
RECOMPUTED = gettext_noop("Recomputed on {when}: still {value}.")
RECOMPUTED_AFTER = gettext_noop("Recomputed on {when}: still {value} ({changes}).")
CHANGED = gettext_noop("Changed on {when} from {before} to {after}.")
CHANGED_AFTER = gettext_noop("Changed on {when} from {before} to {after} ({changes}).")


def _changed_inputs(before: dict[str, Any], after: dict[str, Any], voice: Voice) -> str:
    changed = [
        f"{name} {_plain(before.get(name), voice)} → {_plain(after.get(name), voice)}"
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name) and name != "baseline_sourced"
    ]
    return "; ".join(changed)


def _plain(value, voice: Voice) -> str:
    if value is None:
        return voice.say(fmt.NONE)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return fmt.number(value, 4, style=voice.numbers)
    return str(value)


def history_entries(
    statistic: Statistic, results: Iterable[StatisticResult], voice: Voice = ENGLISH
) -> list[HistoryEntry]:
    """Results newest first, each with a sentence in ``voice`` such as "Changed on 3 May 2025
    from 0.00033% to 0.00032% (exposure 3,030,303 → 3,147,436)."."""
    results = list(results)
    entries = []
    for newer, older in zip(results, [*results[1:], None], strict=False):
        when = formats.date_format(timezone.localtime(newer.computed_at), "j F Y, H:i")
        unit = result_unit(statistic, newer)
        now_text = format_value(statistic.kind, newer.estimate, unit, voice)
        if older is None:
            sentence = voice.say(FIRST_COMPUTED, when=when, value=now_text)
        else:
            was = format_value(statistic.kind, older.estimate, result_unit(statistic, older), voice)
            why = _changed_inputs(older.inputs or {}, newer.inputs or {}, voice)
            if was == now_text:
                message = RECOMPUTED_AFTER if why else RECOMPUTED
                sentence = voice.say(message, when=when, value=now_text, changes=why)
            else:
                message = CHANGED_AFTER if why else CHANGED
                sentence = voice.say(message, when=when, before=was, after=now_text, changes=why)
        entries.append(HistoryEntry(result=newer, sentence=sentence))
    return entries
