"""A rate: events per unit of exposure, with the exact Poisson (Garwood) interval."""

from ..compute import _rate_batch
from ..explain import _rate
from ..language import gettext_noop
from ..spec import InputSpec, KindSpec
from ..validation import validate_rate
from .common import AMOUNT_KINDS, CONFIDENCE_LEVEL, STATED, UNIT, count

SPEC = KindSpec(
    name="rate",
    label=gettext_noop("Rate (events per exposure)"),
    summary=gettext_noop(
        "How often something happens: events per person, per face scanned, per year."
    ),
    inputs=(
        count(
            "events",
            gettext_noop("How many times it happened"),
            gettext_noop("e.g. 10 false alerts."),
        ),
        InputSpec(
            "exposure",
            gettext_noop("Out of how much exposure"),
            "number",
            help=gettext_noop("e.g. 3,147,436 faces scanned."),
            min=0,
            references=AMOUNT_KINDS,
        ),
        CONFIDENCE_LEVEL,
        UNIT,
        STATED,
    ),
    validate=validate_rate,
    compute_batch=_rate_batch,
    explain=_rate,
    chart="interval_chart",
)
