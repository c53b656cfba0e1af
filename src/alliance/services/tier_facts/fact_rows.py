"""The checks of a table of facts, vectorised, and its canonical Arrow layout (X-7).

:func:`header_problems` checks a file's columns (required ones present, none unknown or
repeated); :func:`check_rows` parses every column (:mod:`.fact_columns`) and checks each
row against the rules of its kind and what the store knows — the area is one of the
MCPP program's (MCPP-1), an end date is not before its start (MCPP-10), the partners
named are organisations (X-7) — returning the table in the kind's layout
(:mod:`alliance.batch.tier_facts`, with the optional identifiers the store keeps) and
every failed :class:`~alliance.services.imports.columns.RowCheck`. The failing rows,
and only those, become located problems through
:func:`alliance.services.imports.usage_rows.row_problems`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from alliance.domain.errors import Problem
from alliance.services.imports.columns import RowCheck
from alliance.services.tier_facts.fact_columns import (
    DATE_ORDER,
    PARTNER_COLUMNS,
    Column,
    columns_of,
)
from alliance.services.tier_facts.ports import FactKind


@dataclass(frozen=True)
class FactContext:
    """What rows are checked against; ``None``: not checked."""

    areas: frozenset[str] | None = None  # MCPP-1: the areas of the MCPP program
    partners: frozenset[str] | None = None  # the organisations among the partners named


def header_problems(kind: FactKind, names: list[str], where: str) -> list[Problem]:
    """Missing required columns, unknown and repeated ones, each located at ``where``."""
    columns = columns_of(kind, names)
    known = {column.name for column in columns}
    problems = [
        Problem("column is missing", field=column.name, rule="X-7", location=where)
        for column in columns
        if column.required and column.name not in names
    ]
    problems += [
        Problem("unknown column", field=name, rule="X-7", location=where)
        for name in dict.fromkeys(names)
        if name not in known
    ]
    problems += [
        Problem("column appears more than once", field=name, rule="X-7", location=where)
        for name in dict.fromkeys(names)
        if names.count(name) > 1
    ]
    return problems


def partner_ids(kind: FactKind, raw: pa.Table) -> set[str]:
    """Every partner id ``raw`` names, trimmed (to look the organisations up)."""
    found: set[str] = set()
    for name in PARTNER_COLUMNS:
        if name not in raw.column_names:
            continue
        column = raw.column(name)
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            column = pc.list_flatten(column)
        values: Iterable[object] = pc.unique(column).to_pylist()
        for value in values:
            if isinstance(value, str):
                found.update(part.strip() for part in value.split(";") if part.strip())
    return found


def check_rows(
    kind: FactKind, raw: pa.Table, context: FactContext
) -> tuple[pa.Table, list[RowCheck]]:
    """``raw`` in the kind's layout (plus its optional identifiers) and every check its
    rows fail. Raises :class:`~alliance.services.imports.columns.ColumnTypeError` for a
    column whose type cannot hold the field (a float amount)."""
    columns = columns_of(kind, raw.column_names)
    parsed: dict[str, pa.Array] = {}
    checks: list[RowCheck] = []
    for column in columns:
        value, found = column.parse(_source(raw, column))
        parsed[column.name] = value
        checks += found
    checks += _area_checks(parsed, checks, context)
    checks += _date_order(kind, parsed)
    checks += _partner_checks(parsed, checks, context)
    return _canonical(kind, columns, parsed), [check for check in checks if check.any()]


def _source(raw: pa.Table, column: Column) -> pa.Array:
    if column.name not in raw.column_names:
        return pa.nulls(raw.num_rows, pa.string())
    array = raw.column(column.name).combine_chunks()
    if pa.types.is_null(array.type):
        return array.cast(pa.string())
    return array


def _given(field: str, checks: list[RowCheck], length: int) -> pa.Array:
    """Rows whose ``field`` was given and well formed (so that later checks skip the rest)."""
    bad = pa.array([False] * length)
    for check in checks:
        if check.field == field:
            bad = pc.or_(bad, check.mask)
    return pc.invert(bad)


def _area_checks(
    parsed: dict[str, pa.Array], checks: list[RowCheck], context: FactContext
) -> list[RowCheck]:
    if context.areas is None or "area" not in parsed:
        return []
    area = parsed["area"]
    unknown = pc.invert(pc.is_in(area, value_set=pa.array(sorted(context.areas), pa.string())))
    mask = pc.and_(_given("area", checks, len(area)), unknown)
    allowed = ", ".join(sorted(context.areas))
    return [RowCheck("area", "MCPP-1", f"is not an area of the program ({allowed})", mask, True)]


def _date_order(kind: FactKind, parsed: dict[str, pa.Array]) -> list[RowCheck]:
    if kind not in DATE_ORDER:
        return []
    start, end, rule = DATE_ORDER[kind]
    before = pc.fill_null(pc.less(parsed[end], parsed[start]), False)
    return [RowCheck(end, rule, f"is before {start}", before, echo=True)]


def _partner_checks(
    parsed: dict[str, pa.Array], checks: list[RowCheck], context: FactContext
) -> list[RowCheck]:
    if context.partners is None:
        return []
    known = pa.array(sorted(context.partners), pa.string())
    found: list[RowCheck] = []
    for name in PARTNER_COLUMNS:
        if name not in parsed:
            continue
        value = parsed[name]
        if pa.types.is_list(value.type):
            unknown = pa.array(
                [any(i not in context.partners for i in ids) for ids in value.to_pylist()]
            )
        else:
            unknown = pc.and_(
                _given(name, checks, len(value)), pc.invert(pc.is_in(value, value_set=known))
            )
        found.append(RowCheck(name, "X-7", "names no organisation", unknown, echo=True))
    return found


def _canonical(
    kind: FactKind, columns: tuple[Column, ...], parsed: dict[str, pa.Array]
) -> pa.Table:
    if kind is FactKind.PARTNERS:  # an attribute left empty is not set
        arrays = {
            column.name: parsed[column.name]
            if column.required
            else pc.if_else(pc.equal(parsed[column.name], ""), None, parsed[column.name])
            for column in columns
        }
    else:
        arrays = {column.name: parsed[column.name] for column in columns}
    schema = pa.schema([pa.field(column.name, column.arrow_type) for column in columns])
    return pa.table(arrays, schema=schema)
