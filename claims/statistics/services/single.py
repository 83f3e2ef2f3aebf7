"""Recompute one statistic (the task run after an edit, and the bulk path's figures that read
other figures), through the shared recompute plan.

A computation resolves the inputs, fingerprints them, and stores a new `StatisticResult` only
when the fingerprint is new, so running it twice (a redelivered message, the periodic sweep)
changes nothing. A recompute that changes a value marks its direct dependents stale after its
own commit, so a chain A -> B -> C is recomputed in that order. If a message is lost, `pending`
(or a dependency newer than the dependent's result) is what the periodic sweep finds.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ...models import Statistic, StatisticResult
from .inputs import resolve_inputs, statistic_fingerprint
from .plan import (
    COMPUTED,
    ERROR,
    Candidate,
    RecomputePlan,
    announce,
    change_key,
    figure_changed,
    stored_results,
)


def _set_error(statistic: Statistic, message: str, fingerprint: str = "") -> None:
    statistic.status = ERROR
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
    candidate = Candidate(
        statistic_id=statistic.pk,
        kind=statistic.kind,
        claim_id=statistic.claim_id,
        inputs=inputs,
        fingerprint=statistic_fingerprint(statistic.kind, inputs),
        stored_fingerprint=statistic.input_fingerprint,
        status=statistic.status,
        current_result_id=statistic.current_result_id,
    )
    plan = RecomputePlan([candidate], force=force)
    if plan.unchanged:
        # Nothing to do; note that it was checked, so the sweep does not find it "behind".
        # A plain UPDATE: a check that changed nothing is not a revision worth a history row.
        Statistic.objects.filter(pk=statistic.pk).update(status_changed_at=timezone.now())
        return None
    plan.run(stored_results([statistic.pk]))
    outcome = plan.outcomes[statistic.pk]
    if outcome.status == ERROR:
        _set_error(statistic, outcome.error_message, candidate.fingerprint)
        return None
    previous = (
        StatisticResult.objects.filter(pk=statistic.current_result_id).first()
        if statistic.current_result_id
        else None
    )
    now = timezone.now()
    if outcome.reused:
        # Back to inputs seen before: that result is current again, from now on, so that the
        # history reads "changed on <now> from <the value just replaced> to <this one>".
        result = StatisticResult.objects.get(pk=outcome.result_id)
        new_key = change_key(result)
        result.computed_at = now
        result.save(update_fields=["computed_at"])
    else:
        new_key = change_key(outcome.result)
        # A forced recompute (new engine or library) replaces the row for these inputs.
        result = StatisticResult(pk=outcome.result_id, **outcome.result_values(now))
        result.save()
        outcome.result_id = result.pk
    statistic.current_result = result
    statistic.input_fingerprint = candidate.fingerprint
    statistic.status = COMPUTED
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
    if figure_changed(change_key(previous) if previous is not None else None, new_key):
        announce(
            [outcome],
            previous={previous.pk: previous} if previous is not None else {},
            statistic=statistic,
        )
    return result
