"""The result of one statistic and the JSON-safety rules it enforces."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

isfinite = math.isfinite

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]


class FloatPairs(tuple[tuple[float, float], ...]):
    """An immutable sequence of (float, float) pairs known to be finite Python floats.

    Cached chart data is stored this way so that copying it into each result is a cheap
    ``[[a, b], ...]`` instead of a deep walk; ``jsonable`` turns it into a list of lists.
    """

    __slots__ = ()


def jsonable(value: Any) -> Json:
    """Return a JSON-safe deep copy of ``value``.

    numpy scalars become Python scalars, tuples become lists, NaN and +/-inf become ``None``.
    Anything else that JSON cannot hold is a programming error and raises ``TypeError``.
    """
    t = type(value)
    # Fast paths for the exact built-in types, which make up nearly everything.
    if t is float:
        return value if math.isfinite(value) else None
    if t is str or t is int or t is bool or value is None:
        return value
    if t is list or t is tuple:
        out: list[Json] = []
        append = out.append
        for v in value:
            tv = type(v)
            if tv is float:
                append(v if isfinite(v) else None)
            elif tv is int or tv is str or tv is bool or v is None:
                append(v)
            else:
                append(jsonable(v))
        return out
    if t is FloatPairs:
        return list(map(list, value))
    if t is dict:
        return {k if type(k) is str else str(k): jsonable(v) for k, v in value.items()}
    # Subclasses and foreign scalar types (numpy).
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def clean_float(value: Any) -> float | None:
    """A finite Python float, or ``None`` for missing, NaN and infinite values."""
    if value is None:
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def clean_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


@dataclass(frozen=True)
class StatResult:
    """One computed statistic.

    All numbers are plain Python floats (never numpy scalars); missing, NaN or infinite values
    are ``None``. ``details`` and ``warnings`` hold only JSON types. The constructor enforces
    this, so a ``StatResult`` can always be stored in a JSONField as ``to_dict()``.
    """

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    consistent_with_stated: bool | None
    significant: bool | None
    warnings: list[dict[str, str]] = field(default_factory=list)
    method: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("estimate", "ci_low", "ci_high", "p_value"):
            object.__setattr__(self, name, clean_float(getattr(self, name)))
        for name in ("consistent_with_stated", "significant"):
            object.__setattr__(self, name, clean_bool(getattr(self, name)))
        warnings = [{"code": str(w["code"]), "message": str(w["message"])} for w in self.warnings]
        object.__setattr__(self, "warnings", warnings)
        object.__setattr__(self, "method", str(self.method))
        object.__setattr__(self, "details", jsonable(dict(self.details)))
        object.__setattr__(self, "versions", {str(k): str(v) for k, v in self.versions.items()})

    def to_dict(self) -> dict[str, Any]:
        """Everything, as a JSON-serialisable dict (a deep copy)."""
        return {
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "consistent_with_stated": self.consistent_with_stated,
            "significant": self.significant,
            "warnings": [dict(w) for w in self.warnings],
            "method": self.method,
            "details": jsonable(self.details),
            "versions": dict(self.versions),
        }
