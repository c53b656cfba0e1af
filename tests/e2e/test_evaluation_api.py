"""``POST /api/v1/evaluations`` and ``POST /api/v1/simulations``: program administrators
evaluate and simulate; partners and other vendor staff are refused (X-6); an invalid
definition is a 422 with every problem located (X-7); a rerun is a 200 that wrote
nothing (X-5)."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pytest
from api_world import World, _user, error_of, login
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.people import VendorRole

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from evaluation_facts import (
    infrastructure_at_68,
    infrastructure_at_70,
    mcpp_tables,
    named,
    stage,
)

ADMIN = "pam@vendor.example"
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def admin(application: Application, client: TestClient, world: World) -> dict[str, str]:
    _user(application, ADMIN, None, VendorRole.PROGRAM_ADMIN)
    stage(
        application.uow_factory,  # type: ignore[arg-type]
        mcpp_tables(
            [named("org_seventy", infrastructure_at_70()), named("org_68", infrastructure_at_68())]
        ),
    )
    return {"Authorization": f"Bearer {login(client, ADMIN)}"}


def definition(threshold: str) -> str:
    text = resources.files("alliance.programs").joinpath("builtin/mcpp.yaml").read_text()
    text = text.replace("threshold: 70", f"threshold: {threshold}", 1)
    return text.replace('version: "2026.1"', 'version: "2026.2"', 1)


def test_evaluate_then_simulate(client: TestClient, world: World, admin: dict[str, str]) -> None:
    body = {"program": "mcpp", "as_of": "2026-06-17"}
    first = client.post("/api/v1/evaluations", json=body, headers=admin)
    assert first.status_code == 201, first.text
    run = first.json()
    assert (run["definition_version"], run["partners"], run["outcomes"]) == ("2026.1", 2, 12)
    assert run["results"] == {"in_progress": 11, "qualified": 1}
    again = client.post("/api/v1/evaluations", json=body, headers=admin)
    assert again.status_code == 200 and again.json()["written"] is False

    what_if = client.post(
        "/api/v1/simulations",
        json={"program": "mcpp", "as_of": "2026-06-17", "definition": definition("65")},
        headers=admin,
    )
    assert what_if.status_code == 200, what_if.text
    result = what_if.json()
    assert (result["gains"], result["losses"]) == (1, 0)
    assert [(m["partner_id"], m["before"], m["after"]) for m in result["movements"]] == [
        ("org_68", "in_progress", "qualified")
    ]


def test_only_program_administrators_and_valid_definitions(
    client: TestClient, world: World, admin: dict[str, str]
) -> None:
    body = {"program": "mcpp", "as_of": "2026-06-17"}
    for who in ("acme_admin", "manager", "viewer"):
        refused = client.post("/api/v1/evaluations", json=body, headers=world.auth(who))
        assert refused.status_code == 403, who
    bad = client.post(
        "/api/v1/simulations",
        json={"program": "mcpp", "as_of": "2026-06-17", "definition": definition("lots")},
        headers=admin,
    )
    assert bad.status_code == 422
    locations = [p["location"] for p in error_of(bad)["problems"]]
    assert any(loc.startswith("definition.yaml:298") for loc in locations), locations
    unknown = client.post(
        "/api/v1/evaluations", json={"program": "nope", "as_of": "2026-06-17"}, headers=admin
    )
    assert unknown.status_code == 404
