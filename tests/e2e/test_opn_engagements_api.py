"""Deal registration and its rewards through the API, on SQLite and PostgreSQL (issue 4):
the 11th engagement user, missing fields named at once, customer and closed-deal edits,
illegal transitions, the duplicate explanation, the acknowledgement e-mail, the
public-sector rules, monetary payouts blocked until invoice and supplier account, credits
posted once, and tenancy. Every refusal names its rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_world import World, _user, error_of, login, seed_world
from argon2 import PasswordHasher
from engagements_scenario import add_person, enrol_world, opportunity, person_id, settings
from fastapi.testclient import TestClient
from sqlalchemy import make_url

from alliance.bootstrap import Application, bootstrap
from alliance.domain.clock import FixedClock
from alliance.domain.notifications import DeliveryKind
from alliance.domain.people import VendorRole
from alliance.services.passwords import Passwords
from engagements_members import expire
from postgres_support import empty_postgres_tables

E = "/api/v1/engagements"


@pytest.fixture
def application(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock
) -> Iterator[Application]:
    """The real application with the vendor's OPN folder (public-sector pool in FR, DE)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'alliance.db'}"
    else:
        url, cleaner = request.getfixturevalue("postgres_database")
        empty_postgres_tables(cleaner)
    app = bootstrap(
        settings(url, tmp_path),
        clock=clock,
        migrate=True,
        passwords=Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)),
    )
    assert make_url(app.settings.database_url).get_backend_name() == backend
    yield app
    app.close()


@pytest.fixture
def enrolled(application: Application, world: World) -> World:
    enrol_world(application, world)
    return world


