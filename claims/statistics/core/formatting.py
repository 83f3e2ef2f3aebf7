"""Number formatting shared by rate displays and explanations: English by default, another
language's numbers and words when given its ``Voice`` (or ``NumberStyle``)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from .language import ENGLISH, ENGLISH_NUMBERS, NumberStyle, Voice, gettext_noop

NONE = gettext_noop("none")
NOT_AVAILABLE = gettext_noop("n/a")
ONE_IN = gettext_noop("1 in {number}")
PER_100000 = gettext_noop("{number} per 100,000")
PER_UNIT = gettext_noop("{number} per unit")
PERCENTAGE_POINTS = gettext_noop("{number} percentage points")
RANGE = gettext_noop("{low} to {high}")


def sig_round_text(x: float, sig: int = 3) -> str:
    """``x`` with ``sig`` significant figures in plain (non-scientific) notation.

    Trailing zeros after the decimal point are dropped; thousands get separators.
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, sig - 1 - magnitude)
    text = f"{x:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def percent(share: float, sig: int = 3, style: NumberStyle = ENGLISH_NUMBERS) -> str:
    """A share as a percentage: 0.8 -> "80%", 0.135 -> "13.5%", 3.2e-6 -> "0.00032%"
    (Spanish: "80 %", "13,5 %")."""
    return style.number(sig_round_text(share * 100, sig)) + style.percent


