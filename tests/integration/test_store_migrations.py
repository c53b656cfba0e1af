"""Migrations take an empty database to head, and head is exactly ``tables.metadata``."""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from typer.testing import CliRunner

from alliance.cli.db import app
from alliance.store import migrate
from alliance.store.database import create_engine_for
from alliance.store.tables import metadata

TABLES = {"organizations", "people", "person_roles", "users", "api_tokens", "audit_log"}


def _differences(url: str) -> list[object]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # SQLite cannot reflect expression indexes (lower(name)); see the test below.
            warnings.filterwarnings("ignore", message=".*expression-based index")
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def _table_names(url: str) -> set[str]:
    engine = create_engine_for(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_empty_database_has_no_revision(empty_database_url: str) -> None:
    assert migrate.current_revision(empty_database_url) is None


def test_upgrade_takes_an_empty_database_to_head(empty_database_url: str) -> None:
    reached = migrate.upgrade(empty_database_url)
    assert reached == migrate.head_revision()
    assert migrate.current_revision(empty_database_url) == migrate.head_revision()
    assert _table_names(empty_database_url) >= TABLES


def test_the_migrated_schema_matches_the_table_definitions(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    assert _differences(empty_database_url) == []


def test_upgrading_twice_changes_nothing(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    assert migrate.upgrade(empty_database_url) == migrate.head_revision()


def test_downgrade_to_base_empties_the_schema_and_upgrade_rebuilds_it(
    empty_database_url: str,
) -> None:
    migrate.upgrade(empty_database_url)
    assert migrate.downgrade(empty_database_url, "base") is None
    assert not TABLES & _table_names(empty_database_url)
    migrate.upgrade(empty_database_url)
    assert _differences(empty_database_url) == []


def test_the_case_insensitive_name_index_exists(engine: Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_organizations_name_lower'"
            ).scalar_one()
        else:
            sql = connection.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_organizations_name_lower'"
            ).scalar_one()
    assert "lower((name)::text)" in sql or "lower(name)" in sql


def test_the_cli_upgrades_and_reports_the_revision(empty_database_url: str) -> None:
    runner = CliRunner()
    head = migrate.head_revision()

    before = runner.invoke(app, ["current", "--database-url", empty_database_url])
    assert before.exit_code == 0, before.output
    assert "never migrated" in before.output

    upgraded = runner.invoke(app, ["upgrade", "--database-url", empty_database_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"at revision {head}" in upgraded.output

    after = runner.invoke(app, ["current", "--database-url", empty_database_url])
    assert after.exit_code == 0, after.output
    assert f"{head} (head)" in after.output


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cli_reads_the_database_from_the_environment(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLIANCE_DATABASE_URL", empty_database_url)
    result = CliRunner().invoke(app, ["upgrade"])
    assert result.exit_code == 0, result.output
    assert migrate.current_revision(empty_database_url) == migrate.head_revision()


def test_the_cli_reports_an_unreachable_database_without_a_traceback() -> None:
    result = CliRunner().invoke(
        app, ["current", "--database-url", "postgresql://nobody:secret@127.0.0.1:9/none"]
    )
    assert result.exit_code == 1
    assert "secret" not in result.output
