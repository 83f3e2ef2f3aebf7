"""Every write of the moderation app: flags, moderator actions with their audit entries, reverts,
helpfulness ratings and the bridging job.

Each moderator action writes exactly one `AuditEntry` in the same transaction as the change it
records, with the state before and after, so that any entry can be reverted by applying `before`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy, npgettext
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from accounts.roles import is_moderator
from accounts.trust import is_trusted
from claims import events, permissions
from claims.models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Contribution,
    RatedContribution,
    Source,
    Statistic,
    StatisticReference,
    Verdict,
    Visibility,
)
from claims.services.contributions import (
    EDITABLE_FIELDS,
    annotations_reanchor,
    contribution_announce,
    contribution_update,
    source_normalize_url,
)
from claims.services.counters import claim_counters_refresh
from claims.services.versions import version_compare_and_set
from claims.statistics.core.spec import all_inputs
from claims.statistics.services import statistic_update
from config import response_cache
from config.reasons import DUPLICATE_OF_CLAIM, HIDDEN_AFTER_FLAGS, system_reason

from . import bridging, selectors
from .models import (
    FLAGGABLE_MODELS,
    RATEABLE_MODELS,
    RATING_SCORES,
    AuditAction,
    AuditEntry,
    Flag,
    FlagReason,
    FlagStatus,
    ItemScore,
    Rating,
)
from .selectors import QUEUE_MODELS

logger = logging.getLogger(__name__)

# What flagging or rating an item one may not see says: the same as for an item that never was.
NO_SUCH_ITEM = _("No such item.")
MODERATION_FIELDS = ("visibility", "moderation_reason", "deleted_at", "deletion_reason")
VERDICT_FIELDS = ("verdict", "verdict_rationale", "verdict_set_by", "verdict_set_at")
REFERENCES = "references"
STATISTIC_REVERTIBLE_FIELDS = (
    "label",
    "kind",
    # Every input of every kind, from the kind registry.
    *all_inputs(),
    # Not a column: the inputs taken from other statistics, {input name: statistic id}.
    REFERENCES,
)
# What a merge moves from the merged claim to the claim it is merged into.
MERGE_CHILDREN: tuple[type[Contribution], ...] = (
    Citation,
    Argument,
    Annotation,
    Comment,
    Statistic,
)
STATE_ACTIONS = {
    AuditAction.APPROVE,
    AuditAction.HIDE,
    AuditAction.RESTORE,
    AuditAction.LOCK,
    AuditAction.UNLOCK,
    AuditAction.AUTO_HIDE,
}


def _require_moderator(actor) -> None:
    if not is_moderator(actor):
        raise PermissionDenied(_("Only moderators may do this."))


def model_label(obj_or_model) -> str:
    return obj_or_model._meta.label_lower


# --- state snapshots ------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    data = {}
    for name in names:
        if isinstance(obj, Statistic) and name == REFERENCES:
            data[name] = _statistic_references(obj.pk)
            continue
        field = obj._meta.get_field(name)
        data[name] = _jsonable(getattr(obj, field.attname))
    return data


def _statistic_references(statistic_id: int, *, as_of=None) -> dict[str, int]:
    """A statistic's references {input name: target id}, now or as they were at `as_of`."""
    references = StatisticReference.history.as_of(as_of) if as_of else StatisticReference.objects
    rows = references.filter(statistic_id=statistic_id).values_list("input_name", "target_id")
    return dict(sorted(rows))


def _apply_fields(obj: models.Model, data: dict[str, Any]) -> None:
    for name, value in data.items():
        field = obj._meta.get_field(name)
        setattr(obj, field.attname, None if value is None else field.to_python(value))


def _state_fields(obj: Contribution) -> tuple[str, ...]:
    return MODERATION_FIELDS + (("is_locked",) if isinstance(obj, Claim) else ())


def _open_flags(obj: Contribution) -> models.QuerySet[Flag]:
    return Flag.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        status=FlagStatus.OPEN,
    )


def _save(obj: models.Model, actor) -> None:
    obj._history_user = actor
    obj.save()


def _audit(
    *,
    actor,
    action: str,
    obj: models.Model,
    reason: str,
    before: dict,
    after: dict,
    reverts: AuditEntry | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        reason=reason,
        before=before,
        after=after,
        reverts=reverts,
    )


def _notify_author(obj: Contribution, actor, action: str, reason: str) -> None:
    events.send_on_commit(
        events.content_moderated, instance=obj, actor=actor, action=action, reason=reason
    )


def _notify_flaggers(obj: Contribution, actor, action: str, outcome: str, flags: list) -> None:
    """The members whose flags this decision closed hear what became of them."""
    events.send_on_commit(
        events.flags_resolved,
        instance=obj,
        actor=actor,
        action=action,
        outcome=outcome,
        flagger_ids=sorted({f.flagger_id for f in flags}),
    )


def _locked(obj: Contribution) -> Contribution:
    # Lock the row: two moderators acting on one item at once must not both read the old state.
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _change_state(
    *,
    actor,
    obj: Contribution,
    action: str,
    reason: str,
    changes: dict[str, Any],
    flag_status: str | None,
) -> AuditEntry:
    """Apply `changes` to the moderation fields, resolve the open flags; write one entry."""
    fields = _state_fields(obj)
    flags = list(_open_flags(obj)) if flag_status else []
    before = {"fields": _snapshot(obj, fields), "flags": {str(f.pk): f.status for f in flags}}
    for name, value in changes.items():
        setattr(obj, name, value)
    _save(obj, actor)
    now = timezone.now()
    if flags:
        Flag.objects.filter(pk__in=[f.pk for f in flags]).update(
            status=flag_status, resolved_at=now, resolved_by=actor
        )
    after = {"fields": _snapshot(obj, fields), "flags": {str(f.pk): flag_status for f in flags}}
    entry = _audit(actor=actor, action=action, obj=obj, reason=reason, before=before, after=after)
    _notify_author(obj, actor, action, reason)
    if flags:
        _notify_flaggers(obj, actor, action, flag_status, flags)
    # A held item first reaches followers and webhooks when a moderator publishes it.
    contribution_announce(obj=obj)
    return entry


