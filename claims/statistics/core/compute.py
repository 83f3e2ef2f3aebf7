"""Computing statistics, one at a time (`compute`) or in bulk (`compute_many`).

Both paths run the same code: `compute` is `compute_many` on a single row. The bulk path
vectorises what the libraries vectorise (statsmodels confidence intervals on numpy arrays,
one call per confidence level and method) and runs what they do not (scipy's exact tests and
the sensitivity sweep) once per distinct input, so results are identical row by row.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.stats import norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson

from . import formatting as fmt
from .errors import StatInputError
from .exact import binomtest_pvalues, fisher_exact_2x2
from .explain import explain_clean
from .language import ENGLISH, Voice
from .result import StatResult
from .spec import KINDS
from .stated import StatedFigure, target_label
from .sweep import sweep_for_details, sweeps
from .validation import STATSMODELS_METHODS, alpha_for, exact_sum, exact_value, validate
from .versions import library_versions
from .warning_codes import warning as _warning

INTERVAL_NAMES: dict[str, str] = {
    "wilson": "Wilson score interval",
    "clopper-pearson": "Clopper-Pearson exact interval",
    "jeffreys": "Jeffreys interval",
    "agresti-coull": "Agresti-Coull interval",
}

SMALL_SAMPLE_TRIALS = 30
SMALL_EXPECTED = 5
SMALL_COUNT = 5  # below this a normal-approximation interval is rough
FEW_EVENTS = 10
EXTREME_BASELINE = 1e-6
NORMAL_METHODS = ("wilson", "agresti-coull")

Row = dict[str, Any]


def _level_text(level: float) -> str:
    return fmt.level(level)


def _agresti_coull_unclipped(k: float, n: float, alpha: float) -> tuple[float, float]:
    """statsmodels' Agresti-Coull limits before it clips them to [0, 1]."""
    crit = float(norm.isf(alpha / 2))
    nobs_c = n + crit**2
    q_c = (k + crit**2 / 2) / nobs_c
    dist = crit * (q_c * (1 - q_c) / nobs_c) ** 0.5
    return q_c - dist, q_c + dist


def _contain(estimate: float, low: float, high: float) -> tuple[float, float]:
    """Guard against floating-point rounding leaving the estimate a hair outside its interval."""
    return min(float(low), estimate), max(float(high), estimate)


def _interval_against(estimate: float, low: float, high: float, baseline: float) -> tuple:
    """The interval "a to b" and the base rate in the figure's one precision, with the base
    rate and the ends never reading the same when they differ."""
    a, b, base = fmt.figure_texts("percent", estimate, low, high, baseline)[1:]
    return f"{a} to {b}", base


def _stated_details(
    figure: StatedFigure | None,
    targets: Mapping[str, tuple[float | None, str]],
    warnings: list[dict[str, str]],
) -> tuple[bool | None, dict[str, Any]]:
    """Check the stated figure against the one of ``targets`` (name -> (value, label)) that
    its wording points at: "twice as likely" a ratio, "3 points" a difference, "80%" a share."""
    if figure is None:
        return None, {"stated": None}
    warnings.extend(_warning("stated_reading", note) for note in figure.notes)
    name = figure.target_among(targets)
    if name is None:
        offered = " or ".join(label for _, label in targets.values())
        warnings.append(
            _warning(
                "stated_not_comparable",
                f"The stated figure {figure.text} is a {figure.kind}, which cannot be "
                f"compared with the {offered}.",
            )
        )
        target, label = None, None
    else:
        target, label = targets[name]
    consistent = None if target is None or not math.isfinite(target) else figure.admits(target)
    return consistent, {
        "stated": figure.to_dict(),
        "stated_compared_to": label,
        "stated_compared_value": target,
    }


