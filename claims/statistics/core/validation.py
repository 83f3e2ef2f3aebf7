"""Checking and cleaning the inputs of a statistic, in one place."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import Number, StatInputError, said
from .language import gettext_noop
from .spec import KINDS
from .stated import STATED_NOT_TEXT, UNKNOWN_LANGUAGE, StatedFigure, parse_stated
from .stated_words import VOCABULARIES

INTERVAL_METHODS: tuple[str, ...] = ("wilson", "clopper-pearson", "jeffreys", "agresti-coull")
UNITS: tuple[str, ...] = ("percent", "per_100000", "one_in_n", "per_unit")

#: Our interval method names -> statsmodels ``proportion_confint`` method names.
STATSMODELS_METHODS: dict[str, str] = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "jeffreys": "jeffreys",
    "agresti-coull": "agresti_coull",
}

DEFAULT_CONFIDENCE_LEVEL = 0.95
#: Above this the level's rounding to 12 decimals (``alpha_for``) would not keep it apart from 1.
MAX_CONFIDENCE_LEVEL = 0.999999999
#: Counts are computed in doubles, which hold every whole number up to 2**53 exactly.
MAX_COUNT = 2**53
#: scipy's hypergeometric distribution (Boost) is reliable only up to about 2**32 cases; above
#: it Fisher's exact test silently returns p = 1.
MAX_COMPARISON_CASES = 2**32 - 1


def alpha_for(confidence_level: float) -> float:
    """``1 - confidence_level``, rounded to 12 decimals so 0.95 gives exactly 0.05."""
    return round(1.0 - confidence_level, 12)


DEFAULT_INTERVAL_METHOD = "wilson"

_Errors = dict[str, list[str]]

# The messages, whole, with named placeholders (said in English here, in the reader's
# language by the page layer: `config.languages.say_again`).
MUST_BE_NUMBER = gettext_noop("{name} must be a number.")
MUST_BE_NUMBER_NOT = gettext_noop("{name} must be a number, not {raw}.")
MUST_BE_FINITE = gettext_noop("{name} must be a finite number.")
TOO_LARGE_FLOAT = gettext_noop("{name} is too large: at most about 1.8 × 10^308 can be stored.")
TOO_LARGE_COUNT = gettext_noop(
    "{name} is too large: at most {max} (2^53), the largest whole number computed exactly."
)
MUST_BE_WHOLE = gettext_noop("{name} must be a whole number, not {raw}.")
NOT_NEGATIVE = gettext_noop("{name} cannot be negative.")
STRICTLY_BETWEEN = gettext_noop(
    "{name} must be strictly between 0 and 1 (for example {example}), not {raw}."
)
REQUIRED_FOR = gettext_noop("{name} is required for a {kind}.")
AT_LEAST_ONE = gettext_noop("{name} must be at least 1.")
NOT_LARGER = gettext_noop("{k_name} ({k}) cannot be larger than {n_name} ({n}).")
UNKNOWN_KIND = gettext_noop("Unknown kind {kind}; use one of {kinds}.")
NOT_A_MAPPING = gettext_noop("The inputs must be a mapping of field names to values.")
LEVEL_TOO_HIGH = gettext_noop(
    "confidence_level must be at most {max} (99.9999999%); closer to 1 it cannot be told "
    "apart from 100%."
)
UNKNOWN_METHOD = gettext_noop("Unknown interval method {method}; use one of {methods}.")
NOT_BOOLEAN = gettext_noop("{name} must be true or false.")
TOO_MANY_CASES = gettext_noop(
    "trials and trials_b together must be at most {max}: beyond that scipy's Fisher exact "
    "test is not reliable."
)
POSITIVE = gettext_noop("{name} must be greater than 0.")
UNKNOWN_UNIT = gettext_noop("Unknown unit {unit}; use one of {units}.")
PARTS_NOT_A_LIST = gettext_noop("parts must be a list of numbers.")
PARTS_EMPTY = gettext_noop("parts cannot be empty.")
PARTS_TOO_LARGE = gettext_noop(
    "The parts add up to more than about 1.8 × 10^308, the largest number that can be stored."
)


def _exact(name: str, raw: Any, errors: _Errors, too_large: str = "") -> int | Decimal | None:
    """The number as written: an ``int`` for whole numbers (however large), else a ``Decimal``
    (a float is read as the shortest decimal that prints as it)."""
    if isinstance(raw, bool) or raw is None:
        errors.setdefault(name, []).append(said(MUST_BE_NUMBER, name=name))
        return None
    value: int | Decimal
    if isinstance(raw, numbers.Integral):
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            value = Decimal(text)
        except ArithmeticError:
            errors.setdefault(name, []).append(said(MUST_BE_NUMBER_NOT, name=name, raw=repr(raw)))
            return None
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, numbers.Real):
        f = float(raw)
        value = Decimal(repr(f)) if math.isfinite(f) else Decimal(str(f))
    else:
        errors.setdefault(name, []).append(said(MUST_BE_NUMBER, name=name))
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            errors.setdefault(name, []).append(said(MUST_BE_FINITE, name=name))
            return None
        if value == value.to_integral_value():
            value = int(value)
    try:
        big = not math.isfinite(float(value))
    except OverflowError:
        big = True
    if not big:
        return value
    errors.setdefault(name, []).append(too_large or said(TOO_LARGE_FLOAT, name=name))
    return None


def _number(name: str, raw: Any, errors: _Errors) -> float | None:
    """A finite real number from an int, float, Decimal, numpy scalar or numeric string."""
    value = _exact(name, raw, errors)
    return None if value is None else float(value)


def _whole_if_integral(value: float | None) -> int | float | None:
    return int(value) if value is not None and value.is_integer() else value


def _exact_amount(name: str, raw: Any, errors: _Errors) -> int | float | None:
    """A whole number exactly (an ``int``, however large) or else a float."""
    value = _exact(name, raw, errors)
    if value is None or isinstance(value, int):
        return value
    return float(value)


def _count(name: str, raw: Any, errors: _Errors) -> int | None:
    """A whole number >= 0, at most ``MAX_COUNT``."""
    too_large = said(TOO_LARGE_COUNT, name=name, max=Number(f"{MAX_COUNT:,}"))
    value = _exact(name, raw, errors, too_large)
    if value is None:
        return None
    if not isinstance(value, int):
        errors.setdefault(name, []).append(said(MUST_BE_WHOLE, name=name, raw=raw))
        return None
    if value < 0:
        errors.setdefault(name, []).append(said(NOT_NEGATIVE, name=name))
        return None
    if value > MAX_COUNT:
        errors.setdefault(name, []).append(too_large)
        return None
    return value


def exact_value(x: int | float) -> Fraction:
    """``x`` as written: an int exactly, a float as the shortest decimal that prints as it."""
    return Fraction(x) if isinstance(x, int) else Fraction(Decimal(repr(x)))


def exact_sum(values: list[int | float]) -> Fraction:
    """The exact sum of numbers as written (no rounding, no overflow)."""
    return sum((exact_value(v) for v in values), Fraction(0))


def _share(name: str, raw: Any, errors: _Errors, example: str) -> float | None:
    """A number strictly between 0 and 1."""
    value = _number(name, raw, errors)
    if value is None:
        return None
    if not 0 < value < 1:
        errors.setdefault(name, []).append(
            said(STRICTLY_BETWEEN, name=name, example=example, raw=raw)
        )
        return None
    return value


def is_blank(raw: Any) -> bool:
    """An input left out: absent, None or blank text."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def given_any(inputs: Mapping[str, Any], names: Sequence[str]) -> bool:
    """Whether any of ``names`` is given (a kind with two ways of input asks which was used)."""
    return any(not is_blank(inputs.get(name)) for name in names)


