"""``/api/v1/oip`` end to end, on SQLite and PostgreSQL: duties with compliance (OIP-5),
benefits (OIP-6), the Ambassador commission (OIP-1), tenancy (X-6)."""

from __future__ import annotations

import pytest
from api_world import World, error_of
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.calendar import Month
from alliance.domain.facts import RevenueKind
from earned_world import load, monthly


@pytest.fixture
def oip_world(world: World, application: Application) -> World:
    """Acme: an Access ambassador (600 EUR a month in 2025-H2), billed 1,250.33 EUR in
    April 2026."""
    acme = world.acme.id
    load(
        application.uow_factory,
        "oip",
        members=[(acme, "ambassador", None)],
        revenue=[
            *monthly(acme, Month(2025, 7), 6, "600"),
            *monthly(acme, Month(2026, 4), 1, "1000"),
            *monthly(acme, Month(2026, 4), 1, "250.33", RevenueKind.MINUTES),
        ],
    )
    return world


def test_duties_recorded_by_the_vendor_and_read_by_the_member(
    client: TestClient, oip_world: World
) -> None:
    acme = oip_world.acme.id
    url = f"/api/v1/oip/members/{acme}"
    staff = oip_world.auth("manager")  # a channel manager records duties
    put = client.put(
        f"{url}/duties/meet_objectives", json={"done": 1, "on": "2026-05-15"}, headers=staff
    )
    assert put.status_code == 200, put.text
    answer = client.get(
        f"{url}/duties", params={"on": "2026-05-15"}, headers=oip_world.auth("acme_admin")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["met"], body["due"], body["compliance"]) == (
        "access",
        1,
        4,
        "0.25",
    )
    assert body["status_until"] == "2026-06-30"
    assert "marketing_promo" in [b["id"] for b in body["benefits"]]
    wrong = client.put(f"{url}/duties/operator_webinars", json={"done": 3}, headers=staff)
    assert (wrong.status_code, error_of(wrong)["rule"]) == (422, "OIP-5")
    member = client.put(
        f"{url}/duties/meet_objectives", json={"done": 1}, headers=oip_world.auth("acme_admin")
    )
    assert member.status_code == 403
    other = client.get(f"{url}/duties", headers=oip_world.auth("globex_admin"))
    assert (other.status_code, error_of(other)["rule"]) == (403, "X-6")


def test_the_commission_statement(client: TestClient, oip_world: World) -> None:
    """OIP-1: 10 % of 1,250.33 EUR billed in April 2026 = 125.033 → 125.03 EUR."""
    answer = client.get(
        f"/api/v1/oip/members/{oip_world.acme.id}/commissions",
        params={"month": "2026-04"},
        headers=oip_world.auth("acme_admin"),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["amount"] == {"amount": "125.03", "currency": "EUR"}
    assert body["exact"]["amount"] == "125.033"
    assert body["idempotency_key"] == f"payout:{oip_world.acme.id}:2026-04"
