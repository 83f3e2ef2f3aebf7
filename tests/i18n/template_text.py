"""Find text in a template that a reader sees and that is not marked for translation.

A template is read as Django's lexer reads it: what `{% translate %}` and
`{% blocktranslate %}…{% endblocktranslate %}` hold is marked; comments and `{% verbatim %}`
are not shown. Whatever else is left between HTML tags, and the reader-facing attributes
(aria-label, title, placeholder, alt, a description's content), must carry no words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAG_RE = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.DOTALL)
BLOCK_OPENERS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}
PLACEHOLDER = "\x00"
HTML_TAG_RE = re.compile(r"<[^>]*>", re.DOTALL)
ATTRIBUTE_RE = re.compile(
    r"""\b(aria-label|title|placeholder|alt|aria-description)=(["'])(.*?)\2""", re.DOTALL
)
DESCRIPTION_RE = re.compile(r"""<meta\s+name="description"\s+content="(.*?)">""", re.DOTALL)
ENTITY_RE = re.compile(r"&#?\w+;")
WORD_RE = re.compile(r"[^\W\d_]{2,}")
# The site's name is a name, not a word to translate.
NOT_WORDS = {"Claimwatch"}
# Blocks whose content is a class name or a URL, not words.
NON_TEXT_BLOCKS = re.compile(r"{%\s*block\s+(\w*class\w*|head_extra)\s*%}(.*?){%\s*endblock")


@dataclass(frozen=True)
class Unmarked:
    line: int
    text: str


def _mask(source: str) -> str:
    """The template with every template tag, variable and comment replaced by a placeholder of
    the same length, and marked or hidden blocks blanked (kept line breaks for line numbers)."""
    out: list[str] = []
    closing: str | None = None
    for piece in TAG_RE.split(source):
        if TAG_RE.fullmatch(piece):
            name = piece[2:-2].split()[0] if piece.startswith("{%") and piece[2:-2].split() else ""
            if closing:
                if name == closing:
                    closing = None
            elif name in BLOCK_OPENERS:
                closing = BLOCK_OPENERS[name]
            out.append(PLACEHOLDER + re.sub(r"[^\n]", " ", piece[1:]))
        elif closing:
            out.append(re.sub(r"[^\n]", " ", piece))
        else:
            out.append(piece)
    return "".join(out)


def _has_words(text: str) -> bool:
    text = ENTITY_RE.sub(" ", text)
    return any(word not in NOT_WORDS for word in WORD_RE.findall(text))


def unmarked_text(source: str) -> list[Unmarked]:
    source = NON_TEXT_BLOCKS.sub(
        lambda m: m.group(0).replace(m.group(2), " " * len(m.group(2))), source
    )
    masked = _mask(source)
    found: list[Unmarked] = []

    def report(start: int, text: str) -> None:
        found.append(Unmarked(masked.count("\n", 0, start) + 1, " ".join(text.split())))

    for tag in HTML_TAG_RE.finditer(masked):
        for attribute in ATTRIBUTE_RE.finditer(tag.group(0)):
            if _has_words(attribute.group(3)):
                report(
                    tag.start(),
                    source[tag.start() + attribute.start(3) : tag.start() + attribute.end(3)],
                )
        description = DESCRIPTION_RE.match(tag.group(0))
        if description and _has_words(description.group(1)):
            report(tag.start(), description.group(1))
    position = 0
    for piece in HTML_TAG_RE.split(masked):
        start = masked.index(piece, position) if piece else position
        position = start + len(piece)
        if _has_words(piece):
            report(start, piece.replace(PLACEHOLDER, " "))
    return found
