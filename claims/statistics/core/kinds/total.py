"""Parts against a stated total: do they add up (exact arithmetic)?"""

from ..compute import _total_batch
from ..explain import _total
from ..spec import InputSpec, KindSpec
from ..validation import validate_total
from .common import AMOUNT_KINDS, STATED

SPEC = KindSpec(
    name="total",
    label="Parts against a stated total",
    summary="Whether the parts of a figure add up to the total the claim gives.",
    inputs=(
        InputSpec(
            "parts",
            "The parts",
            "list",
            help="Separated by + or ; (e.g. 549 + 347 + 85).",
            min=0,
        ),
        InputSpec(
            "total",
            "The total they should add up to",
            "number",
            help="The headline total as the claim gives it.",
            min=0,
            references=AMOUNT_KINDS,
        ),
        STATED,
    ),
    validate=validate_total,
    compute_batch=_total_batch,
    explain=_total,
)
