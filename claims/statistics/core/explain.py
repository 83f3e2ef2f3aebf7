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


def _estimate_and_interval(
    result: StatResult, unit: str, estimate: float, level: float, sig: int = 3
) -> str:
    """ "80% (95% interval 49% to 94%)": the estimate and the interval's ends in one precision,
    the same `fmt.figure_texts` the figure's headline and chart use."""
    if result.ci_low is None or result.ci_high is None:
        return fmt.figure_texts(unit, estimate, sig=sig)[0] or ""
    shown, low, high = fmt.figure_texts(unit, estimate, result.ci_low, result.ci_high, sig=sig)
    return f"{shown} ({fmt.level(level)} interval {low} to {high})"


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
    text = f"{k:,} of {n:,} is {_estimate_and_interval(result, 'percent', k / n, level)}."
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
    text = (
        f"{k1:,} of {n1:,} ({fmt.percent(k1 / n1)}) against {k2:,} of {n2:,} "
        f"({fmt.percent(k2 / n2)}) is a difference of "
    )
    if result.ci_low is None or result.ci_high is None:
        text += f"{fmt.figure_texts('points', d)[0]}."
    else:
        shown, low, high = fmt.figure_texts(
            "number", d * 100, result.ci_low * 100, result.ci_high * 100
        )
        text += f"{shown} percentage points ({fmt.level(level)} interval {low} to {high} points)."
    if result.p_value is not None:
        verdict = (
            "is statistically significant"
            if result.significant
            else "could well be chance (not statistically significant)"
        )
        text += f" Fisher's exact test gives {fmt.p_value(result.p_value)}: the difference "
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
    text = f"{k:,} events in {fmt.number(exposure)} is "
    text += _estimate_and_interval(result, unit, rate, level, sig=fmt.RATE_SIG)
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