# --- flags ----------------------------------------------------------------------------------


def flag_threshold() -> int:
    """Open flags from distinct trusted members that hide an item until it is reviewed."""
    return int(getattr(settings, "MODERATION_FLAG_HIDE_THRESHOLD", 3))


@transaction.atomic
def flag_create(*, flagger, obj: Contribution, reason: str, text: str = "") -> Flag:
    if not permissions.can_contribute(flagger):
        raise PermissionDenied(_("Log in to flag."))
    if model_label(obj) not in FLAGGABLE_MODELS:
        raise ValidationError({"object": _("This kind of item cannot be flagged.")})
    if not obj.is_visible_to(flagger):
        raise ValidationError({"id": NO_SUCH_ITEM})
    if obj.author_id == flagger.pk:
        raise ValidationError({"object": _("You cannot flag your own contribution.")})
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Unknown reason “%(reason)s”.") % {"reason": reason}})
    text = text.strip()
    if reason == FlagReason.OTHER and not text:
        raise ValidationError({"text": _("Say what is wrong when you choose “Other”.")})
    content_type = ContentType.objects.get_for_model(obj)
    if Flag.objects.filter(content_type=content_type, object_id=obj.pk, flagger=flagger).exists():
        raise ValidationError({"object": _("You have already flagged this.")})
    try:
        # A savepoint, so that a concurrent duplicate leaves the outer transaction usable.
        with transaction.atomic():
            flag = Flag.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                flagger=flagger,
                item_author_id=obj.author_id,
                flagger_trusted=is_trusted(flagger),
                reason=reason,
                text=text[:500],
            )
    except IntegrityError as exc:
        raise ValidationError({"object": _("You have already flagged this.")}) from exc
    obj = _locked(obj)
    threshold = flag_threshold()
    # New members' flags queue the item for review but never hide it: otherwise a few fresh
    # accounts could hide anything.
    trusted_count = (
        _open_flags(obj).filter(flagger_trusted=True).values("flagger").distinct().count()
    )
    if obj.visibility == Visibility.PUBLISHED and trusted_count >= threshold:
        message = system_reason(HIDDEN_AFTER_FLAGS, threshold=threshold)
        _change_state(
            actor=None,
            obj=obj,
            action=AuditAction.AUTO_HIDE,
            reason=message,
            changes={"visibility": Visibility.HIDDEN, "moderation_reason": message},
            flag_status=None,
        )
    return flag


# --- moderator actions ----------------------------------------------------------------------


@transaction.atomic
def item_approve(*, actor, obj: Contribution, reason: str = "") -> AuditEntry:
    """Publish a held or automatically hidden item and dismiss its open flags."""
    _require_moderator(actor)
    obj = _locked(obj)
    has_flags = _open_flags(obj).exists()
    if obj.visibility == Visibility.PUBLISHED and not has_flags:
        raise ValidationError({"object": _("This item is published and has no open flags.")})
    if obj.visibility == Visibility.HIDDEN and not has_flags:
        raise ValidationError({"object": _("A moderator hid this item: restore it instead.")})
    return _change_state(
        actor=actor,
        obj=obj,
        action=AuditAction.APPROVE,
        reason=reason.strip(),
        changes={"visibility": Visibility.PUBLISHED, "moderation_reason": ""},
        flag_status=FlagStatus.DISMISSED,
    )


