"""``alliance pex …`` and ``alliance oip …`` end to end, on SQLite and PostgreSQL (the
CLI runs with the real clock: 2025 has ended)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from api_world import World
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build
from alliance.domain.calendar import Month
from earned_world import certs, deal, load, monthly

runner = CliRunner()


@pytest.fixture
def env(world: World, application: Application) -> dict[str, str]:
    load(
        application.uow_factory,
        "tiers",
        deals=[deal("D1", world.globex.id, "60000", date(2025, 1, 20), [world.acme.id])],
        certifications=certs(world.globex.id, 2, date(2025, 1, 8)),
        members=[(world.acme.id, "ambassador", None)],
        revenue=monthly(world.acme.id, Month(2025, 1), 1, "1234.56"),
    )
    return {"ALLIANCE_DATABASE_URL": application.settings.database_url}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def ok(env: dict[str, str], *args: str) -> str:
    code, output = run(env, *args)
    assert code == 0, output
    return output


def test_points_budgets_and_margins_on_the_command_line(env: dict[str, str], world: World) -> None:
    acme, globex = world.acme.id, world.globex.id
    enrol = ("pex", "enrol", "--type", "solution_provider", "--on", "2025-01-02")
    ok(env, *enrol[:2], globex, *enrol[2:], "--module", "resell")
    ok(env, *enrol[:2], acme, *enrol[2:], "--module", "resell", "--module", "sell_with")
    first = ok(env, "pex", "points", "post", "--month", "2025-01")
    assert "2 award(s), 160 points; 2 new lot(s), 0 already posted" in first
    again = ok(env, "pex", "points", "post", "--month", "2025-01")
    assert "0 new lot(s), 2 already posted" in again
    code, short = run(env, "pex", "poc", "request", acme, "--points", "61", "--ref", "poc-1")
    assert code == 2
    assert "needs 61 points" in short and "has 60 available (1 short)" in short
    held = ok(
        env, "pex", "poc", "request", acme, "--points", "60", "--ref", "poc-1",
        "--as", "ada@acme.example",
    )  # fmt: skip
    request_id = re.search(r"request (poc_\S+),", held)
    assert request_id is not None, held
    assert "approved" in ok(env, "pex", "poc", "approve", request_id[1])
    statement = json.loads(ok(env, "pex", "points", "statement", acme, "--json"))
    assert (statement["available"], statement["spent"]) == ("0", "60")
    margin = json.loads(ok(env, "pex", "margins", globex, "--year", "2025", "--json"))
    assert margin["margin"] == {"amount": "6900.00", "currency": "USD"}
    code, other = run(env, "pex", "margins", globex, "--year", "2025", "--as", "ada@acme.example")
    assert code == 2 and "[X-6]" in other


def test_oip_duties_and_commissions_on_the_command_line(env: dict[str, str], world: World) -> None:
    acme = world.acme.id
    ok(env, "oip", "record-duty", acme, "meet_objectives", "--done", "1", "--on", "2025-03-01")
    duties = json.loads(ok(env, "oip", "duties", acme, "--on", "2025-03-01", "--json"))
    assert (duties["status"], duties["met"], duties["due"]) == ("starter", 1, 7)
    commission = ok(env, "oip", "commissions", acme, "--month", "2025-01")
    assert "1,234.56 EUR billed to the customers in 2025-01 × 10 % = 123.456 EUR" in commission
    assert "rounded half-up to 123.46 EUR" in commission


def test_availability_on_the_command_line(env: dict[str, str]) -> None:
    code, output = run(env, "pex", "availability", "cloud_service_provider", "--on", "2025-06-01")
    assert code == 1
    assert "Cloud service providers are not admitted yet (no date set yet) [PEX-7]" in output
    assert "Solution provider: admitted" in ok(env, "pex", "availability", "solution_provider")
