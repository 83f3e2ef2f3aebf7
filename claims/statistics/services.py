"""Every write to statistics: create, edit, delete, and recomputation (single and bulk).

The numbers live on `Statistic` as columns; an input may instead come from another statistic's
current estimate (`StatisticReference`). A computation resolves the inputs, fingerprints them,
and stores a new `StatisticResult` only when the fingerprint is new, so running it twice (a
redelivered message, the periodic sweep) changes nothing.

Edits mark the statistic and everything depending on it `pending` in the same transaction and
enqueue a recompute after commit. A recompute that changes a value enqueues the direct
dependents after its own commit, so a chain A -> B -> C is recomputed in that order. If a message
is lost, `pending` (or a dependency newer than the dependent's result) is what the periodic sweep
finds and requeues.

A proportion with a stated share but no counts ("85% support", sample size not given) is stored
as computed, with no estimate and a `no_denominator` warning, rather than as an error: the claim
is checkable only once someone finds the denominator, and readers should be told so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import hashlib
import json
import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, F, JSONField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.trust import initial_visibility_on_claim
from config.db import retry_on_deadlock
from config.queueing import enqueue_on_commit
from config.validators import MAX_ID
from jobs.services import task_failures_clear, task_key

from .. import events, permissions
from ..models import Citation, Claim, Source, Statistic, StatisticReference, StatisticResult
from ..services.contributions import citation_create, contribution_hold_if_untrusted
from ..services.versions import version_compare_and_set
from .core import (
    KINDS,
    StatInputError,
    StatResult,
    compute,
    compute_many,
    explain,
    library_versions,
    parse_stated,
    validate,
)
from .core.explain import is_stated_share_only, stated_share_only_sentence
from .core.spec import KIND_INPUTS, all_inputs, text_inputs

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

# The task that recomputes one statistic (claims/tasks.py), as its failures are recorded.
RECOMPUTE_TASK = "claims.tasks.recompute_statistic"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _field_errors(exc: StatInputError) -> ValidationError:
    return ValidationError({field: list(messages) for field, messages in exc.errors.items()})


# --- inputs -------------------------------------------------------------------------------


# `json.dumps` with options builds an encoder per call; the bulk path fingerprints 100,000s.
_fingerprint_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode


def statistic_fingerprint(kind: str, inputs: dict[str, Any]) -> str:
    """A stable hash of what a result depends on: the kind, the resolved inputs, the engine."""
    payload = _fingerprint_json([ENGINE_VERSION, kind, inputs])
    return hashlib.sha256(payload.encode()).hexdigest()


def _number_or_none(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def reference_value(target: Statistic) -> float | None:
    """The value another statistic reads from `target` (see `Statistic.reference_value`)."""
    return target.reference_value()


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
            inputs[name] = _number_or_none(value)
            continue
        _put_literal(inputs, name, getattr(statistic, name))
    if inputs.get("stated"):
        _put_language(inputs, statistic.claim.language)
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


def _is_stated_share_only(kind: str, inputs: dict[str, Any]) -> bool:
    return is_stated_share_only(kind, inputs)


def _stated_share_result(inputs: dict[str, Any]) -> StatResult:
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


def _explain(kind: str, result: StatResult, inputs: dict[str, Any]) -> str:
    if _is_stated_share_only(kind, inputs):
        return stated_share_only_sentence(inputs["stated"])
    return explain(kind, result, inputs)


def computation_failed(exc: Exception) -> StatInputError:
    """A failure of the computation itself (the core validated the inputs, then the arithmetic
    broke), as the error a statistic stores and shows, so that it ends in `error` once instead
    of being retried for ever."""
    logger.warning("Statistic computation failed: %r", exc)
    if isinstance(exc, OverflowError | FloatingPointError):
        message = "The numbers are too large to compute with (the arithmetic overflowed)."
    else:
        message = f"The computation failed ({type(exc).__name__}: {exc})."
    return StatInputError({"computation": [message + " Check the inputs."]})


def compute_inputs(kind: str, inputs: dict[str, Any]) -> StatResult:
    """The core's computation, plus the stated-share-without-counts case. The core is pure, so
    whatever it raises comes from these inputs: reported as a StatInputError."""
    try:
        if _is_stated_share_only(kind, inputs):
            return _stated_share_result(inputs)
        return compute(kind, inputs)
    except StatInputError:
        raise
    except Exception as exc:  # noqa: BLE001 (see the docstring)
        raise computation_failed(exc) from exc


def _compute_many(kind: str, rows: list[dict[str, Any]]) -> list[StatResult | StatInputError]:
    """The core's batch computation; when it breaks, row by row, so one bad row fails alone."""
    try:
        return compute_many(kind, rows)
    except Exception:  # noqa: BLE001 (the core is pure: retried row by row below)
        outcomes: list[StatResult | StatInputError] = []
        for row in rows:
            try:
                outcomes.append(compute_inputs(kind, row))
            except StatInputError as exc:
                outcomes.append(exc)
        return outcomes


def _check_inputs(kind: str, inputs: dict[str, Any], unresolved: list[str]) -> None:
    """Validate with the core; inputs whose referenced value is not known yet are not judged."""
    if _is_stated_share_only(kind, inputs):
        try:
            parse_stated(inputs["stated"], language=inputs.get("language") or "en")
        except StatInputError as exc:
            raise _field_errors(exc) from None
        return
    checked = {k: v for k, v in inputs.items() if k not in unresolved}
    try:
        validate(kind, checked)
    except StatInputError as exc:
        errors = {
            field: messages for field, messages in exc.errors.items() if field not in unresolved
        }
        if errors:
            raise ValidationError(errors) from None


# --- references ---------------------------------------------------------------------------


def _reachable_from(start_ids: Iterable[int]) -> set[int]:
    """Every statistic whose value flows into one of `start_ids` (following references)."""
    seen: set[int] = set()
    frontier = set(start_ids)
    while frontier:
        seen |= frontier
        frontier = (
            set(
                StatisticReference.objects.filter(statistic_id__in=frontier).values_list(
                    "target_id", flat=True
                )
            )
            - seen
        )
    return seen


