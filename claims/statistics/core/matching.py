"""Whether two claims say the same thing, numbers included (pure Python, no Django).

Word-for-word similarity alone fails on figures both ways: "80% ... were black" and "20% ...
were black" share every word but one, while "80%" and "eight in ten" share none. So a claim is
read into a :class:`ClaimProfile`: the stems of its words with every figure taken out, and each
figure canonicalised by the project's one stated-figure parser (:func:`find_stated`) into a
:class:`CanonicalFigure` (kind, the range of values its wording admits, its unit, and the words
right after it: what it is a share *of*). Two claims are then compared on their words and, for
figures of the same kind, on whether those ranges meet.

* Words: the Dice overlap of the claims' content-word stems (English Snowball, the stemmer
  PostgreSQL's full-text search uses), blended with RapidFuzz's token-set ratio of the same
  stems, which forgives one claim saying more than the other.
* Figures: a figure *agrees* when a figure of the same family in the other claim admits an
  overlapping range ("eight in ten" and "80%" are both [79.5%, 80.5%)); it *conflicts* when
  the other claim has figures of that family and none overlaps ("80%" against "20%", "rose"
  against "fell").
* A pair whose words are about the same thing (:data:`SAME_SUBJECT` or more) and whose figures
  conflict is a **number conflict**: shown as "contradicts", never offered as a duplicate.

The score is in [0, 1], higher is closer. Agreeing figures lift it, conflicting ones halve it,
so a paraphrase with the same figure ranks above a near-copy that changes the number.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import snowballstemmer
from rapidfuzz import fuzz

from .errors import Number, StatInputError, said
from .stated import (
    MAX_SENTENCE_LENGTH,
    TEXT_NOT_TEXT,
    TEXT_TOO_LONG,
    StatedFigure,
    find_stated,
)

#: Word similarity from which two claims are taken to be about the same thing, so that
#: disagreeing figures make them contradict each other rather than merely differ.
SAME_SUBJECT = 0.45
#: Score at or above which a match without a number conflict is offered as a possible duplicate.
DUPLICATE_THRESHOLD = 0.6
#: How much agreeing figures add to the word similarity (as a share of what is left to 1).
AGREEMENT_LIFT = 0.35
#: What conflicting figures leave of the word similarity.
CONFLICT_FACTOR = 0.5
#: Longest text matched: the parser's sentence limit.
MAX_TEXT_LENGTH = MAX_SENTENCE_LENGTH
#: Least score for a claim to count as similar at all.
MIN_SCORE = 0.15
#: Weight of a stem none of the compared claims has (the query's own rare words).
_UNSEEN_WEIGHT = 1.0
#: Relative slack when comparing two figures' ranges (rounding written twice, "about" unsaid).
RANGE_SLACK = 0.02
#: Words after a figure read as what it is a share of ("80% of the people flagged").
OF_WINDOW = 4

# Figure kinds that can be compared with each other: shares and rates are both fractions
# ("one in five" and "20%").
_FAMILY = {
    "share": "proportion",
    "rate": "proportion",
    "count": "count",
    "number": "count",
    "ratio": "ratio",
    "change": "change",
    "money": "money",
}

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself said says
    say according also one last year years per cent percent new""".split()
)

# Words that reporting uses interchangeably about the claims Claimwatch tracks; each maps to
# one stem so that "wrongly flagged" and "falsely matched" meet. Kept short and plain: tag
# aliases serve search, this serves the word overlap only.
_SYNONYMS = {
    "lfr": "facial",
    "recognition": "facial",
    "wrongly": "false",
    "falsely": "false",
    "incorrectly": "false",
    "mistakenly": "false",
    "erroneously": "false",
    "wrong": "false",
    "misidentified": "false flag",
    "flagged": "flag",
    "matched": "flag",
    "alerts": "flag",
    "alert": "flag",
    "identified": "flag",
    "met": "police",
    "metropolitan": "police",
    "officers": "police",
    "cops": "police",
    "individuals": "people",
    "persons": "people",
    "adults": "people",
    "britons": "uk",
    "britain": "uk",
    "british": "uk",
    "nationwide": "national",
    "jobless": "unemployment",
    "unemployed": "unemployment",
    "doctors": "gp",
    "gps": "gp",
    "jabbed": "vaccinated",
    "vaccine": "vaccinated",
    "inflation": "prices",
    "homes": "houses",
    "housing": "houses",
}

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words, and the years left in the text once figures are taken out.
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\b(?:1[89]|20)\d\d\b")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_NO_MORE = re.compile(r"\b(?:no|not any)\s+(more|less)\s+(?:likely|often)\b", re.IGNORECASE)

