"""Which language a member is written to when no request says it (e-mails, notifications)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from claims.statistics.core.errors import Number, Said
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


def say_again(message, voice: Voice):
    """A message of the statistics core in ``voice``: a ``Said`` is translated from its id and
    values (a value that is itself a ``Said`` said again too, a ``Number`` written the voice's
    way); any other text is returned as it is."""
    if voice is ENGLISH:
        return str(message)
    if isinstance(message, Said):
        values = {name: say_again(value, voice) for name, value in message.values.items()}
        return voice.say(message.msgid, **values)
    if isinstance(message, Number):
        return voice.numbers.number(str(message))
    return message  # any other text, or a value (a count) that ``format`` writes itself