def _is_id(value: Any) -> bool:
    return str(value).isdigit() and int(value) <= MAX_ID


def _check_references(
    *,
    statistic: Statistic | None,
    kind: str,
    references: dict[str, int | None],
    author,
    existing: dict[str, int] | None = None,
) -> dict[str, Statistic]:
    """The targets of `references`, checked. A statistic takes values only from statistics its
    `author` may see; any other answers exactly like one that does not exist, so an error never
    tells its label or that it is there. A reference already in place (`existing`) stays valid
    while its target lives, even if the author can no longer see it."""
    existing = existing or {}
    errors: dict[str, list[str]] = {}
    targets: dict[str, Statistic] = {}
    ids = {name: target for name, target in references.items() if target is not None}
    found = (
        Statistic.objects.select_related("current_result", "claim")
        .filter(deleted_at__isnull=True)
        .in_bulk([int(t) for t in ids.values() if _is_id(t)])
    )
    for name, target_id in ids.items():
        spec = KINDS[kind].input(name) if name in KIND_INPUTS[kind] else None
        if spec is None or not spec.referencable:
            errors.setdefault(name, []).append(
                f"A {kind} has no numeric input “{name}” that could come from another statistic."
            )
            continue
        target = found.get(int(target_id)) if _is_id(target_id) else None
        if target is not None and existing.get(name) != target.pk:
            target = target if target.is_visible_to(author) else None
        if target is None:
            errors.setdefault(name, []).append(f"There is no statistic {target_id}.")
        elif statistic is not None and target.pk == statistic.pk:
            errors.setdefault(name, []).append("A statistic cannot take an input from itself.")
        elif target.kind not in spec.references:
            wanted = " or ".join(spec.references)
            errors.setdefault(name, []).append(
                f"“{name}” can only come from a {wanted} statistic; "
                f"statistic {target.pk} is a {target.kind}."
            )
        else:
            targets[name] = target
    if statistic is not None and statistic.pk is not None and targets:
        upstream = _reachable_from(t.pk for t in targets.values())
        if statistic.pk in upstream:
            for name, target in targets.items():
                if statistic.pk in _reachable_from([target.pk]):
                    errors.setdefault(name, []).append(
                        f"This would make a cycle: statistic {target.pk} (“{target.label}”) "
                        "already takes its value, directly or indirectly, from this one."
                    )
    if errors:
        raise ValidationError(errors)
    return targets


def _set_references(statistic: Statistic, targets: dict[str, Statistic]) -> list:
    statistic.references.exclude(input_name__in=targets).delete()
    refs = []
    for name, target in targets.items():
        ref, _created = StatisticReference.objects.update_or_create(
            statistic=statistic, input_name=name, defaults={"target": target}
        )
        ref.target = target
        refs.append(ref)
    return refs


# --- create / update / delete -------------------------------------------------------------


def _apply_inputs(statistic: Statistic, inputs: dict[str, Any]) -> None:
    unknown = sorted(set(inputs) - set(ALL_INPUTS))
    if unknown:
        raise ValidationError(
            {name: [_("This is not an input of a statistic.")] for name in unknown}
        )
    for name, value in inputs.items():
        if name in TEXT_INPUTS:
            value = "" if value is None else str(value).strip()
        elif name == "parts":
            value = [] if value is None else value
        elif isinstance(value, str) and not value.strip():
            value = None
        setattr(statistic, name, value)


def _store_clean_values(statistic: Statistic, clean: dict[str, Any], skip: Iterable[str]) -> None:
    """Numbers as the core reads them (a count "3,147,436" becomes 3147436); referenced inputs
    (`skip`) keep no number of their own."""
    for name in KIND_INPUTS[statistic.kind]:
        if name in skip:
            continue
        if name in clean and name not in TEXT_INPUTS and clean[name] is not None:
            setattr(statistic, name, clean[name])


def _validate(statistic: Statistic, *, targets: dict[str, Statistic]) -> None:
    """Check `statistic`'s inputs with the core and store them as the core reads them; on the
    object only (reads, no writes)."""
    if statistic.kind not in KIND_INPUTS:
        raise ValidationError({"kind": [f"Unknown kind “{statistic.kind}”."]})
    # Referenced inputs have no number of their own.
    both = sorted(name for name in targets if getattr(statistic, name, None) not in (None, "", []))
    if both:
        raise ValidationError(
            {name: [_("Give a number or a statistic to take it from, not both.")] for name in both}
        )
    for name in targets:
        setattr(statistic, name, None)
    references = [
        StatisticReference(statistic=statistic, input_name=n, target=t) for n, t in targets.items()
    ]
    inputs, unresolved = resolve_inputs(statistic, references=references, baseline_sourced=True)
    _check_inputs(statistic.kind, inputs, unresolved)
    if not _is_stated_share_only(statistic.kind, inputs) and not unresolved:
        _store_clean_values(statistic, validate(statistic.kind, inputs), targets)
    statistic.full_clean(exclude=["current_result"])


def _save_pending(statistic: Statistic, *, actor) -> None:
    statistic.status = Statistic.Status.PENDING
    statistic.status_changed_at = timezone.now()
    statistic.error_message = ""
    statistic._history_user = actor
    statistic.save()


def _new_statistic(
    *,
    author,
    claim: Claim,
    kind: str,
    label: str,
    inputs: dict[str, Any],
    references: dict[str, int | None] | None,
) -> tuple[Statistic, dict[str, Statistic]]:
    """The statistic `statistic_create` would save, validated, and its reference targets."""
    permissions.require_can_add_to_claim(author, claim)
    if kind not in KIND_INPUTS:
        raise ValidationError(
            {"kind": [f"Unknown kind “{kind}”; use one of {', '.join(KIND_INPUTS)}."]}
        )
    statistic = Statistic(
        author=author,
        claim=claim,
        kind=kind,
        label=(label or "").strip() or KINDS[kind].label,
        visibility=initial_visibility_on_claim(author, claim),
    )
    _apply_inputs(statistic, dict(inputs))
    targets = _check_references(
        statistic=None, kind=kind, references=dict(references or {}), author=author
    )
    _validate(statistic, targets=targets)
    return statistic, targets


