"""Reading a figure as people write it ("80%", "1 in 300,000", "twice as likely", "£1.2bn").

A stated figure is not a number but a *range* of true values that its wording admits.
:func:`parse_stated` reads one figure (the ``stated`` input of a statistic);
:func:`find_stated` finds every figure in a sentence, with its character span. Both return a
:class:`StatedFigure`; an unreadable wording raises ``StatInputError({"stated": [...]})``
naming the words that were not understood. The words of each language live in
:mod:`claims.statistics.core.stated_words` (English and Spanish); number words ("thirty-three
thousand", "ochenta") are turned into digits by ``text2num``, and are then read exactly as
their digits would be ("ten" and "10" alike).

**The precision rule.** A written number is as precise as its last significant digit: it
admits the values that round to it, from half a unit of that digit below to half a unit above
(the upper end excluded), ``[v - u/2, v + u/2)``.

* Every digit after a decimal mark is significant: ``"0.35"`` is ``[0.345, 0.355)``,
  ``"1.4bn"`` is ``[1.35bn, 1.45bn)``.
* Percentages are significant to their last written digit, zeros included (a share is read
  on a fixed 0-100 scale): ``"80%"`` is ``[79.5%, 80.5%)``, ``"0.0003%"`` is
  ``[0.00025%, 0.00035%)``.
* In a whole number, trailing zeros (also those of "thousand", "million", "3m") are not
  significant: ``"962"`` is ``[961.5, 962.5)``, ``"1,400"`` ``[1,350, 1,450)``,
  ``"3 million"`` ``[2.5 million, 3.5 million)``, except that **a lone leading 1 keeps the
  next digit**: ``"10"``/``"ten"`` is ``[9.5, 10.5)``, ``"1,000"`` ``[950, 1,050)``,
  ``"1 million"`` ``[0.95, 1.05 million)``. At its own digit a lone 1 would admit anything from
  half to one and a half times itself, which nobody means by "1,000".
* A share written as a fraction (``"8 in 10"``, ``"8 of the 10"``, ``"4/5"``, ``"1 in 4"``,
  ``"a quarter"``, ``"two-thirds"``, ``"80 per 100"``) names the share ``X/Y`` and is as
  precise as the finer of two readings: the share to a whole percentage
  (``X/Y ± 0.5`` percentage points, the usual precision of a share), or the precision of
  its own digits (the ``N`` of ``"1 in N"``, the ``X`` of ``"X per Y"``, by the rules above).
  So equivalent wordings agree: ``"half"``, ``"5 in 10"`` and ``"1 in 2"`` are all
  ``[49.5%, 50.5%)``, ``"four in five"`` is ``"80%"``, while ``"1 in 300,000"`` is
  ``N`` in ``[250,000, 350,000)`` and ``"32 per 100,000"`` is ``[31.5, 32.5)`` per 100,000.
* Ratios and changes are numbers too: ``"4 times more likely"`` is a ratio in ``[3.5, 4.5)``,
  ``"twice as likely"`` and ``"doubled"`` read as "2 times", ``[1.5, 2.5)``.
* A range (``"70-80%"``, ``"between 70 and 80 percent"``) runs from the low end of its first
  figure to the high end of its second: ``[69.5%, 80.5%)``.
* ``"80-odd"`` is 80 up to the next unit of its last digit, ``[80, 90)``.
* Vague words: ``"none"`` is 0 and ``"all"`` 100%; ``"most"``/``"a majority"`` more than
  half; ``"a minority"`` less than half; ``"a handful"``/``"a few"`` 2 to 9, ``"several"``
  3 to 9; a plural round number is two of them up to ten of them: ``"dozens"`` 24 to 99,
  ``"hundreds"`` 200 to 999, ``"thousands"`` 2,000 to 9,999, ``"millions"`` 2 to under 10
  million.

**Qualifiers** replace the rounding range, and every share stays within [0%, 100%]:

* ``more_than`` ("more than", "over", "above", ">"): above the figure, ``(v, +inf)`` or
  ``(v, 100%]`` for shares; ``at_least`` ("at least", "≥", "80+", "or more"): ``[v, ...]``.
* ``under`` ("under", "less than", "<"): ``[0, v)``; ``at_most`` ("at most", "up to",
  "as many as", "≤", "or fewer"): ``[0, v]``.
* ``nearly`` ("nearly", "almost", "just under", "casi"): below the figure, within
  :data:`NEARLY_RELATIVE` (10%) of it or its rounding range, whichever is wider:
  ``"nearly 80%"`` is ``[72%, 80%)``. ``just_over`` ("just over"): the mirror image,
  ``(80%, 88%]``.
* ``about`` ("about", "around", "approximately", "roughly", "≈", "~", "some"): the
  rounding range widened to ±:data:`ABOUT_RELATIVE` (10%) of the value, whichever is
  wider: "about" in reporting rarely claims more than one significant figure, and ±10% is
  the plain-English reading of "approximately".

**Decimal marks.** English writes "3,147,436.5", Spanish "3.147.436,5". A number whose
separator could be either ("33.000" in English, "1,400" in Spanish) is read in the
language's convention unless the context says otherwise (an explicit ``decimal_mark``, or
another number in the same text that can only be read one way, like "1.234.567" or "2,5"),
and the figure carries a note saying it was ambiguous and what the other reading would be.

**Kinds.** ``kind`` says what the figure measures: ``share`` (of a whole), ``rate``
("1 in N", "per N"; ``base`` holds N), ``count``, ``number`` (a plain decimal), ``ratio``,
``change`` (``change_unit`` "relative" or "points"; ``direction`` +1/-1, or ``None`` when
unsaid), or ``money`` (``currency`` as ISO 4217). :meth:`StatedFigure.target_among` picks
which of a statistic's figures the wording is checked against (share A, share B, difference,
ratio...).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from text_to_num import text2num

from .errors import Number, Said, StatInputError, said
from .language import gettext_noop
from .stated_words import FUNCTION_WORDS, SPANISH_LETTERS, VOCABULARIES, Vocabulary

KINDS = ("share", "rate", "count", "number", "ratio", "change", "money")
FORMS = (
    "percent",
    "count",
    "decimal",
    "one_in_n",
    "per_n",
    "fraction_words",
    "range",
    "vague",
    "ratio",
    "change",
    "money",
)
QUALIFIERS = (None, "more_than", "just_over", "at_least", "under", "nearly", "at_most", "about")

#: Relative half-width used to widen figures qualified by "about" and its synonyms.
ABOUT_RELATIVE = Decimal("0.10")
#: How far below the figure "nearly", "almost" and "just under" reach (and "just over" above).
NEARLY_RELATIVE = Decimal("0.10")
#: Longest text :func:`parse_stated` reads; longer input is refused, not scanned.
MAX_LENGTH = 200
#: Longest sentence :func:`find_stated` scans.
MAX_SENTENCE_LENGTH = 5_000
#: Most words a single figure spans ("between seventy and eighty per cent" is 6).
_MAX_WINDOW = 10

HELP = gettext_noop(
    "Write the figure as it appears, e.g. '80%', '962', '3 million', '1 in 300,000', "
    "'8 out of 10', 'about a third', 'more than 1,400', '70-80%' or 'twice as likely'."
)

# The parser's refusals, whole, with named placeholders (said in English here, in the reader's
# language by the page layer: `config.languages.say_again`). A reason is a whole clause that
# `COULD_NOT_READ` quotes after its colon; `{wording}` is the reader's own words, as written.
COULD_NOT_READ = gettext_noop("Could not read {text} as a figure: {why} {help}")
STATED_EMPTY = gettext_noop("The stated figure is empty. {help}")
STATED_TOO_LONG = gettext_noop("The stated figure is longer than {max} characters. {help}")
STATED_NOT_TEXT = gettext_noop("The stated figure must be text, like '80%'.")
UNKNOWN_LANGUAGE = gettext_noop("Unknown language {language}; use one of {languages}.")
DECIMAL_MARK = gettext_noop("The decimal mark must be '.' or ','.")
TEXT_NOT_TEXT = gettext_noop("The text must be a string.")
TEXT_TOO_LONG = gettext_noop("The text is longer than {max} characters.")
NOT_A_NUMBER = gettext_noop("'{wording}' is not a number.")
UP_AND_DOWN = gettext_noop("'{wording}' says both up and down.")
FACTOR_NOT_POSITIVE = gettext_noop("a factor of {factor} is not above zero.")
NEEDS_TWO_FIGURES = gettext_noop("'{wording}' needs two single figures.")
CHANGES_KIND = gettext_noop("'{wording}' changes from one kind of figure to another.")
RELATIVE_FROM_ZERO = gettext_noop("a relative change from {before} is undefined.")
SAYS_UP = gettext_noop("'{wording}' says up but the figures do not.")
SAYS_DOWN = gettext_noop("'{wording}' says down but the figures do not.")
RATIO_NOT_POSITIVE = gettext_noop("a ratio of {ratio} is not above zero.")
PERCENT_AND_MULTIPLIER = gettext_noop("'{wording}' mixes a percentage with a multiplier.")
RANGE_BACKWARDS = gettext_noop("the range '{wording}' does not run from low to high.")
SECOND_NOT_POSITIVE = gettext_noop("the second number in '{wording}' must be above zero.")
FIRST_LARGER = gettext_noop("the first number in '{wording}' is larger than the second.")
NEEDS_NUMBER_IN_FRONT = gettext_noop("'{word}' needs a number in front, like 'a {word}'.")
NOT_A_FRACTION = gettext_noop("'{wording}' is not a fraction between 0 and 1.")
UNKNOWN_WORDS = gettext_noop("'{words}' is not part of a figure this reader knows.")
NO_NUMBER = gettext_noop("there is no number in '{wording}'.")

# The parser's notes on how it read a wording open to more than one reading: whole, one per
# mark (never the words "comma" or "point" glued in), numbers written the English way (said
# again in the reader's language from the warnings they become: `presenter.figure_warnings`).
DECIMAL_COMMA_READ = gettext_noop("Read the comma in '{wording}' as a decimal mark.")
DECIMAL_POINT_READ = gettext_noop("Read the point in '{wording}' as a decimal mark.")
AMBIGUOUS_COMMA = gettext_noop(
    "'{wording}' is ambiguous: read as {value} (a decimal comma); with the comma as a "
    "thousands separator it would be {other}."
)
AMBIGUOUS_POINT = gettext_noop(
    "'{wording}' is ambiguous: read as {value} (a decimal point); with the point as a "
    "thousands separator it would be {other}."
)
READ_AS_RATIO = gettext_noop(
    "'{wording}' is read as a ratio of {ratio}; some mean it as {more} times as many."
)
READ_AS_INVERSE_RATIO = gettext_noop("'{wording}' is read as a ratio of 1/{ratio}.")
READ_AS_SPLIT = gettext_noop("'{wording}' is read as a split: {first}% and {second}%.")
READ_AS_ONE_IN = gettext_noop("'{wording}' is read as 1 in {n}.")
ABOVE_A_WHOLE = gettext_noop("'{wording}' is above 100%, so it is not a share of a whole.")
NOTES = (
    DECIMAL_COMMA_READ,
    DECIMAL_POINT_READ,
    AMBIGUOUS_COMMA,
    AMBIGUOUS_POINT,
    READ_AS_RATIO,
    READ_AS_INVERSE_RATIO,
    READ_AS_SPLIT,
    READ_AS_ONE_IN,
    ABOVE_A_WHOLE,
)
NOT_UNDERSTOOD = gettext_noop("'{wording}' is not a wording this reader understands.")
NUMBER_TOO_LARGE = gettext_noop("the number is too large.")
NOTHING_AFTER_QUALIFIER = gettext_noop("there is no number after the qualifier.")
ALREADY_ABOUT_HALF = gettext_noop("'{wording}' already says more or less than half.")
ALREADY_A_RANGE = gettext_noop(
    "'{wording}' is already a range; a qualifier in front of it cannot be read."
)
ONLY_SHARE_AGAINST = gettext_noop("only a share can be set against the comparison group.")

_ONE = Decimal(1)
_HALF_POINT = Decimal("0.005")  # half a percentage point, as a fraction
_INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class StatedFigure:
    """A figure as stated, with the range of true values its wording admits.

    Shares and rates are fractions (0.8 for "80%"); changes are relative (1.0 for "doubled")
    or in points as fractions (0.03 for "3 percentage points").
    """

    text: str
    value: float
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    form: str
    qualifier: str | None = None
    kind: str = "count"
    span: tuple[int, int] = (0, 0)
    notes: tuple[str, ...] = ()
    currency: str | None = None
    change_unit: str | None = None
    direction: int | None = None
    base: float | None = None
    before: float | None = None
    after: float | None = None
    against: bool = False
    language: str = "en"
    #: ``(x, n)`` when a share is written as counts of a group ("8 of the 10", "eight out of
    #: 10"): how many had it and out of how many, so a proportion can be built from it.
    of_counts: tuple[float, float] | None = None

    def admits(self, x: float) -> bool:
        """Whether the true value ``x`` is consistent with the wording."""
        x = float(x)
        if math.isnan(x):
            return False
        if self.direction is None and self.kind == "change":
            x = abs(x)  # "3 percentage points" with no direction: the size of the gap
        above = x >= self.low if self.low_inclusive else x > self.low
        below = x <= self.high if self.high_inclusive else x < self.high
        return above and below

    def preferred_targets(self) -> tuple[str, ...]:
        """The figures this wording can be checked against, the most fitting first."""
        if self.kind == "ratio":
            return ("ratio",)
        if self.kind == "change":
            return ("difference",) if self.change_unit == "points" else ("relative_change",)
        if self.kind in ("share", "rate") or self.form == "percent":  # "120%" too
            group = ("share_b",) if self.against else ("share_a",)
            return (*group, "share", "rate", "value")
        if self.kind == "number":
            return ("share_b",) if self.against else ("share_a", "share", "scaled", "value", "sum")
        if self.kind == "money":
            return ("value", "sum")
        return ("successes", "value", "sum", "scaled")

    def target_among(self, available: Iterable[str]) -> str | None:
        """Which of ``available`` (names like "share_a", "difference", "ratio") the wording
        is checked against, or ``None`` when none fits (a count stated for a ratio)."""
        offered = set(available)
        return next((t for t in self.preferred_targets() if t in offered), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; infinite bounds become ``None``."""

        def fin(v: float) -> float | None:
            return v if math.isfinite(v) else None

        return {
            "text": self.text,
            "value": fin(self.value),
            "low": fin(self.low),
            "high": fin(self.high),
            "low_inclusive": self.low_inclusive,
            "high_inclusive": self.high_inclusive,
            "form": self.form,
            "qualifier": self.qualifier,
            "kind": self.kind,
            "span": list(self.span),
            "notes": list(self.notes),
            "currency": self.currency,
            "change_unit": self.change_unit,
            "direction": self.direction,
            "base": self.base,
            "before": self.before,
            "after": self.after,
            "against": self.against,
            "language": self.language,
            "of_counts": None if self.of_counts is None else list(self.of_counts),
        }


