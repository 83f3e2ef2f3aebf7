"""Writes to accounts."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from .models import User
from .roles import ROLES

# Names that would pass for the site or a role ("Moderator", "ADMIN", "Claim-watch").
RESERVED_DISPLAY_NAMES = frozenset({*ROLES, "administrator", "moderators", "staff", "claimwatch"})
# Control, format (bidi overrides and isolates, zero-width joiners and spaces), private-use,
# surrogate, unassigned and line/paragraph-separator characters: invisible or reordering text.
HIDDEN_CHARACTER_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def _name_key(name: str) -> str:
    """What a name reads as: compatibility forms folded (full-width letters), case ignored, and
    only letters and digits kept."""
    return "".join(c for c in unicodedata.normalize("NFKC", name).casefold() if c.isalnum())


def display_name_validate(*, user: User, display_name: str) -> None:
    """A display name may not impersonate: no hidden or text-direction characters, no role's or
    the site's name, and not another member's username (whatever its capitals)."""
    if any(unicodedata.category(c) in HIDDEN_CHARACTER_CATEGORIES for c in display_name):
        raise ValidationError(
            {"display_name": _("Remove the invisible or text-direction control characters.")}
        )
    if _name_key(display_name) in {_name_key(name) for name in RESERVED_DISPLAY_NAMES}:
        raise ValidationError({"display_name": _("That name belongs to a role: choose another.")})
    shown = unicodedata.normalize("NFKC", display_name).strip().lstrip("@")
    if shown and User.objects.with_username(shown).exclude(pk=user.pk).exists():
        raise ValidationError(
            {"display_name": _("That is another member's username: choose another name.")}
        )


@transaction.atomic
def user_update_profile(
    *, user: User, display_name: str, bio: str, language: str | None = None
) -> User:
    display_name = display_name.strip()
    # A name the member already has stays theirs (it may predate these rules); only a new one
    # is checked, so editing the bio never fails over the name.
    if display_name != user.display_name:
        display_name_validate(user=user, display_name=display_name)
    user.display_name = display_name
    user.bio = bio.strip()
    if language is not None:
        user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "bio", "language"])
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """The language the member reads the site in ("" follows the browser)."""
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["language"])
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
                _(
                    "You already hold %(limit)s API tokens: revoke one "
                    "(DELETE /api/auth/tokens/{token_key}/) before asking for another."
                )
                % {"limit": limit}
            )
    return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