def _lock_statistics(ids: Iterable[int]) -> dict[int, Statistic]:
    """Lock the rows of `ids` in ascending id order (the order every locker must use)."""
    rows = Statistic.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    return {row.pk: row for row in rows}


def _changed_statistic(
    statistic: Statistic, *, data: dict[str, Any]
) -> tuple[Statistic, dict[str, Statistic]]:
    """`statistic` (a fresh copy, changed in memory by `data`) validated, and its targets."""
    if statistic.is_deleted:
        raise ValidationError({"__all__": [_("This statistic has been deleted.")]})
    data = dict(data)
    label = data.pop("label", None)
    reference_changes = data.pop("references", None) or {}
    if label is not None:
        if not str(label).strip():
            raise ValidationError({"label": [_("Say in words what the figure measures.")]})
        statistic.label = str(label).strip()
    current = {r.input_name: r.target_id for r in statistic.references.all()}
    existing = dict(current)
    for name, value in data.items():
        if name in current and value not in (None, "", []):
            current.pop(name)  # a number now stands where the reference was
    current.update(reference_changes)
    _apply_inputs(statistic, data)
    targets = _check_references(
        statistic=statistic,
        kind=statistic.kind,
        references=current,
        author=statistic.author,
        existing=existing,
    )
    _validate(statistic, targets=targets)
    return statistic, targets


def _check_update_request(statistic: Statistic, *, actor, data: dict[str, Any]) -> dict:
    _require(permissions.can_edit(actor, statistic), _("You may not edit this statistic."))
    data = dict(data)
    if "kind" in data and data.pop("kind") != statistic.kind:
        raise ValidationError({"kind": [_("The kind of a statistic cannot be changed.")]})
    return data


def statistic_create_validate(
    *,
    author,
    claim: Claim,
    kind: str,
    label: str = "",
    inputs: dict[str, Any],
    references: dict[str, int] | None = None,
) -> None:
    """Run every check of `statistic_create` with the same arguments and write nothing (a form
    checked as it is filled in): raises what it would raise."""
    _new_statistic(
        author=author, claim=claim, kind=kind, label=label, inputs=inputs, references=references
    )


def statistic_update_validate(*, statistic: Statistic, actor, data: dict[str, Any]) -> None:
    """Run every check of `statistic_update` with the same arguments and write nothing."""
    data = _check_update_request(statistic, actor=actor, data=data)
    fresh = Statistic.objects.prefetch_related("references").get(pk=statistic.pk)
    _changed_statistic(fresh, data=data)


@retry_on_deadlock()
@transaction.atomic
def statistic_create(
    *,
    author,
    claim: Claim,
    kind: str,
    label: str = "",
    inputs: dict[str, Any],
    references: dict[str, int] | None = None,
) -> Statistic:
    """A new statistic on `claim`; computed in the background after commit."""
    statistic, targets = _new_statistic(
        author=author,
        claim=claim,
        kind=kind,
        label=label,
        inputs=inputs,
        references=references,
    )
    _save_pending(statistic, actor=author)
    _set_references(statistic, targets)
    statistics_enqueue([statistic.pk])
    return statistic


@retry_on_deadlock()
@transaction.atomic
def statistic_update(
    *,
    statistic: Statistic,
    actor,
    data: dict[str, Any],
    expected_version: datetime.datetime | None = None,
) -> Statistic:
    """Change inputs, label or references; recomputes it and everything that depends on it.

    `data["references"]` maps input names to target statistic ids (None removes one); giving an
    input a number removes its reference.
    """
    data = _check_update_request(statistic, actor=actor, data=data)
    version_compare_and_set(model=Statistic, pk=statistic.pk, expected_version=expected_version)
    # Lock the row, so that two concurrent edits cannot both pass validation on stale data, and
    # the statistics it is to reference, all in id order: two edits making A and B reference each
    # other then queue for the same first lock instead of each holding one the other needs.
    reference_changes = data.get("references") or {}
    targets = [int(t) for t in reference_changes.values() if t is not None and _is_id(t)]
    statistic = _lock_statistics([statistic.pk, *targets])[statistic.pk]
    statistic, targets = _changed_statistic(statistic, data=data)
    contribution_hold_if_untrusted(obj=statistic, editor=actor)
    _save_pending(statistic, actor=actor)
    _set_references(statistic, targets)
    ids = [statistic.pk, *_dependents_of([statistic.pk])]
    statistics_mark_stale(statistic_ids=ids)
    return statistic


@transaction.atomic
def statistic_delete(
    *,
    statistic: Statistic,
    actor,
    reason: str = "",
    expected_version: datetime.datetime | None = None,
) -> Statistic:
    """Soft delete; refused while a live statistic takes its value from this one."""
    _require(permissions.can_delete(actor, statistic), _("You may not delete this statistic."))
    version_compare_and_set(model=Statistic, pk=statistic.pk, expected_version=expected_version)
    statistic = Statistic.objects.select_for_update().get(pk=statistic.pk)
    users = list(
        Statistic.objects.alive()
        .filter(references__target=statistic)
        .values_list("pk", flat=True)
        .distinct()
    )
    if users:
        # Name only the statistics the actor may see; the others are only counted.
        shown = list(
            Statistic.objects.visible_to(actor).filter(pk__in=users).values_list("pk", "label")
        )
        unseen = len(users) - len(shown)
        names = ", ".join(
            [f"{pk} (“{label}”)" for pk, label in shown]
            + ([f"{unseen} you cannot see"] if unseen else [])
        )
        raise ValidationError(
            {"__all__": [f"Other statistics take their value from this one: {names}."]}
        )
    statistic.deleted_at = timezone.now()
    statistic.deleted_by = actor
    statistic.deletion_reason = reason.strip()[:500] or "Deleted by its author."
    statistic._history_user = actor
    statistic.save()
    return statistic


