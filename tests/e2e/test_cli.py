"""The ``alliance`` command line end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from alliance.bootstrap import bootstrap
from alliance.cli.main import _build
from alliance.settings import Settings
from alliance.store.migrate import head_revision
from postgres_support import empty_postgres_tables

runner = CliRunner()


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.db'}"
    url, cleaner = request.getfixturevalue("postgres_database")
    empty_postgres_tables(cleaner)
    return str(url)


def _run(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), list(args), env={"ALLIANCE_DATABASE_URL": url})
    return result.exit_code, result.output


def test_db_upgrade_creates_the_schema_and_says_which_revision(database_url: str) -> None:
    head = head_revision()
    code, output = _run(database_url, "db", "upgrade")
    assert code == 0, output
    assert f"at revision {head}" in output
    code, output = _run(database_url, "db", "current")
    assert code == 0 and head in output


def test_demo_loads_a_deterministic_data_set_once(database_url: str, tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    args = ("demo", "--no-serve", "--partners", "20", "--seed", "5", "--end-month", "2026-10")
    code, output = _run(database_url, *args, "--facts-dir", str(facts))
    assert code == 0, output
    assert "admin@alliance.example" in output
    usage = pq.read_table(facts / "usage.parquet")
    assert sorted(set(usage.column("month").to_pylist()))[-1] == "2026-10"

    application = bootstrap(Settings(database_url=database_url))
    with application.uow_factory() as uow:
        loaded = uow.organizations.count()
        admin = uow.users.by_email("partner@alliance.example")
    application.close()
    assert loaded >= 40  # 20 partners (+ associates) and 20 customers (+ subsidiaries)
    assert admin is not None

    code, output = _run(database_url, *args, "--facts-dir", str(facts))
    assert code == 0, output
    assert "not loaded again" in output
    application = bootstrap(Settings(database_url=database_url))
    with application.uow_factory() as uow:
        assert uow.organizations.count() == loaded
    application.close()


def test_a_bad_month_is_refused_without_a_stack_trace(database_url: str) -> None:
    code, output = _run(database_url, "demo", "--no-serve", "--end-month", "2026-13")
    assert code == 2
    assert "end_month" in output
    assert "Traceback" not in output


def test_programs_are_listed_through_the_main_command(database_url: str) -> None:
    code, output = _run(database_url, "programs", "list")
    assert code == 0, output
    for program in ("opn", "pex", "mcpp", "oip", "osr"):
        assert program in output