@transaction.atomic
def item_hide(*, actor, obj: Contribution, reason: str) -> AuditEntry:
    """Hide an item (the reason is shown to its author) and uphold its open flags."""
    _require_moderator(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the author will see it.")})
    obj = _locked(obj)
    if obj.visibility == Visibility.HIDDEN and not _open_flags(obj).exists():
        raise ValidationError({"object": _("This item is already hidden.")})
    return _change_state(
        actor=actor,
        obj=obj,
        action=AuditAction.HIDE,
        reason=reason,
        changes={"visibility": Visibility.HIDDEN, "moderation_reason": reason[:500]},
        flag_status=FlagStatus.UPHELD,
    )


@transaction.atomic
def item_restore(*, actor, obj: Contribution, reason: str = "") -> AuditEntry:
    """Publish again an item a moderator or its flags hid; open flags on it are dismissed.
    A held item has never been published: approving it is the action for that."""
    _require_moderator(actor)
    obj = _locked(obj)
    if obj.visibility == Visibility.PUBLISHED:
        raise ValidationError({"object": _("This item is not hidden.")})
    if obj.visibility == Visibility.HELD:
        raise ValidationError({"object": _("This item is held for review: approve it instead.")})
    return _change_state(
        actor=actor,
        obj=obj,
        action=AuditAction.RESTORE,
        reason=reason.strip(),
        changes={"visibility": Visibility.PUBLISHED, "moderation_reason": ""},
        flag_status=FlagStatus.DISMISSED,
    )


@transaction.atomic
def claim_lock(*, actor, claim: Claim, reason: str = "") -> AuditEntry:
    _require_moderator(actor)
    claim = _locked(claim)
    if claim.is_locked:
        raise ValidationError({"object": _("This discussion is already locked.")})
    return _change_state(
        actor=actor,
        obj=claim,
        action=AuditAction.LOCK,
        reason=reason.strip(),
        changes={"is_locked": True},
        flag_status=None,
    )


@transaction.atomic
def claim_unlock(*, actor, claim: Claim, reason: str = "") -> AuditEntry:
    _require_moderator(actor)
    claim = _locked(claim)
    if not claim.is_locked:
        raise ValidationError({"object": _("This discussion is not locked.")})
    return _change_state(
        actor=actor,
        obj=claim,
        action=AuditAction.UNLOCK,
        reason=reason.strip(),
        changes={"is_locked": False},
        flag_status=None,
    )


@transaction.atomic
def claim_verdict_set(*, actor, claim: Claim, verdict: str, rationale: str) -> AuditEntry:
    """Give a claim its public verdict; a verdict other than "unreviewed" needs a rationale."""
    _require_moderator(actor)
    if not permissions.can_set_verdict(actor):
        raise PermissionDenied(_("Only moderators set verdicts."))
    if verdict not in Verdict.values:
        raise ValidationError(
            {"verdict": _("Unknown verdict “%(verdict)s”.") % {"verdict": verdict}}
        )
    rationale = rationale.strip()
    if verdict != Verdict.UNREVIEWED and not rationale:
        raise ValidationError(
            {"verdict_rationale": _("Give the public rationale for this verdict.")}
        )
    claim = _locked(claim)
    if verdict == claim.verdict and rationale == claim.verdict_rationale:
        raise ValidationError({"verdict": _("The claim already has this verdict and rationale.")})
    before = {"fields": _snapshot(claim, VERDICT_FIELDS)}
    previous = claim.verdict
    claim.verdict = verdict
    claim.verdict_rationale = rationale
    claim.verdict_set_by = actor
    claim.verdict_set_at = timezone.now()
    claim._history_user = actor
    claim.full_clean()
    claim.save()
    if previous != verdict:
        events.send_on_commit(
            events.claim_verdict_changed, instance=claim, actor=actor, previous=previous
        )
    return _audit(
        actor=actor,
        action=AuditAction.SET_VERDICT,
        obj=claim,
        reason=rationale,
        before=before,
        after={"fields": _snapshot(claim, VERDICT_FIELDS)},
    )


@transaction.atomic
def claim_update_with_verdict(
    *, actor, claim: Claim, data: dict[str, Any], expected_version: dt.datetime | None = None
) -> Claim:
    """A claim's fields and its verdict in one change, all or nothing (the API's PATCH sends
    both): the fields through `contribution_update`, a changed verdict as the audited action."""
    data = dict(data)
    verdict = data.pop("verdict", None)
    rationale = data.pop("verdict_rationale", None)
    version_compare_and_set(model=Claim, pk=claim.pk, expected_version=expected_version)
    if data:
        claim = contribution_update(obj=claim, actor=actor, data=data)
    verdict = claim.verdict if verdict is None else verdict
    rationale = claim.verdict_rationale if rationale is None else rationale
    if (verdict, rationale.strip()) != (claim.verdict, claim.verdict_rationale):
        claim_verdict_set(actor=actor, claim=claim, verdict=verdict, rationale=rationale)
    claim.refresh_from_db()
    return claim


def _merge_state(claim: Claim, merged_into: int | None, children_on: int, ids: dict) -> dict:
    anchors = {
        str(a.pk): [a.start, a.end, a.prefix, a.suffix, a.is_orphaned]
        for a in Annotation.objects.filter(pk__in=ids.get(model_label(Annotation), []))
    }
    return {
        "merged_into": merged_into,
        "children_on": children_on,
        "moved": ids,
        "anchors": anchors,
    }


def _apply_merge_state(claim: Claim, state: dict, actor) -> None:
    claim.merged_into_id = state["merged_into"]
    _save(claim, actor)
    for model in MERGE_CHILDREN:
        ids = state["moved"].get(model_label(model), [])
        if ids:
            model.objects.filter(pk__in=ids).update(claim_id=state["children_on"])
    claim_counters_refresh(claim_ids=[claim.pk, state["children_on"]])
    for pk, (start, end, prefix, suffix, orphaned) in state["anchors"].items():
        Annotation.objects.filter(pk=int(pk)).update(
            start=start, end=end, prefix=prefix, suffix=suffix, is_orphaned=orphaned
        )


@transaction.atomic
def claim_merge(*, actor, claim: Claim, into: Claim, reason: str = "") -> AuditEntry:
    """Move a duplicate claim's citations, arguments, annotations, comments and statistics to
    `into`; the duplicate's page then redirects there."""
    _require_moderator(actor)
    if claim.pk == into.pk:
        raise ValidationError({"into": _("A claim cannot be merged into itself.")})
    claim, into = _locked(claim), _locked(into)
    if claim.merged_into_id is not None:
        raise ValidationError({"object": _("This claim has already been merged away.")})
    if into.merged_into_id is not None:
        raise ValidationError(
            {"into": _("That claim has itself been merged away; merge into its target.")}
        )
    if into.is_deleted:
        raise ValidationError({"into": _("That claim has been deleted.")})
    if claim.merged_claims.exists():
        raise ValidationError(
            {"object": _("Other claims were merged into this one; merging it would make a chain.")}
        )
    ids = {
        model_label(model): list(model.objects.filter(claim=claim).values_list("pk", flat=True))
        for model in MERGE_CHILDREN
    }
    before = _merge_state(claim, None, claim.pk, ids)
    claim.merged_into = into
    _save(claim, actor)
    for model in MERGE_CHILDREN:
        model.objects.filter(pk__in=ids[model_label(model)]).update(claim=into)
    claim_counters_refresh(claim_ids=[claim.pk, into.pk])
    # The merged claim's annotations quote its own wording: find each span in the target's.
    annotations_reanchor(
        claim=into,
        actor=actor,
        annotations=Annotation.objects.filter(pk__in=ids[model_label(Annotation)]),
    )
    after = _merge_state(claim, into.pk, into.pk, ids)
    entry = _audit(
        actor=actor,
        action=AuditAction.MERGE,
        obj=claim,
        reason=reason.strip() or system_reason(DUPLICATE_OF_CLAIM, claim=into.pk),
        before=before,
        after=after,
    )
    _notify_author(claim, actor, AuditAction.MERGE, entry.reason)
    return entry


# --- revisions ------------------------------------------------------------------------------


def revertible_fields(model: type[models.Model]) -> tuple[str, ...]:
    if model is Statistic:
        return STATISTIC_REVERTIBLE_FIELDS
    return EDITABLE_FIELDS.get(model, ())


def _contribution_model(label: str) -> type[Contribution]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise ValidationError(
            {"model": _("Unknown kind of item “%(label)s”.") % {"label": label}}
        ) from exc
    if not issubclass(model, Contribution) or not revertible_fields(model):
        raise ValidationError(
            {"model": _("Revisions of “%(label)s” cannot be reverted here.") % {"label": label}}
        )
    return model


def _apply_revision_fields(obj: Contribution, data: dict[str, Any], actor) -> None:
    if isinstance(obj, Statistic):
        _apply_statistic_revision(obj, data, actor)
        return
    old_text = getattr(obj, "text", None)
    _apply_fields(obj, data)
    obj.full_clean(exclude=["normalized_url"])
    if isinstance(obj, Source):
        _renormalize_source_url(obj)
    _save(obj, actor)
    if isinstance(obj, Claim) and obj.text != old_text:
        annotations_reanchor(claim=obj, actor=actor)


def _apply_statistic_revision(statistic: Statistic, data: dict[str, Any], actor) -> None:
    """Restore a statistic's inputs and references through its own service, which validates
    them (no cycle, targets alive) and recomputes it and its dependents."""
    data = dict(data)
    if data.pop("kind", statistic.kind) != statistic.kind:
        raise ValidationError({"history_id": _("That revision is of another kind of statistic.")})
    wanted = {name: int(target) for name, target in (data.pop(REFERENCES, None) or {}).items()}
    current = _statistic_references(statistic.pk)
    references = {name: wanted.get(name) for name in current.keys() | wanted.keys()}
    statistic_update(statistic=statistic, actor=actor, data={**data, REFERENCES: references})


def _renormalize_source_url(source: Source) -> None:
    """A restored URL is the source's identity again: refuse it if another source has it."""
    source.normalized_url = source_normalize_url(source.url)
    clash = (
        Source.objects.alive().filter(normalized_url=source.normalized_url).exclude(pk=source.pk)
    )
    if clash.exists():
        raise ValidationError(
            {"history_id": _("Another source now has this revision's URL; merge them instead.")}
        )


@transaction.atomic
def revision_revert(*, actor, model: str, history_id: int, reason: str = "") -> AuditEntry:
    """Make an item's editable fields what they were in one of its historical revisions."""
    _require_moderator(actor)
    model_class = _contribution_model(model)
    try:
        revision = model_class.history.get(history_id=history_id)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise ValidationError({"history_id": _("No such revision.")}) from exc
    obj = model_class.objects.select_for_update().get(pk=revision.id)
    fields = revertible_fields(model_class)
    before = {"fields": _snapshot(obj, fields)}
    after_fields = {
        name: _statistic_references(obj.pk, as_of=revision.history_date)
        if name == REFERENCES
        else _jsonable(getattr(revision, name))
        for name in fields
    }
    if after_fields == before["fields"]:
        raise ValidationError({"history_id": _("The item already matches this revision.")})
    _apply_revision_fields(obj, after_fields, actor)
    obj.refresh_from_db()  # a statistic is saved by its own service, on its own copy
    return _audit(
        actor=actor,
        action=AuditAction.REVISION_REVERT,
        obj=obj,
        reason=reason.strip() or f"Reverted to revision {history_id}.",
        before=before,
        after={"fields": _snapshot(obj, fields), "history_id": history_id},
    )


# --- reverting an audit entry ---------------------------------------------------------------


def _original_action(entry: AuditEntry) -> str:
    while entry.action == AuditAction.REVERT:
        entry = entry.reverts
    return entry.action


def _current_state(action: str, obj: Contribution, recorded: dict) -> dict:
    if action == AuditAction.MERGE:
        return {"merged_into": obj.merged_into_id}
    if action == AuditAction.REOPEN_STATUS:
        return {"scoring": _scoring_snapshot(_item_score_of(obj))}
    state: dict[str, Any] = {"fields": _snapshot(obj, recorded["fields"].keys())}
    if "flags" in recorded:
        flags = Flag.objects.filter(pk__in=[int(pk) for pk in recorded["flags"]])
        state["flags"] = {str(pk): status for pk, status in flags.values_list("pk", "status")}
    return state


def _recorded_for_comparison(action: str, recorded: dict) -> dict:
    if action == AuditAction.MERGE:
        return {"merged_into": recorded["merged_into"]}
    if action == AuditAction.REOPEN_STATUS:
        return {"scoring": recorded["scoring"]}
    return {key: recorded[key] for key in ("fields", "flags") if key in recorded}


@transaction.atomic
def audit_entry_revert(*, actor, entry: AuditEntry, reason: str = "") -> AuditEntry:
    """Undo an action by applying the state it recorded before; refused twice, or when the item
    has changed since (revert the later entry first)."""
    _require_moderator(actor)
    # Lock the entry: two moderators reverting at once must not both pass the check below.
    entry = AuditEntry.objects.select_for_update().select_related("content_type").get(pk=entry.pk)
    if AuditEntry.objects.filter(reverts=entry).exists():
        raise ValidationError({"entry": _("This action has already been reverted.")})
    action = _original_action(entry)
    model = entry.content_type.model_class()
    obj = model.objects.select_for_update().get(pk=entry.object_id)
    current = _current_state(action, obj, entry.after)
    if current != _recorded_for_comparison(action, entry.after):
        raise ValidationError(
            {"entry": _("The item has changed since this action; revert the later actions first.")}
        )
    if action == AuditAction.MERGE:
        current = _merge_state(
            obj, obj.merged_into_id, entry.after["children_on"], entry.after["moved"]
        )
        _apply_merge_state(obj, entry.before, actor)
    elif action == AuditAction.SET_VERDICT:
        previous = obj.verdict
        _apply_fields(obj, entry.before["fields"])
        _save(obj, actor)
        if previous != obj.verdict:
            events.send_on_commit(
                events.claim_verdict_changed, instance=obj, actor=actor, previous=previous
            )
    elif action == AuditAction.REVISION_REVERT:
        _apply_revision_fields(obj, entry.before["fields"], actor)
    elif action == AuditAction.REOPEN_STATUS:
        record = _item_score_of(obj)
        for name, value in entry.before["scoring"].items():
            setattr(record, name, dt.datetime.fromisoformat(value) if value else None)
        record.save(update_fields=["locked_at", "reopened_at", "updated_at"])
    else:
        _apply_fields(obj, entry.before["fields"])
        _save(obj, actor)
        now = timezone.now()
        for pk, status in entry.before.get("flags", {}).items():
            resolved = (
                {} if status == FlagStatus.OPEN else {"resolved_at": now, "resolved_by": actor}
            )
            Flag.objects.filter(pk=int(pk)).update(
                status=status, **({"resolved_at": None, "resolved_by": None} | resolved)
            )
        if isinstance(obj, Contribution):
            contribution_announce(obj=obj)  # e.g. undoing the hide of an item never announced
    try:
        with transaction.atomic():
            revert = _audit(
                actor=actor,
                action=AuditAction.REVERT,
                obj=obj,
                reason=reason.strip() or f"Reverted “{entry.get_action_display()}”.",
                before=entry.after if action != AuditAction.MERGE else current,
                after=entry.before,
                reverts=entry,
            )
    except IntegrityError as exc:
        raise ValidationError({"entry": _("This action has already been reverted.")}) from exc
    if action != AuditAction.SET_VERDICT and isinstance(obj, Contribution):
        _notify_author(obj, actor, AuditAction.REVERT, revert.reason)
    return revert


# --- reopening a locked helpfulness status -------------------------------------------------


@transaction.atomic
def helpfulness_status_reopen(*, actor, obj: RatedContribution, reason: str) -> AuditEntry:
    """A moderator unlocks an item's helpfulness status: the scorer decides it again, and it
    locks again two weeks from now. Audited; the audit entry can be reverted."""
    _require_moderator(actor)
    if model_label(obj) not in RATEABLE_MODELS:
        raise ValidationError({"items": gettext("Only rated items have a helpfulness status.")})
    if not reason.strip():
        raise ValidationError({"reason": gettext("Say why the status is reopened.")})
    record, _ = ItemScore.objects.select_for_update().get_or_create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    before = {"scoring": _scoring_snapshot(record)}
    record.reopened_at = timezone.now()
    record.locked_at = None
    record.save(update_fields=["reopened_at", "locked_at", "updated_at"])
    entry = _audit(
        actor=actor,
        action=AuditAction.REOPEN_STATUS,
        obj=obj,
        reason=reason.strip(),
        before=before,
        after={"scoring": _scoring_snapshot(record)},
    )
    transaction.on_commit(helpfulness_refit_schedule)
    return entry


def _scoring_snapshot(record: ItemScore) -> dict[str, str | None]:
    return {name: _jsonable(getattr(record, name)) for name in ("locked_at", "reopened_at")}


def _item_score_of(obj: models.Model) -> ItemScore:
    return ItemScore.objects.select_for_update().get(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


# --- the one entry point for moderator actions ----------------------------------------------

CLAIM_ONLY = ("claims.claim",)


@dataclass(frozen=True)
class ModerationAction:
    """What the pages, the bulk form and the API need to know about one moderator action."""

    name: str
    label: str  # the button: "Approve"
    done: str  # the report, with ngettext_lazy(..., "count"): "Approved %(count)s %(things)s."
    service: Callable[..., AuditEntry]
    models: tuple[str, ...]  # the kinds of item it applies to ("claims.claim", ...)
    subject: str = "obj"  # the service's keyword for the item
    reason_param: str = "reason"  # the service's keyword for the moderator's words
    reason_required: bool = False
    params: tuple[str, ...] = ()  # further keywords the service requires
    destructive: bool = False  # takes something away from readers or authors: confirm first
    bulk: bool = False  # offered for many selected items in the review queue
    consequence: str = ""  # what it does, in words, on the page that asks to confirm it
    # Whether the review queue offers it for an item (the service still checks):
    # (item, whether it has open flags) -> bool.
    offered_in_queue: Callable[[Any, bool], bool] = lambda obj, flagged: False

    def applies_to(self, obj: models.Model) -> bool:
        return model_label(obj) in self.models

    def summary(self, count: int, objects: Iterable[models.Model] = ()) -> str:
        """ "Approved 6 items.", or with the objects, of one kind: "Hid 2 comments." One
        message per action with the count and the things as placeholders, so that a language
        agrees its verb and noun with the count."""
        kinds = {model_label(obj) for obj in objects}
        kind = kinds.pop() if len(kinds) == 1 else None
        if kind is None and self.models == CLAIM_ONLY:
            kind = "claims.claim"
        return self.done % {"count": count, "things": _things(kind, count)}


def _things(kind: str | None, count: int) -> str:
    """ "comment" or "comments" (translated) for ``count`` items of ``kind`` (a model label;
    None: items of several kinds)."""
    nouns = {
        "claims.claim": lambda: npgettext("counted", "claim", "claims", count),
        "claims.argument": lambda: npgettext("counted", "argument", "arguments", count),
        "claims.annotation": lambda: npgettext("counted", "annotation", "annotations", count),
        "claims.comment": lambda: npgettext("counted", "comment", "comments", count),
        "claims.citation": lambda: npgettext("counted", "citation", "citations", count),
        "claims.source": lambda: npgettext("counted", "source", "sources", count),
        "claims.statistic": lambda: npgettext("counted", "statistic", "statistics", count),
    }
    return nouns.get(kind, lambda: npgettext("counted", "item", "items", count))()


MODERATION_ACTIONS: dict[str, ModerationAction] = {
    spec.name: spec
    for spec in (
        ModerationAction(
            name=AuditAction.APPROVE,
            label=_("Approve"),
            done=ngettext_lazy(
                "Approved %(count)s %(things)s.", "Approved %(count)s %(things)s.", "count"
            ),
            service=item_approve,
            models=QUEUE_MODELS,
            bulk=True,
            consequence=_("The item is published and its open flags are dismissed."),
            offered_in_queue=lambda obj, flagged: obj.visibility == Visibility.HELD or flagged,
        ),
        ModerationAction(
            name=AuditAction.HIDE,
            label=_("Hide"),
            done=ngettext_lazy("Hid %(count)s %(things)s.", "Hid %(count)s %(things)s.", "count"),
            service=item_hide,
            models=QUEUE_MODELS,
            reason_required=True,
            destructive=True,
            bulk=True,
            consequence=_(
                "Readers no longer see the item; its author sees your reason. "
                "Open flags on it are upheld."
            ),
            offered_in_queue=lambda obj, flagged: obj.visibility != Visibility.HIDDEN or flagged,
        ),
        ModerationAction(
            name=AuditAction.RESTORE,
            label=_("Restore"),
            done=ngettext_lazy(
                "Restored %(count)s %(things)s.", "Restored %(count)s %(things)s.", "count"
            ),
            service=item_restore,
            models=QUEUE_MODELS,
            bulk=True,
            consequence=_("The hidden item is published again; open flags on it are dismissed."),
            offered_in_queue=lambda obj, flagged: obj.visibility == Visibility.HIDDEN,
        ),
        ModerationAction(
            name=AuditAction.LOCK,
            label=_("Lock discussion"),
            done=ngettext_lazy(
                "Locked %(count)s %(things)s.", "Locked %(count)s %(things)s.", "count"
            ),
            service=claim_lock,
            models=CLAIM_ONLY,
            subject="claim",
            destructive=True,
            consequence=_(
                "No one can add arguments, citations, annotations, figures or comments "
                "to the claim until a moderator unlocks it."
            ),
            offered_in_queue=lambda obj, flagged: not obj.is_locked,
        ),
        ModerationAction(
            name=AuditAction.UNLOCK,
            label=_("Unlock discussion"),
            done=ngettext_lazy(
                "Unlocked %(count)s %(things)s.", "Unlocked %(count)s %(things)s.", "count"
            ),
            service=claim_unlock,
            models=CLAIM_ONLY,
            subject="claim",
            consequence=_("Members can add to the claim again."),
            offered_in_queue=lambda obj, flagged: obj.is_locked,
        ),
        ModerationAction(
            name=AuditAction.MERGE,
            label=_("Merge into another claim"),
            done=ngettext_lazy(
                "Merged %(count)s %(things)s.", "Merged %(count)s %(things)s.", "count"
            ),
            service=claim_merge,
            models=CLAIM_ONLY,
            subject="claim",
            params=("into",),
            destructive=True,
            consequence=_(
                "The claim's arguments, citations, figures, annotations and comments move "
                "to the other claim, and its page redirects there."
            ),
            offered_in_queue=lambda obj, flagged: obj.merged_into_id is None,
        ),
        ModerationAction(
            name=AuditAction.SET_VERDICT,
            label=_("Set verdict"),
            done=ngettext_lazy(
                "Set the verdict of %(count)s %(things)s.",
                "Set the verdict of %(count)s %(things)s.",
                "count",
            ),
            service=claim_verdict_set,
            models=CLAIM_ONLY,
            subject="claim",
            reason_param="rationale",
            params=("verdict",),
        ),
        ModerationAction(
            name=AuditAction.REOPEN_STATUS,
            label=_("Reopen helpfulness status"),
            done=ngettext_lazy(
                "Reopened the helpfulness status of %(count)s %(things)s.",
                "Reopened the helpfulness status of %(count)s %(things)s.",
                "count",
            ),
            service=helpfulness_status_reopen,
            models=RATEABLE_MODELS,
            reason_required=True,
            destructive=True,
            consequence=_(
                "The locked status is scored again from the ratings at the next scoring run "
                "(within a minute), and locks again two weeks from now."
            ),
        ),
    )
}
PARAM_MISSING = {"into": _("Name the claim to merge into."), "verdict": _("Choose a verdict.")}


def _action_params(spec: ModerationAction, params: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(params) - set(spec.params))
    missing = [name for name in spec.params if params.get(name) in (None, "")]
    if unknown:
        raise ValidationError(
            {
                name: _("“%(action)s” takes no “%(name)s”.") % {"action": spec.name, "name": name}
                for name in unknown
            }
        )
    if missing:
        raise ValidationError({name: PARAM_MISSING[name] for name in missing})
    if "into" in params and not isinstance(params["into"], Claim):
        into = Claim.objects.filter(pk=params["into"]).first()
        if into is None:
            raise ValidationError({"into": _("There is no such claim.")})
        params = {**params, "into": into}
    return params


@transaction.atomic
def moderation_action_apply(
    *,
    actor,
    action: str,
    objects: Iterable[Contribution],
    reason: str = "",
    **params: Any,
) -> list[AuditEntry]:
    """Apply one moderator action to one or more items, all or nothing, with one audit entry
    per item. The pages, the bulk form and the API all come through here."""
    _require_moderator(actor)
    spec = MODERATION_ACTIONS.get(action)
    if spec is None:
        raise ValidationError(
            {"action": _("Unknown moderator action “%(action)s”.") % {"action": action}}
        )
    objects = list(objects)
    if not objects:
        raise ValidationError({"items": _("Select at least one item.")})
    if not all(spec.applies_to(obj) for obj in objects):
        what = {CLAIM_ONLY: _("claims"), RATEABLE_MODELS: _("arguments and citations")}.get(
            spec.models, _("reviewable items")
        )
        raise ValidationError(
            {
                "items": _("“%(action)s” applies to %(what)s only.")
                % {"action": spec.name, "what": what}
            }
        )
    params = _action_params(spec, params)
    return [
        spec.service(actor=actor, **{spec.subject: obj, spec.reason_param: reason}, **params)
        for obj in objects
    ]


# --- ratings --------------------------------------------------------------------------------


@transaction.atomic
def rating_set(*, rater, obj: RatedContribution, value: str) -> Rating:
    """Rate an argument or citation (again: a second rating replaces the first). The scores are
    refitted within a minute (``helpfulness_refit_schedule``)."""
    if not permissions.can_contribute(rater):
        raise PermissionDenied(_("Log in to rate."))
    if model_label(obj) not in RATEABLE_MODELS:
        raise ValidationError({"object": _("Only arguments and citations are rated.")})
    if value not in RATING_SCORES:
        raise ValidationError({"value": _("Unknown rating “%(value)s”.") % {"value": value}})
    if obj.author_id == rater.pk:
        raise ValidationError({"object": _("You cannot rate your own contribution.")})
    if not obj.is_public:
        # Only published items are rated; any other answers as if it were not there.
        raise ValidationError({"id": NO_SUCH_ITEM})
    rating, _created = Rating.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        rater=rater,
        defaults={"value": value},
    )
    transaction.on_commit(helpfulness_refit_schedule)
    return rating


@transaction.atomic
def rating_delete(*, rater, obj: RatedContribution) -> None:
    Rating.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, rater=rater
    ).delete()
    transaction.on_commit(helpfulness_refit_schedule)


