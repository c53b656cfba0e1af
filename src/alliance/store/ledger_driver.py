"""Hand-written ledger statements run on the unit of work's own driver connection.

The ledger's busiest movement, a redemption, runs a handful of small statements per
transaction. Through SQLAlchemy each costs ~50–230 µs of Python (building the
statement, its cache key, the execution context) against ~2 µs for the driver itself
on SQLite, so the hot path (:mod:`alliance.store.ledger_redemptions`) writes its SQL
by hand and runs it on the DBAPI cursor of the session's connection — the same
connection and the same transaction as every other repository of the unit of work.

Nothing about storage changes: values go in and come out through the very type
processors of the columns of :mod:`alliance.store.ledger_tables` (``ExactDecimal``'s
scaled integers on SQLite, ``UtcDateTime``, SQLite's date text), taken once per
dialect; driver errors are wrapped as SQLAlchemy's, so
:func:`alliance.store.integrity.translate` turns a constraint violation into the same
domain error as before. Statements are written with ``?`` placeholders and given
``%s`` ones on PostgreSQL (psycopg).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Column, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from alliance.store.ledger_tables import ledger_legs, ledger_lots, ledger_postings

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _bind(column: Column[Any], dialect: Dialect) -> Convert:
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    return processor if processor is not None else _identity


#: The type codes psycopg reports for NUMERIC and DATE columns (PostgreSQL's type
#: OIDs), which SQLAlchemy's PostgreSQL result processors choose by; SQLite ignores them.
NUMERIC_OID, DATE_OID = 1700, 1082


def _result(column: Column[Any], dialect: Dialect, type_code: int) -> Convert:
    processor = column.type.dialect_impl(dialect).result_processor(dialect, type_code)
    return processor if processor is not None else _identity


@dataclass(frozen=True, eq=False)
class Conversions:
    """The ledger columns' own conversions, for one dialect (one instance per dialect,
    hashed by identity: the redemption path caches conversions by it)."""

    amount_in: Callable[[Decimal], Any]
    amount_out: Callable[[Any], Decimal]
    day_in: Callable[[date], Any]
    day_out: Callable[[Any], date]
    instant_in: Callable[[datetime], Any]


_CONVERSIONS: dict[tuple[str, str], Conversions] = {}


def conversions(dialect: Dialect) -> Conversions:
    """The conversions for ``dialect``'s database and driver (computed once)."""
    key = (dialect.name, dialect.driver)
    found = _CONVERSIONS.get(key)
    if found is None:
        found = _CONVERSIONS[key] = _conversions_for(dialect)
    return found


def _conversions_for(dialect: Dialect) -> Conversions:
    return Conversions(
        amount_in=_bind(ledger_legs.c.amount, dialect),
        amount_out=_result(ledger_lots.c.amount, dialect, NUMERIC_OID),
        day_in=_bind(ledger_postings.c.effective_on, dialect),
        day_out=_result(ledger_postings.c.effective_on, dialect, DATE_OID),
        instant_in=_bind(ledger_postings.c.recorded_at, dialect),
    )


@cache
def _for_postgresql(sql: str) -> str:
    return sql.replace("?", "%s")


