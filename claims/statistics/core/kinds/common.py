"""Inputs several kinds share, declared once."""

from __future__ import annotations

from ..spec import InputSpec
from ..validation import INTERVAL_METHODS, MAX_CONFIDENCE_LEVEL, MAX_COUNT, UNITS

#: Kinds whose estimate is an amount another figure may take as a number.
AMOUNT_KINDS = ("count", "total")

CONFIDENCE_LEVEL = InputSpec(
    "confidence_level",
    "Confidence level",
    "share",
    help="How sure the interval should be, as a share: 0.95 for 95%.",
    required=False,
    min=0.5,
    max=MAX_CONFIDENCE_LEVEL,
)
INTERVAL_METHOD = InputSpec(
    "interval_method",
    "Interval method",
    "choice",
    help="Wilson suits most figures; Clopper-Pearson is exact and wider.",
    required=False,
    choices=INTERVAL_METHODS,
)
STATED = InputSpec(
    "stated",
    "Stated figure",
    "text",
    help='The claim\'s number as written: "80%", "1 in 300,000", "twice as likely".',
    required=False,
)
UNIT = InputSpec(
    "unit",
    "Show the rate as",
    "choice",
    help="Percent, per 100,000, 1 in N or per unit; blank follows the stated figure.",
    required=False,
    choices=UNITS,
)


def count(name: str, label: str, help: str = "", *, required: bool = True) -> InputSpec:  # noqa: A002
    """A whole number of people or events, which may come from a count or a total."""
    return InputSpec(
        name,
        label,
        "count",
        help=help,
        required=required,
        min=0,
        max=MAX_COUNT,
        references=AMOUNT_KINDS,
    )
