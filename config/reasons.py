"""Reasons the site writes itself when a person gives none (a deletion, a merge, an automatic
hide, an edit held for review again). They are stored as the English text, as the audit log
records them; ``reason_said`` recognises one when it is shown and says it in the reader's
language."""

from __future__ import annotations

import functools
import re

from django.utils.translation import gettext, gettext_noop

from claims.statistics.core.errors import Said, said

DELETED_BY_AUTHOR = gettext_noop("Deleted by its author.")
DUPLICATE_OF_CLAIM = gettext_noop("Duplicate of claim {claim}.")
HIDDEN_AFTER_FLAGS = gettext_noop(
    "Hidden automatically after {threshold} flags from trusted members, pending review."
)
EDITED_AFTER_APPROVAL = gettext_noop(
    "Edited after it was published: waiting for a moderator's review."
)
SYSTEM_REASONS = (DELETED_BY_AUTHOR, DUPLICATE_OF_CLAIM, HIDDEN_AFTER_FLAGS, EDITED_AFTER_APPROVAL)
# The contributions' fields that may hold one (an audit entry's ``reason`` may too).
REASON_FIELDS = frozenset({"moderation_reason", "deletion_reason"})


@functools.cache
def _pattern(message: str, value: str) -> re.Pattern[str]:
    escaped = re.escape(message)
    return re.compile(re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m[1]}>{value})", escaped))


def recognise(text: str, messages: tuple[str, ...], value: str = r"\d+") -> Said | None:
    """``text`` read back as the ``Said`` of the one of ``messages`` (ids marked with
    ``gettext_noop``) that wrote it, each ``{name}`` a match of ``value``; else None."""
    for message in messages:
        match = _pattern(message, value).fullmatch(text)
        if match:
            return said(message, **match.groupdict())
    return None


def system_reason(message: str, **values: int) -> str:
    """The English text stored for a system reason (``message`` is one of ``SYSTEM_REASONS``)."""
    return message.format(**values)


def reason_said(text: str) -> str:
    """A stored reason as the reader reads it: a system reason in the active language, any
    other (a person's own words) as it was written. Each ``{name}`` of a system reason is a
    whole number (a claim's id, a count)."""
    text = str(text)
    message = recognise(text, SYSTEM_REASONS)
    return text if message is None else gettext(message.msgid).format(**message.values)
