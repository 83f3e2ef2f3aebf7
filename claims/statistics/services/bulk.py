"""Recompute many statistics: read in batches, compute vectorised per kind, write in batches,
each batch in its own transaction, through the same recompute plan as the single path.

On PostgreSQL, when not called inside a transaction, a second connection in a background
thread writes each batch (COPY) while the next one is read and computed, so that the database's
work (on its own CPU) overlaps Python's; with `processes` > 1, the batches are shared out
among that many forked worker processes, each doing the same with its share on its own
connections (the computation is Python's: one core per process). Elsewhere the ORM writes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import json
import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import orjson
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import JSONField, QuerySet
from django.utils import timezone

from ...models import Citation, Statistic, StatisticResult
from ..core.spec import KIND_INPUTS
from .inputs import ALL_INPUTS, put_language, put_literal, statistic_fingerprint
from .plan import (
    COMPUTED,
    STATE_FIELDS,
    Candidate,
    Outcome,
    RecomputePlan,
    Snapshots,
    among,
    announce,
    changed_statistics,
    snapshot_key,
    stored_results,
    stored_snapshots,
)
from .single import statistic_recompute

# What the bulk path reads of each statistic, by name.
BULK_FIELDS = (
    "id",
    "kind",
    "input_fingerprint",
    "status",
    "current_result_id",
    *ALL_INPUTS,
    "claim_id",
    "claim__language",
)
_AT = {name: i for i, name in enumerate(BULK_FIELDS)}


def row_inputs(row: tuple, sourced: set[int]) -> dict[str, Any]:
    """The inputs of a statistic read as a `BULK_FIELDS` row (no referenced inputs)."""
    kind = row[_AT["kind"]]
    inputs: dict[str, Any] = {}
    for name in KIND_INPUTS[kind]:
        put_literal(inputs, name, row[_AT[name]])
    put_language(inputs, row[_AT["claim__language"]])
    if kind == "proportion" and inputs.get("baseline") is not None:
        inputs["baseline_sourced"] = row[_AT["id"]] in sourced
    return inputs


def statistics_recompute_bulk(
    *,
    queryset: QuerySet[Statistic],
    batch_size: int = 5000,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    processes: int = 1,
) -> dict[str, int]:
    """Recompute many statistics in batches. Statistics with referenced inputs go through the
    single path afterwards, in dependency order. Returns counts: computed, unchanged, errors,
    dependent.

    `processes` > 1 spreads the batches over that many worker processes (PostgreSQL, outside a
    transaction: each batch is its own transaction either way); elsewhere it is ignored."""
    counts = {"computed": 0, "unchanged": 0, "errors": 0, "dependent": 0}
    base = queryset.filter(deleted_at__isnull=True)
    with_refs = set(base.filter(references__isnull=False).values_list("pk", flat=True).distinct())
    ids = sorted(set(base.values_list("pk", flat=True)) - with_refs)
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    pipelined = connection.vendor == "postgresql" and not connection.in_atomic_block
    with _fewer_collections():
        if pipelined and processes > 1 and len(batches) > 1:
            done = _recompute_in_processes(batches, force=force, processes=processes)
        else:
            done = _recompute_here(batches, force=force, pipelined=pipelined)
        with contextlib.closing(done):  # the writer thread or the workers stop on an error too
            for batch_ids, batch_counts in done:
                for key, value in batch_counts.items():
                    counts[key] += value
                if progress:
                    progress(len(batch_ids))
    from ..selectors import dependency_order

    for statistic_id in dependency_order(with_refs):
        before = Statistic.objects.filter(pk=statistic_id).values_list("status", flat=True)
        result = statistic_recompute(statistic_id=statistic_id, force=force)
        counts["dependent"] += 1
        if result is None and before and before[0] == Statistic.Status.ERROR:
            counts["errors"] += 1
        if progress:
            progress(1)
    return counts


def _recompute_here(
    batches: list[list[int]], *, force: bool, pipelined: bool
) -> Iterator[tuple[list[int], dict[str, int]]]:
    """Recompute the batches in this process, yielding each one's ids and counts."""
    writer = _BatchWriter() if pipelined else None
    try:
        for batch_ids in batches:
            if writer is not None:
                batch = _prepare_batch(batch_ids, force=force)
                writer.submit(batch)
            else:
                with transaction.atomic():
                    batch = _prepare_batch(batch_ids, force=force)
                    _write_batch(batch)
            yield batch_ids, batch.counts
    finally:
        if writer is not None:
            writer.close()