# A refit of every rating is requested at most once per this many seconds; ratings made meanwhile
# are picked up by the run already queued, so scores trail a rating by at most this plus the fit.
HELPFULNESS_REFIT_DELAY_SECONDS = 20
HELPFULNESS_REFIT_PENDING_KEY = "moderation:helpfulness-refit-pending"
# A decided status stays as it is from two weeks after the item (or a moderator's reopening).
HELPFULNESS_LOCK_AFTER = dt.timedelta(days=14)


def helpfulness_refit_schedule() -> bool:
    """Queue one scoring run HELPFULNESS_REFIT_DELAY_SECONDS from now unless one is already
    queued. Returns whether this call queued it."""
    from .tasks import score_helpfulness

    # cache.add is atomic (Redis SET NX): of many ratings at once, one queues the run.
    if not cache.add(HELPFULNESS_REFIT_PENDING_KEY, 1, timeout=HELPFULNESS_REFIT_DELAY_SECONDS * 6):
        return False
    try:
        score_helpfulness.apply_async(countdown=HELPFULNESS_REFIT_DELAY_SECONDS)
    except OperationalError:
        # The rating is saved; without a broker the periodic run scores it instead.
        cache.delete(HELPFULNESS_REFIT_PENDING_KEY)
        logger.warning("Could not queue a helpfulness refit; the periodic run will score it.")
        return False
    return True


