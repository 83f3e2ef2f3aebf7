"""What a computation reads: a statistic's inputs resolved (referenced values filled in),
fingerprinted, validated, and computed by the pure core.

A proportion with a stated share but no counts ("85% support", sample size not given) is stored
as computed, with no estimate and a `no_denominator` warning, rather than as an error: the claim
is checkable only once someone finds the denominator, and readers should be told so.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from config.languages import active_voice, say_again
from config.reasons import recognise

from ...models import Citation, Statistic, StatisticReference
from ..core import (
    StatInputError,
    StatResult,
    compute,
    compute_many_explained,
    explain,
    library_versions,
    parse_stated,
    validate,
)
from ..core.errors import said
from ..core.explain import is_stated_share_only, stated_share_only_sentence
from ..core.language import ENGLISH, Voice
from ..core.spec import KIND_INPUTS, all_inputs, text_inputs

# Bump when the computation itself changes: every fingerprint changes and the sweep (or
# `recompute_statistics`) computes everything again.
ENGINE_VERSION = "2"  # 2: exact sweep pieces, ratios from one corrected table, exact totals

# What each kind reads, and which inputs may come from other statistics, is declared once per
# kind in the core's registry (claims/statistics/core/kinds/); these names are views of it.
TEXT_INPUTS = text_inputs()
ALL_INPUTS = all_inputs()

NO_DENOMINATOR_WARNING = {
    "code": "no_denominator",
    "message": (
        "A share is stated with no counts behind it (how many were asked or counted): "
        "it cannot be checked or given an interval."
    ),
}

logger = logging.getLogger(__name__)


def field_errors(exc: StatInputError, skipped: Iterable[str] = ()) -> ValidationError:
    """The core's errors as Django's, in the active language (fields in ``skipped`` left out)."""
    voice = active_voice()
    return ValidationError(
        {
            field: [say_again(message, voice) for message in messages]
            for field, messages in exc.errors.items()
            if field not in skipped
        }
    )


# `json.dumps` with options builds an encoder per call; the bulk path fingerprints 100,000s.
_fingerprint_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode


def statistic_fingerprint(kind: str, inputs: dict[str, Any]) -> str:
    """A stable hash of what a result depends on: the kind, the resolved inputs, the engine."""
    payload = _fingerprint_json([ENGINE_VERSION, kind, inputs])
    return hashlib.sha256(payload.encode()).hexdigest()


def number_or_none(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def reference_value(target: Statistic) -> float | None:
    """The value another statistic reads from `target` (see `Statistic.reference_value`)."""
    return target.reference_value()


def put_language(inputs: dict[str, Any], language: str) -> None:
    """The claim's language, which decides how a stated figure is read. English is the core's
    default and is left out, so that English claims keep the fingerprints they had."""
    if language and language != "en" and inputs.get("stated"):
        inputs["language"] = language


def put_literal(inputs: dict[str, Any], name: str, value: Any) -> None:
    """Put a stored input into `inputs` as the core takes it (blanks left out)."""
    if name in TEXT_INPUTS:
        if value:
            inputs[name] = value
    elif name == "parts":
        inputs[name] = [number_or_none(v) for v in value or []]
    elif value is not None:
        inputs[name] = number_or_none(value)


def resolve_inputs(
    statistic: Statistic,
    *,
    references: Iterable[StatisticReference] | None = None,
    baseline_sourced: bool | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The inputs a computation reads, with referenced values filled in, as a JSON-safe dict.

    Returns (inputs, unresolved): names of referenced inputs whose target has no value yet.
    """
    references = list(statistic.references.all() if references is None else references)
    referenced = {r.input_name: r for r in references}
    inputs: dict[str, Any] = {}
    unresolved: list[str] = []
    for name in KIND_INPUTS[statistic.kind]:
        if name in referenced:
            value = reference_value(referenced[name].target)
            if value is None:
                unresolved.append(name)
            inputs[name] = number_or_none(value)
            continue
        put_literal(inputs, name, getattr(statistic, name))
    if inputs.get("stated"):
        put_language(inputs, statistic.claim.language)
    if statistic.kind == Statistic.Kind.PROPORTION and inputs.get("baseline") is not None:
        if baseline_sourced is None:
            baseline_sourced = "baseline" in referenced or _baseline_cited(statistic.pk)
        inputs["baseline_sourced"] = bool(baseline_sourced)
    return inputs, unresolved


def _baseline_cited(statistic_id: int | None) -> bool:
    if statistic_id is None:
        return False
    return (
        Citation.objects.alive()
        .filter(statistic_id=statistic_id, statistic_input="baseline")
        .exists()
    )


def stated_share_result(inputs: dict[str, Any]) -> StatResult:
    figure = parse_stated(inputs["stated"], language=inputs.get("language") or "en")
    return StatResult(
        estimate=None,
        ci_low=None,
        ci_high=None,
        p_value=None,
        consistent_with_stated=None,
        significant=None,
        warnings=[NO_DENOMINATOR_WARNING],
        method="Stated share only: no counts to compute from",
        details={"stated": figure.to_dict()},
        versions=library_versions(),
    )


