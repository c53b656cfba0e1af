"""End-to-end: the real application (``bootstrap`` + migrations) behind FastAPI's TestClient.

Every test runs on SQLite and on PostgreSQL, as the integration tests do:

* SQLite: a new file per test, migrated by ``bootstrap(migrate=True)``;
* PostgreSQL: one uniquely named database per session, migrated by
  ``bootstrap(migrate=True)`` and emptied before each test, from
  ``ALLIANCE_TEST_POSTGRES_URL`` (``eval "$(scripts/test-postgres)"`` starts a server).
  Without it the PostgreSQL half is skipped locally, and fails when ``CI`` is set.

``world`` seeds two partner companies and vendor staff through the use cases, and logs
each user in through the API for a bearer token.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from api_world import World, seed_world
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text

from alliance.api.app import create_app
from alliance.bootstrap import Application, bootstrap
from alliance.domain.clock import FixedClock
from alliance.services.passwords import Passwords
from alliance.settings import Settings
from alliance.store.database import create_engine_for, normalise_url
from postgres_support import BACKENDS, empty_postgres_tables, postgres_base_url

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def _settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        programs=None,
        data_dir=tmp_path / "var",
        secret_key=secrets.token_urlsafe(32),
        environment="test",
    )


def _cheap_passwords() -> Passwords:
    """argon2id with the smallest parameters: the same code path, a fraction of the work."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def postgres_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Engine]]:
    """A database of its own for this session, migrated to head through bootstrap."""
    base = normalise_url(postgres_base_url())
    name = f"alliance_e2e_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine_for(base.render_as_string(hide_password=False)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    bootstrap(_settings(url, tmp_path_factory.mktemp("pg")), migrate=True).close()
    cleaner = create_engine_for(url)
    try:
        yield url, cleaner
    finally:
        cleaner.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def application(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock
) -> Iterator[Application]:
    """The real application on a fresh database of ``backend``, migrated to head."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'alliance.db'}"
    else:
        url, cleaner = request.getfixturevalue("postgres_database")
        empty_postgres_tables(cleaner)
    app = bootstrap(
        _settings(url, tmp_path), clock=clock, migrate=True, passwords=_cheap_passwords()
    )
    assert make_url(app.settings.database_url).get_backend_name() == backend
    yield app
    app.close()


@pytest.fixture
def client(application: Application) -> Iterator[TestClient]:
    with TestClient(create_app(application)) as test_client:
        yield test_client


@pytest.fixture
def world(application: Application, client: TestClient) -> World:
    return seed_world(application, client)
