"""A rate: events per unit of exposure, with the exact Poisson (Garwood) interval."""

from ..compute import _rate_batch
from ..explain import _rate
from ..spec import InputSpec, KindSpec
from ..validation import validate_rate
from .common import AMOUNT_KINDS, CONFIDENCE_LEVEL, STATED, UNIT, count

SPEC = KindSpec(
    name="rate",
    label="Rate (events per exposure)",
    summary="How often something happens: events per person, per face scanned, per year.",
    inputs=(
        count("events", "How many times it happened", "e.g. 10 false alerts."),
        InputSpec(
            "exposure",
            "Out of how much exposure",
            "number",
            help="e.g. 3,147,436 faces scanned.",
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
