"""Organisations over HTTP on a real database: tenancy (X-6), OPN-1, OPN-3, X-4, X-7."""

from __future__ import annotations

import httpx
import pytest
from api_world import World, error_of
from fastapi.testclient import TestClient

from alliance.bootstrap import Application

ORGS = "/api/v1/organizations"


def names(answer: httpx.Response) -> list[str]:
    return [item["name"] for item in answer.json()["items"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ORGS),
        ("POST", ORGS),
        ("GET", f"{ORGS}/org_anything"),
        ("GET", f"{ORGS}/org_anything/hierarchy"),
    ],
)
def test_the_anonymous_caller_gets_401_on_organisation_endpoints(
    client: TestClient, method: str, path: str
) -> None:
    answer = client.request(method, path, json={"name": "X", "country": "FR"})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(answer)["code"] == "not_authenticated"


def test_an_unknown_token_gets_401(client: TestClient) -> None:
    answer = client.get(ORGS, headers={"Authorization": "Bearer alk_not-a-token"})
    assert answer.status_code == 401
    assert error_of(answer)["code"] == "not_authenticated"


def test_a_partner_never_sees_another_partner_in_its_list(client: TestClient, world: World) -> None:
    answer = client.get(ORGS, headers=world.auth("acme_admin"))
    assert answer.status_code == 200
    assert names(answer) == ["Acme", "Acme Iberia"]
    assert answer.json()["next_offset"] is None

    answer = client.get(ORGS, headers=world.auth("globex_admin"))
    assert names(answer) == ["Globex", "Globex Asia"]


def test_a_name_filter_stays_within_the_company(client: TestClient, world: World) -> None:
    answer = client.get(ORGS, params={"name": "glo"}, headers=world.auth("acme_admin"))
    assert answer.status_code == 200
    assert names(answer) == []


def test_a_partner_is_refused_another_partners_organisation_and_hierarchy(
    client: TestClient, world: World
) -> None:
    for path in (f"{ORGS}/{world.globex.id}", f"{ORGS}/{world.globex_asia.id}/hierarchy"):
        answer = client.get(path, headers=world.auth("acme_admin"))
        assert answer.status_code == 403
        body = error_of(answer)
        assert body["rule"] == "X-6"
        assert "Globex" not in answer.text


def test_an_unknown_organisation_is_refused_to_a_partner_like_another_partners(
    client: TestClient, world: World
) -> None:
    unknown = client.get(f"{ORGS}/org_does_not_exist", headers=world.auth("acme_admin"))
    other = client.get(f"{ORGS}/{world.globex.id}", headers=world.auth("acme_admin"))
    assert unknown.status_code == other.status_code == 403
    assert unknown.json() == other.json()


def test_a_partner_reads_its_own_associate(client: TestClient, world: World) -> None:
    answer = client.get(f"{ORGS}/{world.iberia.id}", headers=world.auth("acme_admin"))
    assert answer.status_code == 200
    assert answer.json() == {
        "id": world.iberia.id,
        "name": "Acme Iberia",
        "country": "ES",
        "kind": "partner",
        "entity_role": "associate",
        "partner_type": None,
        "parent_id": world.acme.id,
        "ownership_percent": "100.00",
        "sector": "commercial",
    }


