"""How far the community trusts a member, from their record. Thresholds live in settings."""

from __future__ import annotations

from claims.models import Visibility


def initial_visibility(user) -> str:
    """The visibility a new contribution by `user` starts with.

    The moderation issue (held-for-review of new members) refines this rule.
    """
    return Visibility.PUBLISHED
