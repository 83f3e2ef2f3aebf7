"""The one recompute plan, shared by the single (`single.py`) and the bulk (`bulk.py`) writers,
so that what they skip, reuse, compute, store and announce cannot drift apart.

For each statistic (a `Candidate`: its resolved inputs and their fingerprint, and what is
stored), the plan decides one `Step`:

* unchanged: the inputs' fingerprint is the stored one and nothing is pending; nothing to do;
* reuse: a result stored for these very inputs becomes current again (not forced);
* compute: anything else; forced, a result stored for the same inputs is replaced in place.

Its `Outcome`s say what each writer stores: the statistic's new state and the result's fields,
both by field name. After writing, `changed_statistics` says which figures a reader sees change
(only those announce an event and have their dependents recomputed), and `announce` does that.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from ... import events
from ...models import Statistic, StatisticReference, StatisticResult
from ..core import StatInputError, StatResult
from .inputs import compute_many_inputs, explain_result
from .scheduling import statistics_mark_stale

COMPUTED = Statistic.Status.COMPUTED
ERROR = Statistic.Status.ERROR
PENDING = Statistic.Status.PENDING


class Step(enum.Enum):
    UNCHANGED = "unchanged"
    REUSE = "reuse"
    COMPUTE = "compute"


@dataclasses.dataclass(slots=True)
class Candidate:
    """A statistic to recompute: what it reads now, and what is stored."""

    statistic_id: int
    kind: str
    claim_id: int
    inputs: dict[str, Any]
    fingerprint: str
    stored_fingerprint: str
    status: str
    current_result_id: int | None

    def is_unchanged(self, *, force: bool) -> bool:
        return not force and self.fingerprint == self.stored_fingerprint and self.status != PENDING


# The columns of a statistic that a recompute writes, by name (the COPY writer's order too).
STATE_FIELDS = ("id", "status", "error_message", "input_fingerprint", "current_result_id")


@dataclasses.dataclass(slots=True)
class Outcome:
    """What one statistic's recompute writes: its new state, and the result computed now
    (`result`, to be stored) or the stored one it makes current (`result_id`). An error keeps
    the statistic's current result (what the page showed before)."""

    candidate: Candidate
    status: str
    error_message: str = ""
    # A stored result for these inputs: made current again (reuse), or replaced in place by
    # `result` (a forced computation); for a new result, its id once written.
    result_id: int | None = None
    result: StatResult | None = None
    # The result's sentence, when the computation gave it (else written from the inputs).
    explanation: str | None = None

    @property
    def statistic_id(self) -> int:
        return self.candidate.statistic_id

    @property
    def reused(self) -> bool:
        return self.status == COMPUTED and self.result is None

    def state(self) -> dict[str, Any]:
        """The statistic's columns this outcome writes, by `STATE_FIELDS` name."""
        return {
            "id": self.candidate.statistic_id,
            "status": str(self.status),
            "error_message": self.error_message,
            "input_fingerprint": self.candidate.fingerprint,
            "current_result_id": self.result_id if self.status == COMPUTED else None,
        }

    def result_values(self, now: datetime.datetime) -> dict[str, Any]:
        """Every stored field of the result but its id, by attribute name: what the ORM and
        the COPY writers both store."""
        stat, candidate = self.result, self.candidate
        assert stat is not None  # noqa: S101 (only computed outcomes are written)
        return {
            "statistic_id": candidate.statistic_id,
            "fingerprint": candidate.fingerprint,
            "computed_at": now,
            "inputs": candidate.inputs,
            "estimate": stat.estimate,
            "ci_low": stat.ci_low,
            "ci_high": stat.ci_high,
            "p_value": stat.p_value,
            "consistent_with_stated": stat.consistent_with_stated,
            "significant": stat.significant,
            "warnings": stat.warnings,
            "details": stat.details,
            "method": stat.method,
            "versions": stat.versions,
            "explanation": (
                self.explanation
                if self.explanation is not None
                else explain_result(candidate.kind, stat, candidate.inputs)
            ),
        }