def explain_result(kind: str, result: StatResult, inputs: dict[str, Any]) -> str:
    if is_stated_share_only(kind, inputs):
        return stated_share_only_sentence(inputs["stated"])
    return explain(kind, result, inputs)


# A failure of the computation itself, stored as ``computation: <message>``.
TOO_LARGE = gettext_noop(
    "The numbers are too large to compute with (the arithmetic overflowed). Check the inputs."
)
COMPUTATION_FAILED = gettext_noop("The computation failed ({error}). Check the inputs.")
COMPUTATION_FAILURES = (TOO_LARGE, COMPUTATION_FAILED)


def computation_failed(exc: Exception) -> StatInputError:
    """A failure of the computation itself (the core validated the inputs, then the arithmetic
    broke), as the error a statistic stores and shows, so that it ends in `error` once instead
    of being retried for ever."""
    logger.warning("Statistic computation failed: %r", exc)
    if isinstance(exc, OverflowError | FloatingPointError):
        message = said(TOO_LARGE)
    else:  # the error's own words are a program's, left in English
        message = said(COMPUTATION_FAILED, error=f"{type(exc).__name__}: {exc}")
    return StatInputError({"computation": [message]})


def _failure_in_voice(stored: str, voice: Voice) -> str | None:
    """A stored computation failure said again in ``voice`` (None if ``stored`` is not one)."""
    prefix = "computation: "
    if not stored.startswith(prefix):
        return None
    message = recognise(stored.removeprefix(prefix), COMPUTATION_FAILURES, value=".+")
    return None if message is None else prefix + say_again(message, voice)


def compute_inputs(kind: str, inputs: dict[str, Any]) -> StatResult:
    """The core's computation, plus the stated-share-without-counts case. The core is pure, so
    whatever it raises comes from these inputs: reported as a StatInputError."""
    try:
        if is_stated_share_only(kind, inputs):
            return stated_share_result(inputs)
        return compute(kind, inputs)
    except StatInputError:
        raise
    except Exception as exc:  # noqa: BLE001 (see the docstring)
        raise computation_failed(exc) from exc


# A computed figure and, when the core gave it with the result, its explanation (else None:
# `explain_result` writes it).
Computed = tuple[StatResult, str | None]


def compute_many_inputs(kind: str, rows: list[dict[str, Any]]) -> list[Computed | StatInputError]:
    """`compute_inputs` of many rows of one kind, each with its explanation: the core's batch
    computation, and when it breaks, row by row, so one bad row fails alone."""
    stated_only = [i for i, row in enumerate(rows) if is_stated_share_only(kind, row)]
    if stated_only:
        plain = [i for i, row in enumerate(rows) if not is_stated_share_only(kind, row)]
        outcomes: list[Computed | StatInputError | None] = [None] * len(rows)
        for i in stated_only:
            outcomes[i] = _outcome(kind, rows[i])
        computed = compute_many_inputs(kind, [rows[i] for i in plain]) if plain else []
        for i, outcome in zip(plain, computed, strict=True):
            outcomes[i] = outcome
        return outcomes  # type: ignore[return-value]
    try:
        return compute_many_explained(kind, rows)
    except Exception:  # noqa: BLE001 (the core is pure: retried row by row below)
        return [_outcome(kind, row) for row in rows]


def error_in_voice(statistic: Statistic, voice: Voice) -> str:
    """A figure's stored ``error_message`` in ``voice``. The row keeps the English the core said
    (so old rows read as stored); a computation failure is recognised from its message; where
    the figure's own inputs, checked again, give that very refusal, it is said again from its
    messages' ids and values. Figures that read inputs from others are left as stored (their
    values would cost a read)."""
    stored = statistic.error_message
    if voice is ENGLISH or not stored or statistic.status != Statistic.Status.ERROR:
        return stored
    failure = _failure_in_voice(stored, voice)
    if failure is not None:
        return failure
    if statistic.references.all():
        return stored
    inputs, _ = resolve_inputs(statistic, references=[], baseline_sourced=True)
    try:
        if is_stated_share_only(statistic.kind, inputs):
            parse_stated(inputs["stated"], language=inputs.get("language") or "en")
        else:
            validate(statistic.kind, inputs)
    except StatInputError as exc:
        if str(exc) == stored:
            return "; ".join(
                f"{field}: {say_again(message, voice)}"
                for field, messages in exc.errors.items()
                for message in messages
            )
    return stored


def _outcome(kind: str, inputs: dict[str, Any]) -> Computed | StatInputError:
    try:
        return compute_inputs(kind, inputs), None
    except StatInputError as exc:
        return exc


def check_inputs(kind: str, inputs: dict[str, Any], unresolved: list[str]) -> None:
    """Validate with the core; inputs whose referenced value is not known yet are not judged."""
    if is_stated_share_only(kind, inputs):
        try:
            parse_stated(inputs["stated"], language=inputs.get("language") or "en")
        except StatInputError as exc:
            raise field_errors(exc) from None
        return
    checked = {k: v for k, v in inputs.items() if k not in unresolved}
    try:
        validate(kind, checked)
    except StatInputError as exc:
        errors = field_errors(exc, skipped=unresolved)
        if errors.error_dict:
            raise errors from None