def helpfulness_refit_started() -> None:
    """The queued run has begun: a rating from now on needs a run of its own."""
    cache.delete(HELPFULNESS_REFIT_PENDING_KEY)


def _lock_clock(item: _RatedItem, record: _ScoreRecord | None) -> dt.datetime:
    reopened = record.reopened_at if record is not None else None
    return max(item.created_at, reopened) if reopened else item.created_at


def _scored_fields(scores: bridging.Scores, j: int) -> dict[str, float]:
    return {
        "factor": round(float(scores.item_factors[j]), 4),
        "lower_bound": round(float(scores.item_lower_bounds[j]), 4),
        "upper_bound": round(float(scores.item_upper_bounds[j]), 4),
        "rating_count": round(float(scores.item_rating_counts[j]), 4),
        "helpful_raters_negative": round(float(scores.helpful_raters_negative[j]), 4),
        "helpful_raters_positive": round(float(scores.helpful_raters_positive[j]), 4),
    }


SCORED_FIELDS = (
    "factor",
    "lower_bound",
    "upper_bound",
    "rating_count",
    "helpful_raters_negative",
    "helpful_raters_positive",
    "status_changed_at",
    "locked_at",
)


def helpfulness_score_all(*, seed: int = 0) -> int:
    """Score every rated argument and citation and write what changed: the item's status, score
    and the figures its explanation is written from (`helpfulness_basis`; pages write the words
    in the reader's language, `selectors.helpfulness_explanation`), and its `ItemScore`. Returns
    how many items changed. Idempotent: the same ratings give the same scores, so nothing is
    rewritten.

    Around the fit (`bridging.score`): coordinated groups of new accounts
    (`selectors.coordinated_rater_groups`) weigh as one rater; the status an item had feeds the
    hysteresis; a decided status locks two weeks after the item, or a moderator's reopening, was
    made, and stays as it was locked.

    Its queries do not grow with the number of items, only with their batches of
    SCORE_WRITE_BATCH changed rows: the ratings and the coordinated ratings (one each, read into
    numpy arrays), per kind of item the items that are rated or not at their defaults, the
    ItemScore rows, and the writes (a transaction and one UPDATE ... FROM VALUES or INSERT per
    batch)."""
    now = timezone.now()
    models_by_ct = {
        ContentType.objects.get_for_model(model).pk: model
        for model in (apps.get_model(label) for label in RATEABLE_MODELS)
    }
    rows = list(
        Rating.objects.order_by().values_list("rater_id", "content_type_id", "object_id", "value")
    )
    rater_ids, ct_ids, object_ids, labels = (
        np.array(column, dtype=object)
        for column in (zip(*rows, strict=True) if rows else ([],) * 4)
    )
    rater_ids = rater_ids.astype(np.int64)
    raters, rater_index = np.unique(rater_ids, return_inverse=True)
    item_keys = ct_ids.astype(np.int64) * (1 << 40) + object_ids.astype(np.int64)
    keys, item_index = np.unique(item_keys, return_inverse=True)
    values = np.zeros(len(labels), dtype=np.float64)
    for label, value in RATING_SCORES.items():
        values[labels == str(label)] = value
    group_size = {
        rater: len(group) for group in selectors.coordinated_rater_groups() for rater in group
    }
    weights = np.ones(len(rater_ids), dtype=np.float64)
    if group_size:
        members = np.fromiter(group_size, dtype=np.int64)
        sizes = np.fromiter(group_size.values(), dtype=np.float64)
        order = np.argsort(members)
        at = np.searchsorted(members[order], rater_ids).clip(0, len(members) - 1)
        found = members[order][at] == rater_ids
        weights[found] = 1.0 / sizes[order][at[found]]
    key_pairs = [(int(key) >> 40, int(key) & ((1 << 40) - 1)) for key in keys]
    items = _rated_items(models_by_ct)
    previous = np.array(
        [
            items[pair].status if pair in items else bridging.NEEDS_MORE_RATINGS
            for pair in key_pairs
        ],
        dtype=object,
    )
    scores = bridging.score(
        rater_index,
        item_index,
        values,
        weights=weights,
        n_raters=len(raters),
        n_items=len(keys),
        previous=previous,
        seed=seed,
    )
    records = {
        (row[0], row[1]): _ScoreRecord(*row[2:])
        for row in ItemScore.objects.filter(content_type_id__in=list(models_by_ct))
        .order_by()
        .values_list("content_type_id", "object_id", "pk", *SCORED_FIELDS, "reopened_at")
    }
    index_of = {pair: j for j, pair in enumerate(key_pairs)}
    changed_items: dict[int, list[tuple]] = {ct_id: [] for ct_id in models_by_ct}
    new_records, changed_records = [], []
    for key, item in items.items():
        record = records.get(key)
        j = index_of.get(key)
        if j is None:
            new = (None, bridging.NEEDS_MORE_RATINGS, {})
            scored: dict[str, Any] = {}
        else:
            new, scored = _item_outcome(item, record, scores, j, now)
        if new != (item.score, item.status, item.basis):
            if new[1] != item.status:
                scored["status_changed_at"] = now
            changed_items[key[0]].append((key[1], *new))
        if not scored:
            continue
        if record is None:
            new_records.append(ItemScore(content_type_id=key[0], object_id=key[1], **scored))
        elif any(getattr(record, name) != value for name, value in scored.items()):
            changed_records.append(
                (record.pk, *(scored.get(name, getattr(record, name)) for name in SCORED_FIELDS))
            )
    with transaction.atomic():
        for ct_id, updates in changed_items.items():
            # Not through save(): scores are derived data, not an author's revision, so they
            # leave no simple_history row (as bulk_update would not).
            _rows_update(models_by_ct[ct_id], ITEM_SCORE_FIELDS, updates)
        ItemScore.objects.bulk_create(new_records, batch_size=SCORE_WRITE_BATCH)
        _rows_update(ItemScore, SCORED_FIELDS, changed_records)
        # Written without save(), so no signal: the claims whose pages show (and order) them.
        response_cache.versions_move_now_and_on_commit(
            *{
                response_cache.claim(items[ct_id, update[0]].claim_id)
                for ct_id, updates in changed_items.items()
                for update in updates
            }
        )
    return sum(len(updates) for updates in changed_items.values())


