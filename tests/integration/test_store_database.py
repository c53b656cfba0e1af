"""Engines: URL handling, SQLite's connection settings, and write locks taken up front."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from alliance.store.database import create_engine_for, normalise_url, session_factory
from alliance.store.unit_of_work import SqlUnitOfWork
from postgres_support import postgres_base_url


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://alice@db.example/alliance", "postgresql+psycopg"),
        ("postgres://alice@db.example/alliance", "postgresql+psycopg"),
        ("postgresql+psycopg://alice@db.example/alliance", "postgresql+psycopg"),
        ("sqlite:///./alliance.db", "sqlite"),
    ],
)
def test_plain_postgresql_urls_go_through_psycopg(given: str, driver: str) -> None:
    assert normalise_url(given).drivername == driver


def test_an_engine_for_plain_postgresql_uses_psycopg_without_connecting() -> None:
    engine = create_engine_for("postgresql://alice:secret@db.example:5433/alliance")
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.url.port == 5433
    assert engine.dialect.driver == "psycopg"


def test_the_folder_of_a_sqlite_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "var" / "data" / "alliance.db"
    engine = create_engine_for(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()
    assert path.exists()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    engine.dispose()


def test_an_in_memory_sqlite_database_works(tmp_path: Path) -> None:
    engine = create_engine_for("sqlite://")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT 41 + 1")).scalar() == 42
    engine.dispose()


def test_a_sqlite_unit_of_work_holds_the_write_lock_from_the_moment_it_opens(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    engine = create_engine_for(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with (
            SqlUnitOfWork(session_factory(engine)),
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released on leaving
        other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def _sqlite_counter(tmp_path: Path) -> Engine:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'counter.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    return engine


def test_concurrent_read_then_write_transactions_on_sqlite_lose_no_update(
    tmp_path: Path,
) -> None:
    """BEGIN IMMEDIATE serialises writers: read, check, write never interleave."""
    engine = _sqlite_counter(tmp_path)
    errors: list[BaseException] = []

    def bump(times: int) -> None:
        try:
            for _ in range(times):
                with engine.begin() as connection:
                    n = connection.execute(text("SELECT n FROM counter")).scalar_one()
                    connection.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    workers = [threading.Thread(target=bump, args=(25,)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with engine.connect() as connection:
        total = connection.execute(text("SELECT n FROM counter")).scalar_one()
    engine.dispose()
    assert errors == []
    assert total == 100


def test_sessions_from_the_factory_do_not_expire_objects_on_commit(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        assert session.expire_on_commit is False
        assert session.autoflush is False


@pytest.mark.postgres
def test_a_pooled_postgresql_connection_the_server_closed_is_replaced_on_checkout() -> None:
    """No ``SELECT 1`` on every checkout (issue 3, Performance), yet a connection the
    server dropped while idle in the pool is found and replaced before it is used."""
    url = postgres_base_url()
    engine = create_engine_for(url)
    admin = create_engine_for(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            dropped = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
        time.sleep(0.2)  # the termination notice reaches the pooled connection's socket
        with engine.connect() as connection:
            fresh = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert fresh != dropped
    finally:
        admin.dispose()
        engine.dispose()


@pytest.mark.postgres
def test_a_healthy_idle_postgresql_connection_is_checked_out_without_a_round_trip() -> None:
    engine = create_engine_for(postgres_base_url())
    statements: list[str] = []
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            driver: Any = connection.connection.driver_connection
            base = driver.cursor_factory

            class Counting(base):  # type: ignore[misc, valid-type]
                def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                    statements.append(str(query))
                    return super().execute(query, *args, **kwargs)

            driver.cursor_factory = Counting
        with engine.connect() as connection:  # the same connection, from the pool
            assert connection.connection.driver_connection is driver
        assert statements == []
    finally:
        engine.dispose()
