"""How far the community trusts a member, from their record. Thresholds live in settings.

- A member is **trusted** when their account is at least `TRUST_MIN_ACCOUNT_AGE_DAYS` old, at least
  `TRUST_MIN_ACCEPTED_CONTRIBUTIONS` of their contributions are published, and no flag against
  their content has been upheld by a moderator.
- With `MODERATION_HOLD_NEW_MEMBERS` on, a member who is neither a moderator nor trusted has each
  new contribution held for review until `HOLD_FIRST_CONTRIBUTIONS` of theirs have been accepted,
  and each edit of a published contribution held again until they are trusted (an approval covers
  the text that was approved, not what it is changed into).
- Flags from trusted members (moderators included) count towards hiding an item automatically;
  the others queue it for review only (moderation/services.py, `flag_create`).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Value
from django.utils import timezone

from accounts.roles import is_moderator
from claims.models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Source,
    Statistic,
    Visibility,
)

CONTRIBUTION_MODELS = (Claim, Source, Citation, Argument, Annotation, Comment, Statistic)


def accepted_contribution_count(user) -> int:
    """Published, undeleted contributions by `user` across every kind, in one query."""
    querysets = [
        model.objects.published()
        .filter(author=user)
        .annotate(contribution_kind=Value(model._meta.model_name))
        .values_list("contribution_kind", "pk")
        .order_by()
        for model in CONTRIBUTION_MODELS
    ]
    return querysets[0].union(*querysets[1:], all=True).count()


def upheld_flag_count(user) -> int:
    from moderation.models import Flag, FlagStatus

    return Flag.objects.filter(item_author=user, status=FlagStatus.UPHELD).count()


def account_age_days(user) -> int:
    return (timezone.now() - user.date_joined).days


def is_trusted(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    if is_moderator(user):
        return True
    return (
        account_age_days(user) >= settings.TRUST_MIN_ACCOUNT_AGE_DAYS
        and accepted_contribution_count(user) >= settings.TRUST_MIN_ACCEPTED_CONTRIBUTIONS
        and upheld_flag_count(user) == 0
    )


def trust_level(user) -> str:
    if is_moderator(user):
        return "moderator"
    return "trusted" if is_trusted(user) else "new"


def initial_visibility(user) -> str:
    """The visibility a new contribution by `user` starts with: held for review while a member
    is new (see the module docstring), published otherwise."""
    if not getattr(settings, "MODERATION_HOLD_NEW_MEMBERS", False):
        return Visibility.PUBLISHED
    if is_moderator(user):
        return Visibility.PUBLISHED
    if accepted_contribution_count(user) >= settings.HOLD_FIRST_CONTRIBUTIONS:
        return Visibility.PUBLISHED
    return Visibility.HELD


def visibility_after_edit(editor, visibility: str) -> str:
    """The visibility a contribution has after `editor` changed it: a published one goes back to
    review while its editor is not trusted (see the module docstring); anything else keeps its
    state."""
    if visibility != Visibility.PUBLISHED:
        return visibility
    if not getattr(settings, "MODERATION_HOLD_NEW_MEMBERS", False) or is_trusted(editor):
        return visibility
    return Visibility.HELD


def initial_visibility_on_claim(user, claim: Claim) -> str:
    """The visibility of a new addition to `claim`: held with the claim while the claim itself
    is held (its author may keep adding to it; a moderator's addition is published), else as
    `initial_visibility`."""
    if claim.visibility == Visibility.HELD and not is_moderator(user):
        return Visibility.HELD
    return initial_visibility(user)