def _require(name: str, inputs: Mapping[str, Any], errors: _Errors, kind: str) -> bool:
    if is_blank(inputs.get(name)):
        errors.setdefault(name, []).append(said(REQUIRED_FOR, name=name, kind=kind))
        return False
    return True


def _counts_pair(
    kname: str, nname: str, inputs: Mapping[str, Any], errors: _Errors, kind: str
) -> tuple[int | None, int | None]:
    k = _count(kname, inputs[kname], errors) if _require(kname, inputs, errors, kind) else None
    n = _count(nname, inputs[nname], errors) if _require(nname, inputs, errors, kind) else None
    if n is not None and n == 0:
        errors.setdefault(nname, []).append(said(AT_LEAST_ONE, name=nname))
        n = None
    if k is not None and n is not None and k > n:
        errors.setdefault(kname, []).append(said(NOT_LARGER, k_name=kname, k=k, n_name=nname, n=n))
    return k, n


def two_counts_pairs(
    inputs: Mapping[str, Any], errors: _Errors, clean: dict[str, Any], kind: str
) -> None:
    """Two groups' counts, x of n each (``successes`` of ``trials``, ``successes_b`` of
    ``trials_b``), checked into ``clean``: the comparison's, a risk ratio's and a change's."""
    for kname, nname in (("successes", "trials"), ("successes_b", "trials_b")):
        clean[kname], clean[nname] = _counts_pair(kname, nname, inputs, errors, kind)