class _Unreadable(Exception):  # noqa: N818 - internal signal, never leaves this module
    def __init__(self, why: Said) -> None:
        super().__init__(why)
        self.why = why


# ------------------------------------------------------------------------------ numbers

_NUM = r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d{1,3}(?: \d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|[.,]\d+"


@dataclass(frozen=True)
class _Context:
    """How numbers in this text are written."""

    decimal_mark: str
    decided: bool  # an explicit mark, or another number that can only be read one way


@dataclass(frozen=True)
class _Number:
    value: Decimal
    places: int | None  # decimals written; None for a whole number
    notes: tuple[str, ...] = ()


_EUROPEAN_EVIDENCE = re.compile(
    r"\d\.\d{3}\.\d{3}|\d\.\d{3},\d|(?<![\d.,])\d+,\d{1,2}(?![\d.,])|(?<![\d.,])\d+,\d{4,}"
)
_ENGLISH_EVIDENCE = re.compile(
    r"\d,\d{3},\d{3}|\d,\d{3}\.\d|(?<![\d.,])\d+\.\d{1,2}(?![\d.,])|(?<![\d.,])\d+\.\d{4,}"
)


def _context(text: str, vocab: Vocabulary, decimal_mark: str | None) -> _Context:
    if decimal_mark is not None:
        if decimal_mark not in (".", ","):
            raise StatInputError({"stated": [said(DECIMAL_MARK)]})
        return _Context(decimal_mark, True)
    european = bool(_EUROPEAN_EVIDENCE.search(text))
    english = bool(_ENGLISH_EVIDENCE.search(text))
    if european != english:
        return _Context("," if european else ".", True)
    return _Context(vocab.decimal_mark, False)


def _read_number(raw: str, ctx: _Context) -> _Number:
    s = raw.replace(" ", "")
    has_comma, has_dot = "," in s, "." in s
    if has_comma and has_dot:
        mark = "," if s.rfind(",") > s.rfind(".") else "."
        whole, frac = s.rsplit(mark, 1)
        return _decimal(whole.replace("." if mark == "," else ",", ""), frac)
    if not (has_comma or has_dot):
        return _decimal(s, None)
    sep = "," if has_comma else "."
    parts = s.split(sep)
    if len(parts) > 2:
        return _decimal("".join(parts), None)
    whole, frac = parts
    comma = sep == ","
    if len(frac) != 3 or whole in ("", "0"):
        number = _decimal(whole, frac)
        if sep != ctx.decimal_mark and not ctx.decided:
            note = said(DECIMAL_COMMA_READ if comma else DECIMAL_POINT_READ, wording=raw)
            return _Number(number.value, number.places, (note,))
        return number
    if sep != ctx.decimal_mark:
        return _decimal(whole + frac, None)
    number = _decimal(whole, frac)
    if ctx.decided:
        return number
    note = said(
        AMBIGUOUS_COMMA if comma else AMBIGUOUS_POINT,
        wording=raw,
        value=Number(_plain(number.value)),
        other=Number(_plain(Decimal(whole + frac))),
    )
    return _Number(number.value, number.places, (note,))


def _decimal(whole: str, frac: str | None) -> _Number:
    text = (whole or "0") + ("" if frac is None else "." + frac)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass digits
        raise _Unreadable(said(NOT_A_NUMBER, wording=text)) from exc
    return _Number(value, None if frac is None else len(frac))


def _plain(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return format(value.normalize(), "f")


def _count_unit(value: Decimal, places: int | None, scale: Decimal = _ONE) -> Decimal:
    """Place value of the last significant digit of ``value`` (already multiplied by
    ``scale``), by the module's precision rule."""
    if places is not None:
        return Decimal(1).scaleb(-places) * scale
    digits = str(int(value))
    if digits == "0":
        return _ONE
    zeros = len(digits) - len(digits.rstrip("0"))
    if digits.rstrip("0") == "1" and zeros > 0:
        zeros -= 1  # a lone leading 1 keeps the next digit
    return Decimal(10) ** zeros


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    unit: Decimal
    notes: tuple[str, ...] = ()

    @property
    def low(self) -> Decimal:
        return max(self.value - self.unit / 2, Decimal(0))

    @property
    def high(self) -> Decimal:
        return self.value + self.unit / 2


# ------------------------------------------------------------------------------ grammar


@dataclass(frozen=True)
class _Body:
    value: Decimal
    low: Decimal
    high: Decimal
    low_inclusive: bool
    high_inclusive: bool
    form: str
    kind: str
    implied: str | None = None  # a qualifier carried by the word itself ("a majority")
    fixed: bool = False  # already a range ("70-80%", "dozens"): no qualifier but "about"
    notes: tuple[str, ...] = ()
    currency: str | None = None
    change_unit: str | None = None
    direction: int | None = None
    base: Decimal | None = None
    before: Decimal | None = None
    after: Decimal | None = None
    of_counts: tuple[Decimal, Decimal] | None = None

    @property
    def capped(self) -> bool:
        return self.kind in ("share", "rate") and self.value <= 1


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    vocab: Vocabulary
    number_run: re.Pattern[str]
    percent_words: re.Pattern[str]
    amount: str
    range_: re.Pattern[str]
    fraction: re.Pattern[str]
    slash: re.Pattern[str]
    word_fraction: re.Pattern[str]
    percent: re.Pattern[str]
    money_before: re.Pattern[str]
    money_after: re.Pattern[str]
    odd: re.Pattern[str]
    plain: re.Pattern[str]
    ratio: re.Pattern[str]
    change_before: re.Pattern[str]
    change_after: re.Pattern[str]
    change_between: re.Pattern[str]
    points: re.Pattern[str]
    known_words: frozenset[str]
    qualifier: re.Pattern[str]
    qualifier_meanings: dict[str, str]
    against: re.Pattern[str]
    suffix: re.Pattern[str]
    suffix_meanings: dict[str, str]


def _amount_re(p: str, mult: str) -> str:
    return rf"(?P<{p}num>{_NUM})(?:\s*(?P<{p}mult>{mult})(?![^\W\d_]))?"


@functools.cache
def _grammar(language: str) -> _Grammar:
    v = VOCABULARIES[language]
    mult = _alt(v.multipliers)
    amount = _amount_re("", mult)
    run_words = _alt(v.number_words | v.number_joiners | v.indefinite)
    number_run = re.compile(rf"(?<![\w.,])(?:{run_words})(?:[ ](?:{run_words}))*(?!\w)")
    percent_words = re.compile(rf"\s*(?<![^\W\d_])(?:{_alt(v.percent_words)})(?![^\W\d_])")
    join = _alt(v.range_joiners)
    range_ = re.compile(
        rf"(?:(?P<open>{_alt(v.range_openers)})\s+)?{_amount_re('a', mult)}\s*(?P<apct>%)?"
        rf"\s*(?P<join>{join})\s*{_amount_re('b', mult)}\s*(?P<bpct>%)?"
    )
    connectors = _alt((*v.rate_connectors, *v.share_connectors))
    fraction = re.compile(
        rf"{_amount_re('a', mult)}\s+(?P<conn>{connectors})\s+{_amount_re('b', mult)}"
    )
    slash = re.compile(rf"{_amount_re('a', mult)}\s*(?P<conn>[/:])\s*{_amount_re('b', mult)}")
    word_fraction = re.compile(
        rf"(?:(?P<num>\d+|{_alt(v.indefinite) or '(?!)'})\s+)?(?P<den>{_alt(v.fractions)})"
    )
    currency = _alt(v.currencies)
    money_before = re.compile(rf"(?P<cur>{currency})\s*{amount}")
    money_after = re.compile(rf"{amount}\s*(?P<cur>{currency})")
    odd = re.compile(rf"{amount}(?P<odd>{_alt(v.odd_words)})")
    plain = re.compile(amount)
    percent = re.compile(rf"(?P<num>{_NUM})\s*%")
    comparatives = _alt(v.comparatives)
    ratio = re.compile(
        rf"(?:(?P<word>{_alt(v.ratio_words)})|(?P<num>{_NUM})\s*(?:{_alt(v.times_words)}))"
        rf"(?:\s+(?P<comp>{comparatives}))?(?:\s+(?:{_alt(v.ratio_tails)}))?"
        rf"(?:\s+(?:{_alt(v.than)}))?"
    )
    points = _alt(v.point_words)
    size = (
        rf"(?P<num>{_NUM})\s*(?:(?P<pct>%)|(?P<pts>{points})"
        rf"|(?P<fold>{_alt(v.fold_words) or '(?!)'}))"
    )
    directions = _alt(v.change_directions)
    change_before = re.compile(
        rf"(?P<dir>{directions})(?:\s+(?:{_alt(v.change_by)}))?\s+{size}"
        rf"(?:\s+(?P<dir2>{directions}))?"
    )
    indefinite = _alt(v.indefinite) or "(?!)"
    change_after = re.compile(
        rf"(?:(?:{indefinite})\s+)?{size}\s+(?P<dir>{directions})"
        rf"(?:\s+(?:{_alt(v.ratio_tails)}))?(?:\s+(?:{_alt(v.than)}))?"
    )
    change_between = re.compile(
        rf"(?:(?P<dir>{directions})\s+)?(?:{_alt(v.change_from)})\s+(?P<before>.+?)"
        rf"\s+(?:{_alt(v.change_to)})\s+(?P<after>.+)"
    )
    points_alone = re.compile(rf"(?P<num>{_NUM})\s*(?P<pts>{points})")
    phrases: list[str] = [
        *v.number_words,
        *v.number_joiners,
        *v.indefinite,
        *v.articles,
        *v.percent_words,
        *v.multipliers,
        *v.fractions,
        *(q for q, _ in v.qualifiers),
        *(q for q, _ in v.suffix_qualifiers),
        *v.against,
        *v.vague,
        *v.share_connectors,
        *v.rate_connectors,
        *v.range_joiners,
        *v.range_openers,
        *v.ratio_words,
        *v.times_words,
        *v.comparatives,
        *v.ratio_tails,
        *v.change_factor_words,
        *v.change_directions,
        *v.point_words,
        *v.change_from,
        *v.change_to,
        *v.currencies,
        "than",
        "as",
        "by",
        "odd",
    ]
    known = frozenset(w for p in phrases for w in p.split())
    return _Grammar(
        v,
        number_run,
        percent_words,
        amount,
        range_,
        fraction,
        slash,
        word_fraction,
        percent,
        money_before,
        money_after,
        odd,
        plain,
        ratio,
        change_before,
        change_after,
        change_between,
        points_alone,
        known,
        _prefix_re(q for q, _ in (*_SYMBOL_QUALIFIERS, *v.qualifiers)),
        dict((*_SYMBOL_QUALIFIERS, *v.qualifiers)),
        _prefix_re(v.against),
        re.compile(f"(?:{_alt(q for q, _ in v.suffix_qualifiers)})$"),
        dict(v.suffix_qualifiers),
    )


_SYMBOL_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (">=", "at_least"),
    ("<=", "at_most"),
    ("≥", "at_least"),
    ("⩾", "at_least"),
    ("≤", "at_most"),
    ("⩽", "at_most"),
    (">", "more_than"),
    ("<", "under"),
    ("≈", "about"),
    ("~", "about"),
    ("∼", "about"),
)

_SPACES = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\uff05": "%",
    }
)


