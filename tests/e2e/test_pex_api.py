"""PEX through ``/api/v1/pex`` end to end, on SQLite and PostgreSQL: enrolment (PEX-2,
PEX-7), points posted once (PEX-3, PEX-4, PEX-6, X-5), a proof-of-concept budget paid
with points (PEX-4), the tranche margin (PEX-5), tenancy (X-6). The clock says
2025-03-14, so January 2025 has ended."""

from __future__ import annotations

from datetime import date

import pytest
from api_world import World, _user, error_of, login
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.people import VendorRole
from earned_world import certs, deal, load

FINANCE = "fin@vendor.example"


@pytest.fixture
def pex_world(world: World, application: Application, client: TestClient) -> dict[str, str]:
    """Globex resells (Resell), Acme influences (Resell + Sell With): deal D1 of 60,000
    USD goes through Globex and is influenced by Acme; Globex's people earn 2
    certifications. Returns the finance officer's auth header."""
    _user(application, FINANCE, None, VendorRole.FINANCE)
    finance = {"Authorization": f"Bearer {login(client, FINANCE)}"}
    for partner, modules in (
        (world.globex.id, ["resell"]),
        (world.acme.id, ["resell", "sell_with"]),
    ):
        answer = client.post(
            "/api/v1/pex/enrolments",
            json={"partner_id": partner, "partner_type": "solution_provider", "modules": modules},
            headers=finance,
        )
        assert answer.status_code == 200, answer.text
    load(
        application.uow_factory,
        "pex",
        deals=[deal("D1", world.globex.id, "60000", date(2025, 1, 20), [world.acme.id])],
        certifications=certs(world.globex.id, 2, date(2025, 1, 8)),
    )
    return finance


def test_points_are_posted_once_and_pay_a_budget(
    client: TestClient, world: World, pex_world: dict[str, str]
) -> None:
    finance = pex_world
    first = client.post("/api/v1/pex/points/runs", json={"month": "2025-01"}, headers=finance)
    assert first.status_code == 200, first.text
    assert (first.json()["posted"], first.json()["points"]) == (2, "160")  # 60 + 2 × 50
    again = client.post("/api/v1/pex/points/runs", json={"month": "2025-01"}, headers=finance)
    assert (again.json()["posted"], again.json()["already_posted"]) == (0, 2)

    mine = world.auth("acme_admin")
    statement = client.get(f"/api/v1/pex/partners/{world.acme.id}/points", headers=mine)
    assert statement.status_code == 200, statement.text
    assert (statement.json()["available"], statement.json()["tier"]) == ("60", "ready")
    assert statement.json()["lots"][0]["source"] == f"pex:points:influence:{world.acme.id}:2025-01"

    url = f"/api/v1/pex/partners/{world.acme.id}/poc-budgets"
    short = client.post(url, json={"points": 100, "budget_ref": "poc-1"}, headers=mine)
    assert short.status_code == 422
    assert error_of(short)["message"] == (
        f"proof-of-concept budget poc-1 needs 100 points; {world.acme.id} has 60 available "
        "(40 short)"
    )
    held = client.post(url, json={"points": 50, "budget_ref": "poc-1"}, headers=mine)
    assert held.status_code == 201, held.text
    assert (held.json()["request"]["status"], held.json()["available_after"]) == ("held", "10")
    twice = client.post(url, json={"points": 50, "budget_ref": "poc-1"}, headers=mine)
    assert (twice.status_code, twice.json()["replayed"]) == (200, True)

    decision = f"/api/v1/pex/poc-budgets/{held.json()['request']['id']}/decision"
    assert client.post(decision, json={"approve": True}, headers=mine).status_code == 403
    approved = client.post(decision, json={"approve": True}, headers=finance)
    assert approved.status_code == 200, approved.text
    assert approved.json()["request"]["status"] == "approved"
    after = client.get(f"/api/v1/pex/partners/{world.acme.id}/points", headers=mine).json()
    assert (after["available"], after["held"], after["spent"]) == ("10", "0", "50")


def test_tenancy_and_the_tranche_margin(
    client: TestClient, world: World, pex_world: dict[str, str]
) -> None:
    """X-6: Globex never sees Acme's points; PEX-5: 60,000 USD at 10/12/14 % = 6,900."""
    other = client.get(
        f"/api/v1/pex/partners/{world.acme.id}/points", headers=world.auth("globex_admin")
    )
    assert other.status_code == 403
    assert error_of(other)["rule"] == "X-6"
    margin = client.get(
        f"/api/v1/pex/partners/{world.globex.id}/margins",
        params={"year": "2025"},
        headers=world.auth("globex_admin"),
    )
    assert margin.status_code == 200, margin.text
    body = margin.json()
    assert body["margin"] == {"amount": "6900.00", "currency": "USD"}
    assert [t["margin"]["amount"] for t in body["tranches"]] == ["2500.00", "3000.00", "1400.00"]
    assert body["deals"] == ["D1"]


def test_enrolment_refusals(client: TestClient, world: World, pex_world: dict[str, str]) -> None:
    """PEX-7: cloud service providers are not admitted yet; PEX-2: Distribution combines
    with nothing; only the vendor's finance staff enrol (X-6)."""
    csp = client.post(
        "/api/v1/pex/enrolments",
        json={
            "partner_id": "org_csp",
            "partner_type": "cloud_service_provider",
            "modules": ["resell"],
        },
        headers=pex_world,
    )
    assert (csp.status_code, error_of(csp)["rule"]) == (422, "PEX-7")
    mixed = client.post(
        "/api/v1/pex/enrolments",
        json={
            "partner_id": world.globex.id,
            "partner_type": "distributor",
            "modules": ["distribution", "resell"],
        },
        headers=pex_world,
    )
    assert (mixed.status_code, error_of(mixed)["rule"]) == (422, "PEX-2")
    member = client.post(
        "/api/v1/pex/enrolments",
        json={
            "partner_id": world.acme.id,
            "partner_type": "distributor",
            "modules": ["distribution"],
        },
        headers=world.auth("acme_admin"),
    )
    assert member.status_code == 403


def test_availability_by_partner_type_is_public(client: TestClient) -> None:
    """PEX-7: cloud service providers are not admitted yet; solution providers are."""
    csp = client.get(
        "/api/v1/pex/availability",
        params={"partner_type": "cloud_service_provider", "on": "2025-06-01"},
    )
    assert csp.status_code == 200, csp.text
    assert (csp.json()["admitted"], csp.json()["explanation"]["reasons"][0]["message"]) == (
        False,
        "Cloud service providers are not admitted yet (no date set yet)",
    )
    sp = client.get("/api/v1/pex/availability", params={"partner_type": "solution_provider"})
    assert sp.json()["admitted"] is True
    unknown = client.get("/api/v1/pex/availability", params={"partner_type": "wizard"})
    assert (unknown.status_code, error_of(unknown)["field"]) == (422, "partner_type")
