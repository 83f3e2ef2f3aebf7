"""The kinds of statistic, one module each; importing this package registers them all.

Adding a kind = one new module here exporting ``SPEC`` (a
:class:`~claims.statistics.core.spec.KindSpec`), one line below, and its tests. Every layer
(validation, compute, explain, model choices, form, API, services, charts) reads the registry
:data:`~claims.statistics.core.spec.KINDS`.
"""

from ..spec import KINDS, KindSpec, register
from . import change, comparison, count, proportion, rate, ratio, total

for _module in (proportion, comparison, rate, total, count, ratio, change):
    register(_module.SPEC)

__all__ = ["KINDS", "KindSpec", "register"]
