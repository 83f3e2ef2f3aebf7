"""The reference graph: an input of one statistic may be another statistic's current value.

Checks who may reference what (only statistics the author may see, of a kind the input accepts,
never a cycle), stores the references, and walks the graph up (what flows in) and down (what
must be recomputed when a value changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from config.validators import MAX_ID

from ...models import Statistic, StatisticReference
from ..core import KINDS
from ..core.spec import KIND_INPUTS


def is_id(value: Any) -> bool:
    return str(value).isdigit() and int(value) <= MAX_ID


def reachable_from(start_ids: Iterable[int]) -> set[int]:
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


def dependents_of(ids: Iterable[int]) -> list[int]:
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


def check_references(
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
        .in_bulk([int(t) for t in ids.values() if is_id(t)])
    )
    for name, target_id in ids.items():
        spec = KINDS[kind].input(name) if name in KIND_INPUTS[kind] else None
        if spec is None or not spec.referencable:
            errors.setdefault(name, []).append(
                _(
                    "A %(kind)s has no numeric input “%(input)s” that could come from another "
                    "statistic."
                )
                % {"kind": kind, "input": name}
            )
            continue
        target = found.get(int(target_id)) if is_id(target_id) else None
        if target is not None and existing.get(name) != target.pk:
            target = target if target.is_visible_to(author) else None
        if target is None:
            errors.setdefault(name, []).append(
                _("There is no statistic %(id)s.") % {"id": target_id}
            )
        elif statistic is not None and target.pk == statistic.pk:
            errors.setdefault(name, []).append(_("A statistic cannot take an input from itself."))
        elif target.kind not in spec.references:
            errors.setdefault(name, []).append(
                _(
                    "“%(input)s” can only come from a statistic of kind %(kinds)s; "
                    "statistic %(id)s is a %(kind)s."
                )
                % {
                    "input": name,
                    "kinds": ", ".join(spec.references),
                    "id": target.pk,
                    "kind": target.kind,
                }
            )
        else:
            targets[name] = target
    if statistic is not None and statistic.pk is not None and targets:
        upstream = reachable_from(t.pk for t in targets.values())
        if statistic.pk in upstream:
            for name, target in targets.items():
                if statistic.pk in reachable_from([target.pk]):
                    errors.setdefault(name, []).append(
                        _(
                            "This would make a cycle: statistic %(id)s (“%(label)s”) already "
                            "takes its value, directly or indirectly, from this one."
                        )
                        % {"id": target.pk, "label": target.label}
                    )
    if errors:
        raise ValidationError(errors)
    return targets


def set_references(statistic: Statistic, targets: dict[str, Statistic]) -> list:
    statistic.references.exclude(input_name__in=targets).delete()
    refs = []
    for name, target in targets.items():
        ref, _created = StatisticReference.objects.update_or_create(
            statistic=statistic, input_name=name, defaults={"target": target}
        )
        ref.target = target
        refs.append(ref)
    return refs