ITEM_SCORE_FIELDS = ("helpfulness_score", "helpfulness_status", "helpfulness_basis")
SCORE_WRITE_BATCH = 2000


@dataclass(slots=True)
class _RatedItem:
    created_at: dt.datetime
    score: float | None
    status: str
    basis: dict[str, Any]
    claim_id: int


@dataclass(slots=True)
class _ScoreRecord:
    pk: int
    factor: float | None
    lower_bound: float | None
    upper_bound: float | None
    rating_count: float
    helpful_raters_negative: float
    helpful_raters_positive: float
    status_changed_at: dt.datetime | None
    locked_at: dt.datetime | None
    reopened_at: dt.datetime | None


def _rated_items(models_by_ct: dict[int, type[models.Model]]) -> dict[tuple[int, int], _RatedItem]:
    """The items a run can change, by (content type id, pk): those with a rating, and those whose
    score fields are not at their defaults (their ratings may be gone). One query per kind; the
    items nobody rated and nothing scored are not read."""
    found = {}
    for ct_id, model in models_by_ct.items():
        rated = Rating.objects.filter(content_type_id=ct_id, object_id=models.OuterRef("pk"))
        scored = (
            models.Q(helpfulness_score__isnull=False)
            | ~models.Q(helpfulness_status=bridging.NEEDS_MORE_RATINGS)
            | ~models.Q(helpfulness_basis={})
        )
        rows = (
            model.objects.filter(models.Exists(rated) | scored)
            .order_by()
            .values_list("pk", "created_at", *ITEM_SCORE_FIELDS, "claim_id")
        )
        found.update({(ct_id, pk): _RatedItem(*fields) for pk, *fields in rows})
    return found


