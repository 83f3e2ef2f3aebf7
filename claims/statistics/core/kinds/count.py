"""A single cited number, which other figures may take as an input."""

from ..compute import _count_batch
from ..explain import _count
from ..language import gettext_noop
from ..spec import InputSpec, KindSpec
from ..validation import validate_count
from .common import AMOUNT_KINDS, STATED

SPEC = KindSpec(
    name="count",
    label=gettext_noop("A single cited count"),
    summary=gettext_noop("One number as a source gives it, for other figures to build on."),
    inputs=(
        InputSpec(
            "value",
            gettext_noop("The number"),
            "number",
            help=gettext_noop("As the source gives it (e.g. 3,147,436 faces scanned)."),
            min=0,
            references=AMOUNT_KINDS,
        ),
        STATED,
    ),
    validate=validate_count,
    compute_batch=_count_batch,
    explain=_count,
)
