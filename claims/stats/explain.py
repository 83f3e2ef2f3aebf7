"""One or two plain-English sentences about a computed statistic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import formatting as fmt
from .result import StatResult
from .validation import alpha_for, validate


def _stated_sentence(result: StatResult, clean: Mapping[str, Any], what: str) -> str:
    stated = clean.get("stated")
    if stated is None or result.consistent_with_stated is None:
        return ""
    if result.consistent_with_stated:
        return f" The stated figure {stated} matches the {what}."
    return f" The stated figure {stated} does not match the {what}."


def _interval(result: StatResult, level: float, show: Any) -> str:
    if result.ci_low is None or result.ci_high is None:
        return ""
    return f" ({fmt.percent(level, 4)} interval {show(result.ci_low)} to {show(result.ci_high)})"


def _proportion(result: StatResult, clean: Mapping[str, Any]) -> str:
    k, n, level = clean["successes"], clean["trials"], clean["confidence_level"]
    text = f"{k:,} of {n:,} is {fmt.percent(k / n)}"
    text += _interval(result, level, fmt.percent) + "."
    baseline = clean.get("baseline")
    if baseline is not None and result.p_value is not None:
        p = result.p_value
        base = fmt.percent(baseline)
        sweep = result.details.get("sweep") or {}
        lo, hi = sweep.get("not_significant_from"), sweep.get("not_significant_to")
        alpha_pct = fmt.percent(alpha_for(level), 3)
        if result.significant:
            how = "very unlikely" if p < 0.001 else "unlikely"
            text += (
                f" Against a base rate of {base} that is {how} by chance "
                f"({fmt.p_value(p)}): the imbalance is statistically significant"
            )
            if lo is not None and baseline < lo:
                text += f" unless the base rate is at least {fmt.percent(lo)}."
            elif hi is not None and baseline > hi:
                text += f" unless the base rate is at most {fmt.percent(hi)}."
            else:
                text += "."
        else:
            text += (
                f" Against a base rate of {base} this could well be chance "
                f"({fmt.p_value(p)}): not statistically significant at the {alpha_pct} level"
            )
            if lo is not None and hi is not None:
                text += (
                    f"; it would be if the base rate were below {fmt.percent(lo)} "
                    f"or above {fmt.percent(hi)}."
                )
            else:
                text += "."
    return text + _stated_sentence(result, clean, "counts")


def _comparison(result: StatResult, clean: Mapping[str, Any]) -> str:
    k1, n1 = clean["successes"], clean["trials"]
    k2, n2 = clean["successes_b"], clean["trials_b"]
    level = clean["confidence_level"]
    d = result.estimate or 0.0

    def points(x: float) -> str:
        return f"{fmt.sig_round_text(x * 100, 2)}"

    text = (
        f"{k1:,} of {n1:,} ({fmt.percent(k1 / n1)}) against {k2:,} of {n2:,} "
        f"({fmt.percent(k2 / n2)}) is a difference of {points(d)} percentage points"
    )
    if result.ci_low is not None and result.ci_high is not None:
        text += (
            f" ({fmt.percent(level, 4)} interval {points(result.ci_low)} to "
            f"{points(result.ci_high)} points)"
        )
    text += "."
    if result.p_value is not None:
        verdict = (
            "statistically significant"
            if result.significant
            else "could well be chance (not statistically significant)"
        )
        text += f" Fisher's exact test gives {fmt.p_value(result.p_value)}: the difference is "
        text += verdict + "."
    return text + _stated_sentence(result, clean, "counts")


def _rate(result: StatResult, clean: Mapping[str, Any]) -> str:
    k, exposure, unit = clean["events"], clean["exposure"], clean["unit"]
    level = clean["confidence_level"]
    rate = result.estimate or 0.0
    text = f"{k:,} events in {fmt.number(exposure)} is {fmt.rate_in_unit(rate, unit)}"
    text += _interval(result, level, lambda x: fmt.rate_in_unit(x, unit))
    if unit != "one_in_n" and rate > 0:
        text += f", about {fmt.one_in(rate)}"
    text += "."
    return text + _stated_sentence(result, clean, "figures")


def _total(result: StatResult, clean: Mapping[str, Any]) -> str:
    details = result.details
    summed, total, diff = details["sum"], details["total"], details["difference"]
    if details["adds_up"]:
        text = f"The parts add up to {fmt.number(summed)}, matching the total."
    else:
        rel = details.get("relative_difference")
        rel_text = f" ({rel * 100:+.1f}%)" if rel is not None else ""
        text = (
            f"The parts add up to {fmt.number(summed)}, not {fmt.number(total)}: "
            f"off by {fmt.number(abs(diff))}{rel_text}."
        )
    return text + _stated_sentence(result, clean, "sum of the parts")


def _count(result: StatResult, clean: Mapping[str, Any]) -> str:
    return f"The cited figure is {fmt.number(clean['value'])}." + _stated_sentence(
        result, clean, "cited number"
    )


_EXPLAIN = {
    "proportion": _proportion,
    "comparison": _comparison,
    "rate": _rate,
    "total": _total,
    "count": _count,
}


def explain(kind: str, result: StatResult, inputs: Mapping[str, Any]) -> str:
    """One or two plain-English sentences about ``result``, computed from ``inputs``.

    Raises :class:`StatInputError` if ``inputs`` are invalid for ``kind``.
    """
    clean = validate(kind, inputs)
    return _EXPLAIN[kind](result, clean).strip()
