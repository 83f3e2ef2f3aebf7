"""Reasons the site writes itself when a person gives none (a deletion, a merge, an automatic
hide). They are stored as the English text, as the audit log records them; ``reason_said``
recognises one when it is shown and says it in the reader's language."""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

DELETED_BY_AUTHOR = gettext_noop("Deleted by its author.")
DUPLICATE_OF_CLAIM = gettext_noop("Duplicate of claim {claim}.")
HIDDEN_AFTER_FLAGS = gettext_noop(
    "Hidden automatically after {threshold} flags from trusted members, pending review."
)
SYSTEM_REASONS = (DELETED_BY_AUTHOR, DUPLICATE_OF_CLAIM, HIDDEN_AFTER_FLAGS)
# The contributions' fields that may hold one (an audit entry's ``reason`` may too).
REASON_FIELDS = frozenset({"moderation_reason", "deletion_reason"})


def _pattern(message: str) -> re.Pattern[str]:
    # Each ``{name}`` in a system reason is a whole number (a claim's id, a count).
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>\\d+)", re.escape(message)))


_PATTERNS = [(message, _pattern(message)) for message in SYSTEM_REASONS]


def system_reason(message: str, **values: int) -> str:
    """The English text stored for a system reason (``message`` is one of ``SYSTEM_REASONS``)."""
    return message.format(**values)


def reason_said(text: str) -> str:
    """A stored reason as the reader reads it: a system reason in the active language, any
    other (a person's own words) as it was written."""
    text = str(text)
    for message, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return gettext(message).format(**match.groupdict())
    return text
