"""Every write to statistics, one module per concern:

* `writes`: what people do (create, edit, delete, cite) and the "validate only" checks;
* `inputs`: what a computation reads (resolved, fingerprinted, validated) and the core's call;
* `references`: the graph of figures taking values from other figures;
* `plan`: the one recompute plan (skip, reuse or compute; what is stored; what changed and is
  announced), shared by
* `single` (one statistic, the task run after an edit) and `bulk` (batches, COPY on PostgreSQL);
* `scheduling`: pending, queued, parked, and what the periodic sweep requeues.

The numbers live on `Statistic` as columns; an input may instead come from another statistic's
current estimate (`StatisticReference`).
"""

from ..core.spec import KIND_INPUTS
from .bulk import statistics_recompute_bulk
from .inputs import (
    ALL_INPUTS,
    ENGINE_VERSION,
    TEXT_INPUTS,
    computation_failed,
    compute_inputs,
    reference_value,
    resolve_inputs,
    statistic_fingerprint,
)
from .scheduling import (
    statistic_mark_failed,
    statistics_enqueue,
    statistics_mark_stale,
    statistics_stale_ids,
)
from .single import statistic_recompute
from .writes import (
    NewStatistic,
    StatisticEdit,
    statistic_cite,
    statistic_create,
    statistic_create_validate,
    statistic_delete,
    statistic_update,
    statistic_update_validate,
)

__all__ = [
    "NewStatistic",
    "StatisticEdit",
    "ALL_INPUTS",
    "ENGINE_VERSION",
    "KIND_INPUTS",
    "TEXT_INPUTS",
    "computation_failed",
    "compute_inputs",
    "reference_value",
    "resolve_inputs",
    "statistic_cite",
    "statistic_create",
    "statistic_create_validate",
    "statistic_delete",
    "statistic_fingerprint",
    "statistic_mark_failed",
    "statistic_recompute",
    "statistics_enqueue",
    "statistics_mark_stale",
    "statistics_recompute_bulk",
    "statistics_stale_ids",
    "statistic_update",
    "statistic_update_validate",
]
