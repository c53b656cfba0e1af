"""OPN memberships through ``alliance memberships …``, on SQLite and PostgreSQL: fees and
instalments with exact amounts (OPN-4, OPN-6, OPN-7), refused plans naming the rule
(OPN-5, OPN-6), associate approval and inheritance (OPN-2, OPN-8), renewal window edges
(OPN-14: day 90 vs day 91), expiry and reinstatement (OPN-15), the level-0 expertise
refusal (OPN-17) and the daily job's idempotency (X-5).

Commands run as the operator with ``--today`` fixing the day they act on.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.organizations import Organization
from alliance.domain.people import Person
from memberships_forms import Answers, associate_answers, principal_answers, renewal_answers

runner = CliRunner()
ACME, IBERIA, GLOBEX = (
    OrganizationId("org_acme"),
    OrganizationId("org_iberia"),
    OrganizationId("org_globex"),
)


@pytest.fixture
def env(application: Application, tmp_path: Path) -> dict[str, str]:
    with application.uow_factory() as uow:
        uow.organizations.add(Organization(id=ACME, name="Acme", country="FR"))
        uow.organizations.add(
            Organization(
                IBERIA, "Acme Iberia", "ES", parent_id=ACME, ownership_percent=Decimal(100)
            )
        )
        uow.organizations.add(Organization(id=GLOBEX, name="Globex", country="DE"))
        uow.people.add(Person(PersonId("per_ada"), "Ada", "ada@acme.example", ACME))
        uow.people.add(Person(PersonId("per_ines"), "Ines", "ines@iberia.example", IBERIA))
        uow.people.add(Person(PersonId("per_gus"), "Gus", "gus@globex.example", GLOBEX))
        uow.commit()
    return {
        "ALLIANCE_DATABASE_URL": application.settings.database_url,
        "ALLIANCE_DATA_DIR": str(tmp_path / "var"),
    }


def run(env: dict[str, str], today: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), ["memberships", "--today", today, *args], env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def ok(env: dict[str, str], today: str, *args: str) -> str:
    code, output = run(env, today, *args)
    assert code == 0, output
    return output


def refused(env: dict[str, str], today: str, *args: str) -> str:
    code, output = run(env, today, *args)
    assert code == 2, output
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, output
    return lines[0]


def answers_file(tmp_path: Path, name: str, answers: Answers) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


def subscription_in(output: str) -> str:
    for line in output.splitlines():
        if line.startswith("membership sub_"):
            return line.split()[1].rstrip(":")
    raise AssertionError(output)


def application_in(output: str) -> str:
    return output.split("application ", 1)[1].split()[0].rstrip(":")


def show(env: dict[str, str], today: str, identifier: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(ok(env, today, "show", identifier, "--json"))
    return body


def enrol(
    env: dict[str, str], tmp_path: Path, today: str, org: str, who: str, answers: Answers
) -> str:
    file = answers_file(tmp_path, f"{org}-{today}", answers)
    out = ok(env, today, "apply", org, "--applicant", who, "--answers", file, "--submit")
    return out


def test_level_2_quarterly_fee_is_four_equal_instalments_from_activation(
    env: dict[str, str], tmp_path: Path
) -> None:
    """OPN-4 100,000 USD; OPN-6 four instalments of 25,000.00 USD from activation; OPN-7
    the invoice carries the subscription id and is issued 3 business days later."""
    out = enrol(
        env,
        tmp_path,
        "2025-03-14",
        "org_acme",
        "per_ada",
        principal_answers("l2", "quarterly", "card"),
    )
    assert "instalment 1: 25,000.00 USD due 2025-03-14" in out
    assert "instalment 4: 25,000.00 USD due 2025-12-14" in out
    sub = subscription_in(out)
    body = show(env, "2025-03-14", sub)
    assert (body["status"], body["start"], body["end"]) == ("active", "2025-03-14", "2026-03-14")
    invoice = body["invoices"][0]
    assert invoice["reference"] == sub
    assert invoice["amount"] == {"amount": "100000.00", "currency": "USD"}
    assert invoice["issued_on"] == "2025-03-19"
    assert [i["amount"]["amount"] for i in invoice["instalments"]] == ["25000.00"] * 4
    paid = ok(env, "2025-03-20", "pay", sub, "--amount", "25000")
    assert "instalments paid 1" in paid


@pytest.mark.parametrize(
    ("level", "plan", "method", "expected"),
    [
        ("l1", "quarterly", "wire", "(field: plan) [OPN-6]"),
        ("l3", "annual", "card", "(field: method) [OPN-5]"),
        ("l0", "annual", "purchase_order", "(field: method) [OPN-5]"),
    ],
)
def test_refused_plans_name_the_rule(
    env: dict[str, str], tmp_path: Path, level: str, plan: str, method: str, expected: str
) -> None:
    started = ok(env, "2025-03-14", "apply", "org_acme", "--applicant", "per_ada")
    app_id = application_in(started)
    for step, data in principal_answers(level, plan, method):
        file = tmp_path / f"{step}.json"
        file.write_text(json.dumps(data), encoding="utf-8")
        if step == "payment":
            line = refused(env, "2025-03-14", "step", app_id, step, "--answers", str(file))
            assert line.endswith(expected)
            return
        ok(env, "2025-03-14", "step", app_id, step, "--answers", str(file))
    raise AssertionError("the payment step was not refused")


def test_level_3_annual_is_paid_before_activation(env: dict[str, str], tmp_path: Path) -> None:
    """OPN-6: benefits after full payment of 500,000.00 USD; OPN-7: no more than owed."""
    out = enrol(
        env,
        tmp_path,
        "2025-03-14",
        "org_acme",
        "per_ada",
        principal_answers("l3", "annual", "wire"),
    )
    sub = subscription_in(out)
    assert "pending_payment" in out
    assert "instalment 1: 500,000.00 USD due 2025-03-19" in out
    assert "[OPN-7]" in refused(env, "2025-03-20", "pay", sub, "--amount", "500000.01")
    assert "[OPN-5]" in refused(env, "2025-03-20", "pay", sub, "--amount", "1", "--method", "card")
    activated = ok(env, "2025-03-20", "pay", sub, "--amount", "500000")
    assert f"membership {sub} activated: 2025-03-20 → 2026-03-20" in activated
    replay = ok(env, "2025-03-20", "pay", sub, "--amount", "500000")
    assert "(already recorded)" in replay


def test_associate_waits_for_the_principal_administrator_and_inherits(
    env: dict[str, str], tmp_path: Path
) -> None:
    """OPN-2 approval by the principal's administrator; OPN-8 level and end date."""
    principal = enrol(
        env,
        tmp_path,
        "2025-03-14",
        "org_acme",
        "per_ada",
        principal_answers("l2", "quarterly", "wire"),
    )
    sub = subscription_in(principal)
    file = answers_file(tmp_path, "iberia", associate_answers(sub, "quarterly", "wire", level="l2"))
    pending = ok(
        env,
        "2025-05-02",
        "apply",
        "org_iberia",
        "--applicant",
        "per_ines",
        "--answers",
        file,
        "--submit",
    )
    assert "pending_approval" in pending
    app_id = application_in(pending)
    line = refused(env, "2025-05-02", "approve", app_id, "--by", "per_ines")
    assert line.endswith("[OPN-2]")
    approved = ok(env, "2025-05-02", "approve", app_id, "--by", "per_ada")
    associate = subscription_in(approved)
    body = show(env, "2025-05-02", associate)
    assert (body["level"], body["status"], body["principal"]) == ("l2", "active", sub)
    assert (body["start"], body["end"]) == ("2025-05-02", "2026-03-14")
    assert "[OPN-13]" in refused(env, "2025-05-02", "tracks", "join", associate, "healthcare")