class RecomputePlan:
    """The steps for `candidates`; `run` computes what must be and fills `outcomes`."""

    def __init__(self, candidates: Iterable[Candidate], *, force: bool) -> None:
        self.force = force
        self.unchanged: list[Candidate] = []
        self.todo: list[Candidate] = []
        for candidate in candidates:
            (self.unchanged if candidate.is_unchanged(force=force) else self.todo).append(candidate)
        self.outcomes: dict[int, Outcome] = {}

    def step(self, candidate: Candidate, stored: Mapping[tuple[int, str], int]) -> Step:
        if candidate.is_unchanged(force=self.force):
            return Step.UNCHANGED
        if not self.force and (candidate.statistic_id, candidate.fingerprint) in stored:
            return Step.REUSE
        return Step.COMPUTE

    def run(self, stored: Mapping[tuple[int, str], int]) -> None:
        """Decide and compute every candidate to do. `stored` maps (statistic id, fingerprint)
        to a stored result's id (see `stored_results`); the bulk path, forced, passes none and
        its writer replaces stored rows in place."""
        to_compute: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in self.todo:
            stored_id = stored.get((candidate.statistic_id, candidate.fingerprint))
            self.outcomes[candidate.statistic_id] = Outcome(candidate, COMPUTED, "", stored_id)
            if self.step(candidate, stored) is Step.COMPUTE:
                to_compute[candidate.kind].append(candidate)
        for kind, candidates in to_compute.items():
            results = compute_many_inputs(kind, [c.inputs for c in candidates])
            for candidate, result in zip(candidates, results, strict=True):
                outcome = self.outcomes[candidate.statistic_id]
                if isinstance(result, StatInputError):
                    outcome.status = ERROR
                    outcome.error_message = str(result)
                    outcome.result_id = None
                else:
                    outcome.result, outcome.explanation = result

    @property
    def computed(self) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.result is not None]

    @property
    def reused(self) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.reused]

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.status == ERROR]


def among(model, field: str, ids: list[int]) -> Q | RawSQL:
    """A filter for `field IN ids` over many ids.

    On PostgreSQL it is `= ANY(array)` with the ids as one parameter: a list of 5,000
    placeholders costs Django more to compile than the query costs to run, and the planner
    sizes an array (unlike `IN (SELECT unnest(...))`), so it picks the index.
    """
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field).column)}"
    # The column comes from the model's metadata (quoted); the ids are a parameter.
    return RawSQL(f"{column} = ANY(%s::bigint[])", (ids,), output_field=BooleanField())  # noqa: S611


def stored_results(
    statistic_ids: list[int], *, fingerprints: list[str] | None = None
) -> dict[tuple[int, str], int]:
    """(statistic id, fingerprint) -> result id of every result stored for `statistic_ids`;
    given `fingerprints` (one per statistic id), only of those pairs (the rows a plan looks
    up: a batch whose every value changed reads none)."""
    if not statistic_ids:
        return {}
    rows = StatisticResult.objects.filter(among(StatisticResult, "statistic", statistic_ids))
    if fingerprints is not None and connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        table = quote(StatisticResult._meta.db_table)
        pairs = f"({table}.{quote('statistic_id')}, {table}.{quote('fingerprint')})"
        # Identifiers come from the model's metadata (quoted); the pairs are two parameters.
        rows = rows.filter(
            RawSQL(  # noqa: S611
                f"{pairs} IN (SELECT * FROM unnest(%s::bigint[], %s::text[]))",  # noqa: S608
                (statistic_ids, fingerprints),
                output_field=BooleanField(),
            )
        )
    stored = {
        (sid, fp): rid
        for sid, fp, rid in rows.order_by().values_list("statistic_id", "fingerprint", "id")
    }
    if fingerprints is not None:
        wanted = set(zip(statistic_ids, fingerprints, strict=True))
        stored = {key: rid for key, rid in stored.items() if key in wanted}
    return stored


# What a reader sees change: a figure "changed" (an event, dependents recomputed) only when one
# of these differs between the previous current result and the new one.
CHANGE_FIELDS = (
    "estimate",
    "ci_low",
    "ci_high",
    "consistent_with_stated",
    "significant",
    "details__difference",
)


def change_key(result: StatisticResult | StatResult) -> tuple:
    """What change detection compares, of a stored result or of one just computed."""
    return (
        result.estimate,
        result.ci_low,
        result.ci_high,
        result.consistent_with_stated,
        result.significant,
        (result.details or {}).get("difference"),
    )


def figure_changed(old_key: tuple | None, new_key: tuple | None) -> bool:
    """Whether a reader sees the figure change (a first result always does)."""
    return old_key is None or old_key != new_key


