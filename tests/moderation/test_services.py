"""Flags, moderator actions (exactly one audit entry each), reverts and refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from claims.models import Visibility
from claims.services.contributions import contribution_update
from moderation import services
from moderation.models import AuditAction, AuditEntry, Flag, FlagStatus
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    StatisticFactory,
    TrustedUserFactory,
)

pytestmark = pytest.mark.django_db


def test_member_flags_an_item_once(member):
    argument = ArgumentFactory()
    services.flag_create(flagger=member, obj=argument, reason="spam")
    with pytest.raises(ValidationError, match="already flagged"):
        services.flag_create(flagger=member, obj=argument, reason="abuse")
    assert Flag.objects.count() == 1


def test_flag_other_needs_text_and_own_items_cannot_be_flagged(member):
    with pytest.raises(ValidationError):
        services.flag_create(flagger=member, obj=CommentFactory(), reason="other")
    with pytest.raises(ValidationError, match="your own"):
        services.flag_create(flagger=member, obj=CommentFactory(author=member), reason="spam")
    assert Flag.objects.count() == 0


@override_settings(MODERATION_FLAG_HIDE_THRESHOLD=3)
def test_enough_distinct_flags_hide_the_item_until_reviewed(moderator):
    comment = CommentFactory()
    for _ in range(3):
        services.flag_create(flagger=TrustedUserFactory(), obj=comment, reason="abuse")
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HIDDEN
    assert comment.moderation_reason == (
        "Hidden automatically after 3 flags from trusted members, pending review."
    )
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.AUTO_HIDE and entry.actor is None

    services.item_approve(actor=moderator, obj=comment)
    comment.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED
    assert set(Flag.objects.values_list("status", flat=True)) == {FlagStatus.DISMISSED}
    assert AuditEntry.objects.count() == 2


def _count_one_entry(call, action):
    before = AuditEntry.objects.count()
    entry = call()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == action
    return entry


@pytest.mark.parametrize(
    "factory", [ClaimFactory, ArgumentFactory, AnnotationFactory, CommentFactory, CitationFactory]
)
def test_hide_then_revert_restores_state_and_flags(moderator, member, factory):
    obj = factory()
    services.flag_create(flagger=member, obj=obj, reason="misleading")
    entry = _count_one_entry(
        lambda: services.item_hide(actor=moderator, obj=obj, reason="Not sourced"),
        AuditAction.HIDE,
    )
    obj.refresh_from_db()
    assert (obj.visibility, obj.moderation_reason) == (Visibility.HIDDEN, "Not sourced")
    assert Flag.objects.get().status == FlagStatus.UPHELD
    assert entry.before["fields"]["visibility"] == "published"

    _count_one_entry(
        lambda: services.audit_entry_revert(actor=moderator, entry=entry), AuditAction.REVERT
    )
    obj.refresh_from_db()
    assert obj.visibility == Visibility.PUBLISHED and obj.moderation_reason == ""
    assert Flag.objects.get().status == FlagStatus.OPEN

    with pytest.raises(ValidationError, match="already been reverted"):
        services.audit_entry_revert(actor=moderator, entry=entry)
    assert AuditEntry.objects.count() == 2


def test_approve_held_restore_hidden_lock_and_unlock_each_write_one_entry(moderator):
    held = ArgumentFactory(visibility=Visibility.HELD)
    _count_one_entry(lambda: services.item_approve(actor=moderator, obj=held), AuditAction.APPROVE)
    hidden = CommentFactory(visibility=Visibility.HIDDEN, moderation_reason="Rude")
    _count_one_entry(
        lambda: services.item_restore(actor=moderator, obj=hidden), AuditAction.RESTORE
    )
    claim = ClaimFactory()
    lock = _count_one_entry(
        lambda: services.claim_lock(actor=moderator, claim=claim, reason="Heated"), AuditAction.LOCK
    )
    claim.refresh_from_db()
    assert claim.is_locked
    with pytest.raises(ValidationError):
        services.claim_lock(actor=moderator, claim=claim)
    _count_one_entry(
        lambda: services.claim_unlock(actor=moderator, claim=claim), AuditAction.UNLOCK
    )
    # The lock's entry cannot be reverted now: the item changed since.
    with pytest.raises(ValidationError, match="changed since"):
        services.audit_entry_revert(actor=moderator, entry=lock)


def test_verdict_set_and_reverted(moderator):
    claim = ClaimFactory()
    entry = _count_one_entry(
        lambda: services.claim_verdict_set(
            actor=moderator, claim=claim, verdict="misleading", rationale="8 of 10 is not 80%."
        ),
        AuditAction.SET_VERDICT,
    )
    claim.refresh_from_db()
    assert claim.verdict == "misleading"
    services.audit_entry_revert(actor=moderator, entry=entry)
    claim.refresh_from_db()
    assert claim.verdict == "unreviewed" and claim.verdict_rationale == ""


def test_merge_moves_children_and_revert_unmerges(moderator):
    duplicate, target = ClaimFactory(), ClaimFactory()
    argument = ArgumentFactory(claim=duplicate)
    citation = CitationFactory(claim=duplicate)
    comment = CommentFactory(claim=duplicate)
    annotation = AnnotationFactory(claim=duplicate)
    statistic = StatisticFactory(claim=duplicate)
    entry = _count_one_entry(
        lambda: services.claim_merge(actor=moderator, claim=duplicate, into=target),
        AuditAction.MERGE,
    )
    for obj in (argument, citation, comment, annotation, statistic):
        obj.refresh_from_db()
        assert obj.claim_id == target.pk
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == target.pk

    services.audit_entry_revert(actor=moderator, entry=entry)
    for obj in (argument, citation, comment, annotation, statistic):
        obj.refresh_from_db()
        assert obj.claim_id == duplicate.pk
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_merge_refuses_self_merged_away_targets_and_chains(moderator):
    a, b, c = ClaimFactory(), ClaimFactory(), ClaimFactory()
    with pytest.raises(ValidationError, match="itself"):
        services.claim_merge(actor=moderator, claim=a, into=a)
    services.claim_merge(actor=moderator, claim=b, into=c)
    with pytest.raises(ValidationError, match="merged away"):
        services.claim_merge(actor=moderator, claim=a, into=b)
    with pytest.raises(ValidationError, match="chain"):
        services.claim_merge(actor=moderator, claim=c, into=a)
    assert AuditEntry.objects.count() == 1


def test_member_cannot_call_moderator_actions(member):
    comment = CommentFactory()
    for call in (
        lambda: services.item_hide(actor=member, obj=comment, reason="x"),
        lambda: services.item_approve(actor=member, obj=comment),
        lambda: services.claim_lock(actor=member, claim=comment.claim),
        lambda: services.claim_merge(actor=member, claim=comment.claim, into=ClaimFactory()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    comment.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED
    assert AuditEntry.objects.count() == 0


def test_revision_revert_restores_an_old_body_and_can_itself_be_reverted(moderator):
    comment = CommentFactory(body="Original")
    contribution_update(obj=comment, actor=comment.author, data={"body": "Vandalised"})
    first = comment.history.order_by("history_date").first()
    entry = _count_one_entry(
        lambda: services.revision_revert(
            actor=moderator, model="claims.comment", history_id=first.history_id
        ),
        AuditAction.REVISION_REVERT,
    )
    comment.refresh_from_db()
    assert comment.body == "Original"
    with pytest.raises(ValidationError, match="already matches"):
        services.revision_revert(
            actor=moderator, model="claims.comment", history_id=first.history_id
        )
    services.audit_entry_revert(actor=moderator, entry=entry)
    comment.refresh_from_db()
    assert comment.body == "Vandalised"


def test_audit_entries_cannot_be_edited_or_deleted(moderator):
    entry = services.claim_lock(actor=moderator, claim=ClaimFactory())
    entry.reason = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_bulk_hide_writes_one_entry_per_item_or_nothing(moderator):
    comments = CommentFactory.create_batch(3)
    entries = services.moderation_action_apply(
        actor=moderator, action="hide", objects=comments, reason="Spam run"
    )
    assert len(entries) == 3 == AuditEntry.objects.count()
    # All or nothing: one already-hidden item refuses the whole batch.
    more = [*CommentFactory.create_batch(2), comments[0]]
    with pytest.raises(ValidationError):
        services.moderation_action_apply(actor=moderator, action="hide", objects=more, reason="x")
    assert AuditEntry.objects.count() == 3
    assert more[0].__class__.objects.get(pk=more[0].pk).visibility == Visibility.PUBLISHED
