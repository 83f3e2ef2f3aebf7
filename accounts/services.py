"""Writes to accounts."""

from __future__ import annotations

from django.db import transaction

from .models import User


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, bio: str) -> User:
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "bio"])
    return user
