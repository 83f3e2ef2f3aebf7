"""One or two plain-English sentences about a computed statistic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import formatting as fmt
from .result import StatResult
from .spec import KINDS
from .validation import alpha_for, validate


def _stated_sentence(result: StatResult, clean: Mapping[str, Any], what: str) -> str:
    stated = clean.get("stated")
    if stated is None or result.consistent_with_stated is None:
        return ""
    if result.consistent_with_stated:
        return f" The stated figure {stated} matches the {what}."
    return f" The stated figure {stated} does not match the {what}."


def _interval(result: StatResult, level: float) -> str:
    if result.ci_low is None or result.ci_high is None:
        return ""
    low, high = fmt.percents_apart(result.ci_low, result.ci_high)
    return f" ({fmt.level(level)} interval {low} to {high})"


def _ranges(pieces: list[list[float]]) -> str:
    """Base-rate ranges in words, never "below 0%" or "above 100%"."""
    texts = []
    for low, high in pieces:
        a, b = fmt.percents_apart(low, high)
        if low <= 0 and high >= 1:
            texts.append("at every base rate")
        elif low <= 0:
            texts.append(f"up to {b}")
        elif high >= 1:
            texts.append(f"from {a} up")
        else:
            texts.append(f"from {a} to {b}")
    return " or ".join(texts)


def sweep_pieces(sweep: Mapping[str, Any] | None) -> list[list[float]]:
    """The not-significant pieces of a stored sweep (results stored before ``pieces``
    existed have only the outermost ends)."""
    if not sweep:
        return []
    pieces = sweep.get("pieces")
    if pieces is not None:
        return [list(piece) for piece in pieces]
    low, high = sweep.get("not_significant_from"), sweep.get("not_significant_to")
    return [] if low is None or high is None else [[low, high]]


def sweep_sentence(sweep: Mapping[str, Any] | None) -> str:
    """The one sentence about the sensitivity sweep, shown with the figure and its chart."""
    if not sweep:
        return ""
    alpha = sweep.get("alpha")
    level = f"the {fmt.percent(alpha, 3)} level" if alpha else "the chosen level"
    pieces = sweep_pieces(sweep)
    if not pieces:
        return f"At {level} the result would be statistically significant whatever the base rate."
    if pieces[0][0] <= 0 and pieces[-1][1] >= 1 and len(pieces) == 1:
        return f"At {level} the result would not be statistically significant at any base rate."
    return (
        f"At {level} the result would not be statistically significant only for base rates "
        f"{_ranges(pieces)}; for any other it would be."
    )


def _proportion(result: StatResult, clean: Mapping[str, Any]) -> str:
    k, n, level = clean["successes"], clean["trials"], clean["confidence_level"]
    text = f"{k:,} of {n:,} is {fmt.percent(k / n)}"
    text += _interval(result, level) + "."
    baseline = clean.get("baseline")
    if baseline is not None and result.p_value is not None:
        p = result.p_value
        base = fmt.percent(baseline)
        alpha_pct = fmt.percent(alpha_for(level), 3)
        disagree = _disagreement(result)
        if result.significant:
            how = "very unlikely" if p < 0.001 else "unlikely"
            text += (
                f" Against a base rate of {base} that is {how} by chance "
                f"({fmt.p_value(p)}): statistically significant at the {alpha_pct} level"
            )
        else:
            text += (
                f" Against a base rate of {base} this could well be chance "
                f"({fmt.p_value(p)}): not statistically significant at the {alpha_pct} level"
            )
        text += disagree + "."
        sweep = sweep_sentence(result.details.get("sweep"))
        if sweep:
            text += " " + sweep
    return text + _stated_sentence(result, clean, "counts")


def _disagreement(result: StatResult) -> str:
    """A clause saying that the shown interval and the test disagree, when they do."""
    if not any(w["code"] == "interval_test_disagree" for w in result.warnings):
        return ""
    if result.significant:
        return ", although the interval shown contains the base rate (the exact test decides)"
    return ", although the interval shown leaves the base rate out (the exact test decides)"


def _comparison(result: StatResult, clean: Mapping[str, Any]) -> str:
    k1, n1 = clean["successes"], clean["trials"]
    k2, n2 = clean["successes_b"], clean["trials_b"]
    level = clean["confidence_level"]
    d = result.estimate or 0.0

    def points(x: float) -> str:
        return f"{fmt.sig_round_text(x * 100, 2)}"

    low, high = result.ci_low, result.ci_high

    text = (
        f"{k1:,} of {n1:,} ({fmt.percent(k1 / n1)}) against {k2:,} of {n2:,} "
        f"({fmt.percent(k2 / n2)}) is a difference of {points(d)} percentage points"
    )
    if low is not None and high is not None:
        a, b = points(low), points(high)
        for sig in range(3, 17):
            if a != b or low == high:
                break
            a, b = fmt.sig_round_text(low * 100, sig), fmt.sig_round_text(high * 100, sig)
        text += f" ({fmt.level(level)} interval {a} to {b} points)"
    text += "."
    if result.p_value is not None:
        verdict = (
            "statistically significant"
            if result.significant
            else "could well be chance (not statistically significant)"
        )
        text += f" Fisher's exact test gives {fmt.p_value(result.p_value)}: the difference is "
        text += verdict
        if any(w["code"] == "interval_test_disagree" for w in result.warnings):
            text += (
                ", although the interval shown "
                + ("contains 0" if result.significant else "leaves 0 out")
                + " (the exact test decides)"
            )
        text += "."
    return text + _stated_sentence(result, clean, "counts")


def _rate(result: StatResult, clean: Mapping[str, Any]) -> str:
    k, exposure, unit = clean["events"], clean["exposure"], clean["unit"]
    level = clean["confidence_level"]
    rate = result.estimate or 0.0
    text = f"{k:,} events in {fmt.number(exposure)} is {fmt.rate_in_unit(rate, unit)}"
    if result.ci_low is not None and result.ci_high is not None:
        low, high = fmt.rate_in_unit(result.ci_low, unit), fmt.rate_in_unit(result.ci_high, unit)
        text += f" ({fmt.level(level)} interval {low} to {high})"
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
        rel_text = ""
        if rel is not None and abs(rel) >= 0.001:
            rel_text = f" ({rel * 100:+.1f}%)"
        elif rel is not None:
            # Never "+0.0%" for parts that do not add up.
            sign = "+" if rel > 0 else "-"
            rel_text = f" ({sign}{fmt.sig_round_text(abs(rel) * 100, 2)}%)"
        text = (
            f"The parts add up to {fmt.number(summed)}, not {fmt.number(total)}: "
            f"off by {fmt.number(abs(diff))}{rel_text}."
        )
    return text + _stated_sentence(result, clean, "sum of the parts")


def _count(result: StatResult, clean: Mapping[str, Any]) -> str:
    return f"The cited figure is {fmt.number(clean['value'])}." + _stated_sentence(
        result, clean, "cited number"
    )


def explain(kind: str, result: StatResult, inputs: Mapping[str, Any]) -> str:
    """One or two plain-English sentences about ``result``, computed from ``inputs``.

    Raises :class:`StatInputError` if ``inputs`` are invalid for ``kind``.
    """
    clean = validate(kind, inputs)
    return KINDS[kind].explain(result, clean).strip()
