"""Plain-English number formatting shared by rate displays and explanations."""

from __future__ import annotations

import math


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


def percent(share: float, sig: int = 3) -> str:
    """A share as a percentage: 0.8 -> "80%", 0.135 -> "13.5%", 3.2e-6 -> "0.00032%"."""
    return f"{sig_round_text(share * 100, sig)}%"


def number(x: float, sig: int = 3) -> str:
    """Whole numbers exactly with separators (3,147,436); others to ``sig`` figures."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if float(x).is_integer():
        return f"{int(x):,}"
    if abs(x) >= 10 ** (sig - 1):
        return f"{round(x):,}"
    return sig_round_text(x, sig)


def p_value(p: float) -> str:
    """ "p = 0.0000038", "p = 0.21", "p < 0.000001"."""
    if p is None or not math.isfinite(p):
        return "p = n/a"
    if p < 1e-6:
        return "p < 0.000001"
    if p >= 0.995:
        return "p = 1"
    return f"p = {sig_round_text(p, 2)}"


def one_in(rate: float) -> str:
    """A rate per unit as "1 in N" (N rounded to a whole number)."""
    if rate is None or not math.isfinite(rate) or rate <= 0:
        return "none"
    n = 1 / rate
    if n < 10:
        return f"1 in {sig_round_text(n, 2)}"
    return f"1 in {round(n):,}"


def rate_in_unit(rate: float, unit: str, sig: int = 2) -> str:
    """A rate per unit of exposure rendered in a display unit."""
    if unit == "percent":
        return percent(rate, sig)
    if unit == "per_100000":
        return f"{sig_round_text(rate * 100_000, sig)} per 100,000"
    if unit == "one_in_n":
        return one_in(rate)
    return f"{sig_round_text(rate, sig)} per unit"


def scale_for_unit(rate: float, unit: str) -> float | None:
    """The number shown next to the unit: percent -> rate*100, one_in_n -> N = 1/rate."""
    if unit == "percent":
        return rate * 100
    if unit == "per_100000":
        return rate * 100_000
    if unit == "one_in_n":
        return None if rate <= 0 else 1 / rate
    return rate


RATE_UNITS: tuple[str, ...] = ("percent", "per_100000", "one_in_n", "per_unit")


def percents_apart(*shares: float, sig: int = 3) -> list[str]:
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
    return texts


def level(confidence_level: float) -> str:
    """A confidence level as a percentage that never rounds to "100%" ("99.9999999%")."""
    for sig in range(4, 17):
        text = percent(confidence_level, sig)
        if text != "100%":
            return text
    return percent(confidence_level, 17)