def _submit(client: TestClient, world: World, who: str, form: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(E, json=form, headers=world.auth(who))
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _move(client: TestClient, world: World, engagement_id: str, *targets: str) -> None:
    for target in targets:
        answer = client.post(
            f"{E}/{engagement_id}/transitions", json={"to": target}, headers=world.auth("admin")
        )
        assert answer.status_code == 200, answer.text


@pytest.fixture
def world(application: Application, client: TestClient) -> World:
    """The API world plus a vendor program admin (``admin``) who reviews and pays."""
    base = seed_world(application, client)
    _user(application, "pat@vendor.example", None, VendorRole.PROGRAM_ADMIN)
    base.tokens["admin"] = login(client, "pat@vendor.example")
    return base


def test_the_eleventh_engagement_user_is_refused_naming_cce_1(
    application: Application, client: TestClient, enrolled: World
) -> None:
    world = enrolled
    ada = person_id(application, "ada@acme.example")
    answer = client.post(f"{E}/users", json={"person_id": ada}, headers=world.auth("acme_admin"))
    assert answer.status_code == 201, answer.text
    people = [add_person(application, f"user{i}", world.acme) for i in range(10)]
    for person in people[:9]:
        answer = client.post(
            f"{E}/users", json={"person_id": person.id}, headers=world.auth("acme_admin")
        )
        assert answer.status_code == 201, answer.text
    eleventh = client.post(
        f"{E}/users", json={"person_id": people[9].id}, headers=world.auth("acme_admin")
    )
    assert eleventh.status_code == 422
    error = error_of(eleventh)
    assert error["rule"] == "CCE-1" and error["code"] == "too_many_engagement_users"
    listed = client.get(
        f"{E}/users", params={"organization_id": world.acme.id}, headers=world.auth("acme_admin")
    ).json()
    assert (listed["active"], listed["limit"], listed["places_left"]) == (10, 10, 0)
    off = client.post(f"{E}/users/{people[0].id}/deactivation", headers=world.auth("acme_admin"))
    assert off.status_code == 200 and off.json()["active"] is False
    again = client.post(
        f"{E}/users", json={"person_id": people[9].id}, headers=world.auth("acme_admin")
    )
    assert again.status_code == 201
    other = client.get(
        f"{E}/users", params={"organization_id": world.acme.id}, headers=world.auth("globex_admin")
    )
    assert other.status_code == 403


def test_missing_fields_are_all_named_in_one_error(client: TestClient, enrolled: World) -> None:
    answer = client.post(E, json={"category": "opportunity"}, headers=enrolled.auth("acme_admin"))
    assert answer.status_code == 422
    error = error_of(answer)
    assert error["rule"] == "CCE-3"
    named = {p["field"] for p in error["problems"]}
    assert named == {
        "name",
        "customer",
        "customer_address",
        "products",
        "estimated_close_date",
        "customer_contact",
        "partner_contact",
    }


def test_customer_edits_and_closed_deal_edits_are_refused_naming_cce_5(
    client: TestClient, enrolled: World
) -> None:
    world = enrolled
    found = _submit(client, world, "acme_admin", opportunity())
    engagement = found["id"]
    customer = client.patch(
        f"{E}/{engagement}",
        json={"customer": {"legal_name": "Someone Else"}},
        headers=world.auth("acme_admin"),
    )
    assert customer.status_code == 422
    assert (error_of(customer)["rule"], error_of(customer)["field"]) == ("CCE-5", "customer")
    moved = client.patch(
        f"{E}/{engagement}",
        json={"estimated_close_date": "2025-09-30", "expected_version": 1},
        headers=world.auth("acme_admin"),
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["sales_review"] == ["estimated_close_date"]
    _move(client, world, engagement, "acknowledged", "in_review", "accepted", "ineligible")
    closed = client.patch(
        f"{E}/{engagement}", json={"name": "Renamed"}, headers=world.auth("acme_admin")
    )
    assert closed.status_code == 422
    assert error_of(closed)["code"] == "engagement_closed" and error_of(closed)["rule"] == "CCE-5"
    note = client.post(
        f"{E}/{engagement}/notes", json={"text": "Lost on price"}, headers=world.auth("acme_admin")
    )
    assert note.status_code == 201
    assert note.json()["notes"][-1]["text"] == "Lost on price"


def test_illegal_transitions_are_refused_and_acknowledgement_sends_an_email(
    application: Application, client: TestClient, enrolled: World
) -> None:
    world = enrolled
    engagement = _submit(client, world, "acme_admin", opportunity())["id"]
    skip = client.post(
        f"{E}/{engagement}/transitions", json={"to": "eligible"}, headers=world.auth("admin")
    )
    assert skip.status_code == 422 and error_of(skip)["rule"] == "CCE-6"
    by_partner = client.post(
        f"{E}/{engagement}/transitions",
        json={"to": "acknowledged"},
        headers=world.auth("acme_admin"),
    )
    assert by_partner.status_code == 403
    ack = client.post(
        f"{E}/{engagement}/transitions", json={"to": "acknowledge"}, headers=world.auth("admin")
    )
    assert ack.status_code == 200 and ack.json()["emails_queued"] == 1
    with application.uow_factory() as uow:
        mails = [
            d
            for d in uow.outbox.list(limit=10_000)
            if d.kind is DeliveryKind.EMAIL and d.event_type == "engagement.acknowledged"
        ]
    assert [m.target for m in mails] == ["ada@acme.example"]
    assert "CCE-6" in mails[0].message().text
    history = client.get(f"{E}/{engagement}/transitions", headers=world.auth("acme_admin")).json()
    assert [(h["source"], h["target"], h["actor"]) for h in history] == [
        ("submitted", "acknowledged", "pat@vendor.example")
    ]


def test_a_duplicate_is_explained(client: TestClient, enrolled: World) -> None:
    world = enrolled
    first = _submit(client, world, "acme_admin", opportunity())
    assert first["duplicate"]["verdict"] == "new"
    second = _submit(
        client,
        world,
        "acme_admin",
        opportunity(
            name="Again",
            customer={
                "legal_name": "BANQUE DE LYON",
                "address": {
                    "street": "1, rue de la Republique",
                    "city": "Lyon",
                    "postal_code": "69001",
                    "country": "FR",
                },
            },
        ),
    )
    duplicate = second["duplicate"]
    assert duplicate["verdict"] == "duplicate" and duplicate["matches"] == [first["id"]]
    assert any("OCI-COMPUTE" in line for line in duplicate["explanation"])
    by_id = _submit(client, world, "globex_admin", opportunity(notes="Vendor ref OPP-100"))
    assert by_id["duplicate"]["verdict"] == "new"
    assert "only that id is compared" in by_id["duplicate"]["explanation"][0]


def test_partners_never_see_each_others_engagements(client: TestClient, enrolled: World) -> None:
    world = enrolled
    acme = _submit(client, world, "acme_admin", opportunity())["id"]
    globex = _submit(client, world, "globex_admin", opportunity(name="Globex deal"))["id"]
    assert client.get(f"{E}/{acme}", headers=world.auth("globex_admin")).status_code == 403
    assert client.get(f"{E}/eng_unknown", headers=world.auth("globex_admin")).status_code == 403
    assert client.get(f"{E}/eng_unknown", headers=world.auth("viewer")).status_code == 404
    listed = client.get(E, headers=world.auth("globex_admin")).json()
    assert [e["id"] for e in listed] == [globex]
    assert {e["id"] for e in client.get(E, headers=world.auth("viewer")).json()} == {acme, globex}
    edit = client.patch(f"{E}/{acme}", json={"name": "x"}, headers=world.auth("globex_admin"))
    assert edit.status_code == 403
    saved = client.get(f"{E}/customers", headers=world.auth("acme_admin")).json()
    assert [c["legal_name"] for c in saved] == ["Banque de Lyon S.A."]
    reused = client.post(
        E,
        json={**opportunity(name="Reuse"), "customer": None, "customer_id": saved[0]["id"]},
        headers=world.auth("acme_admin"),
    )
    assert reused.status_code == 201 and reused.json()["customer"]["id"] == saved[0]["id"]
    spying = client.get(
        f"{E}/customers", params={"partner_id": world.acme.id}, headers=world.auth("globex_admin")
    )
    assert spying.status_code == 403 and error_of(spying)["rule"] == "X-6"
    # Globex's duplicate of Acme's deal does not reveal Acme's engagement id.
    dup = client.get(f"{E}/{globex}/duplicates", headers=world.auth("globex_admin")).json()
    assert dup["verdict"] == "duplicate" and acme not in str(dup)


def test_a_monetary_payout_is_blocked_until_invoice_and_supplier_account(
    application: Application, client: TestClient, enrolled: World
) -> None:
    world = enrolled
    engagement = _submit(
        client,
        world,
        "globex_admin",
        opportunity(
            customer={
                "legal_name": "Berlin Bank AG",
                "address": {"street": "Unter den Linden 1", "city": "Berlin", "country": "DE"},
            }
        ),
    )["id"]
    _move(client, world, engagement, "acknowledged", "in_review", "accepted", "eligible")
    blocked = client.post(f"{E}/{engagement}/payouts", headers=world.auth("admin"))
    assert blocked.status_code == 422
    error = error_of(blocked)
    assert error["rule"] == "RWD-4" and error["field"] == "invoice_attachment"
    invoice = client.post(
        f"{E}/{engagement}/attachments",
        files={"file": ("invoice.pdf", b"%PDF-1.4 invoice 42", "application/pdf")},
        data={"category": "invoice"},
        headers=world.auth("globex_admin"),
    )
    assert invoice.status_code == 201, invoice.text
    assert invoice.json()["needs_review"] is True
    still = client.post(f"{E}/{engagement}/payouts", headers=world.auth("admin"))
    assert error_of(still)["field"] == "supplier_account"
    supplier = client.put(
        f"{E}/suppliers/{world.globex.id}", json={"status": "active"}, headers=world.auth("admin")
    )
    assert supplier.status_code == 200
    paid = client.post(f"{E}/{engagement}/payouts", headers=world.auth("admin"))
    assert paid.status_code == 201, paid.text
    body = paid.json()["payout"]
    assert body["amount"] == {"amount": "10000.00", "currency": "USD"}
    assert (body["method"], body["status"]) == ("money", "released")
    download = client.get(
        f"{E}/attachments/{invoice.json()['id']}", headers=world.auth("globex_admin")
    )
    assert download.content == b"%PDF-1.4 invoice 42"
    other = client.get(f"{E}/attachments/{invoice.json()['id']}", headers=world.auth("acme_admin"))
    assert other.status_code == 403


def test_public_sector_credits_pool_then_post_once(
    application: Application, client: TestClient, enrolled: World
) -> None:
    """RWD-1/RWD-3: Acme (credits) pools 60,000 + 60,000 of public SaaS against a 100,000
    threshold: the first alone pays nothing; both pay 3,000 credits each, once."""
    world = enrolled
    public = {
        "sector": "public",
        "products": [
            {
                "product": "SAAS-HCM",
                "family": "saas",
                "quantity": "1",
                "amount": {"amount": "60000.00", "currency": "USD"},
                "service_period": {"start": "2025-07-01", "end": "2026-06-30"},
            }
        ],
    }
    ids = []
    for city in ("Ville de Lyon", "Ville de Nice"):
        form = opportunity(
            name=city,
            customer={
                "legal_name": city,
                "address": {"street": "Hôtel de ville", "city": city[8:], "country": "FR"},
            },
            **public,
        )
        ids.append(_submit(client, world, "acme_admin", form)["id"])
    _move(client, world, ids[0], "acknowledged", "in_review", "accepted", "eligible")
    too_early = client.post(f"{E}/{ids[0]}/payouts", headers=world.auth("admin"))
    assert too_early.status_code == 422 and error_of(too_early)["rule"] == "RWD-1"
    preview = client.get(f"{E}/{ids[0]}/payout", headers=world.auth("acme_admin")).json()
    assert preview["due"] is False
    assert any(
        "40000.00 USD more needed" in line.replace(",", "") for line in preview["explanation"]
    )
    _move(client, world, ids[1], "acknowledged", "in_review", "accepted", "eligible")
    first = client.post(f"{E}/{ids[0]}/payouts", headers=world.auth("admin"))
    assert first.status_code == 201, first.text
    assert first.json()["payout"]["amount"] == {"amount": "3000.00", "currency": "USD"}
    assert first.json()["payout"]["method"] == "partner_credits"
    replay = client.post(f"{E}/{ids[0]}/payouts", headers=world.auth("admin"))
    assert replay.status_code == 200 and replay.json()["replayed"] is True
    with application.uow_factory() as uow:
        lots = [lot for lot in uow.ledger.lots().values() if "reward" in lot.origin.tags]
    assert len(lots) == 1 and "public_sector" in lots[0].origin.tags
    # Globex chose money: its public-sector deal never enters a pool (RWD-3).
    money = _submit(
        client,
        world,
        "globex_admin",
        opportunity(
            name="Stadt",
            customer={
                "legal_name": "Stadt Berlin",
                "address": {"street": "Rathaus", "city": "Berlin", "country": "DE"},
            },
            **public,
        ),
    )["id"]
    _move(client, world, money, "acknowledged", "in_review", "accepted", "eligible")
    refused = client.post(f"{E}/{money}/payouts", headers=world.auth("admin"))
    assert error_of(refused)["rule"] == "RWD-1"
    why = client.get(f"{E}/{money}/payout", headers=world.auth("globex_admin")).json()
    assert any("only to partners paid in partner credits" in line for line in why["explanation"])
    # Finance operations are the vendor's.
    partner = client.post(f"{E}/{ids[1]}/payouts", headers=world.auth("acme_admin"))
    assert partner.status_code == 403


def test_a_booking_that_changed_is_checked_again(client: TestClient, enrolled: World) -> None:
    world = enrolled
    engagement = _submit(client, world, "acme_admin", opportunity())["id"]
    _move(client, world, engagement, "acknowledged", "in_review", "accepted")
    booked = client.post(
        f"{E}/{engagement}/bookings",
        json={
            "lines": [
                {
                    "product": "OCI-COMPUTE",
                    "family": "oci",
                    "amount": {"amount": "120000.00", "currency": "USD"},
                }
            ]
        },
        headers=world.auth("admin"),
    )
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["submitted_payout"]["amount"] == "10000.00"
    assert body["booked_payout"]["amount"] == "6000.00"
    assert body["difference"]["amount"] == "-4000.00"


def test_an_expired_membership_stops_engagement_access(
    application: Application, client: TestClient, enrolled: World
) -> None:
    """OPN-15: expiry stops engagement access — submitting and adding notes are refused."""
    world = enrolled
    engagement = _submit(client, world, "globex_admin", opportunity())["id"]
    with application.uow_factory() as uow:
        membership = uow.memberships.current(world.globex.id)
    assert membership is not None
    expire(application.uow_factory, membership)
    refused = client.post(E, json=opportunity(), headers=world.auth("globex_admin"))
    assert refused.status_code == 422 and error_of(refused)["rule"] == "OPN-15"
    note = client.post(
        f"{E}/{engagement}/notes", json={"text": "still here?"}, headers=world.auth("globex_admin")
    )
    assert error_of(note)["rule"] == "OPN-15"
    assert client.get(f"{E}/{engagement}", headers=world.auth("globex_admin")).status_code == 200