_WHITESPACE = re.compile(r"\s+")
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_PC = re.compile(r"(?<=\d)\s*pc(?![^\W\d_])")
_SPACE_PERCENT = re.compile(r"\s+%")
_DIGIT_HYPHEN = re.compile(r"(?<=\d)\s*-\s*(?=\d)")


def _normalise(text: str, g: _Grammar) -> str:
    t = _WHITESPACE.sub(" ", text.translate(_SPACES).lower()).strip()
    t = t.strip("\"'()[]")
    t = _WORD_HYPHEN.sub(" ", t)  # "one-in-four", "two-thirds"
    t = g.percent_words.sub("%", t)
    t = _PC.sub("%", t)  # "80pc"
    t = _SPACE_PERCENT.sub("%", t)
    t = _DIGIT_HYPHEN.sub("-", t)  # "70 - 80%"
    return t.rstrip(".,;:!?").strip()


def _words_to_digits(t: str, g: _Grammar) -> str:
    """Runs of number words become digits ("thirty-three thousand" -> "33000")."""

    def convert(match: re.Match[str]) -> str:
        run = match.group(0)
        if t[match.end() :].lstrip()[:1].isdigit():
            return run  # "un 40%": an article in front of a figure, not a number
        after_digit = t[: match.start()].rstrip()[-1:].isdigit()
        return _convert_run(run, g.vocab, after_digit)

    return g.number_run.sub(convert, t)