def test_the_hierarchy_shows_the_principal_and_its_associates_with_depth(
    client: TestClient, world: World
) -> None:
    # Asked from the associate's side: OPN-3, "the company" is the whole tree.
    answer = client.get(f"{ORGS}/{world.iberia.id}/hierarchy", headers=world.auth("iberia_user"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["principal_id"] == world.acme.id
    assert [(n["name"], n["depth"], n["entity_role"]) for n in body["nodes"]] == [
        ("Acme", 0, "principal"),
        ("Acme Iberia", 1, "associate"),
    ]


def test_staff_see_every_organisation(client: TestClient, world: World) -> None:
    answer = client.get(ORGS, headers=world.auth("viewer"))
    assert answer.status_code == 200
    assert names(answer) == ["Acme", "Acme Iberia", "Globex", "Globex Asia"]
    answer = client.get(f"{ORGS}/{world.globex.id}/hierarchy", headers=world.auth("viewer"))
    assert [n["name"] for n in answer.json()["nodes"]] == ["Globex", "Globex Asia"]


def test_staff_are_told_an_unknown_organisation_does_not_exist(
    client: TestClient, world: World
) -> None:
    answer = client.get(f"{ORGS}/org_does_not_exist", headers=world.auth("viewer"))
    assert answer.status_code == 404
    assert error_of(answer)["code"] == "not_found"


def test_the_list_is_paginated(client: TestClient, world: World) -> None:
    first = client.get(ORGS, params={"limit": 3}, headers=world.auth("viewer"))
    assert names(first) == ["Acme", "Acme Iberia", "Globex"]
    assert first.json()["next_offset"] == 3
    second = client.get(ORGS, params={"limit": 3, "offset": 3}, headers=world.auth("viewer"))
    assert names(second) == ["Globex Asia"]
    assert second.json()["next_offset"] is None


def test_a_page_size_out_of_bounds_is_422_naming_the_query_field(
    client: TestClient, world: World
) -> None:
    answer = client.get(ORGS, params={"limit": 0}, headers=world.auth("viewer"))
    assert answer.status_code == 422
    body = error_of(answer)
    assert body["field"] == "query.limit"
    assert body["rule"] == "X-7"


def test_a_channel_manager_creates_a_principal_and_it_is_audited(
    client: TestClient, world: World, application: Application
) -> None:
    answer = client.post(
        ORGS,
        json={"name": "Initech", "country": "US", "partner_type": "software", "sector": "public"},
        headers=world.auth("manager"),
    )
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["name"] == "Initech"
    assert created["entity_role"] == "principal"
    assert created["partner_type"] == "software"
    assert created["id"].startswith("org_")

    with application.uow_factory() as uow:
        [record] = uow.audit.search(entity_type="organization", entity_id=created["id"])
    assert record.action == "organization.created"
    assert record.actor == "max@vendor.example"
    assert record.at == application.clock.now()
    assert record.new is not None and record.new["sector"] == "public"


def test_a_partner_administrator_creates_an_associate_of_its_company(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        ORGS,
        json={
            "name": "Acme Benelux",
            "country": "BE",
            "parent_id": world.acme.id,
            "ownership_percent": "75.5",
        },
        headers=world.auth("acme_admin"),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["ownership_percent"] == "75.50"
    listed = client.get(ORGS, headers=world.auth("acme_admin"))
    assert names(listed) == ["Acme", "Acme Benelux", "Acme Iberia"]


def test_a_partner_administrator_cannot_attach_to_another_partner(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        ORGS,
        json={
            "name": "Trojan",
            "country": "DE",
            "parent_id": world.globex.id,
            "ownership_percent": 90,
        },
        headers=world.auth("acme_admin"),
    )
    assert answer.status_code == 403
    assert error_of(answer)["rule"] == "X-6"


def test_a_partner_administrator_cannot_create_a_principal(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        ORGS, json={"name": "Newco", "country": "FR"}, headers=world.auth("acme_admin")
    )
    assert answer.status_code == 403
    assert error_of(answer)["rule"] == "OPN-1"


def test_a_staff_viewer_cannot_create(client: TestClient, world: World) -> None:
    answer = client.post(
        ORGS, json={"name": "Newco", "country": "FR"}, headers=world.auth("viewer")
    )
    assert answer.status_code == 403


def test_an_associate_owned_half_is_refused_by_opn_1(client: TestClient, world: World) -> None:
    answer = client.post(
        ORGS,
        json={"name": "Half", "country": "FR", "parent_id": world.acme.id, "ownership_percent": 50},
        headers=world.auth("manager"),
    )
    assert answer.status_code == 422
    body = error_of(answer)
    assert body["rule"] == "OPN-1"
    assert body["field"] == "ownership_percent"
    assert body["code"] == "associate_not_majority_owned"


def test_an_associate_of_an_associate_is_refused_by_opn_3(client: TestClient, world: World) -> None:
    answer = client.post(
        ORGS,
        json={
            "name": "Deep",
            "country": "PT",
            "parent_id": world.iberia.id,
            "ownership_percent": 100,
        },
        headers=world.auth("manager"),
    )
    assert answer.status_code == 422
    assert error_of(answer)["rule"] == "OPN-3"


def test_bad_input_is_422_naming_the_field_and_rule_and_nothing_is_created(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        ORGS, json={"name": "Lowercase", "country": "fr"}, headers=world.auth("manager")
    )
    assert answer.status_code == 422
    body = error_of(answer)
    assert body["code"] == "invalid_input"
    assert body["field"] == "body.country"
    assert body["rule"] == "X-7"
    assert body["message"].startswith("body.country: ")
    assert body["problems"][0]["field"] == "body.country"

    listed = client.get(ORGS, headers=world.auth("viewer"))
    assert "Lowercase" not in names(listed)


def test_every_bad_field_is_listed(client: TestClient, world: World) -> None:
    answer = client.post(
        ORGS,
        json={"name": "", "country": "France", "sector": "govt", "colour": "red"},
        headers=world.auth("manager"),
    )
    assert answer.status_code == 422
    fields = sorted(p["field"] for p in error_of(answer)["problems"])
    assert fields == ["body.colour", "body.country", "body.name", "body.sector"]
    assert all(p["rule"] == "X-7" for p in error_of(answer)["problems"])


def test_a_body_that_is_not_json_is_422(client: TestClient, world: World) -> None:
    answer = client.post(
        ORGS,
        content=b"name=Acme",
        headers={**world.auth("manager"), "Content-Type": "application/json"},
    )
    assert answer.status_code == 422
    assert error_of(answer)["rule"] == "X-7"


def test_a_duplicate_organisation_is_409(client: TestClient, world: World) -> None:
    answer = client.post(
        ORGS, json={"name": "acme", "country": "FR"}, headers=world.auth("manager")
    )
    assert answer.status_code == 409
    body = error_of(answer)
    assert body["code"] == "conflict"
    assert body["field"] == "name"
    assert world.acme.id in body["message"]