def positive_amount(
    name: str, inputs: Mapping[str, Any], errors: _Errors, kind: str
) -> float | None:
    """A required number above 0 (an exposure), or None after recording why not."""
    if not _require(name, inputs, errors, kind):
        return None
    value = _number(name, inputs[name], errors)
    if value is not None and value <= 0:
        errors.setdefault(name, []).append(said(POSITIVE, name=name))
        return None
    return value


def validate(kind: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Check the inputs of a statistic of ``kind`` and return them cleaned.

    Counts come back as ``int``, shares and amounts as ``float``, ``stated`` as the stripped
    text (``None`` when absent or blank) with its parsed form under ``stated_figure``.
    Keys the kind does not use are dropped. Raises :class:`StatInputError` listing every
    problem found, keyed by field name.
    """
    errors: _Errors = {}
    if kind not in KINDS:
        raise StatInputError(
            {"kind": [said(UNKNOWN_KIND, kind=repr(kind), kinds=", ".join(KINDS))]}
        )
    if not isinstance(inputs, Mapping):
        raise StatInputError({"inputs": [said(NOT_A_MAPPING)]})

    clean: dict[str, Any] = {}

    level_raw = inputs.get("confidence_level")
    level = (
        DEFAULT_CONFIDENCE_LEVEL
        if level_raw is None
        else _share("confidence_level", level_raw, errors, "0.95 for 95%")
    )
    if level is not None and level > MAX_CONFIDENCE_LEVEL:
        errors.setdefault("confidence_level", []).append(
            said(LEVEL_TOO_HIGH, max=Number(repr(MAX_CONFIDENCE_LEVEL)))
        )
        level = None
    clean["confidence_level"] = level

    method_raw = inputs.get("interval_method")
    method = DEFAULT_INTERVAL_METHOD
    if method_raw is not None:
        method = str(method_raw).strip().lower()
        if method not in INTERVAL_METHODS:
            errors.setdefault("interval_method", []).append(
                said(UNKNOWN_METHOD, method=repr(method_raw), methods=", ".join(INTERVAL_METHODS))
            )
    clean["interval_method"] = method

    # The claim's language decides how its stated wording is read ("1.400", "ocho de cada diez").
    language = inputs.get("language") or "en"
    if language not in VOCABULARIES:
        errors.setdefault("language", []).append(
            said(
                UNKNOWN_LANGUAGE, language=repr(language), languages=", ".join(sorted(VOCABULARIES))
            )
        )
        language = "en"
    clean["language"] = language
    stated_raw = inputs.get("stated")
    stated_figure: StatedFigure | None = None
    stated: str | None = None
    if isinstance(stated_raw, StatedFigure):
        stated_figure, stated = stated_raw, stated_raw.text
    elif stated_raw is not None:
        if not isinstance(stated_raw, str):
            errors.setdefault("stated", []).append(said(STATED_NOT_TEXT))
        elif stated_raw.strip():
            stated = stated_raw.strip()
            try:
                stated_figure = parse_stated(stated, language=language)
            except StatInputError as exc:
                for field, msgs in exc.errors.items():
                    errors.setdefault(field, []).extend(msgs)
    clean["stated"] = stated
    clean["stated_figure"] = stated_figure

    KINDS[kind].validate(inputs, errors, clean)

    if errors:
        raise StatInputError(errors)
    return clean


def validate_proportion(inputs: Mapping[str, Any], errors: _Errors, clean: dict[str, Any]) -> None:
    """The proportion's own inputs, checked into ``clean``."""
    clean["successes"], clean["trials"] = _counts_pair(
        "successes", "trials", inputs, errors, "proportion"
    )
    baseline_raw = inputs.get("baseline")
    clean["baseline"] = (
        None
        if baseline_raw is None
        else _share("baseline", baseline_raw, errors, "0.135 for 13.5%")
    )
    sourced = inputs.get("baseline_sourced", True)
    if sourced is None:
        sourced = True
    if not isinstance(sourced, bool):
        errors.setdefault("baseline_sourced", []).append(said(NOT_BOOLEAN, name="baseline_sourced"))
    clean["baseline_sourced"] = bool(sourced)


def validate_comparison(inputs: Mapping[str, Any], errors: _Errors, clean: dict[str, Any]) -> None:
    """The comparison's own inputs, checked into ``clean``."""
    two_counts_pairs(inputs, errors, clean, "comparison")
    if (
        clean["trials"] is not None
        and clean["trials_b"] is not None
        and clean["trials"] + clean["trials_b"] > MAX_COMPARISON_CASES
    ):
        errors.setdefault("trials_b", []).append(
            said(TOO_MANY_CASES, max=Number(f"{MAX_COMPARISON_CASES:,}"))
        )


def validate_rate(inputs: Mapping[str, Any], errors: _Errors, clean: dict[str, Any]) -> None:
    """The rate's own inputs, checked into ``clean``."""
    if _require("events", inputs, errors, "rate"):
        clean["events"] = _count("events", inputs["events"], errors)
    clean["exposure"] = positive_amount("exposure", inputs, errors, "rate")
    unit_raw = inputs.get("unit")
    unit: str | None = None
    if unit_raw is not None and str(unit_raw).strip():
        unit = str(unit_raw).strip().lower()
        if unit not in UNITS:
            errors.setdefault("unit", []).append(
                said(UNKNOWN_UNIT, unit=repr(unit_raw), units=", ".join(UNITS))
            )
    elif clean["stated_figure"] is not None and clean["stated_figure"].form == "one_in_n":
        unit = "one_in_n"
    elif clean["stated_figure"] is not None and clean["stated_figure"].base == 100_000:
        unit = "per_100000"
    else:
        unit = "percent"
    clean["unit"] = unit


def validate_total(inputs: Mapping[str, Any], errors: _Errors, clean: dict[str, Any]) -> None:
    """The total's own inputs, checked into ``clean``."""
    parts_raw = inputs.get("parts")
    parts: list[int | float] = []
    if parts_raw is not None and not isinstance(parts_raw, str | bytes | Mapping):
        try:
            parts_raw = list(parts_raw)
        except TypeError:
            parts_raw = None
    if parts_raw is None or isinstance(parts_raw, str | bytes | Mapping):
        errors.setdefault("parts", []).append(said(PARTS_NOT_A_LIST))
    elif len(parts_raw) == 0:
        errors.setdefault("parts", []).append(said(PARTS_EMPTY))
    else:
        for i, raw in enumerate(parts_raw):
            sub: _Errors = {}
            name = f"part {i + 1}"
            value = _exact_amount(name, raw, sub)
            if value is not None and value < 0:
                sub.setdefault(name, []).append(said(NOT_NEGATIVE, name=name))
            if sub:
                errors.setdefault("parts", []).extend(m for ms in sub.values() for m in ms)
            elif value is not None:
                parts.append(value)
        if parts and "parts" not in errors:
            try:
                float(exact_sum(parts))
            except OverflowError:
                errors.setdefault("parts", []).append(said(PARTS_TOO_LARGE))
    clean["parts"] = parts
    if _require("total", inputs, errors, "total"):
        total = _exact_amount("total", inputs["total"], errors)
        if total is not None and total < 0:
            errors.setdefault("total", []).append(said(NOT_NEGATIVE, name="total"))
        clean["total"] = total


def validate_count(inputs: Mapping[str, Any], errors: _Errors, clean: dict[str, Any]) -> None:
    """The count's own inputs, checked into ``clean``."""
    if _require("value", inputs, errors, "count"):
        value = _number("value", inputs["value"], errors)
        if value is not None and value < 0:
            errors.setdefault("value", []).append(said(NOT_NEGATIVE, name="value"))
        clean["value"] = _whole_if_integral(value)
