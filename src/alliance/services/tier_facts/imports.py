"""Importing the facts of earned tiers: a CSV or Parquet file, or rows sent as JSON
(issue 5, "Facts"). All or nothing (X-7), once (X-5).

1. Only the vendor's program administrators (and the system operator) import facts.
2. The batch key is the file's SHA-256 (the rows' digest for JSON) unless one is given:
   a batch already stored changes nothing and says so (X-5).
3. The columns are checked (:func:`~.fact_rows.header_problems`), then every row
   (:func:`~.fact_rows.check_rows`): required cells, dates, exact decimals with at most
   4 places (X-1), known revenue kinds (OIP-2) and member types (OIP-1), areas of the
   MCPP program (MCPP-1), end dates not before start dates (MCPP-10), partners that are
   organisations (X-7). Every bad row is reported with its line (``certs.csv:7``; the
   header is line 1), field and rule — the first :data:`MAX_LISTED`, and how many rows
   failed in all — and nothing is stored.
4. The store then adds the batch (:meth:`~alliance.services.tier_facts.ports.
   TierFactsStore.import_batch`): a fact already stored saying the same is skipped, one
   saying otherwise refuses the batch (reported at its line), with an audit record (X-4).

The file is read and checked outside any transaction; the organisations are looked up in
one short unit of work and the batch written in another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from alliance.domain import audit
from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.ids import OrganizationId
from alliance.programs.registry import ProgramRegistry
from alliance.services.imports.columns import ColumnTypeError
from alliance.services.imports.files import sha256_of
from alliance.services.imports.usage_rows import failing_rows, row_problems
from alliance.services.imports.usage_sources import UsageFormat, UsageSource
from alliance.services.ports import UnitOfWork
from alliance.services.scorecard_terms import scorecard_program
from alliance.services.tier_facts.fact_rows import (
    FactContext,
    check_rows,
    header_problems,
    partner_ids,
)
from alliance.services.tier_facts.ports import FactBatch, FactKind

#: How many problems an import lists at most; the message counts every failing row.
MAX_LISTED = 1_000
#: How many organisation ids one look-up names.
LOOKUP_CHUNK = 1_000

Locate = Callable[[int], str]


@dataclass(frozen=True)
class FactImportResult:
    """What an import did: the store's outcome for the batch, and the rows read."""

    source: str
    rows: int
    batch: FactBatch

    @property
    def summary(self) -> str:
        b = self.batch
        if b.replayed:
            return (
                f"{self.source}: batch {_short(b.batch_key)} of {b.kind.value} was already "
                "imported; nothing changed (0 added)"
            )
        closed = f", {b.closed} closed" if b.closed else ""
        return (
            f"{self.source}: {b.added} {b.kind.value} fact(s) added, {b.known} already there"
            f"{closed} (batch {_short(b.batch_key)})"
        )


def require_fact_importer(actor: Actor) -> None:
    """Only the vendor's program administrators (or the operator) import facts."""
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)


def fact_kind(value: str) -> FactKind:
    try:
        return FactKind(value)
    except ValueError:
        kinds = ", ".join(kind.value for kind in FactKind)
        raise InvalidInput(
            f"no kind of fact {value!r}: one of {kinds}", field="kind", rule="X-7"
        ) from None


def import_fact_file(
    uow: UnitOfWork,
    actor: Actor,
    kind: FactKind | str,
    path: Path,
    *,
    clock: Clock,
    file_name: str | None = None,
    fmt: UsageFormat | None = None,
    areas: frozenset[str] | None = None,
    batch_key: str | None = None,
) -> FactImportResult:
    """Import the facts of ``kind`` in ``path`` (CSV or Parquet; see the module doc).

    ``areas``: the MCPP program's areas, which an ``area`` column must name (MCPP-1)."""
    require_fact_importer(actor)
    kind = fact_kind(kind)
    name = file_name or path.name
    source = UsageSource(path, name, fmt or UsageFormat.of(name))
    header = source.header()
    source.columns = header
    problems = header_problems(kind, header, name)
    if problems:
        raise InvalidInput(
            f"{name} does not have the columns of {kind.value} facts; nothing imported",
            problems=problems,
        )
    key = batch_key or sha256_of(path)
    raw = _read(source, header)
    return _import(
        uow, actor, kind, raw, key, name, source.locate, clock, areas, list(source.problems)
    )


