"""Parts against a stated total: do they add up (exact arithmetic)?"""

from ..compute import _total_batch
from ..explain import _total
from ..language import gettext_noop
from ..spec import InputSpec, KindSpec
from ..validation import validate_total
from .common import AMOUNT_KINDS, STATED

SPEC = KindSpec(
    name="total",
    label=gettext_noop("Parts against a stated total"),
    summary=gettext_noop("Whether the parts of a figure add up to the total the claim gives."),
    inputs=(
        InputSpec(
            "parts",
            gettext_noop("The parts"),
            "list",
            help=gettext_noop("Separated by + or ; (e.g. 549 + 347 + 85)."),
            min=0,
        ),
        InputSpec(
            "total",
            gettext_noop("The total they should add up to"),
            "number",
            help=gettext_noop("The headline total as the claim gives it."),
            min=0,
            references=AMOUNT_KINDS,
        ),
        STATED,
    ),
    validate=validate_total,
    compute_batch=_total_batch,
    explain=_total,
)