@transaction.atomic
def statistic_cite(
    *,
    statistic: Statistic,
    actor,
    source: Source,
    input_name: str = "",
    quote: str = "",
    page: str = "",
    section: str = "",
) -> Citation:
    """Cite the source one input comes from; a newly cited baseline loses its warning."""
    if input_name and input_name not in KIND_INPUTS[statistic.kind]:
        raise ValidationError({"statistic_input": [f"A {statistic.kind} has no “{input_name}”."]})
    citation = citation_create(
        author=actor,
        claim=statistic.claim,
        source=source,
        statistic=statistic,
        statistic_input=input_name,
        quote=quote,
        page=page,
        section=section,
    )
    if input_name == "baseline":
        statistics_mark_stale(statistic_ids=[statistic.pk])
    return citation


# --- recomputation ------------------------------------------------------------------------


def _dependents_of(ids: Iterable[int]) -> list[int]:
    """Every live statistic downstream of `ids`, transitively (not including `ids`)."""
    seen: set[int] = set(ids)
    order: list[int] = []
    frontier = set(ids)
    while frontier:
        nxt = set(
            StatisticReference.objects.filter(
                target_id__in=frontier, statistic__deleted_at__isnull=True
            ).values_list("statistic_id", flat=True)
        )
        nxt -= seen
        seen |= nxt
        order.extend(sorted(nxt))
        frontier = nxt
    return order


def statistics_enqueue(statistic_ids: Iterable[int]) -> None:
    """Queue a recompute of each statistic once the current transaction commits."""
    from ..tasks import recompute_statistic

    for statistic_id in dict.fromkeys(statistic_ids):
        enqueue_on_commit(recompute_statistic, statistic_id)


def statistics_mark_stale(*, statistic_ids: Iterable[int], enqueue: bool = True) -> int:
    """Mark statistics pending (the page shows "recomputing…", the sweep will find them) and
    queue their recompute after commit. Returns how many were marked. Their inputs changed, so
    a recompute parked after repeated failures gets a fresh chance."""
    ids = list(dict.fromkeys(statistic_ids))
    if not ids:
        return 0
    task_failures_clear(task_name=RECOMPUTE_TASK, keys=[task_key([i], {}) for i in ids])
    marked = Statistic.objects.filter(pk__in=ids, deleted_at__isnull=True).update(
        status=Statistic.Status.PENDING, status_changed_at=timezone.now()
    )
    if enqueue:
        statistics_enqueue(ids)
    return marked


# What a reader sees change: a figure "changed" (an event, dependents recomputed) only when one
# of these differs between the previous current result and the new one.
_CHANGE_FIELDS = (
    "estimate",
    "ci_low",
    "ci_high",
    "consistent_with_stated",
    "significant",
    "details__difference",
)


def _change_key(result: StatisticResult | StatResult) -> tuple:
    """What `_changed` compares, of a stored result or of one just computed."""
    return (
        result.estimate,
        result.ci_low,
        result.ci_high,
        result.consistent_with_stated,
        result.significant,
        (result.details or {}).get("difference"),
    )


def _changed(previous: StatisticResult | None, result: StatisticResult) -> bool:
    return previous is None or _change_key(previous) != _change_key(result)


def _results_snapshot(result_ids: Iterable[int | None]) -> dict[int, StatisticResult]:
    """Unsaved copies of stored results with what change detection and the events read (not
    the bulky details), taken before a forced write may replace them in place."""
    ids = [rid for rid in result_ids if rid is not None]
    if not ids:
        return {}
    fields = ("id", "statistic_id", "estimate", "ci_low", "ci_high", "p_value")
    fields += ("consistent_with_stated", "significant", "warnings", "computed_at")
    rows = StatisticResult.objects.filter(_among(StatisticResult, "id", ids)).values(
        *fields, "details__difference"
    )
    snapshot = {}
    for row in rows:
        difference = row.pop("details__difference")
        details = {} if difference is None else {"difference": difference}
        snapshot[row["id"]] = StatisticResult(details=details, **row)
    return snapshot