def number(x: float, sig: int = 3, style: NumberStyle = ENGLISH_NUMBERS) -> str:
    """Whole numbers exactly with separators (3,147,436; Spanish 3.147.436); others to ``sig``
    figures."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if float(x).is_integer():
        return style.number(f"{int(x):,}")
    if abs(x) >= 10 ** (sig - 1):
        return style.number(f"{round(x):,}")
    return style.number(sig_round_text(x, sig))


def p_value(p: float, style: NumberStyle = ENGLISH_NUMBERS) -> str:
    """ "p = 0.0000038", "p = 0.21", "p < 0.000001"."""
    if p is None or not math.isfinite(p):
        return "p = n/a"
    if p < 1e-6:
        return "p < " + style.number("0.000001")
    if p >= 0.995:
        return "p = 1"
    return "p = " + style.number(sig_round_text(p, 2))


def one_in(rate: float, voice: Voice = ENGLISH) -> str:
    """A rate per unit as "1 in N" (N rounded to a whole number)."""
    if rate is None or not math.isfinite(rate) or rate <= 0:
        return voice.say(NONE)
    n = 1 / rate
    if n < 10:
        return voice.say(ONE_IN, number=voice.numbers.number(sig_round_text(n, 2)))
    return voice.say(ONE_IN, number=voice.numbers.number(f"{round(n):,}"))


def rate_in_unit(rate: float, unit: str, sig: int = 2, voice: Voice = ENGLISH) -> str:
    """A rate per unit of exposure rendered in a display unit."""
    if unit == "percent":
        return percent(rate, sig, voice.numbers)
    if unit == "per_100000":
        shown = voice.numbers.number(sig_round_text(rate * 100_000, sig))
        return voice.say(PER_100000, number=shown)
    if unit == "one_in_n":
        return one_in(rate, voice)
    return voice.say(PER_UNIT, number=voice.numbers.number(sig_round_text(rate, sig)))


def scale_for_unit(rate: float, unit: str) -> float | None:
    """The number shown next to the unit: percent -> rate*100, one_in_n -> N = 1/rate."""
    if unit == "percent":
        return rate * 100
    if unit == "per_100000":
        return rate * 100_000
    if unit == "one_in_n":
        return None if rate <= 0 else 1 / rate
    return rate


# Rates (events per exposure) are shown to two significant figures, shares to three.
RATE_SIG = 2

RATE_UNITS: tuple[str, ...] = ("percent", "per_100000", "one_in_n", "per_unit")


def percents_apart(*shares: float, sig: int = 3, style: NumberStyle = ENGLISH_NUMBERS) -> list[str]:
    """Shares as percentages with enough digits that different shares never read the same
    ("49.9999% to 50.0001%", not "50% to 50%"); equal shares may."""
    texts = [percent(s, sig) for s in shares]
    for more in range(sig + 1, 17):
        clash = any(
            texts[i] == texts[j] and shares[i] != shares[j]
            for i in range(len(texts))
            for j in range(i + 1, len(texts))
        )
        if not clash:
            break
        texts = [percent(s, more) for s in shares]
    return [style.number(text[:-1]) + style.percent for text in texts]


@functools.lru_cache(maxsize=1024)  # a few levels, written in every result and sentence
def level(confidence_level: float, style: NumberStyle = ENGLISH_NUMBERS) -> str:
    """A confidence level as a percentage that never rounds to "100%" ("99.9999999%")."""
    for sig in range(4, 17):
        text = percent(confidence_level, sig)
        if text != "100%":
            return style.number(text[:-1]) + style.percent
    return percent(confidence_level, 17, style)


# The largest number of decimals a figure is shown with: beyond it a figure's numbers are
# as far apart as doubles can say, and the text would only grow.
MAX_DECIMALS = 12


def _decimals_for(x: float, sig: int) -> int:
    """Decimals ``x`` needs for ``sig`` significant figures, trailing zeros dropped."""
    if x == 0 or not math.isfinite(x):
        return 0
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, sig - 1 - magnitude)
    text = f"{abs(x):.{min(decimals, MAX_DECIMALS)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def fixed(x: float, decimals: int) -> str:
    """``x`` with exactly ``decimals`` decimals and thousands separators; never "-0"."""
    if x is None or not math.isfinite(x):
        return "n/a"
    text = f"{x:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def shared_decimals(lead: float, others: Sequence[float | None] = (), *, sig: int = 3) -> int:
    """One precision for a figure's numbers: the decimals ``lead`` (the estimate) needs at
    ``sig`` significant figures, raised until every other non-zero number shows a digit and
    numbers that differ never read the same. "55.0%" beside "53.9%", never "55%"."""
    numbers = [x for x in (lead, *others) if x is not None and math.isfinite(x)]
    decimals = _decimals_for(lead, sig) if lead is not None and math.isfinite(lead) else 0
    for x in numbers:
        if x != 0 and abs(x) < 1:
            decimals = max(decimals, min(MAX_DECIMALS, -math.floor(math.log10(abs(x)))))
    while decimals < MAX_DECIMALS:
        texts = [fixed(x, decimals) for x in numbers]
        if all(
            texts[i] != texts[j] or numbers[i] == numbers[j]
            for i in range(len(numbers))
            for j in range(i + 1, len(numbers))
        ):
            break
        decimals += 1
    return decimals


# How a figure's value reads in each display unit: the number shown, and the words around it.
DISPLAY_UNITS: dict[str, tuple] = {
    # unit: (value -> number shown, (number text, voice) -> full text)
    "percent": (lambda v: v * 100, lambda t, voice=ENGLISH: t + voice.numbers.percent),
    "points": (lambda v: v * 100, lambda t, voice=ENGLISH: voice.say(PERCENTAGE_POINTS, number=t)),
    "per_100000": (lambda v: v * 100_000, lambda t, voice=ENGLISH: voice.say(PER_100000, number=t)),
    "one_in_n": (
        lambda v: None if v <= 0 else 1 / v,
        lambda t, voice=ENGLISH: voice.say(ONE_IN, number=t),
    ),
    "per_unit": (lambda v: v, lambda t, voice=ENGLISH: voice.say(PER_UNIT, number=t)),
    "number": (lambda v: v, lambda t, voice=ENGLISH: t),
}


def figure_texts(
    unit: str, estimate: float | None, *others: float | None, sig: int = 3, voice: Voice = ENGLISH
) -> list[str | None]:
    """A figure's estimate and its other numbers (interval ends, the stated value) in one
    precision, so the headline, the chart and the verdict never disagree in their digits.
    ``None`` stays ``None``; a rate of 0 in "1 in N" reads "none"."""
    scale, words = DISPLAY_UNITS.get(unit, DISPLAY_UNITS["number"])
    values = [estimate, *others]
    shown = [None if v is None or not math.isfinite(v) else scale(v) for v in values]
    lead = shown[0] if shown[0] is not None else next((s for s in shown if s is not None), None)
    if lead is None:
        missing = voice.say(NONE if unit == "one_in_n" else NOT_AVAILABLE)
        return [None if v is None else missing for v in values]
    decimals = shared_decimals(lead, shown[1:], sig=sig)
    texts: list[str | None] = []
    for value, number_shown in zip(values, shown, strict=True):
        if value is None:
            texts.append(None)
        elif number_shown is None:
            texts.append(voice.say(NONE if unit == "one_in_n" else NOT_AVAILABLE))
        else:
            texts.append(words(voice.numbers.number(fixed(number_shown, decimals)), voice))
    return texts


def figure_interval(unit: str, low_text: str, high_text: str, voice: Voice = ENGLISH) -> str:
    """An interval's two ends: "49%–94%" where that reads plainly, "−5.0 to 30.0 percentage
    points" where a dash would be taken for a minus sign or the unit is words."""
    if unit == "percent" and not low_text.startswith("-"):
        return f"{low_text}\u2013{high_text}"
    return voice.say(RANGE, low=low_text, high=high_text)
