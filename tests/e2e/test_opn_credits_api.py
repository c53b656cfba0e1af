"""OPN partner credits through the REST API, on SQLite and PostgreSQL (CRD-2 … CRD-6).

Acme (principal) holds 1,250.00 credits; Acme Iberia is its associate. Every number is
the scenario's, every refusal names its rule, and a partner never sees another's data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from api_world import World, error_of
from credits_scenario import CreditWorld, fund, seed_credits
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.clock import FixedClock
from alliance.domain.credits import PUBLIC_SECTOR_TAG

API = "/api/v1/credits"


@pytest.fixture
def cw(
    application: Application, client: TestClient, world: World, clock: FixedClock
) -> CreditWorld:
    return seed_credits(application, client, world, clock.today())


def order(
    client: TestClient,
    cw: CreditWorld,
    who: str,
    org: str,
    option: str,
    quantity: int,
    key: str,
    **extra: str,
) -> Any:
    return client.post(
        f"{API}/orders",
        json={
            "organization_id": org,
            "option_id": option,
            "quantity": quantity,
            "idempotency_key": key,
            **extra,
        },
        headers=cw.auth(who),
    )


def statement(client: TestClient, cw: CreditWorld, who: str, org: str) -> dict[str, Any]:
    answer = client.get(f"{API}/statement/{org}", headers=cw.auth(who))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def totals(client: TestClient, cw: CreditWorld) -> tuple[str, str, str]:
    s = statement(client, cw, "acme_credits", cw.world.acme.id)["statement"]
    return s["available"], s["held"], s["spent"]


def test_forty_percent_of_the_balance_at_order_time_held_then_delivered(
    client: TestClient, cw: CreditWorld
) -> None:
    """CRD-2: 40 % of 1,250.00 = 500.00 at the first order; then 40 % of 750.00 =
    300.00, so 400.00 more is refused; delivery spends the held 500.00 (CRD-3)."""
    acme, iberia = cw.world.acme.id, cw.world.iberia.id
    set_policy = client.put(
        f"{API}/policies/{iberia}",
        json={"policy": "preapproved_percentage", "percentage": "40%"},
        headers=cw.auth("acme_admin"),
    )
    assert set_policy.status_code == 200, set_policy.text
    assert set_policy.json()["percentage"] == "0.4"
    share = statement(client, cw, "iberia_admin", iberia)
    assert share["view"] == "usable_share" and share["statement"] is None
    assert share["share"]["usable"] == "500.00"

    first = order(client, cw, "iberia_admin", iberia, "cloud_universal_credits", 500, "ib-1")
    assert first.status_code == 201, first.text
    placed = first.json()["order"]
    assert (placed["status"], placed["credits"], placed["amount"], placed["limit"]) == (
        "held",
        "reserved",
        "500.00",
        "500.00",
    )
    assert totals(client, cw) == ("750.00", "500.00", "0.00")
    assert statement(client, cw, "iberia_admin", iberia)["share"]["usable"] == "300.00"

    refused = order(client, cw, "iberia_admin", iberia, "cloud_universal_credits", 400, "ib-2")
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["rule"] == "CRD-2"
    assert "400.00" in error["message"] and "300.00" in error["message"]

    denied = client.post(f"{API}/orders/{placed['id']}/deliver", headers=cw.auth("iberia_admin"))
    assert denied.status_code == 403 and error_of(denied)["rule"] == "CRD-3"
    delivered = client.post(f"{API}/orders/{placed['id']}/deliver", headers=cw.auth("finance"))
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["order"]["credits"] == "spent"
    assert totals(client, cw) == ("750.00", "0.00", "500.00")
    again = client.post(f"{API}/orders/{placed['id']}/deliver", headers=cw.auth("finance"))
    assert again.json()["replayed"] is True
    assert totals(client, cw) == ("750.00", "0.00", "500.00")
    assert acme  # the principal's statement is Acme's


def test_approval_required_then_cancel_releases(client: TestClient, cw: CreditWorld) -> None:
    """CRD-2: each associate request is approved by the principal; CRD-3: cancelled,
    its held credits go back."""
    acme, iberia = cw.world.acme.id, cw.world.iberia.id
    answer = client.put(
        f"{API}/policies/{acme}",
        json={"policy": "approval_required"},
        headers=cw.auth("acme_credits"),
    )
    assert answer.status_code == 200, answer.text
    placed = order(client, cw, "iberia_admin", iberia, "training_voucher", 2, "ap-1")
    assert placed.status_code == 201, placed.text
    body = placed.json()["order"]
    assert (body["status"], body["credits"], body["hold_id"]) == (
        "pending_approval",
        "awaiting_approval",
        None,
    )
    assert totals(client, cw) == ("1250.00", "0.00", "0.00")
    self_approval = client.post(
        f"{API}/orders/{body['id']}/approve", headers=cw.auth("iberia_admin")
    )
    assert self_approval.status_code == 403 and error_of(self_approval)["rule"] == "CRD-2"
    approved = client.post(f"{API}/orders/{body['id']}/approve", headers=cw.auth("acme_credits"))
    assert approved.status_code == 200, approved.text
    assert approved.json()["order"]["credits"] == "reserved"
    assert totals(client, cw) == ("750.00", "500.00", "0.00")
    cancelled = client.post(f"{API}/orders/{body['id']}/cancel", headers=cw.auth("iberia_admin"))
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["order"]["credits"] == "released"
    assert totals(client, cw) == ("1250.00", "0.00", "0.00")
    illegal = client.post(f"{API}/orders/{body['id']}/deliver", headers=cw.auth("finance"))
    assert illegal.status_code == 422 and error_of(illegal)["rule"] == "CRD-3"


def test_associates_cannot_order_by_default_the_principal_orders_for_them(
    client: TestClient, cw: CreditWorld
) -> None:
    """CRD-2 (a): principal orders only (the program's default)."""
    acme, iberia = cw.world.acme.id, cw.world.iberia.id
    refused = order(client, cw, "iberia_admin", iberia, "training_voucher", 1, "d-1")
    assert refused.status_code == 422 and error_of(refused)["rule"] == "CRD-2"
    for_iberia = order(
        client, cw, "acme_admin", acme, "training_voucher", 1, "d-2", beneficiary_id=iberia
    )
    assert for_iberia.status_code == 201, for_iberia.text
    assert for_iberia.json()["order"]["beneficiary_id"] == iberia
    listed = client.get(
        f"{API}/orders", params={"organization_id": iberia}, headers=cw.auth("iberia_admin")
    )
    assert [o["id"] for o in listed.json()] == [for_iberia.json()["order"]["id"]]


def test_public_sector_credits_are_refused_by_flagged_options(
    application: Application, client: TestClient, cw: CreditWorld, clock: FixedClock
) -> None:
    """CRD-6: two expert-services days (2,000.00) cannot use the 1,000.00 earned on a
    public-sector deal; the 1,250.00 of other credits do not cover them."""
    acme = cw.world.acme.id
    today = clock.today()
    fund(
        application,
        acme,
        "public-deal",
        "1000.00",
        today,
        today.replace(year=today.year + 1),
        frozenset({"reward", PUBLIC_SECTOR_TAG}),
    )
    catalog = client.get(f"{API}/catalog", headers=cw.auth("acme_admin")).json()
    flagged = {o["id"] for o in catalog if o["refuses_public_sector_credits"]}
    assert "expert_services_day" in flagged and "training_voucher" not in flagged
    refused = order(client, cw, "acme_admin", acme, "expert_services_day", 2, "ps-1")
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["rule"] == "CRD-6" and "1,250.00" in error["message"]
    fine = order(client, cw, "acme_admin", acme, "training_voucher", 8, "ps-2")
    assert fine.status_code == 201, fine.text  # 2,000.00, public-sector credits included
    s = statement(client, cw, "acme_admin", acme)["statement"]
    assert (s["available"], s["held"]) == ("250.00", "2000.00")


@pytest.mark.parametrize("who", ["acme_marketing", "iberia_user", "viewer"])
def test_only_administrators_and_credit_managers_order(
    client: TestClient, cw: CreditWorld, who: str
) -> None:
    """CRD-3 / OPN-18: anyone else is refused with 403 naming CRD-3."""
    org = {"acme_marketing": cw.world.acme.id, "iberia_user": cw.world.iberia.id}.get(
        who, cw.world.acme.id
    )
    refused = order(client, cw, who, org, "training_voucher", 1, f"r-{who}")
    assert refused.status_code == 403
    error = error_of(refused)
    assert error["rule"] == "CRD-3" and "OPN-18" in error["message"]
    assert totals(client, cw) == ("1250.00", "0.00", "0.00")


def test_a_replayed_order_changes_nothing(client: TestClient, cw: CreditWorld) -> None:
    """X-5: 201 then 200 with the same order; the same key for another request: 409."""
    acme = cw.world.acme.id
    first = order(client, cw, "acme_credits", acme, "certification_exam", 2, "same")
    second = order(client, cw, "acme_credits", acme, "certification_exam", 2, "same")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["replayed"] is True
    assert first.json()["order"]["id"] == second.json()["order"]["id"]
    assert totals(client, cw) == ("1000.00", "250.00", "0.00")
    other = order(client, cw, "acme_credits", acme, "certification_exam", 3, "same")
    assert other.status_code == 409 and error_of(other)["rule"] == "X-5"


def test_statements_orders_and_policies_stay_within_the_company(
    client: TestClient, cw: CreditWorld
) -> None:
    """X-6: Globex's people never see Acme's statement, orders or policies; CRD-5: a
    marketing contact of Acme sees no statement."""
    acme, iberia, globex = cw.world.acme.id, cw.world.iberia.id, cw.world.globex.id
    placed = order(client, cw, "acme_admin", acme, "training_voucher", 1, "t-1").json()["order"]
    for path in (
        f"{API}/statement/{acme}",
        f"{API}/orders/{placed['id']}",
        f"{API}/policies/{acme}",
    ):
        answer = client.get(path, headers=cw.auth("globex_admin"))
        assert answer.status_code == 403, path
        assert error_of(answer)["rule"] == "X-6"
    listed = client.get(
        f"{API}/orders", params={"organization_id": acme}, headers=cw.auth("globex_admin")
    )
    assert listed.status_code == 403
    own = client.get(
        f"{API}/orders", params={"organization_id": globex}, headers=cw.auth("globex_admin")
    )
    assert own.status_code == 200 and own.json() == []
    mine = client.get(f"{API}/orders", headers=cw.auth("acme_admin"))  # default: own company
    assert [o["id"] for o in mine.json()] == [placed["id"]]
    cancel = client.post(f"{API}/orders/{placed['id']}/cancel", headers=cw.auth("globex_admin"))
    assert cancel.status_code == 403
    policy = client.put(
        f"{API}/policies/{iberia}",
        json={"policy": "preapproved_whole_balance"},
        headers=cw.auth("globex_admin"),
    )
    assert policy.status_code == 403
    marketing = client.get(f"{API}/statement/{acme}", headers=cw.auth("acme_marketing"))
    assert marketing.status_code == 403 and error_of(marketing)["rule"] == "CRD-5"
    own_statement = statement(client, cw, "globex_admin", globex)["statement"]
    assert own_statement["orders"] == [] and own_statement["accrued"] == "0.00"


def test_the_statement_downloads_as_csv(client: TestClient, cw: CreditWorld) -> None:
    acme = cw.world.acme.id
    order(client, cw, "acme_admin", acme, "training_voucher", 1, "csv-1")
    answer = client.get(
        f"{API}/statement/{acme}", params={"format": "csv"}, headers=cw.auth("acme_admin")
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.splitlines()
    assert (
        lines[0] == "lot_id,source,tags,accrued_on,expires_on,accrued,available,held,spent,expired"
    )
    assert lines[-1] == "total,,,,,1250.00,1000.00,250.00,0.00,0.00"
    assert Decimal(lines[1].split(",")[5]) == Decimal("1250.00")