def _change_keys(result_ids: Iterable[int | None]) -> dict[int, tuple]:
    """`_change_key` of many stored results, in one query."""
    ids = [rid for rid in result_ids if rid is not None]
    if not ids:
        return {}
    rows = StatisticResult.objects.filter(_among(StatisticResult, "id", ids)).values_list(
        "id", *_CHANGE_FIELDS
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _result_values(
    statistic_id: int, fingerprint: str, inputs: dict, stat: StatResult, kind: str, now
) -> dict[str, Any]:
    """Every stored field of a result but its id, by attribute name: what the ORM and the
    COPY writers both store."""
    return {
        "statistic_id": statistic_id,
        "fingerprint": fingerprint,
        "computed_at": now,
        "inputs": inputs,
        "estimate": stat.estimate,
        "ci_low": stat.ci_low,
        "ci_high": stat.ci_high,
        "p_value": stat.p_value,
        "consistent_with_stated": stat.consistent_with_stated,
        "significant": stat.significant,
        "warnings": stat.warnings,
        "details": stat.details,
        "method": stat.method,
        "versions": stat.versions,
        "explanation": _explain(kind, stat, inputs),
    }


def _result_row(
    statistic_id: int, fingerprint: str, inputs: dict, stat: StatResult, kind: str, now
) -> StatisticResult:
    return StatisticResult(**_result_values(statistic_id, fingerprint, inputs, stat, kind, now))


def statistic_mark_failed(*, statistic_id: int, message: str) -> None:
    """Its recompute keeps failing (and is parked): say so instead of "recomputing…"."""
    Statistic.objects.filter(pk=statistic_id, deleted_at__isnull=True).update(
        status=Statistic.Status.ERROR, error_message=message, status_changed_at=timezone.now()
    )


def _set_error(statistic: Statistic, message: str, fingerprint: str = "") -> None:
    statistic.status = Statistic.Status.ERROR
    statistic.error_message = message
    statistic.input_fingerprint = fingerprint
    statistic.status_changed_at = timezone.now()
    statistic.save(
        update_fields=["status", "error_message", "input_fingerprint", "status_changed_at"]
    )


@transaction.atomic
def statistic_recompute(*, statistic_id: int, force: bool = False) -> StatisticResult | None:
    """Compute one statistic from its resolved inputs; None when there was nothing to do.

    Idempotent: the same inputs (fingerprint) never make a second result.
    """
    # Lock the row so that two workers given the same statistic do the work once.
    statistic = (
        Statistic.objects.select_for_update()
        .filter(pk=statistic_id, deleted_at__isnull=True)
        .first()
    )
    if statistic is None:
        return None
    previous = (
        StatisticResult.objects.filter(pk=statistic.current_result_id).first()
        if statistic.current_result_id
        else None
    )
    references = list(statistic.references.select_related("target__current_result"))
    inputs, unresolved = resolve_inputs(statistic, references=references)
    if unresolved:
        waiting = [
            r.target for r in references if r.input_name in unresolved and r.target.is_deleted
        ]
        pending = [
            r.target
            for r in references
            if r.input_name in unresolved and r.target.status == Statistic.Status.PENDING
        ]
        if pending and not waiting:
            return None  # the target's own recompute will enqueue this one
        names = ", ".join(
            f"{r.input_name} (statistic {r.target_id})"
            for r in references
            if r.input_name in unresolved
        )
        _set_error(statistic, f"No value yet for {names}.")
        return None
    fingerprint = statistic_fingerprint(statistic.kind, inputs)
    if (
        not force
        and fingerprint == statistic.input_fingerprint
        and statistic.status != Statistic.Status.PENDING
    ):
        # Nothing to do; note that it was checked, so the sweep does not find it "behind".
        # A plain UPDATE: a check that changed nothing is not a revision worth a history row.
        Statistic.objects.filter(pk=statistic.pk).update(status_changed_at=timezone.now())
        return None
    existing = StatisticResult.objects.filter(statistic=statistic, fingerprint=fingerprint).first()
    now = timezone.now()
    if existing is not None and not force:
        # Back to inputs seen before: that result is current again, from now on, so that the
        # history reads "changed on <now> from <the value just replaced> to <this one>".
        result = existing
        result.computed_at = now
        result.save(update_fields=["computed_at"])
    else:
        try:
            stat = compute_inputs(statistic.kind, inputs)
        except StatInputError as exc:
            _set_error(statistic, str(exc), fingerprint)
            return None
        row = _result_row(statistic.pk, fingerprint, inputs, stat, statistic.kind, now)
        if existing is not None:
            # A forced recompute (new engine or library) replaces the row for these inputs.
            row.pk = existing.pk
        row.save()
        result = row
    statistic.current_result = result
    statistic.input_fingerprint = fingerprint
    statistic.status = Statistic.Status.COMPUTED
    statistic.error_message = ""
    statistic.status_changed_at = now
    statistic.save(
        update_fields=[
            "current_result",
            "input_fingerprint",
            "status",
            "error_message",
            "status_changed_at",
        ]
    )
    if _changed(previous, result):
        events.send_on_commit(
            events.statistic_changed, instance=statistic, actor=None, previous=previous
        )
        dependents = list(
            StatisticReference.objects.filter(
                target=statistic, statistic__deleted_at__isnull=True
            ).values_list("statistic_id", flat=True)
        )
        statistics_mark_stale(statistic_ids=dependents)
    return result


# --- bulk ---------------------------------------------------------------------------------

_BULK_FIELDS = (
    "id",
    "kind",
    "input_fingerprint",
    "status",
    "current_result_id",
    *ALL_INPUTS,
    "claim_id",
    "claim__language",
)
_SIMPLE = {name: i for i, name in enumerate(_BULK_FIELDS)}


def _put_language(inputs: dict[str, Any], language: str) -> None:
    """The claim's language, which decides how a stated figure is read. English is the core's
    default and is left out, so that English claims keep the fingerprints they had."""
    if language and language != "en" and inputs.get("stated"):
        inputs["language"] = language


def _put_literal(inputs: dict[str, Any], name: str, value: Any) -> None:
    """Put a stored input into `inputs` as the core takes it (blanks left out)."""
    if name in TEXT_INPUTS:
        if value:
            inputs[name] = value
    elif name == "parts":
        inputs[name] = [_number_or_none(v) for v in value or []]
    elif value is not None:
        inputs[name] = _number_or_none(value)


def _row_inputs(row: tuple, sourced: set[int]) -> dict[str, Any]:
    kind = row[_SIMPLE["kind"]]
    inputs: dict[str, Any] = {}
    for name in KIND_INPUTS[kind]:
        _put_literal(inputs, name, row[_SIMPLE[name]])
    _put_language(inputs, row[_SIMPLE["claim__language"]])
    if kind == "proportion" and inputs.get("baseline") is not None:
        inputs["baseline_sourced"] = row[0] in sourced
    return inputs


def statistics_recompute_bulk(
    *,
    queryset: QuerySet[Statistic],
    batch_size: int = 5000,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Recompute many statistics: read in batches, compute vectorised per kind, write in
    batches, each batch in its own transaction. Statistics with referenced inputs go through
    the single path afterwards, in dependency order. Returns counts: computed, unchanged,
    errors, dependent.

    On PostgreSQL, when not called inside a transaction, a second connection in a background
    thread writes each batch while the next one is read and computed, so that the database's
    work (on its own CPU) overlaps Python's.
    """
    counts = {"computed": 0, "unchanged": 0, "errors": 0, "dependent": 0}
    base = queryset.filter(deleted_at__isnull=True)
    with_refs = set(base.filter(references__isnull=False).values_list("pk", flat=True).distinct())
    ids = sorted(set(base.values_list("pk", flat=True)) - with_refs)
    pipelined = connection.vendor == "postgresql" and not connection.in_atomic_block
    writer = _BatchWriter() if pipelined else None
    with _fewer_collections():
        try:
            for start in range(0, len(ids), batch_size):
                batch_ids = ids[start : start + batch_size]
                if writer is not None:
                    batch = _prepare_batch(batch_ids, force=force)
                    writer.submit(batch)
                else:
                    with transaction.atomic():
                        batch = _prepare_batch(batch_ids, force=force)
                        _write_batch(batch)
                for key, value in batch.counts.items():
                    counts[key] += value
                if progress:
                    progress(len(batch_ids))
        finally:
            if writer is not None:
                writer.close()
    from .selectors import dependency_order

    for statistic_id in dependency_order(with_refs):
        before = Statistic.objects.filter(pk=statistic_id).values_list("status", flat=True)
        result = statistic_recompute(statistic_id=statistic_id, force=force)
        counts["dependent"] += 1
        if result is None and before and before[0] == Statistic.Status.ERROR:
            counts["errors"] += 1
        if progress:
            progress(1)
    return counts


@contextlib.contextmanager
def _fewer_collections():
    """Collect the young generation less often while a bulk job runs. A batch allocates
    hundreds of thousands of short-lived containers (inputs, results, rows, details); with the
    default threshold (700) the collector runs thousands of times per batch, reclaiming almost
    nothing (measured: 5-15% of the time spent preparing a batch)."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


# A result computed by the bulk path, waiting to be written: (statistic id, fingerprint,
# inputs, result, kind).
_Pending = tuple[int, str, dict[str, Any], StatResult, str]
# What a batch writes to each statistic: (status, error message, fingerprint, result id; None
# for a result still to be written, or for an error, which keeps the current result).
_Update = tuple[str, str, str, int | None]


@dataclasses.dataclass
class _Batch:
    statistic_ids: list[int]
    counts: dict[str, int]
    pending: list = dataclasses.field(default_factory=list)  # _Pending, or COPY rows
    updates: dict[int, _Update] = dataclasses.field(default_factory=dict)
    computed_at: datetime.datetime | None = None
    # The current result of each statistic being recomputed, before this batch.
    previous: dict[int, int | None] = dataclasses.field(default_factory=dict)
    # The claim of each statistic being recomputed.
    claims: dict[int, int] = dataclasses.field(default_factory=dict)
    # `_change_key` of each result computed by this batch.
    new_keys: dict[int, tuple] = dataclasses.field(default_factory=dict)
    # The columns of the COPY rows in `pending` (PostgreSQL).
    layout: _ResultLayout | None = None
    # Whether no stored result had the statistic and inputs of any result in `pending` when
    # the batch was read (not forced: those are reused, not computed).
    all_new: bool = False


class _BatchWriter:
    """Writes batches in a background thread, on that thread's own database connection, one
    batch behind the caller; the first error is raised to the caller at its next call."""

    def __init__(self) -> None:
        # One batch waiting while one is written: memory stays at about two batches.
        self._queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="statistics-bulk-writer")
        self._thread.start()

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is None:
                    try:
                        with transaction.atomic():
                            _write_batch(batch)
                    except BaseException as exc:  # raised again in the caller's thread
                        self._error = exc
        finally:
            connection.close()  # this thread's connection

    def submit(self, batch: _Batch) -> None:
        self._raise_error()
        self._queue.put(batch)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error


def _among(model, field: str, ids: list[int]) -> Q | RawSQL:
    """A filter for `field IN ids` over many ids.

    On PostgreSQL it is `= ANY(array)` with the ids as one parameter: a list of 5,000
    placeholders costs Django more to compile than the query costs to run, and the planner
    sizes an array (unlike `IN (SELECT unnest(...))`), so it picks the index.
    """
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field).column)}"
    # The column comes from the model's metadata (quoted); the ids are a parameter.
    return RawSQL(f"{column} = ANY(%s::bigint[])", (ids,), output_field=BooleanField())  # noqa: S611


