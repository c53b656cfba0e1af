"""Engines and sessions for the two supported databases: SQLite (embedded) and PostgreSQL.

SQLite connections run in WAL mode with foreign keys enforced and a busy timeout, and
every transaction starts with ``BEGIN IMMEDIATE``: a writer takes the database's write
lock before it reads anything, so "lock, check, then post" holds on SQLite as it does
with row locks on PostgreSQL (the recipe of SQLAlchemy's SQLite dialect documentation,
"Enabling Non-Legacy SQLite Transactional Modes", with ``IMMEDIATE`` added).

PostgreSQL connections are checked when taken from the pool without a round trip
(:func:`_check_idle_connection`): SQLAlchemy's ``pool_pre_ping`` sent a ``SELECT 1``
per unit of work, a sixth of a redemption's round trips (issue 3, Performance).
"""

from __future__ import annotations

import select
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from alliance.store import json_encoding
from alliance.store.ledger_driver import end_pipelined_begin

#: How long a SQLite connection waits for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000

_POSTGRES_ALIASES = ("postgresql", "postgres")


def normalise_url(url: str) -> URL:
    """``postgresql://`` and ``postgres://`` go through psycopg 3; other URLs are kept."""
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_ALIASES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(url: URL | str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> Path | None:
    """The file a SQLite URL names; None for an in-memory database."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_engine_for(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for ``url`` (``sqlite:///path.db`` or ``postgresql[+psycopg]://…``).

    For a SQLite file, the parent folder is created. ``foreign_keys=False`` is only for
    migrations, which follow SQLite's procedure for rebuilding tables (switch the checks
    off, alter, then ``PRAGMA foreign_key_check``).
    """
    parsed = normalise_url(url)
    if is_sqlite(parsed):
        return _sqlite_engine(parsed, foreign_keys=foreign_keys)
    if parsed.get_driver_name() != "psycopg":  # another driver: SQLAlchemy's own ping
        return create_engine(parsed, json_serializer=json_encoding.dumps, pool_pre_ping=True)
    engine = create_engine(parsed, json_serializer=json_encoding.dumps)
    event.listen(engine, "checkout", _check_idle_connection)
    event.listen(engine, "begin", _leave_pipelined_begin)
    event.listen(engine, "checkin", _leave_pipelined_begin_on_checkin)
    return engine


def _leave_pipelined_begin(connection: Connection) -> None:
    # A ledger redemption may have begun the last transaction itself, in autocommit
    # (alliance.store.ledger_driver.begin_in_pipeline): the next one starts without it.
    record = connection.connection
    end_pipelined_begin(record.driver_connection, record.info)


def _leave_pipelined_begin_on_checkin(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    if dbapi_connection is not None:
        end_pipelined_begin(dbapi_connection, record.info)


def _check_idle_connection(
    dbapi_connection: Any, _record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
) -> None:
    """Refuse a pooled PostgreSQL connection that is closed or that the server dropped.

    An idle connection has nothing to read: when its socket is readable, the server
    has sent something meanwhile — its termination notice and end of stream when it
    closed the connection (restart, ``pg_terminate_backend``, ``DROP DATABASE … WITH
    (FORCE)``), perhaps a notice — and only then is it pinged (``SELECT 1``). A
    :class:`~sqlalchemy.exc.DisconnectionError` makes the pool discard it and connect
    anew (SQLAlchemy's "pessimistic" disconnect handling, with a poll of the socket in
    place of ``pool_pre_ping``'s round trip on every checkout). A connection lost
    without a word (a cut network) fails at its first statement, which a ping could
    only have found after the same TCP timeout; SQLAlchemy then invalidates the pool.
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    if not _readable(dbapi_connection.fileno()):
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as error:  # the driver's error, whatever the connection's state
        raise DisconnectionError(f"the server closed the connection: {error}") from error


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for units of work: no autoflush or expiry (repositories speak Core SQL)."""
    return sessionmaker(engine, autoflush=False, expire_on_commit=False)


def _sqlite_engine(url: URL, *, foreign_keys: bool) -> Engine:
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, json_serializer=json_encoding.dumps)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Hand transaction control to SQLAlchemy: the driver emits no BEGIN of its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if path is not None:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # On the driver itself: through ``exec_driver_sql`` the statement cost ~25 µs of
        # SQLAlchemy's execution machinery per unit of work (issue 3, Performance).
        driver: Any = connection.connection.driver_connection
        try:
            driver.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise DBAPIError.instance(
                "BEGIN IMMEDIATE", (), error, sqlite3.Error, dialect=connection.dialect
            ) from error

    return engine


def _readable(fd: int) -> bool:
    """Whether ``fd`` has something to read, without waiting."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fd], [], [], 0)  # no poll() on Windows
    return bool(readable)
