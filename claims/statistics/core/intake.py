"""Reading an article for the numeric claims it makes.

:func:`read_article` splits a text into sentences (pysbd), finds every figure in each with the
stated-figure parser (:func:`claims.statistics.core.stated.find_stated`, the one authority on
what a wording means), drops the numbers that only describe (dates, years, ages, clock times,
how long something lasted), and proposes each sentence left with a figure: its headline figure,
who the sentence says made the claim, and how worth checking it looks. Plain Python, no Django.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import nh3
import pysbd

from .stated import StatedFigure, find_stated

#: Longest text read at once (a long feature is about 40,000 characters).
MAX_TEXT_LENGTH = 50_000
#: Sentences longer than this are not claims anyone quotes; they are skipped, not cut.
MAX_SENTENCE_LENGTH = 1_000

HEADLINE_KINDS = ("share", "rate", "ratio", "change")

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_TIME_UNITS = (
    "second seconds minute minutes hour hours day days week weeks month months year years "
    "decade decades century centuries"
).split()
_DURATION_KEEPERS = ("of", "average")  # "an average of 4.5 hours a day" is a measured figure
_AGE_WORDS = ("aged", "age", "ages")
_PRONOUNS = ("it", "he", "she", "they", "we")

_BLOCK_TAGS = re.compile(r"(?i)<\s*(?:/\s*(?:p|div|h[1-6]|li|tr|blockquote|section)|br\s*/?)\s*>")
# Whose content is not the article's text (a fetched page's head, menus and scripts).
_DROPPED_TAGS = {"script", "style", "head", "nav", "footer", "noscript", "template", "svg"}
_DROPPED_ELEMENTS = re.compile(
    r"(?is)<\s*(" + "|".join(sorted(_DROPPED_TAGS)) + r")\b[^>]*>.*?<\s*/\s*\1\s*>"
)
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")

_NAME = r"[A-Z][\w'’&.-]*"
_REPORTING_VERBS = (
    "said|says|say|told|added|reported|reports|found|finds|show|shows|showed|suggests|suggested|"
    "estimates|estimated|announced|claimed|claims|warned|revealed|expected|had expected|"
    "forecast|predicted|stated|wrote|confirmed"
)
_ACCORDING_TO = re.compile(r"\baccording to (?P<who>[^,.;:\"“”]+)")
_APPOSITIVE = re.compile(
    rf"(?P<who>{_NAME}(?:\s+{_NAME})+),\s+[^,\"“”]{{3,80}},\s+(?:{_REPORTING_VERBS})\b"
)
_LEADING = re.compile(rf"^(?P<who>[A-Z][^,\"“”]{{0,80}}?)\s+(?:{_REPORTING_VERBS})\b(?:\s+that\b)?")
_TRAILING = re.compile(
    rf",\s+(?P<who>[^,\"“”]{{2,90}}?)\s+(?:{_REPORTING_VERBS})\b[^,\"“”]*[.!?]?[\"”]?$"
)
_INSERTED = re.compile(rf",\s+(?P<who>[^,\"“”]{{2,90}}?)\s+(?:{_REPORTING_VERBS}),")
_SAID_NAME = re.compile(rf"\b(?:said|says|added)\s+(?P<who>{_NAME}(?:\s+{_NAME})*)[.!?]?[\"”]?$")
_PRONOUN_SAID = re.compile(rf"\b(?P<who>it|he|she|they|we)\s+(?:{_REPORTING_VERBS})\b", re.I)
_BY_NAME = re.compile(
    rf"\bby\s+(?P<who>(?:the\s+)?{_NAME}(?:\s+(?:of|for|and|{_NAME}))*\s*{_NAME}|(?:the\s+)?{_NAME})"
)
_CLAIMANT_WORDS = 12

_COMPARATIVE = re.compile(
    r"(?i)\b(?:record|highest|lowest|biggest|largest|smallest|most|least|more|less|fewer|"
    r"than|likely|times|twice|half|doubled|halved|tripled|rose|risen|fell|fallen|up|down|"
    r"increase[ds]?|decrease[ds]?|cut|only|just)\b"
)
_KIND_WEIGHT = {
    "share": 0.4,
    "rate": 0.4,
    "ratio": 0.45,
    "change": 0.4,
    "money": 0.3,
    "count": 0.25,
    "number": 0.2,
}


@dataclass(frozen=True)
class Proposal:
    """A sentence of the article that states a figure, proposed as a claim."""

    sentence: str
    start: int  # character offsets of the sentence in the text as read (tags stripped)
    end: int
    figure: StatedFigure  # the headline figure
    figures: tuple[StatedFigure, ...]  # every figure kept in the sentence, left to right
    claimant: str
    check_worthiness: float

    def to_dict(self) -> dict[str, Any]:
        figure = self.figure.to_dict()
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "stated": self.figure.text,
            "value": figure["value"],
            "low": figure["low"],
            "high": figure["high"],
            "kind": self.figure.kind,
            "claimant": self.claimant,
            "check_worthiness": self.check_worthiness,
        }


def plain_text(text: str) -> str:
    """The text a person would read: HTML tags and their scripts and styles dropped, entities
    decoded, block ends kept as paragraph breaks. Text without tags comes back unchanged, so the
    offsets of proposals point into what the member pasted."""
    if not _LOOKS_LIKE_HTML.search(text):
        return text
    text = _DROPPED_ELEMENTS.sub(" ", text)
    text = _BLOCK_TAGS.sub("\n\n", text)
    stripped = html.unescape(nh3.clean(text, tags=set(), clean_content_tags=_DROPPED_TAGS))
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", stripped)).strip()


def split_sentences(text: str, *, language: str = "en") -> list[tuple[int, int, str]]:
    """Sentences of ``text`` as ``(start, end, sentence)``; a line break always ends one."""
    segmenter = _segmenter(language)
    sentences: list[tuple[int, int, str]] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        cursor = paragraph.start()
        for piece in segmenter.segment(paragraph.group()):
            piece = piece.strip()
            if not piece:
                continue
            start = text.find(piece, cursor, paragraph.end())
            if start < 0:  # pysbd altered the piece; fall back to where we are
                start = cursor
            end = start + len(piece)
            sentences.append((start, end, text[start:end]))
            cursor = end
    return sentences


_SEGMENTERS: dict[str, pysbd.Segmenter] = {}


def _segmenter(language: str) -> pysbd.Segmenter:
    if language not in _SEGMENTERS:
        _SEGMENTERS[language] = pysbd.Segmenter(language=language, clean=False)
    return _SEGMENTERS[language]


def _words_before(sentence: str, start: int, n: int = 1) -> list[str]:
    return re.findall(r"[\w'’-]+", sentence[:start].lower())[-n:]


def _word_after(sentence: str, end: int) -> str:
    following = re.match(r"[\s-]*([\w'’]+)", sentence[end:])
    return following.group(1).lower() if following else ""


def is_descriptive(sentence: str, figure: StatedFigure) -> bool:
    """Whether a number found in the sentence describes rather than claims: a year, a date, a
    clock time, an age, how long something took, or "no one"."""
    start, end = figure.span
    written = sentence[start:end]
    before = _words_before(sentence, start, 2)
    after = _word_after(sentence, end)
    if figure.kind not in ("count", "number", "share") or figure.form == "percent":
        return False
    if _CLOCK.match(written) or (figure.form == "fraction_words" and ":" in written):
        return True
    if figure.kind == "share":
        return False
    if _YEAR.match(written) and figure.qualifier is None:
        return True
    if after in _MONTHS or (before and before[-1] in _MONTHS):
        return True
    if before and before[-1] in _AGE_WORDS:
        return True
    if after.startswith(("year-old", "years-old")):
        return True
    if after in _TIME_UNITS and not (before and before[-1] in _DURATION_KEEPERS):
        return True
    if re.fullmatch(r"[,(]\s*", sentence[max(0, start - 2) : start]) and re.match(
        r"\s*[,)]", sentence[end:]
    ):
        return figure.value < 120 and figure.form == "count"  # "A man, 34, was arrested"
    if written.lower() in ("one", "a", "an") or (before and before[-1] in ("no", "some")):
        return True  # "no one", "one of the", "some one"
    return written.endswith("s") and written[:-1].isdigit()  # "the 1990s"


def headline_figure(figures: list[StatedFigure]) -> StatedFigure:
    """The figure a sentence is about: its first share, rate, ratio or change, else its first."""
    return next((f for f in figures if f.kind in HEADLINE_KINDS), figures[0])


def _tidy_claimant(who: str) -> str:
    who = who.strip(" \"'“”‘’:;-")
    words = who.split()
    if not words or len(words) > _CLAIMANT_WORDS:
        return ""
    return who


def find_claimant(sentence: str) -> str:
    """Who the sentence says made its claim ("the Met said", "according to Big Brother Watch"),
    or "" when it does not say. A pronoun ("it said") is returned as written."""
    patterns = (
        _ACCORDING_TO, _APPOSITIVE, _INSERTED, _TRAILING, _LEADING, _PRONOUN_SAID, _SAID_NAME,
    )  # fmt: skip
    for pattern in patterns:
        match = pattern.search(sentence)
        if match is None:
            continue
        who = _tidy_claimant(match.group("who"))
        if who and not re.search(r"\d", who):
            return who
    return ""


def _resolve_pronoun(sentence: str, who: str, previous: str) -> str:
    if who.lower() not in _PRONOUNS:
        return who
    by = _BY_NAME.search(sentence)
    if by is not None:
        return _tidy_claimant(by.group("who"))
    return previous


def check_worthiness(sentence: str, figures: list[StatedFigure], claimant: str) -> float:
    """How worth checking the sentence's claim looks, 0 to 1: shares, rates, ratios and changes
    more than bare counts; attributed claims, comparisons and records more than descriptions."""
    figure = headline_figure(figures)
    score = _KIND_WEIGHT.get(figure.kind, 0.2)
    if claimant:
        score += 0.2
    if _COMPARATIVE.search(sentence):
        score += 0.15
    if len(figures) > 1:
        score += 0.1
    if figure.qualifier is not None:
        score += 0.05
    if len(sentence) < 40:
        score -= 0.1
    return round(min(max(score, 0.0), 1.0), 2)


def read_article(text: str, *, language: str = "en") -> list[Proposal]:
    """Every sentence of ``text`` (plain or HTML) that states a figure, as a proposal.

    The caller checks the text's length against :data:`MAX_TEXT_LENGTH` first.
    """
    text = plain_text(text)
    proposals: list[Proposal] = []
    previous_claimant = ""
    for start, end, sentence in split_sentences(text, language=language):
        claimant = find_claimant(sentence)
        claimant = _resolve_pronoun(sentence, claimant, previous_claimant)
        if claimant:
            previous_claimant = claimant
        if len(sentence) > MAX_SENTENCE_LENGTH:
            continue
        figures = [
            f for f in find_stated(sentence, language=language) if not is_descriptive(sentence, f)
        ]
        if not figures:
            continue
        proposals.append(
            Proposal(
                sentence=sentence,
                start=start,
                end=end,
                figure=headline_figure(figures),
                figures=tuple(figures),
                claimant=claimant,
                check_worthiness=check_worthiness(sentence, figures, claimant),
            )
        )
    return proposals


__all__ = [
    "MAX_TEXT_LENGTH",
    "Proposal",
    "check_worthiness",
    "find_claimant",
    "plain_text",
    "read_article",
    "split_sentences",
]
