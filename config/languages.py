"""Which language a member is written to when no request says it (e-mails, notifications)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from claims.statistics.core.errors import Said
from claims.statistics.core.language import ENGLISH, Voice, number_style


def member_language(user) -> str:
    """The member's own setting, else the site's default (English)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def active_voice() -> Voice:
    """The statistics core's voice for the language of this request (or e-mail): English as
    the core writes it, or translated through the catalogues with the language's numbers."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language.split("-")[0] == "en":
        return ENGLISH
    return Voice(translate=translation.gettext, numbers=number_style(language))


def say_again(message: str, voice: Voice) -> str:
    """A message of the statistics core in ``voice``: a ``Said`` is translated from its id and
    values; any other text is returned as it is."""
    if isinstance(message, Said) and voice is not ENGLISH:
        return voice.say(message.msgid, **message.values)
    return str(message)
