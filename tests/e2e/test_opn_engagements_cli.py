"""Deal registration and its rewards through ``alliance engagements``, on SQLite and
PostgreSQL (issue 4). Partners act ``--as`` one of their people; the vendor's commands run
as the operator. The CLI uses the real clock, so memberships start today.

The acknowledgement e-mail goes through the outbox and is delivered by ``alliance
notifications deliver`` to a real SMTP server on loopback, which reads it back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_world import World
from engagements_scenario import add_person, opportunity, person_id, vendor_programs
from typer.testing import CliRunner

from alliance.bootstrap import Application
from alliance.cli.main import _build
from alliance.domain.engagement_rewards import PayoutMethod
from engagements_members import enrol
from integration.notification_receivers import SmtpReceiver

runner = CliRunner()
ADA = "ada@acme.example"
GUS = "gus@globex.example"


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def env(
    application: Application, world: World, tmp_path: Path, smtp: SmtpReceiver
) -> dict[str, str]:
    """The CLI's environment, with Acme (credits) and Globex (money) enrolled today."""
    today = date.today()
    ada, gus = person_id(application, ADA), person_id(application, GUS)
    enrol(
        application.uow_factory,
        world.acme.id,
        ada,
        payout=PayoutMethod.PARTNER_CREDITS,
        start=today,
    )
    enrol(
        application.uow_factory,
        world.globex.id,
        gus,
        payout=PayoutMethod.MONEY,
        start=today,
        country="DE",
    )
    return {
        "ALLIANCE_DATABASE_URL": application.settings.database_url,
        "ALLIANCE_DATA_DIR": str(tmp_path / "var"),
        "ALLIANCE_ATTACHMENTS_DIR": str(tmp_path / "attachments"),
        "ALLIANCE_PROGRAMS": str(vendor_programs(tmp_path / "programs")),
        "ALLIANCE_SMTP_URL": smtp.url(),
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(_build(), list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def ok(env: dict[str, str], *args: str) -> str:
    code, output = run(env, *args)
    assert code == 0, output
    return output


def refused(env: dict[str, str], *args: str) -> str:
    code, output = run(env, *args)
    assert code == 2, output
    return output


def form_file(tmp_path: Path, name: str, form: dict[str, Any]) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(form), encoding="utf-8")
    return str(path)


def create(env: dict[str, str], tmp_path: Path, who: str, form: dict[str, Any]) -> str:
    output = ok(
        env, "engagements", "create", "--file", form_file(tmp_path, "form", form), "--as", who
    )
    found = re.search(r"submitted engagement (eng_\w+)", output)
    assert found is not None, output
    return found.group(1)


def test_the_eleventh_engagement_user_is_refused(
    env: dict[str, str], application: Application, world: World
) -> None:
    ada = person_id(application, ADA)
    ok(env, "engagements", "users", "add", ada, "--as", ADA)
    people = [add_person(application, f"user{i}", world.acme) for i in range(10)]
    for person in people[:9]:
        ok(env, "engagements", "users", "add", person.id, "--as", ADA)
    output = refused(env, "engagements", "users", "add", people[9].id, "--as", ADA)
    assert "[CCE-1]" in output and "most allowed is 10" in output
    ok(env, "engagements", "users", "deactivate", people[0].id, "--as", ADA)
    ok(env, "engagements", "users", "add", people[9].id, "--as", ADA)
    listing = ok(env, "engagements", "users", "list", world.acme.id, "--as", ADA)
    assert "10 active user(s) of 10; 0 place(s) left [CCE-1]" in listing
    other = refused(env, "engagements", "users", "add", people[0].id, "--as", GUS)
    assert "[X-6]" in other


def test_missing_fields_are_all_named_and_a_full_form_is_submitted(
    env: dict[str, str], tmp_path: Path
) -> None:
    output = refused(
        env,
        "engagements",
        "create",
        "--file",
        form_file(tmp_path, "empty", {"category": "opportunity"}),
        "--as",
        ADA,
    )
    assert "[CCE-3]" in output
    for field in (
        "name",
        "customer",
        "customer_address",
        "products",
        "estimated_close_date",
        "customer_contact",
        "partner_contact",
    ):
        assert f"{field}: " in output, (field, output)
    engagement = create(env, tmp_path, ADA, opportunity())
    shown = json.loads(ok(env, "engagements", "show", engagement, "--as", ADA, "--json"))
    assert (shown["status"], shown["duplicate"]["verdict"]) == ("submitted", "new")


def test_edits_transitions_duplicates_and_the_acknowledgement_email(
    env: dict[str, str], tmp_path: Path, smtp: SmtpReceiver
) -> None:
    engagement = create(env, tmp_path, ADA, opportunity())
    customer = refused(
        env,
        "engagements",
        "edit",
        engagement,
        "--file",
        form_file(tmp_path, "customer", {"customer": {"legal_name": "Other SA"}}),
        "--as",
        ADA,
    )
    assert "[CCE-5]" in customer and "never editable" in customer
    illegal = refused(env, "engagements", "move", engagement, "eligible")
    assert "[CCE-6]" in illegal and "can go to acknowledged" in illegal
    moved = ok(env, "engagements", "move", engagement, "acknowledged")
    assert "1 e-mail(s) to the partner queued [CCE-6]" in moved
    assert "delivered" in ok(env, "notifications", "deliver", "--limit", "1000")
    acknowledged = [r for r in smtp.received if "acknowledged" in str(r.message["Subject"])]
    assert [r.rcpt_tos for r in acknowledged] == [[ADA]]
    assert "[CCE-6]" in acknowledged[0].message.get_content()
    twin = create(env, tmp_path, ADA, opportunity(name="Twin"))
    check = ok(env, "engagements", "duplicates", twin)
    assert f"{twin}: duplicate" in check and engagement in check and "[CCE-4]" in check
    for target in ("in_review", "accepted", "lost"):
        if target == "lost":
            ok(env, "engagements", "move", engagement, "lose")
        else:
            ok(env, "engagements", "move", engagement, target)
    closed = refused(
        env,
        "engagements",
        "edit",
        engagement,
        "--file",
        form_file(tmp_path, "rename", {"name": "Renamed"}),
        "--as",
        ADA,
    )
    assert "[CCE-5]" in closed and "closed" in closed
    ok(env, "engagements", "note", engagement, "Lost on price", "--as", ADA)


def test_credit_payouts_post_once_and_money_waits_for_invoice_and_supplier(
    env: dict[str, str], tmp_path: Path, application: Application, world: World
) -> None:
    credits = create(env, tmp_path, ADA, opportunity())
    for target in ("acknowledged", "in_review", "accepted", "eligible"):
        ok(env, "engagements", "move", credits, target)
    paid = ok(env, "engagements", "payout", "release", credits)
    assert "10,000.00 USD in partner_credits" in paid and "credited" in paid
    again = ok(env, "engagements", "payout", "release", credits)
    assert again.startswith("already paid:")
    with application.uow_factory() as uow:
        lots = uow.ledger.lots().values()
        assert len([lot for lot in lots if "reward" in lot.origin.tags]) == 1
    money = create(
        env,
        tmp_path,
        GUS,
        opportunity(
            customer={
                "legal_name": "Berlin Bank AG",
                "address": {"street": "Unter den Linden 1", "city": "Berlin", "country": "DE"},
            }
        ),
    )
    for target in ("acknowledged", "in_review", "accepted", "eligible"):
        ok(env, "engagements", "move", money, target)
    blocked = refused(env, "engagements", "payout", "release", money)
    assert "[RWD-4]" in blocked and "Invoice" in blocked
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(b"%PDF-1.4 invoice")
    attached = ok(
        env, "engagements", "attach", money, str(invoice), "--category", "invoice", "--as", GUS
    )
    assert "document review [CCE-5]" in attached
    assert "supplier account" in refused(env, "engagements", "payout", "release", money)
    ok(env, "engagements", "supplier", world.globex.id, "--status", "active")
    released = ok(env, "engagements", "payout", "release", money)
    assert "10,000.00 USD in money" in released and "released" in released
    listed = ok(env, "engagements", "list", "--as", GUS)
    assert money in listed and credits not in listed