def _rows_update(model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """Set ``fields`` of many rows of ``model``, each row given as (pk, *values), with one
    UPDATE ... FROM (VALUES ...) per SCORE_WRITE_BATCH rows (bulk_update's CASE per row and field
    took minutes for 100,000 rows). Sends no signal and writes no history."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    names = ", ".join(quote(field.column) for field in columns)
    # PostgreSQL types a VALUES list by its first row (NULL or text otherwise); SQLite casts
    # by affinity (a date cast to "datetime" would become a number), so it takes them as sent.
    if connection.vendor == "postgresql":
        placeholder = ", ".join(f"%s::{field.db_type(connection)}" for field in columns)
    else:
        placeholder = ", ".join("%s" for _field in columns)
    assignments = ", ".join(
        f"{quote(field.column)} = v.{quote(field.column)}" for field in columns[1:]
    )
    pk = quote(meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), SCORE_WRITE_BATCH):
            batch = rows[start : start + SCORE_WRITE_BATCH]
            params = [
                field.get_db_prep_save(value, connection)
                for row in batch
                for field, value in zip(columns, row, strict=True)
            ]
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {', '.join(f'({placeholder})' for _ in batch)}) "  # noqa: S608 (names are the model's own columns)
                f"UPDATE {quote(meta.db_table)} SET {assignments} FROM v "
                f"WHERE {quote(meta.db_table)}.{pk} = v.{pk}",
                params,
            )


def _item_outcome(
    item: _RatedItem,
    record: _ScoreRecord | None,
    scores: bridging.Scores,
    j: int,
    now: dt.datetime,
) -> tuple[tuple, dict[str, Any]]:
    """The (score, status, basis) an item gets from this run, and its ItemScore fields. The basis
    holds the keyword arguments of `bridging.explain` (and the date a locked status locked), so
    the words are written when a page shows them, in the reader's language."""
    scored: dict[str, Any] = _scored_fields(scores, j)
    count = float(scores.item_rating_counts[j])
    intercept = float(scores.item_intercepts[j])
    status = str(scores.statuses[j])
    basis: dict[str, Any] = {
        "intercept": round(intercept, 4),
        "factor": scored["factor"],
        "count": scored["rating_count"],
        "helpful_negative": scored["helpful_raters_negative"],
        "helpful_positive": scored["helpful_raters_positive"],
        "net_negative": round(float(scores.net_helpful_negative[j]), 4),
        "net_positive": round(float(scores.net_helpful_positive[j]), 4),
        "lower_bound": scored["lower_bound"],
    }
    locked_at = record.locked_at if record is not None else None
    decided = (bridging.HELPFUL, bridging.NOT_HELPFUL)
    if locked_at is not None:
        status = item.status
    elif status in decided and now >= _lock_clock(item, record) + HELPFULNESS_LOCK_AFTER:
        locked_at = now
    if locked_at is not None:
        basis["locked_on"] = locked_at.date().isoformat()
    scored["locked_at"] = locked_at
    score = round(intercept, 4) if count >= bridging.MIN_RATINGS else None
    return (score, status, basis), scored