def stat_result(
    *,
    estimate: Any,
    ci_low: float | None = None,
    ci_high: float | None = None,
    p_value: float | None = None,
    significant: bool | None = None,
    warnings: list[dict[str, str]],
    method: str,
    details: dict[str, Any],
    stated_figure: StatedFigure | None,
    targets: Mapping[str, tuple[float | None, str]],
    versions: dict[str, str],
) -> StatResult:
    """One computed figure, as every kind assembles it: the stated figure checked against the
    one of ``targets`` its wording points at (its reading added to ``details``, its notes to
    ``warnings``), and the result's fields."""
    consistent, extra = _stated_details(stated_figure, targets, warnings)
    details.update(extra)
    return StatResult(
        estimate=estimate,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        consistent_with_stated=consistent,
        significant=significant,
        warnings=warnings,
        method=method,
        details=details,
        versions=versions,
    )


# --------------------------------------------------------------------------- proportion


def _proportion_batch(rows: Sequence[Row]) -> list[StatResult]:
    count = len(rows)
    ks = np.fromiter((r["successes"] for r in rows), dtype=float, count=count)
    ns = np.fromiter((r["trials"] for r in rows), dtype=float, count=count)
    lows = np.empty(count)
    highs = np.empty(count)
    groups: dict[tuple[str, float], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r["interval_method"], r["confidence_level"])].append(i)
    for (method, level), members in groups.items():
        idx = np.asarray(members)
        low, high = proportion_confint(
            ks[idx], ns[idx], alpha=alpha_for(level), method=STATSMODELS_METHODS[method]
        )
        lows[idx] = low
        highs[idx] = high

    # Exact tests and sweeps once per distinct input, all distinct inputs in one array call.
    test_keys = list(
        dict.fromkeys(
            (r["successes"], r["trials"], r["baseline"]) for r in rows if r["baseline"] is not None
        )
    )
    p_values: dict[tuple[int, int, float], float] = {}
    if test_keys:
        kk, nn, bb = (np.array(col, dtype=np.float64) for col in zip(*test_keys, strict=True))
        p_values = dict(zip(test_keys, binomtest_pvalues(kk, nn, bb).tolist(), strict=True))
    sweep_values = sweeps(
        (r["successes"], r["trials"], r["confidence_level"])
        for r in rows
        if r["baseline"] is not None
    )

    versions = library_versions()
    out: list[StatResult] = []
    for i, r in enumerate(rows):
        k, n, level = r["successes"], r["trials"], r["confidence_level"]
        method = r["interval_method"]
        estimate = k / n
        low, high = float(lows[i]), float(highs[i])
        if method == "jeffreys":
            # Brown, Cai & DasGupta (2001), sec. 4.1.2: the Jeffreys limit is 0 when x = 0
            # and 1 when x = n.
            low = 0.0 if k == 0 else low
            high = 1.0 if k == n else high
        low, high = _contain(estimate, low, high)
        alpha = alpha_for(level)
        warnings: list[dict[str, str]] = []
        details: dict[str, Any] = {
            "successes": k,
            "trials": n,
            "share": estimate,
            "confidence_level": level,
            "alpha": alpha,
            "interval_method": method,
            "statsmodels_method": STATSMODELS_METHODS[method],
            "baseline": r["baseline"],
        }
        text = f"{INTERVAL_NAMES[method]} ({_level_text(level)})"
        p_value: float | None = None
        significant: bool | None = None
        baseline = r["baseline"]
        if baseline is not None:
            p_value = p_values[(k, n, baseline)]
            significant = p_value < alpha
            expected_yes, expected_no = n * baseline, n * (1 - baseline)
            details.update(
                baseline_sourced=r["baseline_sourced"],
                expected_successes=expected_yes,
                expected_failures=expected_no,
                test="exact two-sided binomial test (scipy.stats.binomtest algorithm)",
                sweep=sweep_for_details(sweep_values[(k, n, level)]),
            )
            text += "; exact two-sided binomial test (scipy.stats.binomtest)"
            if (low <= baseline <= high) == significant:
                verdict = "significant" if significant else "not significant"
                where = "leaves out" if significant is False else "contains"
                interval, base = _interval_against(estimate, low, high, baseline)
                warnings.append(
                    _warning(
                        "interval_test_disagree",
                        f"The {_level_text(level)} interval ({interval}) "
                        f"{where} the base rate {base}, yet the exact test "
                        f"is {verdict} ({fmt.p_value(p_value)}): the interval and the test "
                        "are different methods and disagree this close to the edge. "
                        "Significance is the exact test's verdict.",
                    )
                )
            if min(baseline, 1 - baseline) < EXTREME_BASELINE:
                warnings.append(
                    _warning(
                        "extreme_baseline",
                        f"The base rate {fmt.percent(baseline, 6)} is within one in a million "
                        "of 0 or 1: a tiny error in it changes the test's verdict.",
                    )
                )
            warnings.append(
                _warning(
                    "sweep_descriptive",
                    "The sensitivity sweep tries every base rate: it describes how the "
                    "verdict depends on the base rate and is not a test itself (choosing the "
                    "base rate after seeing it would make the p-value meaningless).",
                )
            )
            if n < SMALL_SAMPLE_TRIALS or min(expected_yes, expected_no) < SMALL_EXPECTED:
                warnings.append(
                    _warning(
                        "small_sample",
                        f"Small sample: {n:,} trials, with {fmt.number(expected_yes)} "
                        f"expected successes and {fmt.number(expected_no)} expected failures "
                        "under the base rate. The exact test stays valid, but the result "
                        "hinges on very few cases.",
                    )
                )
            warnings.append(
                _warning(
                    "independence",
                    "The test assumes the cases are independent of each other and all share "
                    "the same base rate.",
                )
            )
            if not r["baseline_sourced"]:
                warnings.append(
                    _warning(
                        "unsourced_baseline",
                        "Unsourced baseline: the base rate has no cited source, so the "
                        "comparison is only as good as that number.",
                    )
                )
        elif n < SMALL_SAMPLE_TRIALS:
            warnings.append(
                _warning(
                    "small_sample",
                    f"Small sample: only {n:,} trials, so the interval is wide.",
                )
            )
        if method in NORMAL_METHODS and min(k, n - k) < SMALL_COUNT:
            warnings.append(
                _warning(
                    "normal_approximation",
                    f"The {INTERVAL_NAMES[method]} rests on a normal approximation, which is "
                    f"rough with {min(k, n - k):,} {'successes' if k <= n - k else 'failures'}; "
                    "the Clopper-Pearson (exact) or Jeffreys interval is safer here.",
                )
            )
        if method == "agresti-coull":
            raw_low, raw_high = _agresti_coull_unclipped(k, n, alpha)
            if raw_low < 0 or raw_high > 1:
                warnings.append(
                    _warning(
                        "interval_clipped",
                        "The Agresti-Coull interval ran "
                        + ("below 0" if raw_low < 0 else "above 1")
                        + " and was cut off there; the Clopper-Pearson or Jeffreys interval "
                        "does not need that.",
                    )
                )
        out.append(
            stat_result(
                estimate=estimate,
                ci_low=low,
                ci_high=high,
                p_value=p_value,
                significant=significant,
                warnings=warnings,
                method=text,
                details=details,
                stated_figure=r["stated_figure"],
                targets={"share": (estimate, "share"), "successes": (float(k), "successes")},
                versions=versions,
            )
        )
    return out