def test_associate_of_an_inactive_principal_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    principal = enrol(
        env,
        tmp_path,
        "2025-03-14",
        "org_acme",
        "per_ada",
        principal_answers("l3", "annual", "wire"),
    )
    sub = subscription_in(principal)
    started = ok(env, "2025-03-14", "apply", "org_iberia", "--applicant", "per_ines")
    app_id = application_in(started)
    first = associate_answers(sub)[0]
    step_file = tmp_path / "first.json"
    step_file.write_text(json.dumps(first[1]), encoding="utf-8")
    line = refused(env, "2025-03-14", "step", app_id, first[0], "--answers", str(step_file))
    assert line.endswith("[OPN-2]")


def test_renewal_window_day_91_refused_day_90_open_then_expiry_and_reinstatement(
    env: dict[str, str], tmp_path: Path
) -> None:
    """OPN-14 window edges; OPN-15 expiry the day after the end, late renewal within a
    year with new dates; X-5 the daily job twice for a day does nothing the second time."""
    out = enrol(
        env,
        tmp_path,
        "2025-03-14",
        "org_acme",
        "per_ada",
        principal_answers("l1", "annual", "wire"),
    )
    sub = subscription_in(out)
    ok(env, "2025-03-14", "pay", sub, "--amount", "5000")
    assert show(env, "2025-03-14", sub)["end"] == "2026-03-14"
    line = refused(env, "2025-12-13", "renew", sub, "--by", "per_ada")  # day 91 before
    assert "(field: renewal) [OPN-14]" in line
    assert "renewal window opens on 2025-12-14" in line
    opened = ok(env, "2025-12-14", "renew", sub, "--by", "per_ada")  # day 90 before
    assert "next step: partnership_type_and_level" in opened
    # the daily job announces the window and the reminder once
    first = ok(env, "2025-12-14", "tick", "--as-of", "2025-12-14")
    assert "1 open renewal window" in first and "1 renewal reminder" in first
    assert "nothing to do" in ok(env, "2025-12-14", "tick", "--as-of", "2025-12-14")
    # not renewed: expired the day after the end date, once
    last_day = ok(env, "2026-03-14", "tick", "--as-of", "2026-03-14")
    assert "expire" not in last_day and "1 renewal reminder" in last_day  # the 7-day one
    assert "1 expire" in ok(env, "2026-03-15", "tick", "--as-of", "2026-03-15")
    assert "nothing to do" in ok(env, "2026-03-15", "tick", "--as-of", "2026-03-15")
    expired = show(env, "2026-03-15", sub)
    assert expired["status"] == "expired" and expired["benefits"] is False
    assert expired["renewal"]["route"] == "late"
    # late renewal (less than a year): benefits come back with new dates (OPN-15)
    file = answers_file(tmp_path, "renewal", renewal_answers("l1", "annual", "wire"))
    ok(env, "2026-06-01", "renew", sub, "--by", "per_ada", "--answers", file, "--submit")
    back = ok(env, "2026-06-01", "pay", sub, "--amount", "5000")
    assert f"renewal of {sub} approved: 2026-06-01 → 2027-06-01" in back
    body = show(env, "2026-06-01", sub)
    assert (body["status"], body["start"], body["end"]) == ("active", "2026-06-01", "2027-06-01")


