"""``POST /api/v1/quotes`` end to end, on SQLite and PostgreSQL (OIP-7, OIP-8, X-6, X-7).

Acme is a Business ambassador (1,500 EUR of recurring revenue a month in 2025-H2) with
420 EUR of order intake in 2026-Q2; Globex a Starter ambassador.
"""

from __future__ import annotations

from datetime import date

import pytest
from api_world import World, error_of
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.calendar import Month
from earned_world import load, monthly, orders


@pytest.fixture
def oip_world(world: World, application: Application) -> World:
    acme, globex = world.acme.id, world.globex.id
    load(
        application.uow_factory,
        "oip",
        members=[(acme, "ambassador", None), (globex, "ambassador", None)],
        revenue=monthly(acme, Month(2025, 7), 6, "1500"),
        orders=orders(acme, (date(2026, 4, 2), "300"), (date(2026, 5, 15), "120")),
    )
    return world


def body(partner: str, *lines: dict[str, object], **more: object) -> dict[str, object]:
    return {"partner_id": partner, "lines": list(lines), "on": "2026-05-15", **more}


def test_a_partner_quotes_and_learns_why_a_promotion_is_closed(
    client: TestClient, oip_world: World
) -> None:
    answer = client.post(
        "/api/v1/quotes",
        json=body(oip_world.acme.id, {"product": "number_porting", "quantity": 12}),
        headers=oip_world.auth("acme_admin"),
    )
    assert answer.status_code == 200, answer.text
    quote = answer.json()
    assert (quote["member_type"], quote["status"]) == ("ambassador", "business")
    assert quote["total"] == {"amount": "108.00", "currency": "EUR"}
    assert quote["lines"][0]["unit_price"] == {"amount": "9.00", "currency": "EUR"}
    porting = next(
        p for p in quote["promotions"] if p["promotion"] == "business_ambassador_porting"
    )
    assert porting["eligible"] is False
    assert porting["reasons"][0] == {
        "rule": "OIP-8",
        "message": "Number porting grid needs 600.00 EUR of order intake in 2026-Q2; "
        "you have 420.00 EUR (180.00 EUR to go)",
    }


def test_stacked_promotions_priced_exactly(client: TestClient, oip_world: World) -> None:
    """OIP-7: the three Starter ambassador promotions stack; X-1: lines rounded once."""
    answer = client.post(
        "/api/v1/quotes",
        json=body(
            oip_world.globex.id,
            {"product": "sip_trunk"},
            {"product": "data_link", "quantity": 2, "unit_price": "50.00"},
            {"product": "vm", "quantity": 3, "unit_price": "39.99"},
            holds=["voip"],
        ),
        headers=oip_world.auth("viewer"),
    )
    assert answer.status_code == 200, answer.text
    quote = answer.json()
    assert [line["total"]["amount"] for line in quote["lines"]] == ["19.99", "90.00", "83.98"]
    assert quote["lines"][2]["unit_price"]["amount"] == "27.993"
    assert quote["total"]["amount"] == "193.97"
    assert quote["savings"]["amount"] == "53.00"


def test_another_partners_quote_is_forbidden(client: TestClient, oip_world: World) -> None:
    """X-6: Globex's administrator may not quote for Acme."""
    answer = client.post(
        "/api/v1/quotes",
        json=body(oip_world.acme.id, {"product": "sip_trunk"}),
        headers=oip_world.auth("globex_admin"),
    )
    assert answer.status_code == 403
    assert error_of(answer)["rule"] == "X-6"
    anonymous = client.post("/api/v1/quotes", json=body(oip_world.acme.id, {"product": "vm"}))
    assert anonymous.status_code == 401


def test_a_bad_basket_names_every_field(client: TestClient, oip_world: World) -> None:
    """X-7: every bad line named at once; nothing quoted."""
    answer = client.post(
        "/api/v1/quotes",
        json=body(
            oip_world.acme.id,
            {"product": "hoverboard"},
            {"product": "vm", "quantity": 0, "unit_price": "10"},
        ),
        headers=oip_world.auth("acme_admin"),
    )
    assert answer.status_code == 422
    error = error_of(answer)
    assert [p["field"] for p in error["problems"]] == ["lines[0].product", "lines[1].quantity"]
    float_price = client.post(
        "/api/v1/quotes",
        json=body(oip_world.acme.id, {"product": "vm", "unit_price": 1e3}),
        headers=oip_world.auth("acme_admin"),
    )
    assert float_price.status_code == 422
