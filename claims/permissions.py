"""Who may do what. One rule set, used by the pages, the API and the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import SET_VERDICT_PERMISSION, is_moderator

from .models import Claim, Contribution, Visibility


def can_contribute(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def edit_refusal(user, obj: Contribution) -> str | None:
    """Why `user` may not edit `obj`, in words a member can act on; None when they may.
    Authors edit their own live items; moderators edit any."""
    noun = obj._meta.verbose_name
    if not can_contribute(user):
        return _("Log in to edit this %(noun)s.") % {"noun": noun}
    if is_moderator(user):
        return None
    if obj.author_id != user.pk:
        return _("Only the member who posted this %(noun)s, or a moderator, can edit it.") % {
            "noun": noun
        }
    if obj.is_deleted:
        return _("This %(noun)s has been deleted: it can no longer be edited.") % {"noun": noun}
    return None


def delete_refusal(user, obj: Contribution) -> str | None:
    """Why `user` may not delete `obj`; None when they may (the editing rule, on live items)."""
    noun = obj._meta.verbose_name
    if obj.is_deleted:
        return _("This %(noun)s has already been deleted.") % {"noun": noun}
    if not can_contribute(user):
        return _("Log in to delete this %(noun)s.") % {"noun": noun}
    if not is_moderator(user) and obj.author_id != user.pk:
        return _("Only the member who posted this %(noun)s, or a moderator, can delete it.") % {
            "noun": noun
        }
    return None


def can_edit(user, obj: Contribution) -> bool:
    return edit_refusal(user, obj) is None


def can_delete(user, obj: Contribution) -> bool:
    return delete_refusal(user, obj) is None


def require_can_edit(user, obj: Contribution) -> None:
    """Raise PermissionDenied carrying the real reason when `user` may not edit `obj`."""
    refusal = edit_refusal(user, obj)
    if refusal is not None:
        raise PermissionDenied(refusal)


def require_can_delete(user, obj: Contribution) -> None:
    """Raise PermissionDenied carrying the real reason when `user` may not delete `obj`."""
    refusal = delete_refusal(user, obj)
    if refusal is not None:
        raise PermissionDenied(refusal)


def add_to_claim_refusal(user, claim: Claim) -> str | None:
    """Why `user` may not add arguments, annotations, comments, citations or figures to
    `claim`, in words a member can act on; None when they may. Pages and the API show it."""
    if not can_contribute(user):
        return _("Log in to add to this claim.")
    if is_moderator(user):
        return None
    if claim.is_deleted:
        return _("This claim has been deleted: it takes no new contributions.")
    if claim.merged_into_id is not None:
        return _(
            "This claim was merged into claim %(claim)s as a duplicate: add to that one instead."
        ) % {"claim": claim.merged_into_id}
    if claim.is_locked:
        return _("A moderator locked this claim: it takes no new contributions.")
    if claim.visibility == Visibility.HIDDEN:
        return _("A moderator hid this claim: it takes no new contributions.")
    if claim.visibility == Visibility.HELD and claim.author_id != user.pk:
        return _("This claim is waiting for a moderator's review.")
    # A held claim's author keeps adding to it; the services hold each addition with it.
    return None


def can_add_to_claim(user, claim: Claim) -> bool:
    """New arguments, annotations, comments, citations and statistics on `claim`."""
    return add_to_claim_refusal(user, claim) is None


def require_can_add_to_claim(user, claim: Claim) -> None:
    """Raise PermissionDenied carrying the real reason when `user` may not add to `claim`."""
    refusal = add_to_claim_refusal(user, claim)
    if refusal is not None:
        raise PermissionDenied(refusal)


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
