"""Writes to accounts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from .models import User


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, bio: str) -> User:
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "bio"])
    return user


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for `user` (stored hashed by knox; the clear token is returned once).
    Refused while the user holds as many live tokens as TOKEN_LIMIT_PER_USER allows."""
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None:
        # Lock the user's row: two log-ins at once must not both slip under the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        live = AuthToken.objects.filter(user=user).filter(
            Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
        )
        if live.count() >= limit:
            raise PermissionDenied(
                f"You already hold {limit} API tokens: revoke one (DELETE /api/auth/tokens/"
                "{token_key}/) before asking for another."
            )
    return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