def test_expired_more_than_a_year_must_enrol_anew(env: dict[str, str], tmp_path: Path) -> None:
    out = enrol(
        env,
        tmp_path,
        "2025-03-14",
        "org_acme",
        "per_ada",
        principal_answers("l1", "annual", "wire"),
    )
    sub = subscription_in(out)
    ok(env, "2025-03-14", "pay", sub, "--amount", "5000")
    ok(env, "2026-03-15", "tick", "--as-of", "2026-03-15")
    assert "1 lapse" in ok(env, "2027-03-15", "tick", "--as-of", "2027-03-15")
    line = refused(env, "2027-03-15", "renew", sub, "--by", "per_ada")
    assert line.endswith("[OPN-15]")


def test_level_0_can_never_publish_expertise(env: dict[str, str], tmp_path: Path) -> None:
    """OPN-17: level 0 is refused first, qualifications or not."""
    out = enrol(
        env,
        tmp_path,
        "2025-03-14",
        "org_globex",
        "per_gus",
        principal_answers("l0", "annual", "card", country="DE"),
    )
    sub = subscription_in(out)
    assert "500.00 USD" in out
    ok(env, "2025-03-14", "pay", sub, "--amount", "500")
    line = refused(
        env,
        "2025-03-14",
        "expertise",
        "publish",
        sub,
        "--product",
        "database",
        "--qualification",
        "dba",
    )
    assert "(field: level) [OPN-17]" in line
    assert "can never publish" in line
