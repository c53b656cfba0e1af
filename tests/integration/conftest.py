"""Databases for integration tests: every test runs on SQLite and on PostgreSQL.

``database_url`` is a database migrated to head holding no rows, fresh for each test:
on SQLite a copy of a file migrated once per session; on PostgreSQL one database per
session (uniquely named, dropped at the end) whose tables are emptied before each test.
``empty_database_url`` is a database without any table, for migration tests.

PostgreSQL comes from ``ALLIANCE_TEST_POSTGRES_URL`` (``eval "$(scripts/test-postgres)"``
starts a local server). Without it the PostgreSQL half is skipped locally, and fails when
``CI`` is set: CI must never skip it silently.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from alliance.domain.clock import FixedClock
from alliance.store import migrate
from alliance.store.database import create_engine_for, normalise_url, session_factory
from alliance.store.unit_of_work import SqlUnitOfWork
from postgres_support import BACKENDS, empty_postgres_tables, postgres_base_url


class PostgresServer:
    """Creates and drops uniquely named databases on the server of the test URL."""

    def __init__(self, base_url: str) -> None:
        self.base_url = normalise_url(base_url)
        self._admin = create_engine_for(base_url).execution_options(isolation_level="AUTOCOMMIT")
        self._created: list[str] = []

    def create_database(self, purpose: str) -> str:
        name = f"alliance_{purpose}_{os.getpid()}_{secrets.token_hex(4)}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return self.base_url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self._created:
            self._created.remove(name)

    def close(self) -> None:
        for name in list(self._created):
            self.drop_database(
                self.base_url.set(database=name).render_as_string(hide_password=False)
            )
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(postgres_base_url())
    yield server
    server.close()


@pytest.fixture(scope="session")
def postgres_session_database(postgres_server: PostgresServer) -> Iterator[tuple[str, Engine]]:
    """One database at head for the whole session, with an engine that empties it."""
    url = postgres_server.create_database("test")
    migrate.upgrade(url)
    cleaner = create_engine_for(url)
    yield url, cleaner
    cleaner.dispose()
    postgres_server.drop_database(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "alliance.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at head with no rows, fresh for this test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "alliance.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url, cleaner = request.getfixturevalue("postgres_session_database")
    empty_postgres_tables(cleaner)
    return str(url)


@pytest.fixture
def empty_database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """A database without a single table, fresh for this test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty' / 'alliance.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database("empty")
    yield url
    server.drop_database(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 14, 9, 30, tzinfo=UTC))


@pytest.fixture
def uow_factory(engine: Engine, clock: FixedClock) -> Callable[[], SqlUnitOfWork]:
    """New units of work on this test's database (at head), stamped by ``clock``."""
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions, clock=clock)