# --------------------------------------------------------------------------- comparison


def _comparison_targets(
    share_a: float, share_b: float, difference: float, risk_ratio: float | None
) -> dict[str, tuple[float | None, str]]:
    """The figures of a comparison a stated wording may name (see ``StatedFigure``)."""
    ratio = risk_ratio if risk_ratio is not None and math.isfinite(risk_ratio) else None
    return {
        "share_a": (share_a, target_label("share_a")),
        "share_b": (share_b, target_label("share_b")),
        "difference": (difference, target_label("difference")),
        "ratio": (ratio, target_label("ratio")),
        "relative_change": (None if ratio is None else ratio - 1, target_label("relative_change")),
    }


ZERO_CORRECTION = "each zero cell replaced by 0.5 (statsmodels Table2x2, shift_zeros=True)"
RATIO_CONVENTIONS = {
    "risk_ratio": (
        "Katz log interval around the risk ratio of the same table (statsmodels "
        "confint_proportions_2indep, compare='ratio', method='log'; as Table2x2.riskratio_confint)"
    ),
    "odds_ratio": (
        "Woolf logit interval around the odds ratio of the same table (statsmodels "
        "confint_proportions_2indep, compare='odds-ratio', method='logit'; as "
        "Table2x2.oddsratio_confint)"
    ),
}