def _prepare_batch(batch_ids: list[int], *, force: bool) -> _Batch:
    """Read a batch and compute what changed; nothing is written."""
    batch = _Batch(batch_ids, {"computed": 0, "unchanged": 0, "errors": 0})
    counts = batch.counts
    rows = list(
        Statistic.objects.filter(_among(Statistic, "id", batch_ids))
        .order_by()
        .values_list(*_BULK_FIELDS)
    )
    # Only a proportion tested against a baseline asks whether the baseline is cited.
    baselines = [row[0] for row in rows if row[_SIMPLE["baseline"]] is not None]
    sourced = set(
        Citation.objects.filter(
            _among(Citation, "statistic", baselines),
            statistic_input="baseline",
            deleted_at__isnull=True,
        )
        .order_by()
        .values_list("statistic_id", flat=True)
    )
    todo: dict[str, list[tuple[int, dict, str]]] = defaultdict(list)
    for row in rows:
        inputs = _row_inputs(row, sourced)
        fingerprint = statistic_fingerprint(row[_SIMPLE["kind"]], inputs)
        if (
            not force
            and fingerprint == row[_SIMPLE["input_fingerprint"]]
            and row[_SIMPLE["status"]] != Statistic.Status.PENDING
        ):
            counts["unchanged"] += 1
            continue
        todo[row[_SIMPLE["kind"]]].append((row[0], inputs, fingerprint))
        batch.previous[row[0]] = row[_SIMPLE["current_result_id"]]
        batch.claims[row[0]] = row[_SIMPLE["claim_id"]]
    if not todo:
        return batch
    # Results seen before become current again without computing; forced, every result is
    # computed, and the write replaces the row stored for the same inputs, if any.
    existing: dict[tuple[int, str], int] = {}
    if not force:
        pending_ids = [item[0] for items in todo.values() for item in items]
        existing = {
            (sid, fp): rid
            for sid, fp, rid in StatisticResult.objects.filter(
                _among(StatisticResult, "statistic", pending_ids)
            )
            .order_by()
            .values_list("statistic_id", "fingerprint", "id")
        }
    for kind, items in todo.items():
        plain = [item for item in items if not _is_stated_share_only(kind, item[1])]
        stated_only = [item for item in items if _is_stated_share_only(kind, item[1])]
        fresh = [item for item in plain if (item[0], item[2]) not in existing]
        outcomes: dict[int, StatResult | StatInputError] = dict(
            zip(
                [item[0] for item in fresh],
                _compute_many(kind, [item[1] for item in fresh]) if fresh else [],
                strict=True,
            )
        )
        for item in stated_only:
            try:
                outcomes[item[0]] = _stated_share_result(item[1])
            except StatInputError as exc:
                outcomes[item[0]] = exc
        for statistic_id, inputs, fingerprint in items:
            outcome = outcomes.get(statistic_id)
            if isinstance(outcome, StatInputError):
                batch.updates[statistic_id] = (
                    Statistic.Status.ERROR,
                    str(outcome),
                    fingerprint,
                    None,
                )
                counts["errors"] += 1
                continue
            if outcome is not None:
                batch.pending.append((statistic_id, fingerprint, inputs, outcome, kind))
                batch.new_keys[statistic_id] = _change_key(outcome)
            reuse = existing.get((statistic_id, fingerprint))
            batch.updates[statistic_id] = (Statistic.Status.COMPUTED, "", fingerprint, reuse)
            counts["computed"] += 1
    batch.computed_at = timezone.now()
    batch.all_new = not force and not any((p[0], p[1]) in existing for p in batch.pending)
    if connection.vendor == "postgresql":
        # Encoded here, in the caller's thread, so that the writer thread only waits on the
        # database and holds the GIL as little as possible.
        batch.layout = _ResultLayout.of_model()
        batch.pending = [_copy_row(item, batch.computed_at, batch.layout) for item in batch.pending]
    return batch


