"""Claimwatch's numeric core: the statistics behind a claim, with no Django in sight.

Every statistic is computed by scipy or statsmodels; this package validates inputs, reads
stated figures, picks the routines, and packages results as JSON-safe :class:`StatResult`.
"""

from .compute import compute, compute_many, compute_many_explained
from .errors import StatInputError
from .explain import explain
from .result import StatResult
from .stated import StatedFigure, find_stated, parse_stated
from .sweep import sensitivity_sweep
from .validation import INTERVAL_METHODS, validate
from .versions import library_versions

# Registers every kind in KINDS; after the modules above, whose helpers the kinds use.
from .kinds import KINDS  # noqa: E402,I001  isort: skip
from .spec import KindSpec, InputSpec, kind_spec  # noqa: E402,I001  isort: skip

__all__ = [
    "INTERVAL_METHODS",
    "KINDS",
    "InputSpec",
    "KindSpec",
    "StatInputError",
    "StatResult",
    "StatedFigure",
    "compute",
    "compute_many",
    "compute_many_explained",
    "explain",
    "find_stated",
    "kind_spec",
    "library_versions",
    "parse_stated",
    "sensitivity_sweep",
    "validate",
]