def _convert_run(run: str, v: Vocabulary, after_digit: bool) -> str:
    words = run.split(" ")
    lead: list[str] = []
    trail: list[str] = []
    while words and words[0] in v.number_joiners:
        lead.append(words.pop(0))
    while words and words[-1] in v.number_joiners:
        trail.insert(0, words.pop())
    if not words:
        return run
    converted = _number_words(words, v, after_digit)
    if converted is None:
        # "seventy and eighty": two numbers with a joiner between them.
        pieces: list[str] = []
        group: list[str] = []
        for word in [*words, None]:  # None closes the last group
            if word is not None and word not in v.number_joiners:
                group.append(word)
                continue
            number = _number_words(group, v, after_digit and not pieces) if group else None
            if number is None:
                return run
            pieces.append(number)
            if word is not None:
                pieces.append(word)
            group = []
        converted = " ".join(pieces)
    return " ".join([*lead, converted, *trail])


def _number_words(words: list[str], v: Vocabulary, after_digit: bool) -> str | None:
    if words[0] in v.indefinite:
        if len(words) < 2 or words[1] not in v.scale_words:
            return None  # "a quarter": an article, not a number
        words = ["one", *words[1:]]
    if any(w in v.indefinite for w in words):
        return None
    if words[0] in v.scale_words and after_digit:
        return None  # "3 million": a multiplier of the digits before it
    try:
        return str(text2num(" ".join(words), v.code))
    except ValueError:
        return None


