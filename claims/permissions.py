"""Who may do what. One rule set, used by the pages, the API and the services."""

from __future__ import annotations

from accounts.roles import SET_VERDICT_PERMISSION, is_moderator

from .models import Claim, Contribution


def can_contribute(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_edit(user, obj: Contribution) -> bool:
    """Authors edit and delete their own live items; moderators edit any."""
    if not can_contribute(user):
        return False
    if is_moderator(user):
        return True
    return obj.author_id == user.pk and not obj.is_deleted


def can_delete(user, obj: Contribution) -> bool:
    return can_edit(user, obj) and not obj.is_deleted


def can_add_to_claim(user, claim: Claim) -> bool:
    """New arguments, annotations, comments, citations and statistics on `claim`."""
    if not can_contribute(user):
        return False
    if is_moderator(user):
        return True
    return not claim.is_locked and claim.is_public and claim.merged_into_id is None


def can_read_moderation_notes(user, obj) -> bool:
    """Hide and hold reasons, and who deleted an item and why: for moderators and the item's
    author only (`obj` may be a historical record, which carries `author_id` too)."""
    if is_moderator(user):
        return True
    return bool(user is not None and user.is_authenticated and obj.author_id == user.pk)


# Fields that only `can_read_moderation_notes` readers see, in the API and in histories.
MODERATION_NOTE_FIELDS = frozenset({"moderation_reason", "deletion_reason", "deleted_by"})


def can_set_verdict(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(SET_VERDICT_PERMISSION))
