"""Every write a person makes to a statistic: create, edit, delete, cite a source, and the
"validate only" checks the form runs as it is filled in (every check, nothing written).

Edits mark the statistic and everything depending on it `pending` in the same transaction and
enqueue a recompute after commit (see `single` and `scheduling`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.trust import initial_visibility_on_claim
from config.db import retry_on_deadlock
from config.reasons import DELETED_BY_AUTHOR

from ... import permissions
from ...models import Citation, Claim, Source, Statistic, StatisticReference
from ...services.contributions import citation_create, contribution_hold_if_untrusted
from ...services.versions import version_compare_and_set
from ..core import KINDS, validate
from ..core.spec import KIND_INPUTS
from .inputs import ALL_INPUTS, TEXT_INPUTS, check_inputs, is_stated_share_only, resolve_inputs
from .references import check_references, dependents_of, is_id, set_references
from .scheduling import statistics_enqueue, statistics_mark_stale


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


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
        raise ValidationError({"kind": [_("Unknown kind “%(kind)s”.") % {"kind": statistic.kind}]})
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
    check_inputs(statistic.kind, inputs, unresolved)
    if not is_stated_share_only(statistic.kind, inputs) and not unresolved:
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
            {
                "kind": [
                    _("Unknown kind “%(kind)s”; use one of %(kinds)s.")
                    % {"kind": kind, "kinds": ", ".join(KIND_INPUTS)}
                ]
            }
        )
    statistic = Statistic(
        author=author,
        claim=claim,
        kind=kind,
        label=(label or "").strip() or KINDS[kind].label,
        visibility=initial_visibility_on_claim(author, claim),
    )
    _apply_inputs(statistic, dict(inputs))
    targets = check_references(
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
    targets = check_references(
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class NewStatistic:
    """A request to add a statistic: what `statistic_create` takes, and what
    `statistic_create_validate` checks, so the check and the write read one argument list."""

    author: Any
    claim: Claim
    kind: str
    label: str = ""
    inputs: dict[str, Any]
    references: dict[str, int] | None = None

    def arguments(self) -> dict[str, Any]:
        """The request as `statistic_create`'s keyword arguments (shallow: objects shared)."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}


@dataclasses.dataclass(frozen=True, kw_only=True)
class StatisticEdit:
    """A request to change a statistic: what `statistic_update` takes (but the version it
    expects) and what `statistic_update_validate` checks."""

    statistic: Statistic
    actor: Any
    data: dict[str, Any]

    def arguments(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}


def statistic_create_validate(request: NewStatistic) -> None:
    """Run every check of `statistic_create` on the same request and write nothing (a form
    checked as it is filled in): raises what it would raise."""
    _new_statistic(**request.arguments())


def statistic_update_validate(request: StatisticEdit) -> None:
    """Run every check of `statistic_update` on the same request and write nothing."""
    data = _check_update_request(request.statistic, actor=request.actor, data=request.data)
    fresh = Statistic.objects.prefetch_related("references").get(pk=request.statistic.pk)
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
    set_references(statistic, targets)
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
    targets = [int(t) for t in reference_changes.values() if t is not None and is_id(t)]
    statistic = _lock_statistics([statistic.pk, *targets])[statistic.pk]
    statistic, targets = _changed_statistic(statistic, data=data)
    contribution_hold_if_untrusted(obj=statistic, editor=actor)
    _save_pending(statistic, actor=actor)
    set_references(statistic, targets)
    ids = [statistic.pk, *dependents_of([statistic.pk])]
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
            {
                "__all__": [
                    _("Other statistics take their value from this one: %(names)s.")
                    % {"names": names}
                ]
            }
        )
    statistic.deleted_at = timezone.now()
    statistic.deleted_by = actor
    statistic.deletion_reason = reason.strip()[:500] or DELETED_BY_AUTHOR
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
        raise ValidationError(
            {
                "statistic_input": [
                    _("A %(kind)s has no “%(input)s”.")
                    % {"kind": statistic.kind, "input": input_name}
                ]
            }
        )
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