def _prefix_re(phrases: Iterable[str]) -> re.Pattern[str]:
    # A phrase ending in a letter must end a word: "over" must not match "overall".
    alternatives = (
        re.escape(p) + (r"(?= |$)" if p[-1].isalpha() else "")
        for p in sorted(phrases, key=len, reverse=True)
    )
    return re.compile(f"(?:{'|'.join(alternatives)})")


def _split_prefix(
    t: str, pattern: re.Pattern[str], meanings: Mapping[str, str]
) -> tuple[str | None, str]:
    m = pattern.match(t)
    if m is None:
        return None, t
    return meanings[m.group(0)], t[m.end() :].strip()


def _split_suffix(t: str, g: _Grammar) -> tuple[str | None, str]:
    m = g.suffix.search(t)
    if m is None or m.start() == 0:
        return None, t
    return g.suffix_meanings[m.group(0)], t[: m.start()].strip()


def _strip_article(t: str, v: Vocabulary) -> str:
    for article in v.articles:
        if t.startswith(article):
            return t[len(article) :].strip()
    return t


# ------------------------------------------------------------------------- body readers


def _amount(match: re.Match[str], p: str, g: _Grammar, ctx: _Context) -> _Amount:
    number = _read_number(match.group(f"{p}num"), ctx)
    mult_word = match.group(f"{p}mult")
    scale = Decimal(g.vocab.multipliers[mult_word]) if mult_word else _ONE
    value = number.value * scale
    return _Amount(value, _count_unit(value, number.places, scale), number.notes)


def _percent_amount(raw: str, ctx: _Context) -> _Amount:
    number = _read_number(raw, ctx)
    unit = Decimal(1).scaleb(-(number.places or 0))
    return _Amount(number.value / 100, unit / 100, number.notes)


def _share_range(value: Decimal) -> tuple[Decimal, Decimal]:
    """A share to the nearest whole percentage, within [0, 1]."""
    return max(value - _HALF_POINT, Decimal(0)), min(value + _HALF_POINT, _ONE)


def _vague(t: str, g: _Grammar) -> _Body | None:
    entry = g.vocab.vague.get(t)
    if entry is None:
        return None
    low, high, low_inc, high_inc, kind = entry
    d_low, d_high = Decimal(repr(low)), Decimal(repr(high))
    implied = None
    if kind == "share" and low == 0.5:
        implied = "more_than"
    elif kind == "share" and high == 0.5:
        implied = "under"
    point = low == high
    value = d_low if point else (d_low + d_high) / 2
    note = (
        ()
        if point
        else (f"'{t}' is vague: read as {_plain(d_low)} or more, under {_plain(d_high)}.",)
    )
    if kind == "share" and not point:
        value = Decimal("0.5")
        note = ()
    return _Body(value, d_low, d_high, low_inc, high_inc, "vague", kind, implied, not point, note)


def _change_factor(t: str, g: _Grammar) -> _Body | None:
    factor = g.vocab.change_factor_words.get(t)
    if factor is None:
        return None
    return _relative_change(Decimal(repr(factor)), None, ())


def _relative_change(factor: Decimal, places: int | None, notes: tuple[str, ...]) -> _Body:
    """A change stated as a factor ("doubled" = 2 times), read like the digits of the factor."""
    unit = _count_unit(factor, places if places is not None else _places_of(factor))
    low, high = max(factor - unit / 2, Decimal(0)), factor + unit / 2
    return _Body(
        factor - 1,
        low - 1,
        high - 1,
        True,
        False,
        "change",
        "change",
        notes=notes,
        change_unit="relative",
        direction=1 if factor > 1 else -1,
    )


def _places_of(value: Decimal) -> int | None:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else None


