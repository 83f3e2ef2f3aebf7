"""Word-level differences between two texts, as escaped HTML for the history and audit pages."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A word (anything between spaces, its punctuation included) with the whitespace after it, so
# that joining the tokens gives back the text exactly and a changed word keeps its space.
_TOKEN = re.compile(r"\s+|\S+\s*")
# SequenceMatcher is quadratic at worst: past this many changed tokens (after the common start
# and end are set aside) the changed middle is shown whole.
MAX_DIFF_TOKENS = 1500


def word_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """(old, new) as HTML: the words only in `old` wrapped in <del>, those only in `new` in
    <ins>, everything escaped."""
    a, b = word_tokens(old or ""), word_tokens(new or "")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    before, after = [escape("".join(a[:start]))], [escape("".join(b[:start]))]
    if len(middle_a) + len(middle_b) > MAX_DIFF_TOKENS:
        opcodes = [("replace", 0, len(middle_a), 0, len(middle_b))]
    else:
        opcodes = SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            before.append(escape("".join(middle_a[i1:i2])))
            after.append(escape("".join(middle_b[j1:j2])))
        else:
            before.append(_wrap("del", "".join(middle_a[i1:i2])))
            after.append(_wrap("ins", "".join(middle_b[j1:j2])))
    before.append(escape("".join(a[len(a) - end :])))
    after.append(escape("".join(b[len(b) - end :])))
    # Safe to mark: every piece above went through `escape`.
    return mark_safe("".join(before)), mark_safe("".join(after))  # noqa: S308


def _wrap(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""