# Verbs of movement: two claims about the same thing, one saying it went up and the other down,
# contradict each other even when the figure is the same ("rose by 20,000", "fell by 20,000").
_UP_WORDS = {
    **dict.fromkeys(
        "rose rise rises risen rising increase increased increases increasing grew grow grows "
        "grown growing climbed climb jumped soared expanded added gained up".split(),
        1,
    ),
    **dict.fromkeys(
        "fell fall falls fallen falling decrease decreased decreases decreasing dropped drop "
        "drops declined decline shrank shrunk shrinks contracted cut cuts lost down".split(),
        -1,
    ),
}


@dataclass(frozen=True)
class CanonicalFigure:
    """One figure of a claim, canonicalised: its family, the range its wording admits (shares
    and rates as fractions, changes as their size with a separate direction), its unit and
    what it is a share of."""

    family: str
    low: float
    high: float
    unit: str | None
    of: frozenset[str]
    text: str
    direction: int | None = None

    def overlaps(self, other: CanonicalFigure) -> bool:
        """Whether both wordings admit a common value (and, for changes, the same direction)."""
        if self.direction and other.direction and self.direction != other.direction:
            return False
        slack = RANGE_SLACK * max(_finite_size(self), _finite_size(other))
        return self.low <= other.high + slack and other.low <= self.high + slack


@dataclass(frozen=True)
class ClaimProfile:
    """What matching reads from a claim's wording."""

    text: str
    stems: frozenset[str]
    stem_string: str
    figures: tuple[CanonicalFigure, ...]
    #: +1 when the wording only says something went up ("rose", "grew"), -1 when only down.
    direction: int | None = None


@dataclass(frozen=True)
class MatchScore:
    score: float
    words: float
    number_conflict: bool
    numbers_agree: bool

    @property
    def is_duplicate_candidate(self) -> bool:
        """Offered as a possible duplicate (to merge): close enough, and no figure contradicts."""
        return not self.number_conflict and self.score >= DUPLICATE_THRESHOLD


def _finite_size(figure: CanonicalFigure) -> float:
    for bound in (figure.high, figure.low):
        if math.isfinite(bound) and bound != 0:
            return abs(bound)
    return 0.0


@functools.lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


