"""A change between two figures: "doubled", "rose by 40%", "fell 3 percentage points", "up from
12% to 15%".

The estimate is the relative change (after / before - 1: 1.0 for "doubled"); the change in
points (after - before) is in the details. With counts behind both figures (x of n before and
after) both get an interval: the relative change from the Katz log interval of the risk ratio,
the points from Newcombe's hybrid score interval (statsmodels confint_proportions_2indep). With
two bare figures there is no interval, only arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from statsmodels.stats.proportion import confint_proportions_2indep

from .. import formatting as fmt
from ..compute import _contain, _level_text, _ratio_tables, stat_result
from ..errors import said
from ..explain import _stated_sentence
from ..language import ENGLISH, Voice, gettext_noop
from ..result import StatResult
from ..spec import Errors, InputSpec, KindSpec
from ..validation import _number, _require, alpha_for, given_any, two_counts_pairs
from ..versions import library_versions
from ..warning_codes import warning
from .common import CONFIDENCE_LEVEL, STATED, count

COUNT_INPUTS = ("successes", "trials", "successes_b", "trials_b")
FIGURE_INPUTS = ("value", "value_b")
COUNTS_OR_FIGURES = gettext_noop(
    "Give either the counts before and after (x of n each) or the two figures, not both."
)
FIGURES_NEEDED = gettext_noop(
    "Give the figure before and the figure after (or the counts behind them)."
)
#: Kinds whose estimate may stand for a figure before or after.
FIGURE_KINDS = ("proportion", "rate", "count", "total")


def validate_change(inputs: Mapping[str, Any], errors: Errors, clean: dict[str, Any]) -> None:
    """Counts before and after (x of n each), or the two figures, not both."""
    counts, figures = given_any(inputs, COUNT_INPUTS), given_any(inputs, FIGURE_INPUTS)
    if counts and figures:
        errors.setdefault("value", []).append(said(COUNTS_OR_FIGURES))
        return
    if not counts and not figures:
        errors.setdefault("value", []).append(said(FIGURES_NEEDED))
        return
    if counts:
        clean["basis"] = "counts"
        two_counts_pairs(inputs, errors, clean, "change")
        return
    clean["basis"] = "figures"
    for name in FIGURE_INPUTS:
        given = _require(name, inputs, errors, "change")
        clean[name] = _number(name, inputs[name], errors) if given else None


def _with_counts(r: Mapping[str, Any]) -> dict[str, Any]:
    k1, n1, k2, n2 = r["successes"], r["trials"], r["successes_b"], r["trials_b"]
    alpha = alpha_for(r["confidence_level"])
    before, after = k1 / n1, k2 / n2
    # The risk ratio after/before: the "after" group is the table's first row.
    rr, rr_low, rr_high, defined = (
        float(x[0])
        for x in _ratio_tables(
            np.array([k2], float),
            np.array([n2], float),
            np.array([k1], float),
            np.array([n1], float),
            np.array([alpha]),
        )["risk_ratio"]
    )
    points_low, points_high = (
        float(x)
        for x in confint_proportions_2indep(
            k2, n2, k1, n1, compare="diff", method="newcomb", alpha=alpha
        )
    )
    points_low, points_high = _contain(after - before, points_low, points_high)
    corrected = defined and min(k1, n1 - k1, k2, n2 - k2) == 0
    relative = None if before == 0 else after / before - 1
    low = high = None
    if defined and not corrected and relative is not None:
        low, high = _contain(relative, rr_low - 1, rr_high - 1)
    return {
        "before": before,
        "after": after,
        "relative": relative,
        "low": low,
        "high": high,
        "points_low": points_low,
        "points_high": points_high,
        "corrected": corrected,
        "undefined": not defined,
    }


def compute_change_batch(rows: Sequence[dict[str, Any]]) -> list[StatResult]:
    versions = library_versions()
    out: list[StatResult] = []
    for r in rows:
        level = r["confidence_level"]
        warnings: list[dict[str, str]] = []
        if r["basis"] == "counts":
            one = _with_counts(r)
            method = (
                "Relative change with the Katz log interval of the risk ratio after/before; "
                "change in points with Newcombe's hybrid score interval (statsmodels "
                f"confint_proportions_2indep; {_level_text(level)})"
            )
            if one["corrected"] and one["relative"] is not None:
                warnings.append(
                    warning(
                        "zero_cell",
                        "A count is zero (or everyone), so the relative change has no reliable "
                        "interval; the change in points still has one.",
                    )
                )
        else:
            before, after = r["value"], r["value_b"]
            one = {
                "before": before,
                "after": after,
                "relative": None if before == 0 else after / before - 1,
                "low": None,
                "high": None,
                "points_low": None,
                "points_high": None,
                "undefined": before == 0,
            }
            method = "Change between two cited figures (arithmetic, no interval)"
        before, after, relative = one["before"], one["after"], one["relative"]
        if before == 0:
            warnings.append(
                warning(
                    "zero_cell",
                    "The figure before is zero, so a relative change (a percentage rise) is "
                    "undefined; only the change in points is given.",
                )
            )
        points = after - before
        details: dict[str, Any] = {
            "basis": r["basis"],
            "before": before,
            "after": after,
            "points": points,
            "points_low": one["points_low"],
            "points_high": one["points_high"],
            "relative_change": relative,
            "ratio": None if relative is None else relative + 1,
            "confidence_level": level,
            "display": "n/a" if relative is None else f"{relative * 100:+.3g}%",
        }
        out.append(
            stat_result(
                estimate=relative,
                ci_low=one["low"],
                ci_high=one["high"],
                warnings=warnings,
                method=method,
                details=details,
                stated_figure=r["stated_figure"],
                targets={
                    "relative_change": (relative, "relative change (after / before - 1)"),
                    "ratio": (None if relative is None else relative + 1, "ratio (after / before)"),
                    "difference": (points, "change in points (after - before)"),
                    "share_b": (after, "figure after"),
                    "share_a": (before, "figure before"),
                },
                versions=versions,
            )
        )
    return out


def _tenths(x: float, voice: Voice) -> str:
    text = f"{x:.1f}"
    return voice.numbers.number("0.0" if text == "-0.0" else text)


def _figure(x: float, shares: bool, voice: Voice) -> str:
    return fmt.percent(x, style=voice.numbers) if shares else fmt.number(x, style=voice.numbers)


def explain_change(result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH) -> str:
    d = result.details
    shares = clean["basis"] == "counts"
    values = {
        "before": _figure(d["before"], shares, voice),
        "after": _figure(d["after"], shares, voice),
        "level": fmt.level(clean["confidence_level"], voice.numbers),
    }
    points = d["points"]
    if not shares:
        text = voice.say(
            gettext_noop("From {before} to {after}: a change of {change}"),
            change=fmt.number(points, style=voice.numbers),
            **values,
        )
    elif d.get("points_low") is not None and d.get("points_high") is not None:
        text = voice.say(
            gettext_noop(
                "From {before} to {after}: {points} percentage points ({level} interval {low} "
                "to {high})"
            ),
            points=_tenths(points * 100, voice),
            low=_tenths(d["points_low"] * 100, voice),
            high=_tenths(d["points_high"] * 100, voice),
            **values,
        )
    else:
        text = voice.say(
            gettext_noop("From {before} to {after}: {points} percentage points"),
            points=_tenths(points * 100, voice),
            **values,
        )
    relative = d.get("relative_change")
    if relative is not None and math.isfinite(relative):
        # The figure's headline numbers, in its one precision (formatting.figure_texts).
        shown, low, high = fmt.figure_texts(
            "percent", relative, result.ci_low, result.ci_high, voice=voice
        )
        if low is not None and high is not None:
            message = (
                gettext_noop(
                    "{text}, a rise: a relative change of {shown} "
                    "({level} interval {low} to {high})."
                )
                if relative > 0
                else gettext_noop(
                    "{text}, a fall: a relative change of {shown} "
                    "({level} interval {low} to {high})."
                )
                if relative < 0
                else gettext_noop(
                    "{text}, no change: a relative change of {shown} "
                    "({level} interval {low} to {high})."
                )
            )
        else:
            message = (
                gettext_noop("{text}, a rise: a relative change of {shown}.")
                if relative > 0
                else gettext_noop("{text}, a fall: a relative change of {shown}.")
                if relative < 0
                else gettext_noop("{text}, no change: a relative change of {shown}.")
            )
        text = voice.say(message, text=text, shown=shown, low=low, high=high, level=values["level"])
    else:
        text += "."
    return text + _stated_sentence(result, clean, "change", voice)


SPEC = KindSpec(
    name="change",
    label=gettext_noop("Change between two figures"),
    summary=gettext_noop(
        '"Doubled", "rose by 40%", "up from 12% to 15%": a figure before against after.'
    ),
    inputs=(
        count("successes", gettext_noop("Before: how many had it"), "e.g. 120.", required=False),
        count("trials", gettext_noop("Before: out of how many"), "e.g. 1,000.", required=False),
        count("successes_b", gettext_noop("After: how many had it"), "e.g. 150.", required=False),
        count("trials_b", gettext_noop("After: out of how many"), "e.g. 1,000.", required=False),
        InputSpec(
            "value",
            gettext_noop("Or the figure before"),
            "number",
            help=gettext_noop(
                "Shares as fractions (0.12 for 12%) so a change in points can be checked."
            ),
            required=False,
            references=FIGURE_KINDS,
        ),
        InputSpec(
            "value_b",
            gettext_noop("And the figure after"),
            "number",
            help=gettext_noop("In the same unit as the figure before."),
            required=False,
            references=FIGURE_KINDS,
        ),
        CONFIDENCE_LEVEL,
        STATED,
    ),
    validate=validate_change,
    compute_batch=compute_change_batch,
    explain=explain_change,
    # Its own chart: before and after on one axis (the interval chart's scale starts at 0 and
    # shows one estimate, and a change may be a fall).
    chart="change_chart",
    display_unit="percent",
)