class DriverSql:
    """Runs hand-written SQL on the DBAPI connection of ``session``'s transaction."""

    def __init__(self, session: Session) -> None:
        connection = session.connection()  # the unit of work's, already begun
        dialect = connection.dialect
        self.dialect = dialect
        self.is_postgresql = dialect.name == "postgresql"
        self.convert = conversions(dialect)
        driver = connection.connection.driver_connection
        if driver is None:  # pragma: no cover - a checked-out connection always has one
            raise RuntimeError("the unit of work's connection is closed")
        self._driver: Any = driver
        self._record_info = connection.connection.info
        self._error = dialect.loaded_dbapi.Error
        self._cursor: Any = None

    def run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute ``sql`` (``?`` placeholders) and return the cursor, for fetching."""
        if self.is_postgresql:
            sql = _for_postgresql(sql)
        cursor = self._cursor
        if cursor is None:
            cursor = self._cursor = self._driver.cursor()
        try:
            cursor.execute(sql, params)
        except self._error as error:
            raise DBAPIError.instance(
                sql, params, error, self._error, dialect=self.dialect
            ) from error
        return cursor

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.run(sql, params).fetchall())

    def rows_after(
        self, first: str, first_params: Sequence[Any], sql: str, params: Sequence[Any]
    ) -> list[tuple[Any, ...]]:
        """Run ``first`` (a lock), then ``sql``, and return the rows of ``sql``.

        On PostgreSQL both go in one round trip, in psycopg's pipeline mode: the server
        still runs them one after the other, each statement with its own snapshot, so
        ``sql`` sees what was committed while ``first`` waited for its lock. When they
        are the transaction's first statements, its ``BEGIN`` goes in the same round
        trip (:func:`begin_in_pipeline`).
        """
        if not self.is_postgresql:
            self.run(first, first_params)
            return self.rows(sql, params)
        driver = self._driver
        cursor = self._cursor
        if cursor is None:
            cursor = self._cursor = driver.cursor()
        try:
            begin = begin_in_pipeline(driver, self._record_info)
            with driver.pipeline(), driver.cursor() as first_cursor:
                if begin is not None:
                    first_cursor.execute(begin)
                first_cursor.execute(_for_postgresql(first), first_params)
                cursor.execute(_for_postgresql(sql), params)
            return list(cursor.fetchall())
        except self._error as error:
            statement, all_params = f"{first}; {sql}", [*first_params, *params]
            raise DBAPIError.instance(
                statement, all_params, error, self._error, dialect=self.dialect
            ) from error

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None


#: Set in a pooled connection's ``info`` while its transaction was begun by
#: :func:`begin_in_pipeline` (the psycopg connection is then in autocommit mode).
PIPELINED_BEGIN = "alliance.ledger.pipelined_begin"


def begin_in_pipeline(driver: Any, info: dict[Any, Any]) -> str | None:
    """The ``BEGIN`` to send as the first statement of a pipeline, or None.

    psycopg sends its own ``BEGIN`` before a transaction's first statement and, in
    pipeline mode, waits for its result: a round trip of its own. When the psycopg
    connection has no transaction yet, it is switched to autocommit (psycopg then sends
    no ``BEGIN``) and the caller sends this statement, with the same isolation level and
    access mode psycopg would have asked for, in the pipeline; the server then holds the
    transaction exactly as before, and ``COMMIT`` or ``ROLLBACK`` end it as usual
    (psycopg sends them whenever a transaction is open, autocommit or not). The
    connection leaves autocommit at the start of its next transaction, or when it goes
    back to the pool (:func:`end_pipelined_begin`, registered by
    :func:`alliance.store.database.create_engine_for`).
    """
    if driver.autocommit or driver.info.transaction_status != _IDLE:
        return None
    parts = ["BEGIN"]
    if driver.isolation_level is not None:
        parts.append("ISOLATION LEVEL " + driver.isolation_level.name.replace("_", " "))
    if driver.read_only is not None:
        parts.append("READ ONLY" if driver.read_only else "READ WRITE")
    driver.autocommit = True
    info[PIPELINED_BEGIN] = True
    return " ".join(parts)


def end_pipelined_begin(driver: Any, info: dict[Any, Any]) -> None:
    """Put a connection whose transaction :func:`begin_in_pipeline` began (and which has
    since ended) back out of autocommit."""
    if info.pop(PIPELINED_BEGIN, False) and driver is not None and not driver.closed:
        driver.autocommit = False


#: libpq's PQTRANS_IDLE: no transaction open (psycopg.pq.TransactionStatus.IDLE).
_IDLE = 0
