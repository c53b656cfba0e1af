"""The partner dashboard through ``GET /api/v1/partners/{id}/standing`` end to end, on
SQLite and PostgreSQL (MCPP-5, X-3, X-6). The clock says 2025-03-14.

Globex is an OIP operator with 5,000 EUR of recurring revenue a month in the second half
of 2024, evaluated on 2025-01-01 by the evaluation use case: Business, 1,000 a month
short of Premium. Acme holds PEX Resell and Sell With and influenced a 60,000 USD deal in
January 2025: 60 points, tier Ready, computed from the facts (no PEX run is stored)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from api_world import World, _user, error_of, login
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.people import VendorRole
from alliance.services.evaluation.runs import evaluate
from earned_world import deal, load, monthly

FINANCE = "fin@vendor.example"


@pytest.fixture
def standing_world(world: World, application: Application, client: TestClient) -> World:
    _user(application, FINANCE, None, VendorRole.FINANCE)
    finance = {"Authorization": f"Bearer {login(client, FINANCE)}"}
    answer = client.post(
        "/api/v1/pex/enrolments",
        json={
            "partner_id": world.acme.id,
            "partner_type": "solution_provider",
            "modules": ["resell", "sell_with"],
        },
        headers=finance,
    )
    assert answer.status_code == 200, answer.text
    load(
        application.uow_factory,
        "standing",
        deals=[deal("D1", world.globex.id, "60000", date(2025, 1, 20), [world.acme.id])],
        members=[(world.globex.id, "operator", None)],
        revenue=monthly(world.globex.id, Month(2024, 7), 6, "5000"),
    )
    evaluate(
        application.uow_factory(),
        Actor.system("test"),
        application.programs,
        "oip",
        date(2025, 1, 1),
    )
    return world


def standing_of(client: TestClient, org: str, headers: dict[str, str]) -> dict[str, Any]:
    answer = client.get(f"/api/v1/partners/{org}/standing", headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_oip_status_with_its_score_and_explanation(
    client: TestClient, standing_world: World
) -> None:
    """OIP-2, OIP-4, X-3: the status held, the monthly average, the gap to Premium."""
    world = standing_world
    body = standing_of(client, world.globex.id, world.auth("globex_admin"))
    assert (body["organization_id"], body["name"]) == (world.globex.id, "Globex")
    assert [p["code"] for p in body["programs"]] == ["oip"]  # not enrolled in PEX
    oip = body["programs"][0]
    assert (oip["kind"], oip["as_of"]) == ("statuses", "2025-01-01")
    (status,) = oip["subjects"]
    assert (status["subject_id"], status["result"], status["result_name"]) == (
        "operator",
        "business",
        "Business",
    )
    assert (status["score"], status["held"], status["source"]) == ("5000.0000", True, "run")
    explanation = status["explanation"]
    assert explanation["gap"] == "1000.00"
    assert explanation["gap_message"].startswith("needs 1000 more to reach Premium")
    assert all(r["rule"] for r in explanation["reasons"])  # every reason cites its rule
    assert any(r["rule"] == "OIP-2" for r in explanation["reasons"])
    (step,) = explanation["steps"]
    assert (step["what"], step["units"], step["rule"]) == (
        "recurring_revenue",
        "6000.0000",
        "OIP-2",
    )


def test_the_pex_tier_is_computed_from_the_points_of_the_window(
    client: TestClient, standing_world: World, application: Application
) -> None:
    """PEX-1, PEX-6, X-3: 60 influence points in January 2025 — tier Ready."""
    world = standing_world
    body = standing_of(client, world.acme.id, world.auth("acme_admin"))
    assert [p["code"] for p in body["programs"]] == ["pex"]
    (tier,) = body["programs"][0]["subjects"]
    assert (tier["result"], tier["result_name"], tier["score"], tier["held"]) == (
        "ready",
        "Ready",
        "60",
        True,
    )
    assert (tier["source"], tier["as_of"]) == ("computed", "2025-03-14")
    reasons = [(r["rule"], r["message"]) for r in tier["explanation"]["reasons"]]
    assert ("PEX-6", "60 points earned from 2024-04 to 2025-03") in reasons
    assert tier["explanation"]["gap_message"].startswith("needs ")

    # once PEX is evaluated, the stored run is read: the same tier, points and reasons
    evaluate(
        application.uow_factory(),
        Actor.system("test"),
        application.programs,
        "pex",
        date(2025, 3, 1),
    )
    (stored,) = standing_of(client, world.acme.id, world.auth("acme_admin"))["programs"][0][
        "subjects"
    ]
    assert (stored["source"], stored["as_of"], stored["result"], stored["score"]) == (
        "run",
        "2025-03-01",
        "ready",
        "60",
    )
    assert stored["explanation"]["reasons"] == tier["explanation"]["reasons"]


def test_on_reads_the_runs_of_that_day_or_before(client: TestClient, standing_world: World) -> None:
    world = standing_world
    url = f"/api/v1/partners/{world.globex.id}/standing"
    before = client.get(url, params={"on": "2024-12-31"}, headers=world.auth("viewer"))
    assert (before.status_code, before.json()["programs"]) == (200, [])
    bad = client.get(url, params={"on": "yesterday"}, headers=world.auth("viewer"))
    assert bad.status_code == 422
    assert (error_of(bad)["rule"], error_of(bad)["problems"][0]["field"]) == ("X-7", "query.on")


def test_another_companys_people_get_the_404_of_an_unknown_id(
    client: TestClient, standing_world: World
) -> None:
    """X-6: Globex's administrator asking about Acme, and Acme Iberia's people asking
    about their principal, get exactly the answer of an id that does not exist; Acme's
    administrator sees its associate (OPN-2, OPN-3); vendor staff see everyone."""
    world = standing_world
    unknown = client.get("/api/v1/partners/org_nope/standing", headers=world.auth("acme_admin"))
    assert unknown.status_code == 404
    expected = error_of(unknown)
    for who, org in (("globex_admin", world.acme.id), ("iberia_user", world.acme.id)):
        answer = client.get(f"/api/v1/partners/{org}/standing", headers=world.auth(who))
        assert answer.status_code == 404, (who, answer.text)
        error = error_of(answer)
        assert error["message"] == f"no partner {org}"
        assert {**error, "message": ""} == {**expected, "message": ""}
        assert "score" not in answer.text
    assert standing_of(client, world.iberia.id, world.auth("acme_admin"))["programs"] == []
    assert standing_of(client, world.acme.id, world.auth("viewer"))["programs"][0]["code"] == "pex"
    anonymous = client.get(f"/api/v1/partners/{world.acme.id}/standing")
    assert (anonymous.status_code, error_of(anonymous)["code"]) == (401, "not_authenticated")
