"""``alliance quote`` end to end, on SQLite and PostgreSQL (OIP-7, OIP-8, X-6, X-7)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from api_world import World
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build
from alliance.domain.calendar import Month
from earned_world import load, monthly, orders

runner = CliRunner()


@pytest.fixture
def env(world: World, application: Application) -> dict[str, str]:
    acme = world.acme.id
    load(
        application.uow_factory,
        "oip",
        members=[(acme, "ambassador", None), (world.globex.id, "operator", None)],
        revenue=monthly(acme, Month(2025, 7), 6, "1500"),
        orders=orders(acme, (date(2026, 4, 2), "300"), (date(2026, 5, 15), "120")),
    )
    return {"ALLIANCE_DATABASE_URL": application.settings.database_url}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_quote_explains_the_quarterly_minimum(env: dict[str, str], world: World) -> None:
    code, output = run(
        env,
        "quote",
        "--partner",
        world.acme.id,
        "--line",
        "number_porting:12",
        "--on",
        "2026-05-15",
    )
    assert code == 0, output
    assert (
        "12 × Number porting (number_porting): 9.00 EUR each (list 9.00 EUR) = 108.00 EUR" in output
    )
    assert (
        "Number porting grid needs 600.00 EUR of order intake in 2026-Q2; you have 420.00 EUR "
        "(180.00 EUR to go) [OIP-8]"
    ) in output
    assert "total 108.00 EUR (list 108.00 EUR, savings 0.00 EUR)" in output


def test_quote_json_and_a_partner_persons_tenancy(env: dict[str, str], world: World) -> None:
    code, output = run(
        env,
        "quote",
        "--partner",
        world.acme.id,
        "--line",
        "number_porting:12",
        "--on",
        "2026-05-15",
        "--json",
        "--as",
        "ada@acme.example",
    )
    assert code == 0, output
    quote = json.loads(output)
    assert quote["total"] == {"amount": "108.00", "currency": "EUR"}
    assert quote["status"] == "business"
    code, output = run(
        env, "quote", "--partner", world.globex.id, "--line", "vm:1:10", "--as", "ada@acme.example"
    )
    assert code == 2
    assert "may act only for its own organisation" in output and "[X-6]" in output


def test_a_bad_line_is_refused_without_a_stack_trace(env: dict[str, str], world: World) -> None:
    code, output = run(env, "quote", "--partner", world.acme.id, "--line", "vm:many")
    assert code == 2
    assert "lines[0].quantity" in output