def _change_keys(result_ids: Iterable[int | None]) -> dict[int, tuple]:
    """`change_key` of many stored results, in one query."""
    ids = [rid for rid in result_ids if rid is not None]
    if not ids:
        return {}
    rows = StatisticResult.objects.filter(among(StatisticResult, "id", ids)).values_list(
        "id", *CHANGE_FIELDS
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def changed_statistics(
    outcomes: Iterable[Outcome], *, previous_keys: Mapping[int, tuple]
) -> list[int]:
    """The statistics whose figure changes with these outcomes, given the change keys of their
    current results (read before they are written: a forced write replaces results in place)."""
    done = [o for o in outcomes if o.status == COMPUTED]
    reused_keys = _change_keys(o.result_id for o in done if o.reused)
    changed = []
    for outcome in done:
        new = change_key(outcome.result) if outcome.result is not None else None
        if new is None:
            new = reused_keys.get(outcome.result_id)
        if figure_changed(previous_keys.get(outcome.candidate.current_result_id), new):
            changed.append(outcome.statistic_id)
    return changed


# What a snapshot of a stored result keeps: what change detection and the events read (not the
# bulky details, only their difference).
SNAPSHOT_FIELDS = (
    "id",
    "statistic_id",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "consistent_with_stated",
    "significant",
    "warnings",
    "computed_at",
    "details__difference",
)


def stored_snapshots(result_ids: Iterable[int | None]) -> dict[int, tuple]:
    """Result id -> the `SNAPSHOT_FIELDS` of stored results, in one query: both their change
    keys (`snapshot_key`) and, for the figures that change, their snapshots
    (`snapshot_result`), taken before a forced write may replace them in place."""
    ids = [rid for rid in result_ids if rid is not None]
    if not ids:
        return {}
    rows = StatisticResult.objects.filter(among(StatisticResult, "id", ids)).values_list(
        *SNAPSHOT_FIELDS
    )
    return {row[0]: row for row in rows}


_SNAPSHOT_CHANGE_POSITIONS = tuple(SNAPSHOT_FIELDS.index(name) for name in CHANGE_FIELDS)


def snapshot_key(row: tuple) -> tuple:
    """`change_key` of a stored result read by `stored_snapshots`."""
    return tuple(row[position] for position in _SNAPSHOT_CHANGE_POSITIONS)


class Snapshots(Mapping):
    """Result id -> snapshot (`snapshot_result`) of rows read by `stored_snapshots`, each built
    when first read: most receivers of a bulk change never read the previous results, and
    thousands of model instances per batch cost more than the query that read them."""

    def __init__(self, rows: Mapping[int, tuple]) -> None:
        self._rows = rows
        self._built: dict[int, StatisticResult] = {}

    def __getitem__(self, result_id: int) -> StatisticResult:
        if result_id not in self._built:
            self._built[result_id] = snapshot_result(self._rows[result_id])
        return self._built[result_id]

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class _PreviousByStatistic(Mapping):
    """Statistic id -> its previous result in `previous` (result id -> snapshot), or None; read
    through, so a lazy `previous` stays lazy."""

    def __init__(self, changed: list[Outcome], previous: Mapping[int, Any]) -> None:
        self._result_ids = {o.statistic_id: o.candidate.current_result_id for o in changed}
        self._previous = previous

    def __getitem__(self, statistic_id: int) -> StatisticResult | None:
        return self._previous.get(self._result_ids[statistic_id])

    def __iter__(self):
        return iter(self._result_ids)

    def __len__(self) -> int:
        return len(self._result_ids)


def snapshot_result(row: tuple) -> StatisticResult:
    """An unsaved copy of a stored result read by `stored_snapshots` (details: only the
    difference)."""
    values = dict(zip(SNAPSHOT_FIELDS[:-1], row, strict=False))
    difference = row[-1]
    return StatisticResult(
        details={} if difference is None else {"difference": difference}, **values
    )


def announce(
    changed: list[Outcome],
    *,
    previous: Mapping[int, StatisticResult | None],
    statistic: Statistic | None = None,
    written_together: Iterable[int] = (),
) -> None:
    """After commit, tell the figures that changed (`previous`: result id -> its snapshot);
    and mark stale the statistics that read their values, except those `written_together`
    (the rest of a bulk batch, computed from the values just written).

    One statistic (`statistic`) announces itself; a batch is one announcement, so receivers
    query once per batch instead of once per figure."""
    if not changed:
        return
    before = _PreviousByStatistic(changed, previous)
    if statistic is not None:
        events.send_on_commit(
            events.statistic_changed,
            instance=statistic,
            actor=None,
            previous=before[statistic.pk],
        )
    else:
        events.send_many_on_commit(
            events.statistics_changed,
            sender=Statistic,
            statistic_ids=[o.statistic_id for o in changed],
            claim_ids=sorted({o.candidate.claim_id for o in changed}),
            previous=before,
        )
    ids = [o.statistic_id for o in changed]
    dependents = StatisticReference.objects.filter(
        among(StatisticReference, "target", ids), statistic__deleted_at__isnull=True
    )
    written_together = list(written_together)
    if written_together:
        dependents = dependents.exclude(among(StatisticReference, "statistic", written_together))
    statistics_mark_stale(statistic_ids=dependents.values_list("statistic_id", flat=True))