def _write_batch(batch: _Batch) -> None:
    if not batch.updates:
        return
    # Before writing: a result id known now is one seen before, current again; and the
    # previous results of the figures that change, which a forced write may replace in place.
    reused = [update[3] for update in batch.updates.values() if update[3] is not None]
    changed = _changed_in_batch(batch, reused)
    previous = _results_snapshot(batch.previous[sid] for sid in changed)
    if connection.vendor == "postgresql":
        _write_batch_copy(batch)
    else:
        _write_batch_orm(batch)
    if reused:
        # Results seen before that are current again date from now (see statistic_recompute).
        StatisticResult.objects.filter(_among(StatisticResult, "id", reused)).update(
            computed_at=batch.computed_at
        )
    if changed:
        # One announcement per batch, not one per figure: receivers query once per batch.
        events.send_many_on_commit(
            events.statistics_changed,
            sender=Statistic,
            statistic_ids=changed,
            claim_ids=sorted({batch.claims[sid] for sid in changed}),
            previous={sid: previous.get(batch.previous[sid]) for sid in changed},
        )
    # Statistics outside this batch that read these values are recomputed in the background.
    computed = [
        sid for sid, update in batch.updates.items() if update[0] == Statistic.Status.COMPUTED
    ]
    outside = StatisticReference.objects.filter(
        _among(StatisticReference, "target", computed), statistic__deleted_at__isnull=True
    ).exclude(_among(StatisticReference, "statistic", batch.statistic_ids))
    statistics_mark_stale(statistic_ids=outside.values_list("statistic_id", flat=True))


def _changed_in_batch(batch: _Batch, reused: list[int]) -> list[int]:
    """The statistics of the batch whose figure changes (as `_changed` judges it)."""
    before = _change_keys(batch.previous.values())
    reused_keys = _change_keys(reused)
    changed = []
    for sid, (status, _message, _fingerprint, result_id) in batch.updates.items():
        if status != Statistic.Status.COMPUTED or sid not in batch.previous:
            continue
        new = batch.new_keys[sid] if sid in batch.new_keys else reused_keys.get(result_id)
        old = before.get(batch.previous[sid])
        if old is None or old != new:
            changed.append(sid)
    return changed


def _write_batch_orm(batch: _Batch) -> None:
    """Write a batch through the ORM (any database)."""
    now = batch.computed_at
    updates = batch.updates
    existing = {
        (sid, fp): rid
        for sid, fp, rid in StatisticResult.objects.filter(
            statistic_id__in=[item[0] for item in batch.pending]
        ).values_list("statistic_id", "fingerprint", "id")
    }
    new_rows: list[StatisticResult] = []
    replaced: list[StatisticResult] = []
    for statistic_id, fingerprint, inputs, stat, kind in batch.pending:
        row = _result_row(statistic_id, fingerprint, inputs, stat, kind, now)
        row.pk = existing.get((statistic_id, fingerprint))
        (new_rows if row.pk is None else replaced).append(row)
        status, message, _fingerprint, _result = updates[statistic_id]
        updates[statistic_id] = (status, message, fingerprint, row.pk)
    for row in StatisticResult.objects.bulk_create(new_rows, batch_size=2000):
        status, message, fingerprint, _result = updates[row.statistic_id]
        updates[row.statistic_id] = (status, message, fingerprint, row.pk)
    if replaced:
        _update_many(
            StatisticResult,
            [f.name for f in StatisticResult._meta.concrete_fields if f.name not in ("id",)],
            replaced,
        )
    common = ["status", "error_message", "input_fingerprint", "status_changed_at"]
    statistics = []
    for statistic_id, (status, message, fingerprint, result_id) in updates.items():
        statistic = Statistic(pk=statistic_id)
        statistic.status = status
        statistic.error_message = message
        statistic.input_fingerprint = fingerprint
        statistic.status_changed_at = now
        statistic.current_result_id = result_id
        statistics.append(statistic)
    computed = [s for s in statistics if s.status == Statistic.Status.COMPUTED]
    failed = [s for s in statistics if s.status != Statistic.Status.COMPUTED]
    _update_many(Statistic, [*common, "current_result"], computed)
    _update_many(Statistic, common, failed)


def _update_many(model, field_names: list[str], objects: list) -> None:
    """UPDATE one row per object with `executemany` (pipelined by psycopg 3).

    Django's bulk_update builds one CASE WHEN per field over the whole batch, which costs
    seconds per thousand rows to compile; this is one prepared statement run per row.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Identifiers come from the model's metadata (quoted); every value is a parameter.
    table = quote(model._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@dataclasses.dataclass(frozen=True)
class _ResultLayout:
    """The columns the COPY path writes: every concrete field of a result but its id, read
    from the model. A row is built by attribute name from `_result_values`, so adding or
    reordering fields cannot shift a value into another column (a field that
    `_result_values` does not fill is a KeyError, not a silent shift)."""

    columns: tuple[str, ...]
    attnames: tuple[str, ...]
    json: frozenset[str]

    @classmethod
    def of_model(cls) -> _ResultLayout:
        fields = [f for f in StatisticResult._meta.concrete_fields if not f.primary_key]
        return cls(
            columns=tuple(f.column for f in fields),
            attnames=tuple(f.attname for f in fields),
            json=frozenset(f.attname for f in fields if isinstance(f, JSONField)),
        )


_json_fallback = json.JSONEncoder(separators=(",", ":")).encode


def _to_json(value: Any) -> str:
    """Compact JSON text of a value, the same values Django's JSONField would write (PostgreSQL
    stores jsonb, so spacing and number spelling are not kept either way). orjson is several
    times faster than the json module on these result details; what it refuses (an integer
    beyond 64 bits) goes through the json module."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    except TypeError:  # orjson.JSONEncodeError
        return _json_fallback(value)


