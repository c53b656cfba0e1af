"""Constraint violations as domain errors that name the field: the database is the backstop.

A duplicate key becomes :class:`~alliance.domain.errors.Conflict`; a reference to
nothing, a failed CHECK or a missing value becomes
:class:`~alliance.domain.errors.InvalidInput`. PostgreSQL names the violated constraint
(mapped to its columns through :data:`alliance.store.tables.metadata`); SQLite names the
columns of a unique or NOT NULL violation but not those of a foreign key, which are
then taken from the table written to. A CHECK constraint names its field in
``info={"field": …}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from sqlalchemy import ForeignKeyConstraint, Table
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ColumnCollectionConstraint

from alliance.domain.errors import AllianceError, Conflict, InvalidInput
from alliance.store.tables import metadata


class Violated(StrEnum):
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign_key"
    CHECK = "check"
    NOT_NULL = "not_null"


#: SQLSTATE of each violation on PostgreSQL.
_POSTGRES_STATES = {
    "23505": Violated.UNIQUE,
    "23503": Violated.FOREIGN_KEY,
    "23514": Violated.CHECK,
    "23502": Violated.NOT_NULL,
}
#: How SQLite's messages start for each violation; the rest names columns or the check.
_SQLITE_PREFIXES = {
    "UNIQUE constraint failed: ": Violated.UNIQUE,
    "FOREIGN KEY constraint failed": Violated.FOREIGN_KEY,
    "CHECK constraint failed: ": Violated.CHECK,
    "NOT NULL constraint failed: ": Violated.NOT_NULL,
}


@dataclass(frozen=True)
class Violation:
    """Which kind of constraint failed, on which columns (when the database says)."""

    kind: Violated
    columns: tuple[str, ...] = ()
    constraint: str | None = None


@dataclass(frozen=True)
class _Known:
    columns: tuple[str, ...]
    field: str | None = None


@cache
def _constraints() -> dict[str, _Known]:
    known: dict[str, _Known] = {}
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, ColumnCollectionConstraint) and isinstance(
                constraint.name, str
            ):
                field = constraint.info.get("field") if constraint.info else None
                columns = tuple(column.name for column in constraint.columns)
                known[constraint.name] = _Known(columns, field)
        for index in table.indexes:
            if index.unique and isinstance(index.name, str):
                known[index.name] = _Known(tuple(c.name for c in index.columns))
    return known


def violation_of(error: IntegrityError) -> Violation | None:
    """What ``error`` says about the constraint it broke; None when it is no constraint."""
    orig = error.orig
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str):
        kind = _POSTGRES_STATES.get(state)
        if kind is None:
            return None
        diag = getattr(orig, "diag", None)
        name = getattr(diag, "constraint_name", None)
        column = getattr(diag, "column_name", None)
        known = _constraints().get(name) if name else None
        columns = known.columns if known is not None else ((column,) if column else ())
        return Violation(kind, columns, name)
    message = str(orig.args[0]) if orig is not None and orig.args else ""
    for prefix, kind in _SQLITE_PREFIXES.items():
        if message.startswith(prefix):
            detail = message.removeprefix(prefix)
            if kind is Violated.CHECK:
                return Violation(kind, (), detail)
            columns = tuple(
                part.strip().rpartition(".")[2] for part in detail.split(",") if part.strip()
            )
            return Violation(kind, columns)
    return None


def translate(error: IntegrityError, table: Table, noun: str) -> AllianceError | None:
    """The domain error for a violation while writing ``table`` (a ``noun``, for messages)."""
    violation = violation_of(error)
    if violation is None:
        return None
    if violation.kind is Violated.UNIQUE:
        field = ", ".join(violation.columns) or None
        return Conflict(f"another {noun} already has this {field or 'key'}", field=field)
    if violation.kind is Violated.FOREIGN_KEY:
        columns = violation.columns or _only_foreign_key(table)
        field = ", ".join(columns) or None
        return InvalidInput(f"{field or 'a reference'} names nothing that exists", field=field)
    if violation.kind is Violated.CHECK:
        known = _constraints().get(violation.constraint or "")
        field = known.field if known else None
        return InvalidInput(
            f"the {noun} breaks the rule {violation.constraint or '(unnamed check)'}", field=field
        )
    field = ", ".join(violation.columns) or None
    return InvalidInput(f"{field or 'a value'} is required", field=field)


def _only_foreign_key(table: Table) -> tuple[str, ...]:
    keys = [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]
    return tuple(column.name for column in keys[0].columns) if len(keys) == 1 else ()


@contextmanager
def guarded(session: Session, table: Table, noun: str) -> Iterator[None]:
    """Run writes to ``table`` in a savepoint; a violation becomes a domain error.

    The savepoint keeps the unit of work usable after a refusal (PostgreSQL would
    otherwise abort the whole transaction). A value a column type refuses (too many
    decimal places, a naive datetime) becomes :class:`InvalidInput` too.
    """
    try:
        with session.begin_nested():
            yield
    except IntegrityError as error:
        domain_error = translate(error, table, noun)
        if domain_error is None:
            raise
        raise domain_error from error
    except StatementError as error:
        if isinstance(error.orig, ValueError):
            raise InvalidInput(f"the {noun} has a value the store refuses: {error.orig}") from error
        raise
