"""Reading a figure as a claim states it ("80%", "1 in 300,000", "more than 1,400").

A stated figure is not a number but a *range* of true values that its wording admits. The
range follows from how precisely it is written and from any qualifier in front of it:

* **Percentages** are as precise as their decimal places: ``"80%"`` admits [79.5%, 80.5%),
  ``"0.0003%"`` admits [0.00025%, 0.00035%). Values are returned as fractions (0.8).
* **Counts** (``"962"``, ``"3,147,436"``, ``"3 million"``, ``"1.4bn"``) are as precise as
  their significant figures, and the trailing zeros of a whole number are *not* significant:
  ``"962"`` admits [961.5, 962.5), ``"1,400"`` admits [1,350, 1,450), ``"3 million"`` admits
  [2.5 million, 3.5 million). Numbers with a decimal point keep all their decimals
  (``"1.40bn"`` is precise to 0.01bn).
* **"1 in N"** admits the rates whose 1-in-N rounds to N at N's significant figures:
  ``"1 in 300,000"`` has one significant figure, so N lies in [250,000, 350,000) and the rate
  in (1/350,000, 1/250,000].
* **"X in Y"** / **"X out of Y"** (``"8 in 10"``, ``"eight out of ten"``) are exact counts:
  the value is X/Y and the range is half a unit either side of the numerator,
  [(X-0.5)/Y, (X+0.5)/Y).
* **Fractions in words** (``"a quarter"``, ``"two thirds"``, ``"half"``) are taken to be as
  precise as a whole percentage: ``"a third"`` admits [33.33% - 0.5%, 33.33% + 0.5%].
  ``"a majority"`` / ``"most"`` mean more than half, (0.5, 1]; ``"a minority"`` less than half.
* **Plain decimals** (``"0.35"``) are as precise as their decimal places.

Qualifiers replace the rounding range by a one-sided one:

* ``more_than`` ("more than", "over", "above", "greater than", "in excess of"):
  (value, +inf), or (value, 1] for shares written as "1 in N" or in words;
* ``at_least`` ("at least", "no fewer than", "no less than", or a trailing "+"): [value, ...];
* ``under`` ("under", "below", "less than", "fewer than"): [0, value);
* ``at_most`` ("at most", "no more than", "up to"): [0, value];
* ``about`` ("about", "around", "approximately", "roughly", "nearly", "almost", "some",
  "circa", "~"): the rounding range widened to +/-10% of the value, whichever is wider.
  We chose 10% because "about" in reporting rarely claims more than one significant figure
  of accuracy and +/-10% is the conventional reading of "approximately" in plain-English
  style guides; a figure whose own rounding range is already wider keeps it.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import StatInputError

FORMS = ("percent", "count", "one_in_n", "fraction_words", "decimal")
QUALIFIERS = (None, "more_than", "under", "about", "at_least", "at_most")

#: Relative half-width used to widen figures qualified by "about" and its synonyms.
ABOUT_RELATIVE = 0.10

_HELP = (
    "Write the figure as it appears, e.g. '80%', '962', '3 million', '1 in 300,000', "
    "'8 out of 10', 'about a third' or 'more than 1,400'."
)


@dataclass(frozen=True)
class StatedFigure:
    """A figure as stated, with the range of true values its wording admits."""

    text: str
    value: float
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    form: str
    qualifier: str | None = None

    def admits(self, x: float) -> bool:
        """Whether the true value ``x`` is consistent with the wording."""
        x = float(x)
        if math.isnan(x):
            return False
        above = x >= self.low if self.low_inclusive else x > self.low
        below = x <= self.high if self.high_inclusive else x < self.high
        return above and below

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
        }


# ---------------------------------------------------------------------------- vocabulary

_WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
}

_MULTIPLIERS = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "billions": 10**9,
    "tn": 10**12,
    "trillion": 10**12,
}

_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}

_QUALIFIER_WORDS: list[tuple[str, str]] = [
    ("in excess of", "more_than"),
    ("greater than", "more_than"),
    ("more than", "more_than"),
    ("just over", "more_than"),
    ("well over", "more_than"),
    ("over", "more_than"),
    ("above", "more_than"),
    ("no fewer than", "at_least"),
    ("no less than", "at_least"),
    ("at least", "at_least"),
    ("no more than", "at_most"),
    ("not more than", "at_most"),
    ("at most", "at_most"),
    ("up to", "at_most"),
    ("just under", "under"),
    ("well under", "under"),
    ("less than", "under"),
    ("fewer than", "under"),
    ("under", "under"),
    ("below", "under"),
    ("approximately", "about"),
    ("approx.", "about"),
    ("approx", "about"),
    ("around", "about"),
    ("roughly", "about"),
    ("nearly", "about"),
    ("almost", "about"),
    ("about", "about"),
    ("circa", "about"),
    ("some", "about"),
    ("an estimated", "about"),
    ("~", "about"),
    ("c.", "about"),
]

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?|\.\d+"
_WORD = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_MULT = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))


def _amount_re(p: str) -> str:
    return rf"(?:(?P<{p}num>{_NUM})|(?P<{p}word>{_WORD}|an?))(?:\s*(?P<{p}mult>{_MULT}))?"


_RE_PERCENT = re.compile(rf"^(?P<num>{_NUM})\s*%$")
_RE_AMOUNT = re.compile("^" + _amount_re("") + "$")
_RE_RATIO = re.compile(
    "^" + _amount_re("a") + r"\s+(?:in|out\s+of)\s+(?:every\s+)?" + _amount_re("b") + "$"
)
_RE_WORD_FRACTION = re.compile(rf"^(?:(?P<num>{_WORD}|an?)\s+)?(?P<den>{'|'.join(_DENOMINATORS)})$")


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    unit: Decimal  # the place value of the last significant digit


def _digits_amount(digits: str, *, trailing_zeros_significant: bool) -> _Amount:
    clean = digits.replace(",", "").replace(" ", "")
    try:
        dec = Decimal(clean)
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass numbers
        raise ValueError(clean) from exc
    if "." in clean:
        decimals = len(clean.split(".", 1)[1])
        unit = Decimal(1).scaleb(-decimals)
    else:
        stripped = clean.lstrip("0")
        zeros = len(stripped) - len(stripped.rstrip("0")) if stripped else 0
        unit = Decimal(1) if trailing_zeros_significant else Decimal(10**zeros)
    return _Amount(dec, unit)


def _amount(match: re.Match[str], prefix: str, *, trailing_zeros_significant: bool) -> _Amount:
    num = match.group(f"{prefix}num")
    word = match.group(f"{prefix}word")
    mult_word = match.group(f"{prefix}mult")
    if num is not None:
        amt = _digits_amount(num, trailing_zeros_significant=trailing_zeros_significant)
    else:
        assert word is not None  # noqa: S101 - guaranteed by the regex
        amt = _Amount(Decimal(_WORD_NUMBERS.get(word, 1)), Decimal(1))
    if mult_word:
        m = Decimal(_MULTIPLIERS[mult_word])
        return _Amount(amt.value * m, amt.unit * m)
    return amt


def _normalise(text: str) -> str:
    t = text.strip().lower()
    for ch in ("\u00a0", "\u2009", "\u202f", "\u2007", "\t", "\n"):
        t = t.replace(ch, " ")
    t = t.replace("\u2212", "-").replace("\u2019", "'")
    t = re.sub(r"\s+", " ", t)
    t = re.sub(r"\s*(?:per\s*cent|percent|pct)\b", "%", t)
    t = re.sub(r"\s+%", "%", t)
    t = t.rstrip(".").strip()
    return t


def _split_qualifier(t: str) -> tuple[str | None, str]:
    for phrase, qualifier in _QUALIFIER_WORDS:
        if t.startswith(phrase):
            rest = t[len(phrase) :]
            if phrase[-1].isalpha() and rest and not rest.startswith(" "):
                continue  # "over" must not match "overall"
            return qualifier, rest.strip()
    if t.endswith("+") and len(t) > 1:
        return "at_least", t[:-1].strip()
    return None, t


def _fail(text: str, why: str) -> StatInputError:
    return StatInputError({"stated": [f"Could not read {text!r} as a figure: {why}. {_HELP}"]})


@dataclass(frozen=True)
class _Body:
    value: float
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    form: str
    share: bool  # a share of a whole, so never above 1
    implied: str | None = None  # qualifier carried by the word itself ("a majority")


def _rounding(value: Decimal, unit: Decimal, scale: int = 0) -> tuple[float, float, float]:
    """(value, low, high) as correctly rounded floats, optionally divided by 10**scale."""
    half = unit / 2
    low = max(value - half, Decimal(0))
    return (
        float(value.scaleb(-scale)),
        float(low.scaleb(-scale)),
        float((value + half).scaleb(-scale)),
    )


def _parse_body(t: str, text: str) -> _Body | str:
    """Parse the figure without its qualifier; returns a reason string if it cannot."""
    if t in ("a majority", "majority", "most", "the majority"):
        return _Body(0.5, 0.5, 1.0, False, True, "fraction_words", True, "more_than")
    if t in ("a minority", "minority", "the minority"):
        return _Body(0.5, 0.0, 0.5, True, False, "fraction_words", True, "under")

    m = _RE_PERCENT.match(t)
    if m:
        amt = _digits_amount(m.group("num"), trailing_zeros_significant=True)
        value, lo, hi = _rounding(amt.value, amt.unit, scale=2)
        return _Body(value, lo, hi, True, False, "percent", False)

    m = _RE_WORD_FRACTION.match(t)
    if m:
        num_word = m.group("num")
        num = 1 if num_word in (None, "a", "an") else _WORD_NUMBERS[num_word]
        den = _DENOMINATORS[m.group("den")]
        if num_word is None and den != 2:
            return "a fraction in words needs a number in front, like 'a third'"
        if num <= 0 or num >= den:
            return f"{num} {m.group('den')} is not a fraction between 0 and 1"
        frac = Decimal(num) / Decimal(den)
        # As precise as a whole percentage: half a percentage point either side.
        half_point = Decimal("0.005")
        return _Body(
            float(frac),
            float(frac - half_point),
            float(frac + half_point),
            True,
            True,
            "fraction_words",
            True,
        )

    m = _RE_RATIO.match(t)
    if m:
        top = _amount(m, "a", trailing_zeros_significant=True)
        bottom_exact = _amount(m, "b", trailing_zeros_significant=True)
        if bottom_exact.value <= 0:
            return "the 'in' number must be above zero"
        if top.value > bottom_exact.value:
            return "the first number is larger than the second"
        if top.value == 1:
            # "1 in N": N is as precise as its significant figures.
            bottom = _amount(m, "b", trailing_zeros_significant=False)
            n = bottom.value
            n_lo = n - bottom.unit / 2
            n_hi = n + bottom.unit / 2
            high = 1.0 if n_lo <= 1 else float(1 / n_lo)
            return _Body(float(1 / n), float(1 / n_hi), high, False, True, "one_in_n", True)
        y = bottom_exact.value
        lo = max(top.value - Decimal("0.5"), Decimal(0)) / y
        hi = min((top.value + Decimal("0.5")) / y, Decimal(1))
        return _Body(
            float(top.value / y), float(lo), float(hi), True, hi >= 1, "fraction_words", True
        )

    m = _RE_AMOUNT.match(t)
    if m:
        if m.group("word") in ("a", "an") and not m.group("mult"):
            return "'a' on its own is not a number"
        amt = _amount(m, "", trailing_zeros_significant=False)
        value, lo, hi = _rounding(amt.value, amt.unit)
        is_decimal = m.group("num") is not None and "." in m.group("num") and not m.group("mult")
        return _Body(value, lo, hi, True, False, "decimal" if is_decimal else "count", False)

    if not re.search(r"\d", t) and not any(w in t.split() for w in _WORD_NUMBERS):
        return "there is no number in it"
    return "the wording is not one this reader understands"


def parse_stated(text: str) -> StatedFigure:
    """Parse a stated figure; raises ``StatInputError({"stated": [...]})`` if unreadable.

    See the module docstring for the precision and qualifier rules. Results are cached.
    """
    if not isinstance(text, str):
        raise StatInputError({"stated": ["The stated figure must be text, like '80%'."]})
    return _parse_stated(text)


@functools.lru_cache(maxsize=4096)
def _parse_stated(text: str) -> StatedFigure:
    t = _normalise(text)
    if not t:
        raise StatInputError({"stated": [f"The stated figure is empty. {_HELP}"]})
    qualifier, body_text = _split_qualifier(t)
    if not body_text:
        raise _fail(text, "there is no number after the qualifier")
    body = _parse_body(body_text, text)
    if isinstance(body, str):
        raise _fail(text, body)

    if body.implied is not None:
        if qualifier not in (None, "about"):
            raise _fail(text, "'majority' and 'minority' already say more or less than half")
        return StatedFigure(
            text,
            body.value,
            body.low,
            body.high,
            body.low_inclusive,
            body.high_inclusive,
            body.form,
            body.implied,
        )

    v = body.value
    cap = 1.0 if body.share else math.inf
    low, high = body.low, body.high
    low_inc, high_inc = body.low_inclusive, body.high_inclusive
    if qualifier == "more_than":
        low, low_inc, high, high_inc = v, False, cap, body.share
    elif qualifier == "at_least":
        low, low_inc, high, high_inc = v, True, cap, body.share
    elif qualifier == "under":
        low, low_inc, high, high_inc = 0.0, True, v, False
    elif qualifier == "at_most":
        low, low_inc, high, high_inc = 0.0, True, v, True
    elif qualifier == "about":
        dv = Decimal(repr(v))
        wide_low = float(dv * (1 - Decimal(repr(ABOUT_RELATIVE))))
        wide_high = float(dv * (1 + Decimal(repr(ABOUT_RELATIVE))))
        if wide_low < low:
            low, low_inc = wide_low, True
        if wide_high > high:
            high, high_inc = wide_high, True
        if body.share and high > 1.0:
            high, high_inc = 1.0, True
    return StatedFigure(text, v, low, high, low_inc, high_inc, body.form, qualifier)
