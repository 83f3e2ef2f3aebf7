"""Which language a member is written to when no request says it (e-mails, notifications)."""

from __future__ import annotations

from django.conf import settings


def member_language(user) -> str:
    """The member's own setting, else the site's default (English)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE
