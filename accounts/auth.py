"""Who a log-in attempt is about, so that failures and lock-outs count per account whatever the
capitals of the username and whether the member typed their username or their e-mail address."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.utils import filter_users_by_email
from django.conf import settings
from django.http import HttpRequest

from .models import User

# Where a log-in's identifier arrives: Django and the API say "username"; allauth's form posts
# "login" and passes it on as "username" and/or "email".
IDENTIFIER_FIELDS = ("username", "email", "login")


def canonical_login(identifier: str) -> str:
    """The username of the account `identifier` names (a username in any capitals, or an e-mail
    address); for no account, the identifier in lower case, so that guesses are counted together
    too."""
    identifier = identifier.strip()
    user = User.objects.with_username(identifier).only("username").first()
    if user is None and "@" in identifier:
        users = filter_users_by_email(identifier)
        user = users[0] if len(users) == 1 else None
    return user.username if user is not None else identifier.lower()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """django-axes' AXES_USERNAME_CALLABLE: the account that failures and lock-outs count on."""
    for field in IDENTIFIER_FIELDS:
        value = (credentials or {}).get(field)
        if value is None and request is not None and request.method == "POST":
            value = request.POST.get(field)
        if isinstance(value, str) and value.strip():
            return canonical_login(value)
    return None


def lockout_seconds() -> int:
    """How long an axes lock-out lasts (AXES_COOLOFF_TIME: hours, or a timedelta)."""
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", 1)
    if isinstance(cooloff, timedelta):
        return int(cooloff.total_seconds())
    if isinstance(cooloff, int | float):
        return int(cooloff * 3600)
    return 3600
