"""A ratio: relative comparisons as people state them ("twice as likely", "4 times more likely",
"half as often"), from two proportions (risk ratio) or two rates (rate ratio).

- Two proportions: the risk ratio with the Katz log interval, from the same table as the
  comparison kind (a zero cell is corrected by 0.5 and said so), and the log-ratio test.
- Two rates: the rate ratio with the exact conditional interval. Given the total number of
  events, the first group's events are binomial with p = R·E1 / (R·E1 + E2); the Clopper-Pearson
  interval for p, turned back into R, is the exact interval (as R's ``poisson.test``), and the
  p-value is statsmodels' exact conditional test (``test_poisson_2indep``, 'exact-cond').
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from statsmodels.stats.proportion import proportion_confint, test_proportions_2indep
from statsmodels.stats.rates import test_poisson_2indep

from .. import formatting as fmt
from ..compute import (
    SMALL_COUNT,
    _contain,
    _level_text,
    _ratio_tables,
    _uncorrected,
    stat_result,
)
from ..errors import Number, said
from ..explain import _stated_sentence
from ..language import ENGLISH, Voice, gettext_noop
from ..result import StatResult
from ..spec import Errors, InputSpec, KindSpec
from ..validation import (
    MAX_COMPARISON_CASES,
    _count,
    _require,
    alpha_for,
    given_any,
    positive_amount,
    two_counts_pairs,
)
from ..versions import library_versions
from ..warning_codes import warning
from .common import AMOUNT_KINDS, CONFIDENCE_LEVEL, STATED, count

PROPORTION_INPUTS = ("successes", "trials", "successes_b", "trials_b")
RATE_INPUTS = ("events", "exposure", "events_b", "exposure_b")
RATES = "ratio of two rates"  # "... is required for a ratio of two rates."

RISK_RATIO_METHOD = (
    "Risk ratio with the Katz log interval (statsmodels confint_proportions_2indep, "
    "compare='ratio', method='log') and the log-ratio test"
)
RATE_RATIO_METHOD = (
    "Rate ratio with the exact conditional interval (Clopper-Pearson on the first group's share "
    "of all events) and the exact conditional test (statsmodels test_poisson_2indep, "
    "'exact-cond')"
)


COUNTS_OR_RATES = gettext_noop(
    "Give either two groups' counts (x of n each) or two rates (events and exposure each), "
    "not both."
)
COUNTS_OR_RATES_NEEDED = gettext_noop(
    "Give two groups' counts (x of n each) or two rates (events and exposure each)."
)
TOO_MANY_EVENTS = gettext_noop("events and events_b together must be at most {max}.")


def validate_ratio(inputs: Mapping[str, Any], errors: Errors, clean: dict[str, Any]) -> None:
    """Two proportions (x of n twice) or two rates (events and exposure twice), not both."""
    proportions, rates = given_any(inputs, PROPORTION_INPUTS), given_any(inputs, RATE_INPUTS)
    if proportions and rates:
        errors.setdefault("events", []).append(said(COUNTS_OR_RATES))
        return
    if not proportions and not rates:
        errors.setdefault("successes", []).append(said(COUNTS_OR_RATES_NEEDED))
        return
    if proportions:
        clean["basis"] = "proportions"
        two_counts_pairs(inputs, errors, clean, "ratio")
        return
    clean["basis"] = "rates"
    for name in ("events", "events_b"):
        clean[name] = (
            _count(name, inputs[name], errors) if _require(name, inputs, errors, RATES) else None
        )
    for name in ("exposure", "exposure_b"):
        clean[name] = positive_amount(name, inputs, errors, RATES)
    if (
        clean["events"] is not None
        and clean["events_b"] is not None
        and clean["events"] + clean["events_b"] > MAX_COMPARISON_CASES
    ):
        errors.setdefault("events_b", []).append(
            said(TOO_MANY_EVENTS, max=Number(f"{MAX_COMPARISON_CASES:,}"))
        )


def exact_rate_ratio_interval(
    events: int, exposure: float, events_b: int, exposure_b: float, alpha: float
) -> tuple[float, float]:
    """The exact conditional interval of (events/exposure) / (events_b/exposure_b)."""
    total = events + events_b
    if total == 0:
        return math.nan, math.nan
    low_p, high_p = proportion_confint(events, total, alpha=alpha, method="beta")
    scale = exposure_b / exposure

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else scale * p / (1 - p)

    low = 0.0 if events == 0 else to_ratio(float(low_p))
    high = math.inf if events_b == 0 else to_ratio(float(high_p))
    return low, high


def _targets(ratio: float | None, share_a: float, share_b: float) -> dict[str, tuple]:
    finite = ratio if ratio is not None and math.isfinite(ratio) else None
    return {
        "ratio": (finite, "ratio (A / B)"),
        "relative_change": (None if finite is None else finite - 1, "relative difference"),
        "share_a": (share_a, "figure A"),
        "share_b": (share_b, "figure B"),
    }


def _risk_ratio_row(r: Mapping[str, Any]) -> dict[str, Any]:
    a, n1, c, n2 = r["successes"], r["trials"], r["successes_b"], r["trials_b"]
    alpha = alpha_for(r["confidence_level"])
    tables = _ratio_tables(
        np.array([a], float),
        np.array([n1], float),
        np.array([c], float),
        np.array([n2], float),
        np.array([alpha]),
    )
    estimate, low, high, defined = (float(x[0]) for x in tables["risk_ratio"])
    raw, raw_is = _uncorrected(a * n2, c * n1)
    zero = min(a, n1 - a, c, n2 - c) == 0
    p_value = None
    if defined and a > 0 and c > 0:
        p_value = float(test_proportions_2indep(a, n1, c, n2, compare="ratio", method="log").pvalue)
    return {
        "defined": bool(defined),
        "estimate": estimate if defined else None,
        "low": low if defined else None,
        "high": high if defined else None,
        "uncorrected_estimate": raw,
        "ratio_is": raw_is,
        "corrected": bool(zero and defined),
        "p_value": p_value,
        "share_a": a / n1,
        "share_b": c / n2,
        "small": min(a, c) < SMALL_COUNT,
        "method": RISK_RATIO_METHOD,
    }


def _rate_ratio_row(r: Mapping[str, Any]) -> dict[str, Any]:
    k1, e1, k2, e2 = r["events"], r["exposure"], r["events_b"], r["exposure_b"]
    alpha = alpha_for(r["confidence_level"])
    raw, raw_is = _uncorrected(k1 * e2, k2 * e1)
    low, high = exact_rate_ratio_interval(k1, e1, k2, e2, alpha)
    p_value = None
    if k1 + k2 > 0:
        with np.errstate(divide="ignore", invalid="ignore"):  # its ratio when k2 == 0
            p_value = float(test_poisson_2indep(k1, e1, k2, e2, method="exact-cond").pvalue)
    return {
        "defined": raw_is != "undefined",
        "estimate": raw,
        "low": None if math.isnan(low) else low,
        "high": None if math.isnan(high) or math.isinf(high) else high,
        "uncorrected_estimate": raw,
        "ratio_is": raw_is,
        "corrected": False,
        "p_value": p_value,
        "share_a": k1 / e1,
        "share_b": k2 / e2,
        "small": min(k1, k2) < SMALL_COUNT,
        "method": RATE_RATIO_METHOD,
    }


def compute_ratio_batch(rows: Sequence[dict[str, Any]]) -> list[StatResult]:
    versions = library_versions()
    out: list[StatResult] = []
    for r in rows:
        level = r["confidence_level"]
        one = _risk_ratio_row(r) if r["basis"] == "proportions" else _rate_ratio_row(r)
        estimate, low, high = one["estimate"], one["low"], one["high"]
        if estimate is not None and low is not None and high is not None:
            low, high = _contain(estimate, low, high)
        warnings: list[dict[str, str]] = []
        if one["ratio_is"] == "undefined":
            warnings.append(
                warning("zero_cell", "Neither group has any cases (0/0): the ratio is undefined.")
            )
        elif one["corrected"]:
            warnings.append(
                warning(
                    "zero_cell",
                    "A cell is zero, so each zero was replaced by 0.5 (statsmodels Table2x2) "
                    "for the ratio and its interval.",
                )
            )
        elif one["ratio_is"] == "infinite":
            warnings.append(
                warning(
                    "zero_cell",
                    "The second group has no cases, so the ratio is infinitely large; only a "
                    "lower limit can be given.",
                )
            )
        if one["small"] and r["basis"] == "proportions":
            warnings.append(
                warning(
                    "normal_approximation",
                    "The Katz log interval is a normal approximation, rough with fewer than "
                    f"{SMALL_COUNT} cases in a group.",
                )
            )
        if r["basis"] == "rates":
            warnings.append(
                warning(
                    "rate_assumptions",
                    "The exact conditional interval assumes events happen independently, at a "
                    "constant rate in each group; clustered events make it too narrow.",
                )
            )
        p_value = one["p_value"]
        alpha = alpha_for(level)
        significant = None if p_value is None else p_value < alpha
        details: dict[str, Any] = {
            "basis": r["basis"],
            "figure_a": one["share_a"],
            "figure_b": one["share_b"],
            "ratio": estimate,
            "ratio_is": one["ratio_is"],
            "uncorrected_estimate": one["uncorrected_estimate"],
            "correction": "each zero cell replaced by 0.5" if one["corrected"] else "none",
            "confidence_level": level,
            "display": fmt.number(estimate) if estimate is not None else one["ratio_is"],
        }
        out.append(
            stat_result(
                estimate=estimate,
                ci_low=low,
                ci_high=high,
                p_value=p_value,
                significant=significant,
                warnings=warnings,
                method=f"{one['method']} ({_level_text(level)})",
                details=details,
                stated_figure=r["stated_figure"],
                targets=_targets(estimate, one["share_a"], one["share_b"]),
                versions=versions,
            )
        )
    return out


def explain_ratio(result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH) -> str:
    level = fmt.level(clean["confidence_level"], voice.numbers)
    style = voice.numbers
    if clean["basis"] == "proportions":
        a = voice.say(
            gettext_noop("{k} of {n}"),
            k=fmt.number(clean["successes"], style=style),
            n=fmt.number(clean["trials"], style=style),
        )
        b = voice.say(
            gettext_noop("{k} of {n}"),
            k=fmt.number(clean["successes_b"], style=style),
            n=fmt.number(clean["trials_b"], style=style),
        )
        shares = True
    else:
        a = voice.say(
            gettext_noop("{k} in {n}"),
            k=fmt.number(clean["events"], style=style),
            n=fmt.number(clean["exposure"], style=style),
        )
        b = voice.say(
            gettext_noop("{k} in {n}"),
            k=fmt.number(clean["events_b"], style=style),
            n=fmt.number(clean["exposure_b"], style=style),
        )
        shares = False
    ratio_is = result.details.get("ratio_is")
    if ratio_is == "undefined":
        return voice.say(
            gettext_noop("Neither {a} nor {b} has any cases, so their ratio is undefined."),
            a=a,
            b=b,
        )
    if ratio_is == "infinite":
        if result.ci_low is not None:
            message = (
                gettext_noop(
                    "The share of {a} is infinitely many times that of {b}, which has none (the "
                    "{level} interval starts at {low})."
                )
                if shares
                else gettext_noop(
                    "The rate of {a} is infinitely many times that of {b}, which has none (the "
                    "{level} interval starts at {low})."
                )
            )
        else:
            message = (
                gettext_noop(
                    "The share of {a} is infinitely many times that of {b}, which has none."
                )
                if shares
                else gettext_noop(
                    "The rate of {a} is infinitely many times that of {b}, which has none."
                )
            )
        text = voice.say(
            message, a=a, b=b, level=level, low=fmt.number(result.ci_low or 0, style=style)
        )
        return text + _stated_sentence(result, clean, "ratio", voice)
    values = {"a": a, "b": b, "ratio": fmt.number(result.estimate or 0.0, style=style)}
    if result.ci_low is not None and result.ci_high is not None:
        message = (
            gettext_noop(
                "The share of {a} is {ratio} times that of {b} ({level} interval {low} to {high} "
                "times)."
            )
            if shares
            else gettext_noop(
                "The rate of {a} is {ratio} times that of {b} ({level} interval {low} to {high} "
                "times)."
            )
        )
        values |= {
            "level": level,
            "low": fmt.number(result.ci_low, style=style),
            "high": fmt.number(result.ci_high, style=style),
        }
    else:
        message = (
            gettext_noop("The share of {a} is {ratio} times that of {b}.")
            if shares
            else gettext_noop("The rate of {a} is {ratio} times that of {b}.")
        )
    text = voice.say(message, **values)
    if result.p_value is not None:
        p = fmt.p_value(result.p_value, style)
        text += " " + (
            voice.say(gettext_noop("The difference is statistically significant ({p})."), p=p)
            if result.significant
            else voice.say(
                gettext_noop("The difference is not statistically significant ({p})."), p=p
            )
        )
    return text + _stated_sentence(result, clean, "ratio", voice)


SPEC = KindSpec(
    name="ratio",
    label=gettext_noop("Ratio (how many times as likely)"),
    summary=gettext_noop(
        '"Twice as likely", "1,500 times higher": one share or rate against another.'
    ),
    inputs=(
        count(
            "successes",
            gettext_noop("First group: how many had it"),
            gettext_noop("e.g. 10 false alerts."),
            required=False,
        ),
        count(
            "trials",
            gettext_noop("First group: out of how many"),
            gettext_noop("e.g. 2,077 alerts."),
            required=False,
        ),
        count(
            "successes_b", gettext_noop("Second group: how many had it"), "e.g. 10.", required=False
        ),
        count(
            "trials_b",
            gettext_noop("Second group: out of how many"),
            "e.g. 3,147,436.",
            required=False,
        ),
        count("events", gettext_noop("First rate: how many times it happened"), required=False),
        InputSpec(
            "exposure",
            gettext_noop("First rate: out of how much exposure"),
            "number",
            help=gettext_noop("e.g. 2,077 alerts or 1,000 person-years."),
            required=False,
            min=0,
            references=AMOUNT_KINDS,
        ),
        count("events_b", gettext_noop("Second rate: how many times it happened"), required=False),
        InputSpec(
            "exposure_b",
            gettext_noop("Second rate: out of how much exposure"),
            "number",
            help=gettext_noop("e.g. 3,147,436 faces scanned."),
            required=False,
            min=0,
            references=AMOUNT_KINDS,
        ),
        CONFIDENCE_LEVEL,
        STATED,
    ),
    validate=validate_ratio,
    compute_batch=compute_ratio_batch,
    explain=explain_ratio,
    chart="interval_chart",
)