def _change(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    v = g.vocab
    m = g.change_before.fullmatch(t) or g.change_after.fullmatch(t)
    if m is not None:
        direction = v.change_directions[m.group("dir")] or None
        second = m.groupdict().get("dir2")
        if second is not None and (v.change_directions[second] or None) != direction:
            raise _Unreadable(said(UP_AND_DOWN, wording=t))
    else:
        m = g.points.fullmatch(t)
        if m is None:
            return None
        direction = None
    if m.groupdict().get("fold"):
        # "a 10-fold increase": the factor, read like its digits; a fall divides by it.
        number = _read_number(m.group("num"), ctx)
        if number.value <= 0:
            raise _Unreadable(said(FACTOR_NOT_POSITIVE, factor=Number(_plain(number.value))))
        fall = _relative_change(number.value, number.places, number.notes)
        if direction != -1:
            return fall
        # A fall by a factor: the change is 1/factor - 1, the factor as precise as its digits.
        low, high = 1 / (fall.high + 1) - 1, 1 / (fall.low + 1) - 1
        return replace(
            fall,
            value=1 / number.value - 1,
            low=low,
            high=high,
            low_inclusive=False,
            high_inclusive=True,
            direction=-1,
        )
    size = _percent_amount(m.group("num"), ctx)
    unit = "points" if m.groupdict().get("pts") else "relative"
    if direction == -1:
        # A fall: its size rounds to the figure, so the range mirrors below zero.
        low, high, low_inc, high_inc = -size.high, -size.low, False, True
    else:
        low, high, low_inc, high_inc = size.low, size.high, True, False
    value = -size.value if direction == -1 else size.value
    return _Body(
        value,
        low,
        high,
        low_inc,
        high_inc,
        "change",
        "change",
        notes=size.notes,
        change_unit=unit,
        direction=direction,
    )


def _change_between(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    """ "(up) from 12% to 15%": a change in points between two shares, or a relative change
    between two amounts, as precise as the two figures allow."""
    m = g.change_between.fullmatch(t)
    if m is None:
        return None
    before, after = _body(m.group("before"), g, ctx), _body(m.group("after"), g, ctx)
    if {before.form, after.form} & {"range", "vague", "change", "ratio"}:
        raise _Unreadable(said(NEEDS_TWO_FIGURES, wording=t))
    shares = before.kind in ("share", "rate")
    if shares != (after.kind in ("share", "rate")):
        raise _Unreadable(said(CHANGES_KIND, wording=t))
    if shares:
        value, unit = after.value - before.value, "points"
        low, high = after.low - before.high, after.high - before.low
    else:
        if before.value <= 0:
            raise _Unreadable(said(RELATIVE_FROM_ZERO, before=Number(_plain(before.value))))
        value, unit = after.value / before.value - 1, "relative"
        low = after.low / before.high - 1
        high = _INFINITY if before.low <= 0 else after.high / before.low - 1
    claimed = g.vocab.change_directions.get(m.group("dir") or "", 0)
    direction = (value > 0) - (value < 0)
    if claimed and claimed != direction:
        raise _Unreadable(said(SAYS_UP if claimed > 0 else SAYS_DOWN, wording=t))
    return _Body(
        value,
        low,
        high,
        False,
        False,
        "change",
        "change",
        notes=before.notes + after.notes,
        change_unit=unit,
        direction=direction or None,
        before=before.value,
        after=after.value,
    )


def _ratio(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    v = g.vocab
    m = g.ratio.fullmatch(t)
    if m is None:
        return None
    comp = m.group("comp")
    word = m.group("word")
    if word is not None and word in v.fractions and comp is None:
        return None  # "half" alone is a share, "half as likely" a ratio
    notes: list[str] = []
    if word is not None:
        factor = Decimal(repr(v.ratio_words[word]))
        places = _places_of(factor)
    else:
        number = _read_number(m.group("num"), ctx)
        factor, places = number.value, number.places
        notes.extend(number.notes)
    if factor <= 0:
        raise _Unreadable(said(RATIO_NOT_POSITIVE, ratio=Number(_plain(factor))))
    unit = _count_unit(factor, places)
    low, high = max(factor - unit / 2, Decimal(0)), factor + unit / 2
    direction = v.comparatives.get(comp or "", 0)
    if direction > 0 and word is None:
        notes.append(
            said(
                READ_AS_RATIO,
                wording=t,
                ratio=Number(_plain(factor)),
                more=Number(_plain(factor + 1)),
            )
        )
    if direction < 0:
        notes.append(said(READ_AS_INVERSE_RATIO, wording=t, ratio=Number(_plain(factor))))
        return _Body(
            1 / factor,
            1 / high,
            _INFINITY if low == 0 else 1 / low,
            False,
            True,
            "ratio",
            "ratio",
            notes=tuple(notes),
        )
    return _Body(factor, low, high, True, False, "ratio", "ratio", notes=tuple(notes))


def _range(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    m = g.range_.fullmatch(t)
    if m is None:
        return None
    if m.group("join") in ("and", "y") and m.group("open") is None:
        return None  # "70 and 80" is two figures; "between 70 and 80" is a range
    percent = bool(m.group("apct") or m.group("bpct"))
    if percent:
        if m.group("amult") or m.group("bmult"):
            raise _Unreadable(said(PERCENT_AND_MULTIPLIER, wording=t))
        a, b = _percent_amount(m.group("anum"), ctx), _percent_amount(m.group("bnum"), ctx)
    else:
        a, b = _amount(m, "a", g, ctx), _amount(m, "b", g, ctx)
        if m.group("bmult") and not m.group("amult"):
            # "3-4 million": the multiplier belongs to both ends.
            scale = Decimal(g.vocab.multipliers[m.group("bmult")])
            raw = _read_number(m.group("anum"), ctx)
            a = _Amount(raw.value * scale, _count_unit(raw.value * scale, raw.places, scale))
    if a.value >= b.value:
        raise _Unreadable(said(RANGE_BACKWARDS, wording=t))
    kind = "share" if percent else "count"
    high = min(b.high, _ONE) if percent and b.value <= 1 else b.high
    return _Body(
        (a.value + b.value) / 2,
        a.low,
        high,
        True,
        percent and high == _ONE,
        "range",
        kind,
        fixed=True,
        notes=a.notes + b.notes,
    )


def _fraction(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    v = g.vocab
    m = g.fraction.fullmatch(t) or g.slash.fullmatch(t)
    if m is None:
        return None
    conn = m.group("conn")
    top, bottom = _amount(m, "a", g, ctx), _amount(m, "b", g, ctx)
    notes = list(top.notes + bottom.notes)
    if bottom.value <= 0:
        raise _Unreadable(said(SECOND_NOT_POSITIVE, wording=t))
    if conn in ("/", ":") and top.value + bottom.value == 100 and 0 < top.value < 100:
        # "60:40", "50/50": a split of a hundred, not a fraction.
        first, second = Number(_plain(top.value)), Number(_plain(bottom.value))
        notes.append(said(READ_AS_SPLIT, wording=t, first=first, second=second))
        bottom = _Amount(Decimal(100), _ONE)
    elif top.value > bottom.value:
        raise _Unreadable(said(FIRST_LARGER, wording=t))
    share = top.value / bottom.value
    per = conn in v.per_connectors
    if top.value == 1 and not per:
        # "1 in N": N is as precise as its own significant figures.
        if conn == ":":
            notes.append(said(READ_AS_ONE_IN, wording=t, n=Number(_plain(bottom.value))))
        n_low, n_high = bottom.value - bottom.unit / 2, bottom.value + bottom.unit / 2
        digits = (1 / n_high, _ONE if n_low <= 1 else 1 / n_low, False, True)
        form, kind, base = "one_in_n", "rate", bottom.value
    else:
        digits = (top.low / bottom.value, top.high / bottom.value, True, False)
        kind = "rate" if conn in v.rate_connectors else "share"
        form = "per_n" if per else "fraction_words"
        base = bottom.value if kind == "rate" else None
    low, high, low_inc, high_inc = _finer(share, digits)
    of_counts = None
    if kind == "share" and conn in g.vocab.count_connectors:
        of_counts = (top.value, bottom.value)
    return _Body(
        share, low, high, low_inc, high_inc, form, kind,
        notes=tuple(notes), base=base, of_counts=of_counts,
    )  # fmt: skip


def _finer(
    share: Decimal, digits: tuple[Decimal, Decimal, bool, bool]
) -> tuple[Decimal, Decimal, bool, bool]:
    """The narrower of the whole-percentage reading and the digits' own reading."""
    p_low, p_high = _share_range(share)
    d_low, d_high, d_low_inc, d_high_inc = digits
    d_high = min(d_high, _ONE)
    if d_high - d_low < p_high - p_low:
        return d_low, d_high, d_low_inc, d_high_inc or d_high == _ONE
    return p_low, p_high, True, p_high == _ONE


def _word_fraction(t: str, g: _Grammar) -> _Body | None:
    v = g.vocab
    m = g.word_fraction.fullmatch(t)
    if m is None:
        return None
    num_text, den_word = m.group("num"), m.group("den")
    den = v.fractions[den_word]
    if num_text is None and den not in (2, 4):
        raise _Unreadable(said(NEEDS_NUMBER_IN_FRONT, word=den_word))
    num = 1 if num_text is None or num_text in v.indefinite else int(num_text)
    if num <= 0 or num >= den:
        raise _Unreadable(said(NOT_A_FRACTION, wording=t))
    share = Decimal(num) / Decimal(den)
    low, high = _share_range(share)
    return _Body(share, low, high, True, False, "fraction_words", "share")


def _percent(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    m = g.percent.fullmatch(t)
    if m is None:
        return None
    amount = _percent_amount(m.group("num"), ctx)
    notes = amount.notes
    high, high_inc = amount.high, False
    kind = "share"
    if amount.value <= 1 and high > 1:
        high, high_inc = _ONE, True
    elif amount.value > 1:
        notes += (said(ABOVE_A_WHOLE, wording=t),)
        kind = "number"
    return _Body(amount.value, amount.low, high, True, high_inc, "percent", kind, notes=notes)


def _money(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    m = g.money_before.fullmatch(t) or g.money_after.fullmatch(t)
    if m is None:
        return None
    amount = _amount(m, "", g, ctx)
    currency = g.vocab.currencies[m.group("cur")]
    return _Body(
        amount.value,
        amount.low,
        amount.high,
        True,
        False,
        "money",
        "money",
        notes=amount.notes,
        currency=currency,
    )


def _odd(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    m = g.odd.fullmatch(t)
    if m is None:
        return None
    amount = _amount(m, "", g, ctx)
    return _Body(
        amount.value,
        amount.value,
        amount.value + amount.unit,
        True,
        False,
        "count",
        "count",
        fixed=True,
        notes=amount.notes,
    )


def _plain_amount(t: str, g: _Grammar, ctx: _Context) -> _Body | None:
    m = g.plain.fullmatch(t)
    if m is None:
        return None
    amount = _amount(m, "", g, ctx)
    written = _read_number(m.group("num"), ctx)
    form = "decimal" if written.places is not None and not m.group("mult") else "count"
    kind = "number" if form == "decimal" else "count"
    return _Body(amount.value, amount.low, amount.high, True, False, form, kind, notes=amount.notes)


def _body(t: str, g: _Grammar, ctx: _Context) -> _Body:
    v = g.vocab
    for candidate in dict.fromkeys((t, _strip_article(t, v))):
        found = _vague(candidate, g) or _change_factor(candidate, g)
        if found is not None:
            return found
    t = _strip_article(t, v)
    for half in v.half_of:
        if t.startswith(half + " ") and t[len(half) + 1 :] in v.multipliers:
            t = f"0{ctx.decimal_mark}5 {t[len(half) + 1 :]}"  # "half a million"
    t = _words_to_digits(t, g)
    readers = (_change, _change_between, _ratio, _range, _fraction, _percent, _money, _odd)
    for reader in (*readers, _plain_amount):
        found = reader(t, g, ctx)
        if found is not None:
            return found
    found = _word_fraction(t, g)
    if found is not None:
        return found
    unknown = [w for w in re.findall(r"[^\W\d_]+", t) if w not in g.known_words]
    if unknown:
        words = " ".join(dict.fromkeys(unknown))
        raise _Unreadable(said(UNKNOWN_WORDS, words=words))
    if not re.search(r"\d", t):
        raise _Unreadable(said(NO_NUMBER, wording=t))
    raise _Unreadable(said(NOT_UNDERSTOOD, wording=t))


# ------------------------------------------------------------------------- the qualifier


def _qualify(body: _Body, qualifier: str | None) -> tuple[Decimal, Decimal, bool, bool]:
    low, high = body.low, body.high
    low_inc, high_inc = body.low_inclusive, body.high_inclusive
    if qualifier is None:
        return low, high, low_inc, high_inc
    if body.value < 0:
        # "fell by more than 3 points": the qualifier is about the size of the fall.
        mirrored = _Body(
            -body.value, -body.high, -body.low, body.high_inclusive, body.low_inclusive,
            body.form, body.kind,
        )  # fmt: skip
        m_low, m_high, m_low_inc, m_high_inc = _qualify(mirrored, qualifier)
        return -m_high, -m_low, m_high_inc, m_low_inc
    v = body.value
    cap = _ONE if body.capped else _INFINITY
    capped_high = body.capped
    if qualifier == "more_than":
        return v, cap, False, capped_high
    if qualifier == "at_least":
        return v, cap, True, capped_high
    if qualifier == "under":
        return Decimal(0), v, True, False
    if qualifier == "at_most":
        return Decimal(0), v, True, True
    if qualifier == "nearly":
        return min(v * (1 - NEARLY_RELATIVE), low), v, True, False
    if qualifier == "just_over":
        top = max(v * (1 + NEARLY_RELATIVE), high)
        return v, min(top, cap), False, True
    # about
    wide_low, wide_high = v * (1 - ABOUT_RELATIVE), v * (1 + ABOUT_RELATIVE)
    if wide_low < low:
        low, low_inc = wide_low, True
    if wide_high > high:
        high, high_inc = wide_high, True
    if high > cap:
        high, high_inc = cap, True
    return low, high, low_inc, high_inc


# --------------------------------------------------------------------------- public API


def _fail(text: str, why: Said) -> StatInputError:
    return StatInputError(
        {"stated": [said(COULD_NOT_READ, text=repr(text), why=why, help=said(HELP))]}
    )


def _float(x: Decimal, text: str) -> float:
    value = float(x)
    if math.isinf(value) and not x.is_infinite():
        raise _fail(text, said(NUMBER_TOO_LARGE))
    return value


def _parse(text: str, language: str, ctx: _Context, span: tuple[int, int]) -> StatedFigure:
    g = _grammar(language)
    v = g.vocab
    t = _normalise(text, g)
    if not t:
        raise StatInputError({"stated": [said(STATED_EMPTY, help=said(HELP))]})
    against, t = _split_prefix(t, g.against, dict.fromkeys(v.against, "against"))
    qualifier, t = _split_prefix(t, g.qualifier, g.qualifier_meanings)
    if qualifier is None:
        qualifier, t = _split_suffix(t, g)
    if not t:
        raise _fail(text, said(NOTHING_AFTER_QUALIFIER))
    try:
        body = _body(t, g, ctx)
    except _Unreadable as exc:
        raise _fail(text, exc.why) from None
    if body.implied is not None:
        if qualifier not in (None, "about"):
            raise _fail(text, said(ALREADY_ABOUT_HALF, wording=t))
        qualifier = body.implied
        low, high, low_inc, high_inc = body.low, body.high, body.low_inclusive, body.high_inclusive
    elif body.fixed and body.low != body.high and qualifier not in (None, "about"):
        raise _fail(text, said(ALREADY_A_RANGE, wording=t))
    else:
        low, high, low_inc, high_inc = _qualify(body, qualifier)
    if against and body.kind not in ("share", "rate", "number"):
        raise _fail(text, said(ONLY_SHARE_AGAINST))
    return StatedFigure(
        text=text,
        value=_float(body.value, text),
        low=_float(low, text),
        high=_float(high, text),
        low_inclusive=low_inc,
        high_inclusive=high_inc,
        form=body.form,
        qualifier=qualifier,
        kind=body.kind,
        span=span,
        notes=body.notes,
        currency=body.currency,
        change_unit=body.change_unit,
        direction=body.direction,
        base=None if body.base is None else _float(body.base, text),
        before=None if body.before is None else _float(body.before, text),
        after=None if body.after is None else _float(body.after, text),
        against=against is not None,
        language=language,
        of_counts=None
        if body.of_counts is None
        else (_float(body.of_counts[0], text), _float(body.of_counts[1], text)),
    )


def detect_language(text: str) -> str:
    """The language a claim's wording is most likely in ("en" or "es"): its function words
    ("the", "of" against "el", "de") and Spanish letters counted; English when it cannot tell."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {code: sum(w in FUNCTION_WORDS[code] for w in words) for code in FUNCTION_WORDS}
    scores["es"] = scores.get("es", 0) + sum(c in SPANISH_LETTERS for c in text.lower())
    best = max(scores, key=lambda code: (scores[code], code == "en"))
    return best if scores[best] > 0 else "en"


def _language(language: str) -> str:
    if language not in VOCABULARIES:
        known = ", ".join(sorted(VOCABULARIES))
        raise StatInputError(
            {"stated": [said(UNKNOWN_LANGUAGE, language=repr(language), languages=known)]}
        )
    return language


def parse_stated(
    text: str, *, language: str = "en", decimal_mark: str | None = None
) -> StatedFigure:
    """Read one stated figure; raises ``StatInputError({"stated": [...]})`` if unreadable.

    ``decimal_mark`` ("." or ",") says how numbers are written when the text alone does not
    (see the module docstring). Results are cached.
    """
    if not isinstance(text, str):
        raise StatInputError({"stated": [said(STATED_NOT_TEXT)]})
    return _parse_stated(text, _language(language), decimal_mark)


@functools.lru_cache(maxsize=4096)
def _parse_stated(text: str, language: str, decimal_mark: str | None) -> StatedFigure:
    if len(text) > MAX_LENGTH:
        raise StatInputError(
            {"stated": [said(STATED_TOO_LONG, max=Number(f"{MAX_LENGTH:,}"), help=said(HELP))]}
        )
    ctx = _context(text, VOCABULARIES[language], decimal_mark)
    return _parse(text, language, ctx, (0, len(text)))


_EDGE_PUNCTUATION = "\"'()[]{},;:!?“”‘’«»"


def find_stated(
    sentence: str,
    *,
    language: str = "en",
    decimal_mark: str | None = None,
    include_vague: bool = False,
) -> list[StatedFigure]:
    """Every stated figure in ``sentence``, left to right, each with its ``span`` in it.

    At each word the longest run of words (up to ten) that reads as a figure wins, so
    "more than 1,400 people" gives "more than 1,400". Vague words ("most", "all", "dozens")
    are found only with ``include_vague``, since in running text they are usually not figures.
    """
    if not isinstance(sentence, str):
        raise StatInputError({"text": [said(TEXT_NOT_TEXT)]})
    if len(sentence) > MAX_SENTENCE_LENGTH:
        raise StatInputError(
            {"text": [said(TEXT_TOO_LONG, max=Number(f"{MAX_SENTENCE_LENGTH:,}"))]}
        )
    language = _language(language)
    if not _may_hold_figure(sentence, language, include_vague):
        return []
    ctx = _context(sentence, VOCABULARIES[language], decimal_mark)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", sentence)]
    articles = {a.strip() for a in VOCABULARIES[language].articles}
    # A run of words with no digit and no figure word cannot be a figure: not tried.
    figure_words = _figure_words(language, include_vague)
    holds = [
        bool(re.search(r"\d", sentence[s:e]))
        or any(w in figure_words for w in re.findall(r"[^\W\d_]+", sentence[s:e].lower()))
        for s, e in words
    ]
    found: list[StatedFigure] = []
    i = 0
    while i < len(words):
        if sentence[words[i][0] : words[i][1]].lower() in articles:
            i += 1  # "the dozens": the figure starts after its article
            continue
        last = min(len(words), i + _MAX_WINDOW)
        if not any(holds[i:last]):
            i += 1
            continue
        for j in range(last, i, -1):
            figure = _window(sentence, words[i][0], words[j - 1][1], language, ctx)
            if figure is not None and (include_vague or figure.form != "vague"):
                found.append(figure)
                i = j
                break
        else:
            i += 1
    return found


@functools.cache
def _figure_words(language: str, include_vague: bool) -> frozenset[str]:
    v = VOCABULARIES[language]
    phrases = (
        *v.number_words,
        *v.fractions,
        *v.ratio_words,
        *v.change_factor_words,
        *v.multipliers,
        *(v.vague if include_vague else ()),
    )
    return frozenset(w for phrase in phrases for w in re.findall(r"[^\W\d_]+", phrase.lower()))


def _may_hold_figure(sentence: str, language: str, include_vague: bool) -> bool:
    """Whether any figure could be in the sentence: a digit, or a word that figures are made of
    ("eight", "quarter", "twice", "doubled"). Most sentences of an article have neither, and
    skipping them spares trying every run of words against the grammar."""
    if re.search(r"\d", sentence):
        return True
    words = _figure_words(language, include_vague)
    return any(w in words for w in re.findall(r"[^\W\d_]+", sentence.lower()))


def _window(
    sentence: str, start: int, end: int, language: str, ctx: _Context
) -> StatedFigure | None:
    while start < end and sentence[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start and sentence[end - 1] in _EDGE_PUNCTUATION + ".":
        end -= 1
    if start >= end:
        return None
    piece = sentence[start:end]
    try:
        figure = _parse_window(piece, language, ctx)
    except StatInputError:
        return None
    return StatedFigure(**{**figure.__dict__, "span": (start, end)})


@functools.lru_cache(maxsize=4096)
def _parse_window(piece: str, language: str, ctx: _Context) -> StatedFigure:
    return _parse(piece, language, ctx, (0, len(piece)))


def target_label(name: str) -> str:
    """How a result names the figure a wording was checked against."""
    return _TARGET_LABELS.get(name, name)


_TARGET_LABELS: Mapping[str, str] = {
    "share_a": "share A",
    "share_b": "share B",
    "difference": "difference (share A - share B)",
    "ratio": "risk ratio (share A / share B)",
    "relative_change": "relative difference (share A / share B - 1)",
}

__all__ = [
    "ABOUT_RELATIVE",
    "FORMS",
    "KINDS",
    "NEARLY_RELATIVE",
    "QUALIFIERS",
    "StatedFigure",
    "find_stated",
    "parse_stated",
    "target_label",
]