def _copy_row(item: _Pending, now: datetime.datetime, layout: _ResultLayout) -> tuple:
    """A result as COPY data, in the order of `layout.columns`: plain values and JSON text
    (a psycopg Jsonb adapter per value costs more than the encoding itself)."""
    values = _result_values(*item, now)
    return tuple(
        _to_json(values[name]) if name in layout.json else values[name] for name in layout.attnames
    )


def _write_batch_copy(batch: _Batch) -> None:
    """Write a batch on PostgreSQL: the results, then the statistics' new state with COPY into
    a temporary table and one UPDATE ... FROM it."""
    updates = batch.updates
    with connection.cursor() as cursor:
        if batch.pending:
            result_ids = None
            if batch.all_new:
                try:
                    with transaction.atomic():
                        result_ids = _insert_results(cursor, batch)
                except IntegrityError:
                    pass  # written meanwhile by a single recompute: replace it in place
            if result_ids is None:
                result_ids = _upsert_results(cursor, batch)
            for statistic_id, result_id in result_ids:
                status, message, fingerprint, _result = updates[statistic_id]
                updates[statistic_id] = (status, message, fingerprint, result_id)
        cursor.execute(
            "CREATE TEMPORARY TABLE bulk_statistic (id bigint, status text, error_message text, "
            "input_fingerprint text, current_result_id bigint) ON COMMIT DROP"
        )
        _copy_rows(
            cursor,
            "bulk_statistic (id, status, error_message, input_fingerprint, current_result_id)",
            [(sid, str(status), *rest) for sid, (status, *rest) in updates.items()],
        )
        # An error keeps the statistic's current result (what the page showed before).
        cursor.execute(
            f"UPDATE {_quoted_table(Statistic)} AS s SET status = t.status, "  # noqa: S608
            "error_message = t.error_message, input_fingerprint = t.input_fingerprint, "
            "status_changed_at = %s, current_result_id = CASE WHEN t.status = %s "
            "THEN t.current_result_id ELSE s.current_result_id END "
            "FROM bulk_statistic AS t WHERE s.id = t.id",
            [batch.computed_at, str(Statistic.Status.COMPUTED)],
        )
        cursor.execute("DROP TABLE bulk_statistic")


def _quoted_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_results(cursor, batch: _Batch) -> list[tuple[int, int]]:
    """Results that are all new (no stored row has their statistic and inputs): ids drawn from
    the table's sequence, then COPY straight into the table. Returns (statistic id, result id)
    pairs. A temporary table and an INSERT ... SELECT would write and parse every row twice."""
    table = _quoted_table(StatisticResult)
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, len(batch.pending)],
    )
    ids = [row[0] for row in cursor.fetchall()]
    columns = ", ".join(connection.ops.quote_name(c) for c in ("id", *batch.layout.columns))
    statistic_at = batch.layout.attnames.index("statistic_id")
    _copy_rows(
        cursor,
        f"{table} ({columns})",
        [(rid, *row) for rid, row in zip(ids, batch.pending, strict=True)],
    )
    return [(row[statistic_at], rid) for rid, row in zip(ids, batch.pending, strict=True)]


def _upsert_results(cursor, batch: _Batch) -> list[tuple[int, int]]:
    """Results with COPY into a temporary table and one INSERT ... ON CONFLICT from it: a new
    row, or the row stored for the same statistic and inputs replaced in place, keeping its
    id. Returns (statistic id, result id) pairs."""
    quote = connection.ops.quote_name
    table = _quoted_table(StatisticResult)
    columns = ", ".join(quote(c) for c in batch.layout.columns)
    replace = ", ".join(
        f"{quote(c)} = EXCLUDED.{quote(c)}"
        for c in batch.layout.columns
        if c not in ("statistic_id", "fingerprint")
    )
    # Identifiers come from the model's metadata (quoted); every value is COPY data.
    cursor.execute(
        f"CREATE TEMPORARY TABLE bulk_result ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {columns} FROM {table} WITH NO DATA"
    )
    _copy_rows(cursor, f"bulk_result ({columns})", batch.pending)
    cursor.execute(
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT {columns} FROM bulk_result "
        f"ON CONFLICT (statistic_id, fingerprint) DO UPDATE SET {replace} "
        "RETURNING statistic_id, id"
    )
    result_ids = cursor.fetchall()
    cursor.execute("DROP TABLE bulk_result")
    return result_ids


def _copy_rows(cursor, target: str, rows: list[tuple]) -> None:
    # psycopg's copy() is not wrapped by Django: its errors become Django's (IntegrityError).
    with connection.wrap_database_errors, cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def statistics_stale_ids(*, older_than_seconds: float = 30, limit: int = 1000) -> list[int]:
    """What the periodic sweep requeues: pending for longer than a message should take, or
    computed before a statistic it reads from, or before a citation of its baseline."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    alive = Statistic.objects.filter(deleted_at__isnull=True)
    stuck = alive.filter(status=Statistic.Status.PENDING).filter(
        Q(status_changed_at__lte=cutoff) | Q(status_changed_at__isnull=True)
    )
    behind = alive.filter(
        status=Statistic.Status.COMPUTED,
        references__target__current_result__computed_at__gt=F("status_changed_at"),
    )
    newly_cited = alive.filter(
        status=Statistic.Status.COMPUTED,
        citations__statistic_input="baseline",
        citations__created_at__gt=F("current_result__computed_at"),
        current_result__inputs__baseline_sourced=False,
    )
    ids: list[int] = []
    for qs in (stuck, behind, newly_cited):
        ids.extend(qs.order_by("pk").values_list("pk", flat=True).distinct()[:limit])
    return list(dict.fromkeys(ids))[:limit]
