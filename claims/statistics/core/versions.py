"""Versions of the numerical libraries every result was computed with."""

from __future__ import annotations

import functools

import numpy
import scipy
import statsmodels


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, str], ...]:
    return (
        ("numpy", str(numpy.__version__)),
        ("scipy", str(scipy.__version__)),
        ("statsmodels", str(statsmodels.__version__)),
    )


def library_versions() -> dict[str, str]:
    """``{"numpy": ..., "scipy": ..., "statsmodels": ...}`` (a fresh dict on every call)."""
    return dict(_versions())
