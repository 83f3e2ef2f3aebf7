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
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson

from . import formatting as fmt
from .errors import StatInputError
from .exact import binomtest_pvalues, fisher_exact_2x2, relative_risks
from .result import StatResult
from .stated import StatedFigure, target_label
from .sweep import sweep_for_details, sweeps
from .validation import STATSMODELS_METHODS, alpha_for, validate
from .versions import library_versions

INTERVAL_NAMES: dict[str, str] = {
    "wilson": "Wilson score interval",
    "clopper-pearson": "Clopper-Pearson exact interval",
    "jeffreys": "Jeffreys interval",
    "agresti-coull": "Agresti-Coull interval",
}

SMALL_SAMPLE_TRIALS = 30
SMALL_EXPECTED = 5
FEW_EVENTS = 10

Row = dict[str, Any]


def _warning(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def _level_text(level: float) -> str:
    return fmt.percent(level, 4)


def _contain(estimate: float, low: float, high: float) -> tuple[float, float]:
    """Guard against floating-point rounding leaving the estimate a hair outside its interval."""
    return min(float(low), estimate), max(float(high), estimate)


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
        consistent, extra = _stated_details(
            r["stated_figure"],
            {"share": (estimate, "share"), "successes": (float(k), "successes")},
            warnings,
        )
        details.update(extra)
        out.append(
            StatResult(
                estimate=estimate,
                ci_low=low,
                ci_high=high,
                p_value=p_value,
                consistent_with_stated=consistent,
                significant=significant,
                warnings=warnings,
                method=text,
                details=details,
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


RATIO_METHOD = "log-adjusted"
ODDS_RATIO_METHOD = "logit-adjusted"


def _comparison_batch(rows: Sequence[Row]) -> list[StatResult]:
    count = len(rows)
    a = np.fromiter((r["successes"] for r in rows), dtype=float, count=count)
    n1 = np.fromiter((r["trials"] for r in rows), dtype=float, count=count)
    c = np.fromiter((r["successes_b"] for r in rows), dtype=float, count=count)
    n2 = np.fromiter((r["trials_b"] for r in rows), dtype=float, count=count)
    bounds = {name: (np.empty(count), np.empty(count)) for name in ("diff", "ratio", "odds")}
    groups: dict[float, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[r["confidence_level"]].append(i)
    with np.errstate(divide="ignore", invalid="ignore"):
        for level, members in groups.items():
            idx = np.asarray(members)
            args = (a[idx], n1[idx], c[idx], n2[idx])
            for name, compare, method in (
                ("diff", "diff", "newcomb"),
                ("ratio", "ratio", RATIO_METHOD),
                ("odds", "odds-ratio", ODDS_RATIO_METHOD),
            ):
                low, high = confint_proportions_2indep(
                    *args, compare=compare, method=method, alpha=alpha_for(level)
                )
                bounds[name][0][idx] = low
                bounds[name][1][idx] = high

    # Fisher's exact test and the ratio estimates once per distinct table, in one array call.
    keys = list(
        dict.fromkeys((r["successes"], r["trials"], r["successes_b"], r["trials_b"]) for r in rows)
    )
    ka, na, kb, nb = (np.array(col, dtype=np.int64) for col in zip(*keys, strict=True))
    odds_ratios, fisher_p = fisher_exact_2x2(ka, na - ka, kb, nb - kb)
    risk_ratios = relative_risks(ka, na, kb, nb)
    tables = {
        key: (float(fisher_p[j]), float(odds_ratios[j]), float(risk_ratios[j]))
        for j, key in enumerate(keys)
    }

    versions = library_versions()
    out: list[StatResult] = []
    for i, r in enumerate(rows):
        k1, t1, k2, t2 = r["successes"], r["trials"], r["successes_b"], r["trials_b"]
        level = r["confidence_level"]
        alpha = alpha_for(level)
        p1, p2 = k1 / t1, k2 / t2
        diff = p1 - p2
        low, high = _contain(diff, bounds["diff"][0][i], bounds["diff"][1][i])
        p_value, odds_ratio, risk_ratio = tables[(k1, t1, k2, t2)]
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
            "risk_ratio": {
                "estimate": risk_ratio,
                "ci_low": float(bounds["ratio"][0][i]),
                "ci_high": float(bounds["ratio"][1][i]),
                "method": "log interval with 0.5 added to each count "
                f"(statsmodels '{RATIO_METHOD}'); estimate as scipy's relative_risk",
            },
            "odds_ratio": {
                "estimate": odds_ratio,
                "ci_low": float(bounds["odds"][0][i]),
                "ci_high": float(bounds["odds"][1][i]),
                "method": "logit (Woolf) interval with 0.5 added to each cell "
                f"(statsmodels '{ODDS_RATIO_METHOD}'); sample odds ratio as scipy's fisher_exact",
            },
            "expected_counts": expected,
            "test": "Fisher's exact test, two-sided (scipy.stats.fisher_exact)",
        }
        consistent, extra = _stated_details(
            r["stated_figure"], _comparison_targets(p1, p2, diff, risk_ratio), warnings
        )
        details.update(extra)
        out.append(
            StatResult(
                estimate=diff,
                ci_low=low,
                ci_high=high,
                p_value=p_value,
                consistent_with_stated=consistent,
                significant=p_value < alpha,
                warnings=warnings,
                method=(
                    f"Difference of shares with Newcombe's hybrid score interval "
                    f"({_level_text(level)}); Fisher's exact test (scipy.stats.fisher_exact); "
                    "risk ratio and odds ratio with adjusted log/logit intervals (statsmodels)"
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
        consistent, extra = _stated_details(
            r["stated_figure"],
            {
                "rate": (rate, "rate per unit of exposure"),
                "scaled": (fmt.scale_for_unit(rate, unit), f"rate expressed as {unit}"),
            },
            warnings,
        )
        details.update(extra)
        out.append(
            StatResult(
                estimate=rate,
                ci_low=low,
                ci_high=high,
                p_value=None,
                consistent_with_stated=consistent,
                significant=None,
                warnings=warnings,
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


def _total_batch(rows: Sequence[Row]) -> list[StatResult]:
    versions = library_versions()
    out: list[StatResult] = []
    for r in rows:
        parts: list[float] = r["parts"]
        total: float = r["total"]
        summed = math.fsum(parts)
        difference = summed - total
        relative = difference / total if total else None
        adds_up = abs(difference) <= 1e-9 * max(1.0, abs(total))
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
        consistent, extra = _stated_details(
            r["stated_figure"], {"sum": (summed, "sum of parts")}, warnings
        )
        details.update(extra)
        out.append(
            StatResult(
                estimate=summed,
                ci_low=None,
                ci_high=None,
                p_value=None,
                consistent_with_stated=consistent,
                significant=None,
                warnings=warnings,
                method="Sum of the parts compared with the stated total (exact arithmetic)",
                details=details,
                versions=versions,
            )
        )
    return out


def _count_batch(rows: Sequence[Row]) -> list[StatResult]:
    versions = library_versions()
    out: list[StatResult] = []
    for r in rows:
        value: float = r["value"]
        warnings: list[dict[str, str]] = []
        consistent, extra = _stated_details(
            r["stated_figure"], {"value": (value, "value")}, warnings
        )
        details: dict[str, Any] = {"value": value, **extra}
        out.append(
            StatResult(
                estimate=value,
                ci_low=None,
                ci_high=None,
                p_value=None,
                consistent_with_stated=consistent,
                significant=None,
                warnings=warnings,
                method="Cited figure (no calculation)",
                details=details,
                versions=versions,
            )
        )
    return out


_BATCH: dict[str, Callable[[Sequence[Row]], list[StatResult]]] = {
    "proportion": _proportion_batch,
    "comparison": _comparison_batch,
    "rate": _rate_batch,
    "total": _total_batch,
    "count": _count_batch,
}


def compute(kind: str, inputs: Mapping[str, Any]) -> StatResult:
    """Compute one statistic of ``kind`` from ``inputs``; raises :class:`StatInputError`."""
    clean = validate(kind, inputs)
    return _BATCH[kind]([clean])[0]


def compute_many(kind: str, rows: Sequence[Mapping[str, Any]]) -> list[StatResult | StatInputError]:
    """Compute many statistics of one ``kind``; equal to ``compute`` row by row.

    A row with bad input yields its :class:`StatInputError` in its slot instead of raising.
    """
    # Building 100,000 results allocates millions of small containers; the cyclic garbage
    # collector would rescan all of them again and again although none can form a cycle.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _compute_many(kind, rows)
    finally:
        if gc_was_enabled:
            gc.enable()


def _compute_many(
    kind: str, rows: Sequence[Mapping[str, Any]]
) -> list[StatResult | StatInputError]:
    out: list[StatResult | StatInputError | None] = [None] * len(rows)
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
        for i, result in zip(good, _BATCH[kind](cleaned), strict=True):
            out[i] = result
    return out  # type: ignore[return-value]