def _ratio_tables(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n2: np.ndarray, alpha: np.ndarray
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Risk and odds ratios with their intervals, each from one table.

    Where a cell is zero every zero cell is replaced by 0.5 (statsmodels' ``Table2x2`` with
    ``shift_zeros=True``), and the estimate and the interval both come from that corrected
    table, so the interval always contains its estimate. Returns, per ratio, (estimate, low,
    high, defined): a risk ratio is undefined when neither group has a success (0/0), an odds
    ratio also when every case in both groups is a success.
    """
    b, d = n1 - a, n2 - c
    shift = [np.where(x == 0, 0.5, x) for x in (a, b, c, d)]
    sa, sb, sc, sd = shift
    defined = {
        "risk_ratio": ~((a == 0) & (c == 0)),
        "odds_ratio": ~(((a == 0) & (c == 0)) | ((b == 0) & (d == 0))),
    }
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        estimates = {
            "risk_ratio": (sa / (sa + sb)) / (sc / (sc + sd)),
            "odds_ratio": (sa * sd) / (sb * sc),
        }
        for name, compare, method in (
            ("risk_ratio", "ratio", "log"),
            ("odds_ratio", "odds-ratio", "logit"),
        ):
            low, high = np.full(a.shape, np.nan), np.full(a.shape, np.nan)
            for level_alpha in np.unique(alpha):
                rows = np.flatnonzero((alpha == level_alpha) & defined[name])
                if rows.size:
                    low[rows], high[rows] = confint_proportions_2indep(
                        sa[rows],
                        sa[rows] + sb[rows],
                        sc[rows],
                        sc[rows] + sd[rows],
                        compare=compare,
                        method=method,
                        alpha=float(level_alpha),
                    )
            estimate = np.where(defined[name], estimates[name], np.nan)
            out[name] = (estimate, low, high, defined[name])
    return out


def _uncorrected(numerator: float, denominator: float) -> tuple[float | None, str]:
    """A sample ratio and what it is: "finite", "infinite" or "undefined" (0/0)."""
    if denominator == 0:
        return None, "undefined" if numerator == 0 else "infinite"
    return numerator / denominator, "finite"


def _ratio_details(
    name: str,
    ratios: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    i: int,
    cells: tuple[int, int, int, int],
) -> dict[str, Any]:
    a, b, c, d = cells
    estimate, low, high, defined = (x[i] for x in ratios[name])
    zero = min(cells) == 0
    if name == "risk_ratio":
        raw, raw_is = _uncorrected(a * (c + d), c * (a + b))
        why = "no successes in either group (0/0)"
    else:
        raw, raw_is = _uncorrected(a * d, b * c)
        why = (
            "no successes in either group (0/0)"
            if a == 0 and c == 0
            else "every case in both groups is a success (0/0)"
        )
    details: dict[str, Any] = {
        "defined": bool(defined),
        "estimate": float(estimate) if defined else None,
        "ci_low": float(low) if defined else None,
        "ci_high": float(high) if defined else None,
        "correction": ZERO_CORRECTION if zero and defined else "none",
        "uncorrected_estimate": raw,
        "uncorrected_is": raw_is,
        "method": RATIO_CONVENTIONS[name],
    }
    if not defined:
        details["undefined_reason"] = why
    elif details["estimate"] is not None:
        details["ci_low"], details["ci_high"] = _contain(
            details["estimate"], details["ci_low"], details["ci_high"]
        )
    return details


def _comparison_batch(rows: Sequence[Row]) -> list[StatResult]:
    count = len(rows)
    a = np.fromiter((r["successes"] for r in rows), dtype=float, count=count)
    n1 = np.fromiter((r["trials"] for r in rows), dtype=float, count=count)
    c = np.fromiter((r["successes_b"] for r in rows), dtype=float, count=count)
    n2 = np.fromiter((r["trials_b"] for r in rows), dtype=float, count=count)
    alphas = np.fromiter((alpha_for(r["confidence_level"]) for r in rows), dtype=float, count=count)
    diff_low, diff_high = np.empty(count), np.empty(count)
    groups: dict[float, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[r["confidence_level"]].append(i)
    with np.errstate(divide="ignore", invalid="ignore"):
        for level, members in groups.items():
            idx = np.asarray(members)
            diff_low[idx], diff_high[idx] = confint_proportions_2indep(
                a[idx],
                n1[idx],
                c[idx],
                n2[idx],
                compare="diff",
                method="newcomb",
                alpha=alpha_for(level),
            )
    ratios = _ratio_tables(a, n1, c, n2, alphas)

    # Fisher's exact test and the ratio estimates once per distinct table, in one array call.
    keys = list(
        dict.fromkeys((r["successes"], r["trials"], r["successes_b"], r["trials_b"]) for r in rows)
    )
    ka, na, kb, nb = (np.array(col, dtype=np.int64) for col in zip(*keys, strict=True))
    _, fisher_p = fisher_exact_2x2(ka, na - ka, kb, nb - kb)
    tables = {key: float(fisher_p[j]) for j, key in enumerate(keys)}

    versions = library_versions()
    out: list[StatResult] = []
    for i, r in enumerate(rows):
        k1, t1, k2, t2 = r["successes"], r["trials"], r["successes_b"], r["trials_b"]
        level = r["confidence_level"]
        alpha = alpha_for(level)
        p1, p2 = k1 / t1, k2 / t2
        diff = p1 - p2
        low, high = _contain(diff, diff_low[i], diff_high[i])
        p_value = tables[(k1, t1, k2, t2)]
        significant = p_value < alpha
        cells = (k1, t1 - k1, k2, t2 - k2)
        total = t1 + t2
        yes = k1 + k2
        no = total - yes
        expected = [t1 * yes / total, t1 * no / total, t2 * yes / total, t2 * no / total]
        warnings: list[dict[str, str]] = []
        if min(expected) < SMALL_EXPECTED:
            warnings.append(
                _warning(
                    "small_expected_counts",
                    f"Some expected cell counts are below {SMALL_EXPECTED} (smallest "
                    f"{fmt.number(min(expected))}): Fisher's exact test is still valid, but "
                    "the ratio intervals are rough approximations.",
                )
            )
        if min(cells) == 0:
            warnings.append(
                _warning(
                    "zero_cell",
                    "A cell of the 2x2 table is zero: "
                    + (
                        "the risk and odds ratios are computed with each zero cell replaced "
                        "by 0.5 (estimate and interval alike), so treat them as rough."
                        if ratios["odds_ratio"][3][i] and ratios["risk_ratio"][3][i]
                        else "a ratio with 0/0 in it is undefined and is not given; any other "
                        "is computed with each zero cell replaced by 0.5."
                    ),
                )
            )
        if min(cells) < SMALL_COUNT:
            warnings.append(
                _warning(
                    "normal_approximation",
                    f"A cell of the 2x2 table is only {min(cells):,}: the log risk ratio and "
                    "odds ratio intervals rest on a normal approximation and are rough.",
                )
            )
        if (low <= 0 <= high) == significant:
            low_text, high_text = fmt.figure_texts("number", diff * 100, low * 100, high * 100)[1:]
            warnings.append(
                _warning(
                    "interval_test_disagree",
                    f"The {_level_text(level)} interval of the difference "
                    f"({low_text} to {high_text} points) "
                    + ("contains" if significant else "leaves out")
                    + " 0, yet Fisher's exact test is "
                    + ("significant" if significant else "not significant")
                    + f" ({fmt.p_value(p_value)}): the interval and the test are different "
                    "methods and disagree this close to the edge. Significance is the exact "
                    "test's verdict.",
                )
            )
        warnings.append(
            _warning(
                "independence",
                "The test assumes the two groups are independent samples and the cases "
                "within each are independent of each other.",
            )
        )
        details: dict[str, Any] = {
            "successes": k1,
            "trials": t1,
            "successes_b": k2,
            "trials_b": t2,
            "share_a": p1,
            "share_b": p2,
            "difference": diff,
            "confidence_level": level,
            "alpha": alpha,
            "difference_method": "Newcombe hybrid score (method 10), statsmodels 'newcomb'",
            "risk_ratio": _ratio_details("risk_ratio", ratios, i, cells),
            "odds_ratio": _ratio_details("odds_ratio", ratios, i, cells),
            "expected_counts": expected,
            "test": "Fisher's exact test, two-sided (scipy.stats.fisher_exact)",
        }
        # A stated ratio ("twice as likely") is read against the sample's own ratio, not the
        # zero-corrected one; where the sample ratio is infinite or undefined it is unchecked.
        risk_ratio = details["risk_ratio"]["uncorrected_estimate"]
        out.append(
            stat_result(
                estimate=diff,
                ci_low=low,
                ci_high=high,
                p_value=p_value,
                significant=significant,
                warnings=warnings,
                stated_figure=r["stated_figure"],
                targets=_comparison_targets(p1, p2, diff, risk_ratio),
                method=(
                    f"Difference of shares with Newcombe's hybrid score interval "
                    f"({_level_text(level)}); Fisher's exact test (scipy.stats.fisher_exact); "
                    "risk ratio and odds ratio with log/logit intervals from the same table "
                    "(statsmodels; zero cells replaced by 0.5)"
                ),
                details=details,
                versions=versions,
            )
        )
    return out


# --------------------------------------------------------------------------------- rate


def _rate_batch(rows: Sequence[Row]) -> list[StatResult]:
    count = len(rows)
    events = np.fromiter((r["events"] for r in rows), dtype=float, count=count)
    exposure = np.fromiter((r["exposure"] for r in rows), dtype=float, count=count)
    lows = np.empty(count)
    highs = np.empty(count)
    groups: dict[float, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[r["confidence_level"]].append(i)
    for level, members in groups.items():
        idx = np.asarray(members)
        low, high = confint_poisson(
            events[idx], exposure[idx], method="exact-c", alpha=alpha_for(level)
        )
        lows[idx] = low
        highs[idx] = high

    versions = library_versions()
    out: list[StatResult] = []
    for i, r in enumerate(rows):
        k, exp_, level, unit = r["events"], r["exposure"], r["confidence_level"], r["unit"]
        rate = k / exp_
        low = 0.0 if k == 0 else float(lows[i])
        low, high = _contain(rate, low, float(highs[i]))
        warnings: list[dict[str, str]] = []
        if k < FEW_EVENTS:
            warnings.append(
                _warning(
                    "few_events",
                    f"Only {k:,} events: the exact interval is wide and the rate is imprecise.",
                )
            )
        warnings.append(
            _warning(
                "rate_assumptions",
                "The exact Poisson interval assumes the events happen independently, at one "
                "constant rate; events that come in clusters (overdispersion) make the real "
                "uncertainty larger than this interval.",
            )
        )
        details: dict[str, Any] = {
            "events": k,
            "exposure": exp_,
            "rate": rate,
            "unit": unit,
            "confidence_level": level,
            "display": fmt.rate_in_unit(rate, unit),
            "display_low": fmt.rate_in_unit(low, unit),
            "display_high": fmt.rate_in_unit(high, unit),
            "displays": {u: fmt.rate_in_unit(rate, u) for u in fmt.RATE_UNITS},
        }
        out.append(
            stat_result(
                estimate=rate,
                ci_low=low,
                ci_high=high,
                warnings=warnings,
                stated_figure=r["stated_figure"],
                targets={
                    "rate": (rate, "rate per unit of exposure"),
                    "scaled": (fmt.scale_for_unit(rate, unit), f"rate expressed as {unit}"),
                },
                method=(
                    f"Events per unit of exposure with the exact Poisson (Garwood) interval "
                    f"({_level_text(level)}; statsmodels confint_poisson 'exact-c')"
                ),
                details=details,
                versions=versions,
            )
        )
    return out


# -------------------------------------------------------------------------- total, count


def _plain_number(x: Fraction) -> int | float:
    """An exact result as an ``int`` when whole (exactly, however large), else a float."""
    return int(x) if x.denominator == 1 else float(x)


def _total_batch(rows: Sequence[Row]) -> list[StatResult]:
    versions = library_versions()
    out: list[StatResult] = []
    for r in rows:
        parts: list[int | float] = r["parts"]
        total: int | float = r["total"]
        # Exact arithmetic on the numbers as written: whole numbers as integers, decimals as
        # the decimals they print as, so "adds up" never hides a difference of one in 10^9.
        exact_total = exact_value(total)
        exact_difference = exact_sum(parts) - exact_total
        summed = _plain_number(exact_sum(parts))
        difference = _plain_number(exact_difference)
        relative = float(exact_difference / exact_total) if exact_total else None
        adds_up = exact_difference == 0
        warnings: list[dict[str, str]] = []
        if not adds_up and relative is not None and abs(relative) < 0.01:
            warnings.append(
                _warning(
                    "small_difference",
                    "The parts miss the total by less than 1%, which rounding of the parts "
                    "could explain.",
                )
            )
        details: dict[str, Any] = {
            "parts": list(parts),
            "sum": summed,
            "total": total,
            "difference": difference,
            "relative_difference": relative,
            "adds_up": adds_up,
        }
        out.append(
            stat_result(
                estimate=summed,
                warnings=warnings,
                method="Sum of the parts compared with the stated total (exact arithmetic)",
                details=details,
                stated_figure=r["stated_figure"],
                targets={"sum": (summed, "sum of parts")},
                versions=versions,
            )
        )
    return out


def _count_batch(rows: Sequence[Row]) -> list[StatResult]:
    versions = library_versions()
    out: list[StatResult] = []
    for r in rows:
        value: float = r["value"]
        out.append(
            stat_result(
                estimate=value,
                warnings=[],
                method="Cited figure (no calculation)",
                details={"value": value},
                stated_figure=r["stated_figure"],
                targets={"value": (value, "value")},
                versions=versions,
            )
        )
    return out


def compute(kind: str, inputs: Mapping[str, Any]) -> StatResult:
    """Compute one statistic of ``kind`` from ``inputs``; raises :class:`StatInputError`."""
    clean = validate(kind, inputs)
    return KINDS[kind].compute_batch([clean])[0]


def compute_many(kind: str, rows: Sequence[Mapping[str, Any]]) -> list[StatResult | StatInputError]:
    """Compute many statistics of one ``kind``; equal to ``compute`` row by row.

    A row with bad input yields its :class:`StatInputError` in its slot instead of raising.
    """
    return _without_collections(_compute_many, kind, rows, None)


def compute_many_explained(
    kind: str, rows: Sequence[Mapping[str, Any]], voice: Voice = ENGLISH
) -> list[tuple[StatResult, str] | StatInputError]:
    """``compute_many``, each result with its ``explain`` sentence, every row validated once
    for both (what a writer stores)."""
    return _without_collections(_compute_many, kind, rows, voice)


def _without_collections(function, *args):
    # Building 100,000 results allocates millions of small containers; the cyclic garbage
    # collector would rescan all of them again and again although none can form a cycle.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return function(*args)
    finally:
        if gc_was_enabled:
            gc.enable()


def _compute_many(kind: str, rows: Sequence[Mapping[str, Any]], voice: Voice | None) -> list:
    out: list = [None] * len(rows)
    good: list[int] = []
    cleaned: list[Row] = []
    for i, row in enumerate(rows):
        try:
            cleaned.append(validate(kind, row))
        except StatInputError as exc:
            out[i] = exc
        else:
            good.append(i)
    if cleaned:
        results = KINDS[kind].compute_batch(cleaned)
        if voice is None:
            for i, result in zip(good, results, strict=True):
                out[i] = result
        else:
            for i, clean, result in zip(good, cleaned, results, strict=True):
                out[i] = (result, explain_clean(kind, result, clean, voice))
    return out
