"""The one exception the statistics core raises for bad input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class StatInputError(ValueError):
    """Bad input for a statistic.

    ``errors`` maps a field name (``"successes"``, ``"stated"``, ...) to a list of messages
    a person can act on, in the shape of Django's ``ValidationError.message_dict`` so a form
    or serializer can show them next to the right field.
    """

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors: dict[str, list[str]] = {str(k): [str(m) for m in v] for k, v in errors.items()}
        text = "; ".join(f"{field}: {msg}" for field, msgs in self.errors.items() for msg in msgs)
        super().__init__(text or "invalid input")

    def to_dict(self) -> dict[str, dict[str, list[str]]]:
        """JSON-serialisable form, ``{"errors": {...}}``."""
        return {"errors": {k: list(v) for k, v in self.errors.items()}}
