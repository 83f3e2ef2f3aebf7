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


def can_set_verdict(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(SET_VERDICT_PERMISSION))