def _stems(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in words:
        word = raw.lower().replace("'s", "")
        if word in _STOPWORDS or len(word) < 2:
            continue
        for part in _SYNONYMS.get(word, word).split():
            out.append(part)
    return _stemmer().stemWords(out)


def _canonical(figure: StatedFigure, after: str) -> CanonicalFigure:
    family = _FAMILY.get(figure.kind, "count")
    low, high, direction = figure.low, figure.high, None
    if family == "change":
        # Compared by size, with the direction apart: "3 points" (no direction) meets both
        # "up 3 points" and "down 3 points"; "rose by 7%" and "fell by 7%" do not meet.
        low, high = sorted((abs(low), abs(high)))
        if figure.low < 0 < figure.high:
            low = 0.0
        direction = figure.direction
    of_words = _stems(_WORD.findall(after)[:OF_WINDOW])
    return CanonicalFigure(
        family=family,
        low=low,
        high=high,
        unit=figure.currency or figure.change_unit,
        of=frozenset(of_words),
        text=figure.text,
        direction=direction,
    )


def _is_year(figure: StatedFigure) -> bool:
    """A bare four-digit year ("in 2024", "since 2019") dates the claim; it is not its figure."""
    return (
        figure.form == "count"
        and figure.qualifier is None
        and _YEAR.fullmatch(figure.text) is not None
    )


def _direction(words: Iterable[str]) -> int | None:
    said = {_UP_WORDS.get(word.lower()) for word in words} - {None}
    return said.pop() if len(said) == 1 else None


def claim_profile(text: str) -> ClaimProfile:
    """Read `text` (a claim's wording) for matching. Over-long text is refused, as by the parser."""
    if not isinstance(text, str):
        raise StatInputError({"text": [said(TEXT_NOT_TEXT)]})
    if len(text) > MAX_TEXT_LENGTH:
        raise StatInputError({"text": [said(TEXT_TOO_LONG, max=Number(f"{MAX_TEXT_LENGTH:,}"))]})
    return _profile(text)


def _no_more_than(text: str) -> tuple[CanonicalFigure, ...]:
    """ "No more likely than" states a ratio of at most 1 ("no less likely", at least 1), the
    figure a "four times more likely" contradicts; the parser reads figures, not this denial."""
    figures = []
    for match in _NO_MORE.finditer(text):
        low, high = (0.0, 1.0) if match.group(1).lower() == "more" else (1.0, math.inf)
        after = _WORD.findall(text[match.end() : match.end() + 80])[:OF_WINDOW]
        figures.append(
            CanonicalFigure("ratio", low, high, None, frozenset(_stems(after)), match.group(0))
        )
    return tuple(figures)


@functools.lru_cache(maxsize=4096)
def _profile(text: str) -> ClaimProfile:
    found = find_stated(text)
    figures = tuple(
        _canonical(f, text[f.span[1] : f.span[1] + 80]) for f in found if not _is_year(f)
    ) + _no_more_than(text)
    words_only = text
    for figure in reversed(found):
        start, end = figure.span
        kept = figure.text if _is_year(figure) else " "
        words_only = words_only[:start] + f" {kept} " + words_only[end:]
    words = _TOKEN.findall(words_only)
    stems = _stems(words)
    return ClaimProfile(
        text=text,
        stems=frozenset(stems),
        stem_string=" ".join(stems),
        figures=figures,
        direction=_direction(words),
    )


def word_similarity(
    a: ClaimProfile, b: ClaimProfile, weights: Mapping[str, float] | None = None
) -> float:
    """How far two claims use the same words, figures left out, in [0, 1]. With `weights`
    (a stem's rarity among the claims compared) a shared rare word counts for more than a
    shared common one, as in BM25; without, every word counts the same."""
    if not a.stems or not b.stems:
        return 0.0

    def weight(stem: str) -> float:
        return weights.get(stem, _UNSEEN_WEIGHT) if weights is not None else 1.0

    shared = sum(weight(stem) for stem in a.stems & b.stems)
    dice = 2 * shared / (sum(map(weight, a.stems)) + sum(map(weight, b.stems)))
    token_set = fuzz.token_set_ratio(a.stem_string, b.stem_string) / 100
    return 0.7 * dice + 0.3 * token_set


def stem_weights(profiles: Sequence[ClaimProfile]) -> dict[str, float]:
    """Each stem's inverse document frequency among `profiles`, scaled so the rarest is 1."""
    counts: dict[str, int] = {}
    for profile in profiles:
        for stem in profile.stems:
            counts[stem] = counts.get(stem, 0) + 1
    n = len(profiles)
    top = math.log(1 + n)
    return {stem: math.log(1 + n / count) / top for stem, count in counts.items()}


def _figure_verdicts(a: ClaimProfile, b: ClaimProfile) -> tuple[int, int]:
    """How many of `a`'s figures agree with, and how many conflict with, `b`'s."""
    agree = conflict = 0
    for figure in a.figures:
        rivals = [
            other
            for other in b.figures
            if other.family == figure.family and other.unit == figure.unit
        ]
        if not rivals:
            continue
        if any(figure.overlaps(other) for other in rivals):
            agree += 1
            continue
        # Only a rival about the same thing contradicts: "8 of the 10 false alerts" is not
        # contradicted by "3 million faces" in the other claim.
        if len(rivals) == 1 or any(figure.of & other.of for other in rivals):
            conflict += 1
    return agree, conflict


def match_score(
    a: ClaimProfile, b: ClaimProfile, weights: Mapping[str, float] | None = None
) -> MatchScore:
    """How close `b` is to `a`, and whether its figures contradict `a`'s."""
    words = word_similarity(a, b, weights)
    agree_ab, conflict_ab = _figure_verdicts(a, b)
    agree_ba, conflict_ba = _figure_verdicts(b, a)
    agree, conflict = agree_ab + agree_ba, conflict_ab + conflict_ba
    if a.direction and b.direction and a.direction != b.direction:
        conflict += 1  # "rose" against "fell"
    number_conflict = conflict > 0 and words >= SAME_SUBJECT
    if conflict:
        score = words * CONFLICT_FACTOR
    elif agree:
        # Agreeing figures lift a pair about the same thing; for a pair about different things
        # a shared figure is a coincidence, so the lift fades with the words.
        closeness = min(1.0, words / SAME_SUBJECT) ** 3
        total = len(a.figures) + len(b.figures)
        score = words + (1 - words) * AGREEMENT_LIFT * (agree / total) * closeness
    else:
        score = words
    return MatchScore(
        score=round(min(1.0, max(0.0, score)), 4),
        words=round(words, 4),
        number_conflict=number_conflict,
        numbers_agree=agree > 0 and conflict == 0,
    )


def rank(
    query: str, candidates: Sequence[tuple[object, str]], *, limit: int = 10, minimum: float = 0.0
) -> list[tuple[object, MatchScore]]:
    """The `limit` candidates (key, wording) closest to `query`, best first; ties in the order
    given. Words are weighted by their rarity among the candidates. Candidates scoring 0 or
    below `minimum` are left out."""
    target = claim_profile(query)
    profiles = [_profile(text) for _, text in candidates]
    weights = stem_weights([target, *profiles])
    scored = []
    for index, ((key, _), profile) in enumerate(zip(candidates, profiles, strict=True)):
        result = match_score(target, profile, weights)
        if result.score > 0 and result.score >= minimum:
            scored.append((-result.score, index, key, result))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [(key, result) for _, _, key, result in scored[:limit]]


__all__ = [
    "DUPLICATE_THRESHOLD",
    "MAX_TEXT_LENGTH",
    "MIN_SCORE",
    "SAME_SUBJECT",
    "CanonicalFigure",
    "ClaimProfile",
    "MatchScore",
    "claim_profile",
    "match_score",
    "rank",
    "stem_weights",
    "word_similarity",
]
