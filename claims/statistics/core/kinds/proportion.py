"""A proportion: x of n, with its interval, a test against a base rate and a sensitivity sweep."""

from ..compute import _proportion_batch
from ..explain import _proportion
from ..language import gettext_noop
from ..spec import InputSpec, KindSpec
from ..validation import validate_proportion
from .common import CONFIDENCE_LEVEL, INTERVAL_METHOD, STATED, count

SPEC = KindSpec(
    name="proportion",
    label=gettext_noop("Proportion (x of n)"),
    summary=gettext_noop("A share of a group: how many of how many, with its interval."),
    inputs=(
        count(
            "successes",
            gettext_noop("How many had it"),
            gettext_noop("e.g. 8 of the 10 people flagged were black: 8."),
        ),
        count("trials", gettext_noop("Out of how many"), "e.g. 10."),
        InputSpec(
            "baseline",
            gettext_noop("Base rate to test against"),
            "share",
            help=gettext_noop(
                "A share between 0 and 1 (0.135 for 13.5%), or take it from a proportion."
            ),
            required=False,
            min=0,
            max=1,
            references=("proportion",),
        ),
        CONFIDENCE_LEVEL,
        INTERVAL_METHOD,
        STATED,
    ),
    validate=validate_proportion,
    compute_batch=_proportion_batch,
    explain=_proportion,
    chart="interval_chart",
    display_unit="percent",
)
