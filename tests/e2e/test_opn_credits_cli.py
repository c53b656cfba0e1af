"""OPN partner credits through the ``alliance credits`` command line, on SQLite and
PostgreSQL (CRD-2 … CRD-6). The commands run as the operator with the real clock; the
scenario's memberships cover today. Acme holds 1,250.00 credits."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from api_world import World
from credits_scenario import CreditWorld, fund, seed_credits
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build
from alliance.domain.credits import PUBLIC_SECTOR_TAG
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.organizations import Organization
from alliance.domain.people import Person
from memberships_forms import Answers, associate_answers, principal_answers

runner = CliRunner()


@pytest.fixture
def env(application: Application, tmp_path: Path) -> dict[str, str]:
    return {
        "ALLIANCE_DATABASE_URL": application.settings.database_url,
        "ALLIANCE_DATA_DIR": str(tmp_path / "var"),
    }


@pytest.fixture
def cw(application: Application, world: World) -> CreditWorld:
    return seed_credits(application, None, world, date.today())


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), ["credits", *args], env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def ok(env: dict[str, str], *args: str) -> str:
    code, output = run(env, *args)
    assert code == 0, output
    return output


def refused(env: dict[str, str], *args: str) -> str:
    code, output = run(env, *args)
    assert code == 2, output
    assert len(output.strip().splitlines()) == 1, output  # one line, no stack trace
    return output


def as_json(env: dict[str, str], *args: str) -> Any:
    return json.loads(ok(env, *args, "--json"))


def totals(env: dict[str, str], org: str) -> tuple[str, str, str]:
    s = as_json(env, "statement", org)["statement"]
    return s["available"], s["held"], s["spent"]


def test_percentage_policy_holds_then_delivery_spends(env: dict[str, str], cw: CreditWorld) -> None:
    """CRD-2: 40 % of 1,250.00 at order time; CRD-3: held, then spent; X-5: replays."""
    acme, iberia = cw.world.acme.id, cw.world.iberia.id
    assert "expert_services_day" in ok(env, "catalog")
    assert "CRD-6" in ok(env, "catalog")
    set_to = ok(env, "policy", iberia, "preapproved_percentage", "--percentage", "40%")
    assert "40 %" in set_to
    placed = as_json(env, "order", iberia, "cloud_universal_credits", "--quantity", "500")
    assert (placed["order"]["credits"], placed["order"]["amount"]) == ("reserved", "500.00")
    assert totals(env, acme) == ("750.00", "500.00", "0.00")
    message = refused(env, "order", iberia, "cloud_universal_credits", "--quantity", "400")
    assert "[CRD-2]" in message and "300.00" in message
    again = as_json(env, "order", iberia, "cloud_universal_credits", "--quantity", "500")
    assert again["replayed"] is True and again["order"]["id"] == placed["order"]["id"]
    assert totals(env, acme) == ("750.00", "500.00", "0.00")
    assert "spent" in ok(env, "deliver", placed["order"]["id"])
    assert "already done" in ok(env, "deliver", placed["order"]["id"])
    assert totals(env, acme) == ("750.00", "0.00", "500.00")
    text = ok(env, "statement", acme)
    assert "held (reserved)" in text and "500.00" in text and iberia in text


def test_approval_required_approve_and_cancel(env: dict[str, str], cw: CreditWorld) -> None:
    acme, iberia = cw.world.acme.id, cw.world.iberia.id
    ok(env, "policy", acme, "approval_required")
    pending = as_json(env, "order", iberia, "training_voucher", "-q", "2")
    order_id = pending["order"]["id"]
    assert pending["order"]["status"] == "pending_approval"
    assert totals(env, acme) == ("1250.00", "0.00", "0.00")
    assert "[OPN-18]" in refused(env, "approve", order_id, "--by", "ivo@acme-iberia.example")
    assert "reserved" in ok(env, "approve", order_id)  # by Acme's administrator
    assert totals(env, acme) == ("750.00", "500.00", "0.00")
    assert "released" in ok(env, "cancel", order_id)
    assert totals(env, acme) == ("1250.00", "0.00", "0.00")
    assert "[CRD-3]" in refused(env, "deliver", order_id)


def test_refusals_name_their_rule(
    application: Application, env: dict[str, str], cw: CreditWorld
) -> None:
    acme, iberia = cw.world.acme.id, cw.world.iberia.id
    assert "[CRD-2]" in refused(env, "order", iberia, "training_voucher")  # principal only
    assert "[CRD-3]" in refused(env, "order", acme, "training_voucher", "--by", "mia@acme.example")
    today = date.today()
    fund(
        application,
        acme,
        "public-deal",
        "1000.00",
        today,
        today.replace(year=today.year + 1),
        frozenset({"reward", PUBLIC_SECTOR_TAG}),
    )
    assert "[CRD-6]" in refused(env, "order", acme, "expert_services_day", "-q", "2")
    assert "[CRD-2]" in refused(env, "policy", iberia, "preapproved_percentage")
    assert "[CRD-2]" in refused(
        env, "policy", iberia, "preapproved_percentage", "--percentage", "140%"
    )
    placed = as_json(env, "order", acme, "training_voucher", "--for", iberia)
    assert placed["order"]["beneficiary_id"] == iberia
    assert placed["order"]["id"] in ok(env, "orders", iberia)


def test_the_statement_as_csv(env: dict[str, str], cw: CreditWorld) -> None:
    acme = cw.world.acme.id
    ok(env, "order", acme, "certification_exam", "-q", "2")
    lines = ok(env, "statement", acme, "--csv").splitlines()
    assert lines[0].startswith("lot_id,source,tags,accrued_on,expires_on")
    assert lines[-1] == "total,,,,,1250.00,1000.00,250.00,0.00,0.00"
    before = as_json(env, "statement", acme, "--as-of", "2000-01-01")["statement"]
    assert before["accrued"] == "0.00"


def test_enrolment_choice_and_level_allocation_end_to_end(
    application: Application, env: dict[str, str], tmp_path: Path
) -> None:
    """The whole chain through ``alliance memberships`` then ``alliance credits``: Acme
    enrols at level 1 choosing *pre-approved percentage* for its associates (CRD-2 at
    enrolment, the program's 50 %), pays, is activated and allocated 5,000.00 credits
    (CRD-1); Iberia joins as its associate; Iberia's administrator may then order up to
    50 % of Acme's available balance at order time: 2,500.00, then 1,250.00."""
    acme, iberia = OrganizationId("org_acme"), OrganizationId("org_iberia")
    with application.uow_factory() as uow:
        uow.organizations.add(Organization(id=acme, name="Acme", country="FR"))
        uow.organizations.add(
            Organization(
                iberia, "Acme Iberia", "ES", parent_id=acme, ownership_percent=Decimal(100)
            )
        )
        uow.people.add(Person(PersonId("per_ada"), "Ada", "ada@acme.example", acme))
        uow.people.add(Person(PersonId("per_ines"), "Ines", "ines@iberia.example", iberia))
        uow.commit()
    today = date.today().isoformat()

    def memberships(*args: str) -> str:
        result = runner.invoke(_build(), ["memberships", "--today", today, *args], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    def answers(name: str, steps: Answers) -> str:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(steps), encoding="utf-8")
        return str(path)

    principal = answers(
        "acme", principal_answers("l1", "annual", "wire", ordering="preapproved_percentage")
    )
    out = memberships("apply", acme, "--applicant", "per_ada", "--answers", principal, "--submit")
    sub = next(
        line.split()[1].rstrip(":")
        for line in out.splitlines()
        if line.startswith("membership sub_")
    )
    memberships("pay", sub, "--amount", "5000")
    associate = answers("iberia", associate_answers(sub, "annual", "wire", level="l1"))
    pending = memberships(
        "apply", iberia, "--applicant", "per_ines", "--answers", associate, "--submit"
    )
    approved = memberships(
        "approve", pending.split("application ", 1)[1].split()[0].rstrip(":"), "--by", "per_ada"
    )
    associate_sub = next(
        line.split()[1].rstrip(":")
        for line in approved.splitlines()
        if line.startswith("membership sub_")
    )
    shown = json.loads(memberships("show", associate_sub, "--json"))
    if shown["status"] != "active":  # the associate pays its own fee at its level (OPN-8)
        memberships("pay", associate_sub, "--amount", shown["invoices"][0]["amount"]["amount"])

    assert totals(env, acme) == ("5000.00", "0.00", "0.00")  # CRD-1: level 1
    policies = ok(env, "policy", iberia)
    assert "50 %" in policies and "chosen at the principal's enrolment" in policies
    first = as_json(env, "order", iberia, "cloud_universal_credits", "-q", "2500")
    assert (first["order"]["limit"], first["order"]["credits"]) == ("2500.00", "reserved")
    message = refused(env, "order", iberia, "cloud_universal_credits", "-q", "1251")
    assert "[CRD-2]" in message and "1,250.00" in message
    assert totals(env, acme) == ("2500.00", "2500.00", "0.00")