def import_fact_rows(
    uow: UnitOfWork,
    actor: Actor,
    kind: FactKind | str,
    rows: Sequence[Mapping[str, object]],
    *,
    clock: Clock,
    areas: frozenset[str] | None = None,
    batch_key: str | None = None,
    source: str = "rows",
) -> FactImportResult:
    """Import facts of ``kind`` given as JSON objects, one per row (columns as in a file;
    amounts as strings such as ``"12.50"``, never JSON floats: X-1; id lists as JSON
    arrays or ``;``-separated text). Rows are located ``row 1``, ``row 2``…"""
    require_fact_importer(actor)
    kind = fact_kind(kind)
    raw, problems = _table_of(rows)
    names = list(raw.column_names)
    problems = header_problems(kind, names, source) + problems
    if problems:
        raise InvalidInput(
            f"{source}: the {kind.value} rows cannot be read; nothing imported", problems=problems
        )
    key = batch_key or _digest(rows)
    return _import(uow, actor, kind, raw, key, source, _row_locator, clock, areas, [])


def mcpp_areas(programs: ProgramRegistry, code: str = "mcpp") -> frozenset[str]:
    """The solution areas of the capability-score program ``code`` (MCPP-1)."""
    return frozenset(area.id for area in scorecard_program(programs, code).terms.areas)


def fact_counts(uow: UnitOfWork, actor: Actor) -> dict[FactKind, int]:
    """How many facts of each kind are stored (vendor staff only)."""
    require_everywhere(actor, Permission.VIEW_ALL_ORGANIZATIONS)
    with uow:
        return {kind: uow.tier_facts.count(kind) for kind in FactKind}


# -- the steps ---------------------------------------------------------------------------


def _import(
    uow: UnitOfWork,
    actor: Actor,
    kind: FactKind,
    raw: pa.Table,
    key: str,
    name: str,
    locate: Locate,
    clock: Clock,
    areas: frozenset[str] | None,
    reader_problems: list[Problem],
) -> FactImportResult:
    with uow:
        stored = uow.tier_facts.batch(kind, key)
        if stored is not None:
            replay = FactBatch(kind, key, added=0, replayed=True)
            return FactImportResult(name, raw.num_rows, replay)
        partners = _organizations(uow, partner_ids(kind, raw))
    canonical = _checked(kind, raw, name, locate, FactContext(areas, partners), reader_problems)
    with uow:
        try:
            outcome = uow.tier_facts.import_batch(
                kind, canonical, batch_key=key, source=name, imported_by=actor.name
            )
        except InvalidInput as error:
            raise _located(error, name, locate) from None
        if not outcome.replayed:
            uow.audit.append(
                audit.created(
                    actor,
                    "tier_fact_batch",
                    f"{kind.value}:{key[:40]}",
                    {
                        "kind": kind.value,
                        "batch_key": key,
                        "source": name,
                        "rows": raw.num_rows,
                        "added": outcome.added,
                        "known": outcome.known,
                        "closed": outcome.closed,
                    },
                    clock.now(),
                )
            )
        uow.commit()
    return FactImportResult(name, raw.num_rows, outcome)


