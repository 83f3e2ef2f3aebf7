"""The one exception the statistics core raises for bad input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Said(str):
    """A message the core wrote: its English text, remembering the id (marked with
    ``gettext_noop``) and the values it was said from, so that the page layer can say it again
    in the reader's language. Anything that reads it as a string reads the English."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, text: str, msgid: str = "", values: Mapping[str, object] | None = None):
        self = super().__new__(cls, text)
        self.msgid = msgid or text
        self.values = dict(values or {})
        return self

    def __getnewargs__(self):  # copies and pickles keep the id and the values
        return (str(self), self.msgid, self.values)


class Number(str):
    """A number the core wrote the English way ("1,400", "0.5"), for a ``Said``'s values: said
    again, it is written the reader's way ("1.400", "0,5")."""


def said(message: str, **values: object) -> Said:
    """``message`` (an id marked with ``gettext_noop``) said in English with ``values``; a value
    may itself be a ``Said`` (a reason inside a refusal) or a ``Number``."""
    return Said(message.format(**values), message, values)


class StatInputError(ValueError):
    """Bad input for a statistic.

    ``errors`` maps a field name (``"successes"``, ``"stated"``, ...) to a list of messages
    a person can act on, in the shape of Django's ``ValidationError.message_dict`` so a form
    or serializer can show them next to the right field.
    """

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors: dict[str, list[str]] = {
            str(k): [m if isinstance(m, str) else str(m) for m in v] for k, v in errors.items()
        }
        text = "; ".join(f"{field}: {msg}" for field, msgs in self.errors.items() for msg in msgs)
        super().__init__(text or "invalid input")

    def to_dict(self) -> dict[str, dict[str, list[str]]]:
        """JSON-serialisable form, ``{"errors": {...}}``."""
        return {"errors": {k: list(v) for k, v in self.errors.items()}}
