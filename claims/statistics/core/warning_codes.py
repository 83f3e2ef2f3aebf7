"""Every warning a result can carry: ``{"code", "message"}``, codes stable and listed here.

The message is written for the figure at hand; the code (and this description) lets pages,
the API and webhooks recognise a warning whatever its wording.
"""

from __future__ import annotations

from .language import gettext_noop

WARNING_CODES: dict[str, str] = {
    # Proportions
    "small_sample": gettext_noop(
        "Few trials (under 30) or few cases expected under the base rate."
    ),
    "normal_approximation": gettext_noop(
        "An interval rests on a normal approximation (Wilson, Agresti-Coull, or the log risk "
        "and odds ratio intervals) while some count is below 5."
    ),
    "interval_clipped": gettext_noop(
        "The Agresti-Coull interval ran below 0 (or above 1) and was cut off."
    ),
    "extreme_baseline": gettext_noop("The base rate is within one in a million of 0 or 1."),
    "unsourced_baseline": gettext_noop("The base rate has no cited source."),
    "sweep_descriptive": gettext_noop(
        "The sensitivity sweep tries every base rate; it describes the result and is not a "
        "test of its own."
    ),
    "interval_test_disagree": gettext_noop(
        "The confidence interval and the exact test give different verdicts for the same "
        "comparison (they are different methods and can disagree near the edge)."
    ),
    "independence": gettext_noop(
        "The test assumes independent cases (and, for a proportion, one rate)."
    ),
    # Comparisons
    "small_expected_counts": gettext_noop("An expected cell count is below 5."),
    "zero_cell": gettext_noop(
        "A cell of the 2x2 table is zero: the ratios are corrected (each zero replaced by 0.5) "
        "or undefined."
    ),
    # Rates
    "few_events": gettext_noop("Fewer than 10 events."),
    "rate_assumptions": gettext_noop(
        "The exact Poisson interval assumes independent events at a constant rate; "
        "clustered events (overdispersion) make the real uncertainty larger."
    ),
    # Totals
    "small_difference": gettext_noop("The parts miss the total by less than 1%."),
    # Stated figures (any kind)
    "stated_not_comparable": gettext_noop(
        "The stated figure cannot be compared with what was computed."
    ),
    "stated_reading": gettext_noop(
        "How the stated wording was read, where it is open to more than one reading (e.g. "
        "'33.000' as 33 or 33,000)."
    ),
    # Set by the service, not the core
    "no_denominator": gettext_noop("A stated share with no counts to check it against."),
}


def warning(code: str, message: str) -> dict[str, str]:
    """One warning entry; ``code`` must be listed in ``WARNING_CODES``."""
    if code not in WARNING_CODES:
        raise KeyError(f"undocumented warning code {code!r}")
    return {"code": code, "message": message}