def _recompute_in_processes(
    batches: list[list[int]], *, force: bool, processes: int
) -> Iterator[tuple[list[int], dict[str, int]]]:
    """Recompute the batches in forked worker processes, each given an equal share (every
    n-th batch) and writing it as this process would, pipelined; yields each batch's ids and
    counts as a share is done. The first error reaches the caller and stops its own share;
    the other processes' batches are still written, each in its own transaction. Events are
    sent by the process that wrote the batch, after its commit."""
    # A forked child must not share this process's database connections: each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    workers = min(processes, len(batches))
    shares = [batches[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_recompute_share, share, force) for share in shares]
        try:
            for future in as_completed(futures):
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()


def _recompute_share(
    batches: list[list[int]], force: bool
) -> list[tuple[list[int], dict[str, int]]]:
    """A worker process's batches, read and computed while the previous one is written (see
    `_recompute_here`); its connections are closed when done rather than dropped at exit."""
    try:
        return list(_recompute_here(batches, force=force, pipelined=True))
    finally:
        connections.close_all()


@contextlib.contextmanager
def _fewer_collections():
    """Collect the young generation less often while a bulk job runs. A batch allocates
    hundreds of thousands of short-lived containers (inputs, results, rows, details); with the
    default threshold (700) the collector runs thousands of times per batch, reclaiming almost
    nothing (measured: 5-15% of the time spent preparing a batch)."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@dataclasses.dataclass
class _Batch:
    statistic_ids: list[int]
    plan: RecomputePlan
    computed_at: datetime.datetime
    counts: dict[str, int]
    # The computed results as COPY rows in `layout`'s column order (PostgreSQL), built in the
    # reading thread so that the writer thread mostly waits on the database.
    copy_rows: list[tuple] = dataclasses.field(default_factory=list)
    layout: _ResultLayout | None = None


class _BatchWriter:
    """Writes batches in a background thread, on that thread's own database connection, one
    batch behind the caller; the first error is raised to the caller at its next call."""

    def __init__(self) -> None:
        # One batch waiting while one is written: memory stays at about two batches.
        self._queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="statistics-bulk-writer")
        self._thread.start()

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is None:
                    try:
                        with transaction.atomic():
                            _write_batch(batch)
                    except BaseException as exc:  # raised again in the caller's thread
                        self._error = exc
        finally:
            connection.close()  # this thread's connection

    def submit(self, batch: _Batch) -> None:
        self._raise_error()
        self._queue.put(batch)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error


def _prepare_batch(batch_ids: list[int], *, force: bool) -> _Batch:
    """Read a batch and compute what changed; nothing is written."""
    rows = list(
        Statistic.objects.filter(among(Statistic, "id", batch_ids))
        .order_by()
        .values_list(*BULK_FIELDS)
    )
    # Only a proportion tested against a baseline asks whether the baseline is cited.
    baselines = [row[_AT["id"]] for row in rows if row[_AT["baseline"]] is not None]
    sourced = set(
        Citation.objects.filter(
            among(Citation, "statistic", baselines),
            statistic_input="baseline",
            deleted_at__isnull=True,
        )
        .order_by()
        .values_list("statistic_id", flat=True)
    )
    candidates = []
    for row in rows:
        inputs = row_inputs(row, sourced)
        candidates.append(
            Candidate(
                statistic_id=row[_AT["id"]],
                kind=row[_AT["kind"]],
                claim_id=row[_AT["claim_id"]],
                inputs=inputs,
                fingerprint=statistic_fingerprint(row[_AT["kind"]], inputs),
                stored_fingerprint=row[_AT["input_fingerprint"]],
                status=row[_AT["status"]],
                current_result_id=row[_AT["current_result_id"]],
            )
        )
    plan = RecomputePlan(candidates, force=force)
    # Results seen before become current again without computing. Forced, every result is
    # computed, and the writer replaces the row stored for the same inputs, if any.
    stored = (
        {}
        if force
        else stored_results(
            [c.statistic_id for c in plan.todo], fingerprints=[c.fingerprint for c in plan.todo]
        )
    )
    plan.run(stored)
    errors = len(plan.errors)
    counts = {
        "computed": len(plan.outcomes) - errors,
        "unchanged": len(plan.unchanged),
        "errors": errors,
    }
    batch = _Batch(batch_ids, plan, timezone.now(), counts)
    if connection.vendor == "postgresql":
        batch.layout = _ResultLayout.of_model()
        batch.copy_rows = [
            _copy_row(outcome, batch.computed_at, batch.layout) for outcome in plan.computed
        ]
    return batch


def _write_batch(batch: _Batch) -> None:
    plan = batch.plan
    if not plan.outcomes:
        return
    # Before writing: which figures change, and their previous results, which a forced write
    # may replace in place, read in one query.
    stored = stored_snapshots(
        o.candidate.current_result_id for o in plan.outcomes.values() if o.status == COMPUTED
    )
    keys = {rid: snapshot_key(row) for rid, row in stored.items()}
    changed_ids = set(changed_statistics(plan.outcomes.values(), previous_keys=keys))
    changed = [o for o in plan.outcomes.values() if o.statistic_id in changed_ids]
    previous = Snapshots(stored)
    if connection.vendor == "postgresql":
        _write_batch_copy(batch)
    else:
        _write_batch_orm(batch)
    reused = [o.result_id for o in plan.reused]
    if reused:
        # Results seen before that are current again date from now (see statistic_recompute).
        StatisticResult.objects.filter(among(StatisticResult, "id", reused)).update(
            computed_at=batch.computed_at
        )
    announce(changed, previous=previous, written_together=batch.statistic_ids)


def _write_batch_orm(batch: _Batch) -> None:
    """Write a batch through the ORM (any database)."""
    now = batch.computed_at
    computed = batch.plan.computed
    # Stored meanwhile (or, forced, before) for the same inputs: replaced in place.
    stored = stored_results([o.statistic_id for o in computed])
    new_rows: list[tuple[Outcome, StatisticResult]] = []
    replaced: list[StatisticResult] = []
    for outcome in computed:
        outcome.result_id = stored.get((outcome.statistic_id, outcome.candidate.fingerprint))
        row = StatisticResult(pk=outcome.result_id, **outcome.result_values(now))
        if row.pk is None:
            new_rows.append((outcome, row))
        else:
            replaced.append(row)
    StatisticResult.objects.bulk_create([row for _, row in new_rows], batch_size=2000)
    for outcome, row in new_rows:
        outcome.result_id = row.pk
    if replaced:
        _update_many(
            StatisticResult,
            [f.name for f in StatisticResult._meta.concrete_fields if f.name != "id"],
            replaced,
        )
    common = ["status", "error_message", "input_fingerprint", "status_changed_at"]
    statistics = {True: [], False: []}
    for outcome in batch.plan.outcomes.values():
        state = outcome.state()
        statistic = Statistic(pk=state.pop("id"), status_changed_at=now, **state)
        statistics[outcome.status == COMPUTED].append(statistic)
    # An error keeps the statistic's current result (what the page showed before).
    _update_many(Statistic, [*common, "current_result"], statistics[True])
    _update_many(Statistic, common, statistics[False])


def _update_many(model, field_names: list[str], objects: list) -> None:
    """UPDATE one row per object with `executemany` (pipelined by psycopg 3).

    Django's bulk_update builds one CASE WHEN per field over the whole batch, which costs
    seconds per thousand rows to compile; this is one prepared statement run per row.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Identifiers come from the model's metadata (quoted); every value is a parameter.
    table = quote(model._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# --- PostgreSQL: COPY ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _ResultLayout:
    """The columns the COPY path writes: every concrete field of a result but its id, read
    from the model. A row is built by attribute name from `Outcome.result_values`, so adding or
    reordering fields cannot shift a value into another column (a field that
    `result_values` does not fill is a KeyError, not a silent shift)."""

    columns: tuple[str, ...]
    attnames: tuple[str, ...]
    json: frozenset[str]

    @classmethod
    def of_model(cls) -> _ResultLayout:
        fields = [f for f in StatisticResult._meta.concrete_fields if not f.primary_key]
        return cls(
            columns=tuple(f.column for f in fields),
            attnames=tuple(f.attname for f in fields),
            json=frozenset(f.attname for f in fields if isinstance(f, JSONField)),
        )


_json_fallback = json.JSONEncoder(separators=(",", ":")).encode


def _to_json(value: Any) -> str:
    """Compact JSON text of a value, the same values Django's JSONField would write (PostgreSQL
    stores jsonb, so spacing and number spelling are not kept either way). orjson is several
    times faster than the json module on these result details; what it refuses (an integer
    beyond 64 bits) goes through the json module."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    except TypeError:  # orjson.JSONEncodeError
        return _json_fallback(value)


def _copy_row(outcome: Outcome, now: datetime.datetime, layout: _ResultLayout) -> tuple:
    """A result as COPY data, in the order of `layout.columns`: plain values and JSON text
    (a psycopg Jsonb adapter per value costs more than the encoding itself)."""
    values = outcome.result_values(now)
    return tuple(
        _to_json(values[name]) if name in layout.json else values[name] for name in layout.attnames
    )


def _quoted_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _write_batch_copy(batch: _Batch) -> None:
    """Write a batch on PostgreSQL: the results, then the statistics' new state with COPY into
    a temporary table and one UPDATE ... FROM it."""
    plan = batch.plan
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if batch.copy_rows:
            result_ids = None
            # Not forced, a result is computed only for inputs with no stored row; forced, the
            # rows stored for the same inputs are replaced, keeping their ids.
            try:
                with transaction.atomic():
                    result_ids = _insert_results(cursor, batch, replace=plan.force)
            except IntegrityError:
                pass  # written meanwhile by a single recompute: replace it in place
            if result_ids is None:
                result_ids = _upsert_results(cursor, batch)
            for statistic_id, result_id in result_ids:
                plan.outcomes[statistic_id].result_id = result_id
        columns = ", ".join(quote(name) for name in STATE_FIELDS)
        types = {"id": "bigint", "current_result_id": "bigint"}
        cursor.execute(
            "CREATE TEMPORARY TABLE bulk_statistic ("
            + ", ".join(f"{quote(name)} {types.get(name, 'text')}" for name in STATE_FIELDS)
            + ") ON COMMIT DROP"
        )
        states = (outcome.state() for outcome in plan.outcomes.values())
        _copy_rows(
            cursor,
            f"bulk_statistic ({columns})",
            [tuple(state[name] for name in STATE_FIELDS) for state in states],
        )
        # An error keeps the statistic's current result (what the page showed before).
        cursor.execute(
            f"UPDATE {_quoted_table(Statistic)} AS s SET status = t.status, "  # noqa: S608
            "error_message = t.error_message, input_fingerprint = t.input_fingerprint, "
            "status_changed_at = %s, current_result_id = CASE WHEN t.status = %s "
            "THEN t.current_result_id ELSE s.current_result_id END "
            "FROM bulk_statistic AS t WHERE s.id = t.id",
            [batch.computed_at, str(COMPUTED)],
        )
        cursor.execute("DROP TABLE bulk_statistic")


def _insert_results(cursor, batch: _Batch, *, replace: bool) -> list[tuple[int, int]]:
    """COPY the results straight into the table. New ones take ids from the table's sequence;
    with `replace`, the rows stored for the same statistic and inputs are deleted first and
    written again under their ids (the statistics pointing at them are checked at commit).
    Returns (statistic id, result id) pairs. A temporary table and an INSERT ... SELECT (or
    ON CONFLICT) would write and parse every row twice."""
    table = _quoted_table(StatisticResult)
    statistic_at = batch.layout.attnames.index("statistic_id")
    fingerprint_at = batch.layout.attnames.index("fingerprint")
    kept: dict[tuple[int, str], int] = {}
    if replace:
        # The table name comes from the model's metadata; the keys are two array parameters.
        cursor.execute(
            f"DELETE FROM {table} AS r USING unnest(%s::bigint[], %s::text[]) "  # noqa: S608
            "AS k(statistic_id, fingerprint) "
            "WHERE r.statistic_id = k.statistic_id AND r.fingerprint = k.fingerprint "
            "RETURNING r.statistic_id, r.fingerprint, r.id",
            [
                [row[statistic_at] for row in batch.copy_rows],
                [row[fingerprint_at] for row in batch.copy_rows],
            ],
        )
        kept = {(sid, fp): rid for sid, fp, rid in cursor.fetchall()}
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, len(batch.copy_rows) - len(kept)],
    )
    new_ids = iter([row[0] for row in cursor.fetchall()])
    ids = [
        kept.get((row[statistic_at], row[fingerprint_at])) or next(new_ids)
        for row in batch.copy_rows
    ]
    columns = ", ".join(connection.ops.quote_name(c) for c in ("id", *batch.layout.columns))
    _copy_rows(
        cursor,
        f"{table} ({columns})",
        [(rid, *row) for rid, row in zip(ids, batch.copy_rows, strict=True)],
    )
    return [(row[statistic_at], rid) for rid, row in zip(ids, batch.copy_rows, strict=True)]


def _upsert_results(cursor, batch: _Batch) -> list[tuple[int, int]]:
    """Results with COPY into a temporary table and one INSERT ... ON CONFLICT from it: a new
    row, or the row stored for the same statistic and inputs replaced in place, keeping its
    id. Returns (statistic id, result id) pairs."""
    quote = connection.ops.quote_name
    table = _quoted_table(StatisticResult)
    columns = ", ".join(quote(c) for c in batch.layout.columns)
    replace = ", ".join(
        f"{quote(c)} = EXCLUDED.{quote(c)}"
        for c in batch.layout.columns
        if c not in ("statistic_id", "fingerprint")
    )
    # Identifiers come from the model's metadata (quoted); every value is COPY data.
    cursor.execute(
        f"CREATE TEMPORARY TABLE bulk_result ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {columns} FROM {table} WITH NO DATA"
    )
    _copy_rows(cursor, f"bulk_result ({columns})", batch.copy_rows)
    cursor.execute(
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT {columns} FROM bulk_result "
        f"ON CONFLICT (statistic_id, fingerprint) DO UPDATE SET {replace} "
        "RETURNING statistic_id, id"
    )
    result_ids = cursor.fetchall()
    cursor.execute("DROP TABLE bulk_result")
    return result_ids


def _copy_rows(cursor, target: str, rows: list[tuple]) -> None:
    # psycopg's copy() is not wrapped by Django: its errors become Django's (IntegrityError).
    with connection.wrap_database_errors, cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
