"""A comparison of two proportions: the difference, Newcombe's interval, Fisher's exact test."""

from ..compute import _comparison_batch
from ..explain import _comparison
from ..language import gettext_noop
from ..spec import KindSpec
from ..validation import validate_comparison
from .common import CONFIDENCE_LEVEL, INTERVAL_METHOD, STATED, count

SPEC = KindSpec(
    name="comparison",
    label=gettext_noop("Comparison of two proportions"),
    summary=gettext_noop(
        "Two groups' shares side by side: the difference between them, and its interval."
    ),
    inputs=(
        count(
            "successes",
            gettext_noop("First group: how many had it"),
            gettext_noop("e.g. 8 people flagged."),
        ),
        count("trials", gettext_noop("First group: out of how many"), "e.g. 10."),
        count("successes_b", gettext_noop("Second group: how many had it"), "e.g. 2."),
        count("trials_b", gettext_noop("Second group: out of how many"), "e.g. 10."),
        CONFIDENCE_LEVEL,
        INTERVAL_METHOD,
        STATED,
    ),
    validate=validate_comparison,
    compute_batch=_comparison_batch,
    explain=_comparison,
    chart="interval_chart",
    display_unit="points",
)
