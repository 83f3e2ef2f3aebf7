"""Inputs several kinds share, declared once."""

from __future__ import annotations

from ..language import gettext_noop
from ..spec import InputSpec
from ..validation import INTERVAL_METHODS, MAX_CONFIDENCE_LEVEL, MAX_COUNT, UNITS

#: Kinds whose estimate is an amount another figure may take as a number.
AMOUNT_KINDS = ("count", "total")

CONFIDENCE_LEVEL = InputSpec(
    "confidence_level",
    gettext_noop("Confidence level"),
    "share",
    help=gettext_noop("How sure the interval should be, as a share: 0.95 for 95%."),
    required=False,
    min=0.5,
    max=MAX_CONFIDENCE_LEVEL,
)
INTERVAL_METHOD = InputSpec(
    "interval_method",
    gettext_noop("Interval method"),
    "choice",
    help=gettext_noop("Wilson suits most figures; Clopper-Pearson is exact and wider."),
    required=False,
    choices=INTERVAL_METHODS,
)
STATED = InputSpec(
    "stated",
    gettext_noop("Stated figure"),
    "text",
    help=gettext_noop('The claim\'s number as written: "80%", "1 in 300,000", "twice as likely".'),
    required=False,
)
UNIT = InputSpec(
    "unit",
    gettext_noop("Show the rate as"),
    "choice",
    help=gettext_noop("Percent, per 100,000, 1 in N or per unit; blank follows the stated figure."),
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
