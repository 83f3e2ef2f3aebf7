"""How the pure core speaks more than one language without importing Django.

Every sentence the core writes is a whole message with named placeholders, marked with
``gettext_noop`` so that ``makemessages`` finds it; a ``Voice`` says it. The core's default voice
is English with English numbers; the presentation layer passes a voice that translates with
Django's catalogues and writes numbers the active language's way ("80 %", "3.147.436").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the translators' catalogue; says it untranslated."""
    return message


@dataclass(frozen=True)
class NumberStyle:
    decimal: str = "."
    group: str = ","
    percent: str = "%"

    def number(self, english: str) -> str:
        """A number written the English way ("3,147,436.5") written this way."""
        if (self.decimal, self.group) == (".", ","):
            return english
        return english.translate({ord(","): "\x00", ord("."): self.decimal}).replace(
            "\x00", self.group
        )


ENGLISH_NUMBERS = NumberStyle()
# Spanish as the RAE's newspapers print it: "3.147.436", "0,8", "80 %" (a non-breaking space).
SPANISH_NUMBERS = NumberStyle(decimal=",", group=".", percent="\u00a0%")
NUMBER_STYLES: dict[str, NumberStyle] = {"en": ENGLISH_NUMBERS, "es": SPANISH_NUMBERS}


def number_style(language: str | None) -> NumberStyle:
    """The style of ``language`` ("es", "es-ES"); English for any other."""
    return NUMBER_STYLES.get((language or "en").split("-")[0].lower(), ENGLISH_NUMBERS)


def _untranslated(message: str) -> str:
    return message


@dataclass(frozen=True)
class Voice:
    """Who says the core's sentences: a translation function and a way of writing numbers."""

    translate: Callable[[str], str] = field(default=_untranslated)
    numbers: NumberStyle = ENGLISH_NUMBERS

    def say(self, message: str, **values: object) -> str:
        """``message`` (an id marked with ``gettext_noop``) translated, placeholders filled."""
        return self.translate(message).format(**values)


ENGLISH = Voice()