def _checked(
    kind: FactKind,
    raw: pa.Table,
    name: str,
    locate: Locate,
    context: FactContext,
    reader_problems: list[Problem],
) -> pa.Table:
    """The rows in the kind's layout, or InvalidInput naming every bad row (X-7)."""
    try:
        canonical, checks = check_rows(kind, raw, context)
    except ColumnTypeError as error:
        raise InvalidInput(
            f"{name}: column {error.field} has the wrong type; nothing imported",
            field=error.field,
            rule=error.rule,
            problems=[Problem(error.message, error.field, error.rule, name)],
        ) from None
    batch = _record_batch(raw)
    problems = reader_problems + list(row_problems(batch, checks, locate, MAX_LISTED))
    bad = failing_rows(checks) + len(reader_problems)
    if bad or problems:
        raise InvalidInput(
            f"{name}: {bad:,} bad row(s) of {raw.num_rows + len(reader_problems):,}; "
            "nothing imported",
            problems=problems[:MAX_LISTED],
        )
    if raw.num_rows == 0:
        raise InvalidInput(f"{name} holds no {kind.value} facts", field="file", rule="X-7")
    return canonical


def _organizations(uow: UnitOfWork, ids: set[str]) -> frozenset[str]:
    """Which of ``ids`` are organisations."""
    found: set[str] = set()
    wanted = sorted(ids)
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = [OrganizationId(i) for i in wanted[start : start + LOOKUP_CHUNK]]
        found.update(o.id for o in uow.organizations.list(within=chunk, limit=len(chunk)))
    return frozenset(found)


def _located(error: InvalidInput, name: str, locate: Locate) -> InvalidInput:
    """The store's refusal with its rows (``#3``) located in the source (``f.csv:5``)."""
    problems = [
        Problem(p.message, p.field, p.rule, locate(int(p.location[1:])))
        if p.location and p.location.startswith("#") and p.location[1:].isdigit()
        else p
        for p in error.problems
    ]
    return InvalidInput(
        f"{name}: {error.message}", field=error.field, rule=error.rule, problems=problems
    )


# -- reading -----------------------------------------------------------------------------


def _read(source: UsageSource, header: list[str]) -> pa.Table:
    batches = list(source.batches())
    if not batches:
        return pa.table({name: pa.array([], pa.string()) for name in dict.fromkeys(header)})
    table = pa.Table.from_batches(batches)
    return table.rename_columns([name.strip() for name in table.column_names])


def _record_batch(table: pa.Table) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [column.combine_chunks() for column in table.columns], names=table.column_names
    )


def _table_of(rows: Sequence[Mapping[str, object]]) -> tuple[pa.Table, list[Problem]]:
    """JSON rows as a table of text (lists kept as lists), and what cannot be a cell."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    problems: list[Problem] = []
    columns: dict[str, list[object]] = {name: [] for name in names}
    listed: set[str] = set()
    for index, row in enumerate(rows):
        for name in names:
            value = row.get(name)
            cell, problem = _cell(value)
            if problem is not None:
                where = _row(index)
                problems.append(Problem(problem, field=name, rule=_rule(value), location=where))
            if isinstance(cell, list):
                listed.add(name)
            columns[name].append(cell)
    arrays: dict[str, pa.Array] = {}
    for name, values in columns.items():
        if name in listed:
            arrays[name] = pa.array([_as_list(v) for v in values], pa.list_(pa.string()))
        else:
            arrays[name] = pa.array(values, pa.string())
    return pa.table(arrays), problems


def _as_list(value: object) -> list[str] | None:
    if isinstance(value, str):
        return value.split(";")
    if isinstance(value, list):
        return [str(item) for item in value]
    return None


def _cell(value: object) -> tuple[object, str | None]:
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return None, "must be text, not true/false"
    if isinstance(value, int | Decimal):
        return str(value), None
    if isinstance(value, float):
        return None, 'is a JSON number with a fraction: write amounts as text, such as "12.50"'
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value), None
    return None, "must be text, a whole number or a list of ids"


def _rule(value: object) -> str:
    return "X-1" if isinstance(value, float) else "X-7"


def _row(index: int) -> str:
    return f"row {index + 1}"


def _row_locator(index: int) -> str:
    return _row(index)


def _digest(rows: Sequence[Mapping[str, object]]) -> str:
    text = json.dumps(list(rows), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _short(key: str) -> str:
    return key if len(key) <= 16 else f"{key[:12]}…"
