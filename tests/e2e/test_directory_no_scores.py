"""The public directory never shows a score (MCPP-6, X-6), end to end on SQLite and
PostgreSQL.

* **Structure**: the directory's response model — its JSON Schema, and the schema the
  OpenAPI document publishes for ``GET /api/v1/directory`` — has no property named like
  a score, points, revenue, an amount, an explanation, a gap (or a reason, step,
  threshold, total, balance, price) at any depth. The walker is shown to catch a leak.
* **Data**: outcomes are stored with distinctive scores, gaps and step sizes
  (``73.4567891234`` …); the designations and statuses they hold appear in the API's
  directory, and none of those digits appear in its answer nor in the portal's
  ``/directory`` page — while the partner's own dashboard does show them.
* **Access**: no login needed; a partner's people see exactly the anonymous view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from api_world import World, error_of
from fastapi.testclient import TestClient
from pydantic import BaseModel

from alliance.api.schemas.directory import DirectoryPage
from alliance.bootstrap import Application
from alliance.domain.explanations import Explanation, Reason, Step
from alliance.domain.outcomes import Outcome, Run, RunKey, Subject

FORBIDDEN = re.compile(
    r"score|point|revenue|amount|explanation|gap|reason|step|threshold|total|balance|price",
    re.IGNORECASE,
)

#: The distinctive numbers stored with the outcomes; none may reach the public.
SECRETS = (
    "73.4567891234",
    "6.5432108766",
    "80.1234567891",
    "8.8888888888",
    "12.3456789012",
    "4321.9876543210",
    "1234.5678901234",
    "987.6543210987",
)


# -- structure ------------------------------------------------------------------------------


def property_paths(node: Any, root: Mapping[str, Any], path: str = "") -> Iterator[str]:
    """Every property name reachable from ``node``, following ``$ref`` s into ``root``
    (definitions are reached through their references, named by where they are used)."""

    def walk(value: Any, where: str, stack: frozenset[str]) -> Iterator[str]:
        if isinstance(value, list):
            for item in value:
                yield from walk(item, where, stack)
            return
        if not isinstance(value, Mapping):
            return
        ref = value.get("$ref")
        if isinstance(ref, str):
            if ref not in stack:  # a recursive model is walked once per path
                target: Any = root
                for part in ref.removeprefix("#/").split("/"):
                    target = target[part]
                yield from walk(target, where, stack | {ref})
            return
        for name, child in value.get("properties", {}).items():
            yield f"{where}.{name}"
            yield from walk(child, f"{where}.{name}", stack)
        for key, child in value.items():
            if key not in ("properties", "$defs", "components"):
                yield from walk(child, where, stack)

    yield from walk(node, path, frozenset())


def leaks(paths: Iterator[str]) -> list[str]:
    return [p for p in paths if FORBIDDEN.search(p.rsplit(".", 1)[-1])]


def test_the_walker_catches_a_score_at_any_depth() -> None:
    """The structural check can fail: a score three levels down is found."""

    class Inner(BaseModel):
        name: str
        gap_to_next: str

    class Middle(BaseModel):
        items: list[Inner]
        partner_score: str | None = None

    class Leaky(BaseModel):
        partners: list[Middle]

    schema = Leaky.model_json_schema()
    found = leaks(property_paths(schema, schema))
    assert sorted(found) == [".partners.items.gap_to_next", ".partners.partner_score"]


def test_the_directory_model_has_no_field_that_could_carry_a_score() -> None:
    """MCPP-6: nothing in the response model can hold a score, gap or explanation."""
    schema = DirectoryPage.model_json_schema()
    paths = list(property_paths(schema, schema))
    assert ".partners.designations.name" in paths  # the walk reaches the leaves
    assert ".partners.statuses.id" in paths
    assert leaks(iter(paths)) == []


def test_the_published_openapi_schema_has_none_either(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/directory"]["get"]
    assert "security" not in operation  # public: no token asked
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    paths = list(property_paths(ok, document))
    assert ".partners.country" in paths
    assert leaks(iter(paths)) == []
    assert [p["name"] for p in operation["parameters"]] == [
        "name",
        "country",
        "designation",
        "status",
        "limit",
    ]


# -- data ------------------------------------------------------------------------------------


def _save(application: Application, code: str, as_of: date, outcomes: list[Outcome]) -> None:
    loaded = application.programs.entry(code)
    key = RunKey(code, loaded.definition.version, as_of)
    run = Run(key, loaded.content_hash, datetime(2025, 3, 14, tzinfo=UTC), 0, 0, {}, "")
    with application.uow_factory() as uow:
        assert uow.tier_outcomes.save_run(run, outcomes).written
        uow.commit()


def _outcome(
    application: Application,
    code: str,
    as_of: date,
    partner: str,
    subject: Subject,
    subject_id: str,
    result: str,
    score: str,
    held: bool,
) -> Outcome:
    explanation = Explanation(
        f"{subject_id}: {score}",
        (Reason("MCPP-9", f"{score} points in total"),),
        Decimal("6.5432108766"),
        "80.1234567891 points",
        (Step("advanced", Decimal(2), Decimal("8.8888888888"), "2 more: +8.8888888888", "X-3"),),
    )
    return Outcome(
        code,
        application.programs.get(code).version,
        as_of,
        partner,
        subject,
        subject_id,
        result,
        Decimal(score),
        explanation,
        held=held,
        until=date(2026, 1, 31),
        details={"counted_total": score},
    )


@pytest.fixture
def stored(world: World, application: Application) -> World:
    """Acme: designated in Infrastructure (score 73.4567891234), in progress in Security;
    Globex: OIP Business; Acme Iberia: OIP Access (below the directory listing, OIP-6);
    Globex Asia: PEX Advanced."""
    mcpp_day, oip_day, pex_day = date(2025, 3, 1), date(2025, 1, 1), date(2025, 3, 1)

    def one(code: str, day: date, partner: str, *rest: Any) -> Outcome:
        return _outcome(application, code, day, partner, *rest)

    _save(
        application,
        "mcpp",
        mcpp_day,
        [
            one("mcpp", mcpp_day, world.acme.id, Subject.AREA, "infrastructure", "enrolled",
                "73.4567891234", True),
            one("mcpp", mcpp_day, world.acme.id, Subject.AREA, "security", "in_progress",
                "12.3456789012", False),
        ],
    )  # fmt: skip
    _save(
        application,
        "oip",
        oip_day,
        [
            one("oip", oip_day, world.globex.id, Subject.STATUS, "operator", "business",
                "4321.9876543210", True),
            one("oip", oip_day, world.iberia.id, Subject.STATUS, "ambassador", "access",
                "1234.5678901234", True),
        ],
    )  # fmt: skip
    _save(
        application,
        "pex",
        pex_day,
        [one("pex", pex_day, world.globex_asia.id, Subject.TIER, "tier", "advanced",
             "987.6543210987", True)],
    )  # fmt: skip
    return world


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert re.search(r"\d\.\d{6,}", text) is None  # no long decimal of any kind


def test_designations_and_statuses_show_and_no_score_digit_does(
    client: TestClient, stored: World
) -> None:
    world = stored
    answer = client.get("/api/v1/directory")
    assert answer.status_code == 200, answer.text
    assert_no_secret(answer.text)
    partners = {p["name"]: p for p in answer.json()["partners"]}
    assert list(partners) == ["Acme", "Acme Iberia", "Globex", "Globex Asia"]
    assert partners["Acme"]["designations"] == [
        {
            "program": "mcpp",
            "kind": "designation",
            "id": "mcpp:infrastructure",
            "name": "Solutions Partner for Infrastructure (Azure)",
        }
    ]  # Security is in progress: not shown (MCPP-8)
    assert partners["Acme"]["statuses"] == []
    assert [s["id"] for s in partners["Globex"]["statuses"]] == ["oip:business"]
    assert partners["Acme Iberia"]["statuses"] == []  # Access: not listed (OIP-6)
    assert [(s["id"], s["name"]) for s in partners["Globex Asia"]["statuses"]] == [
        ("pex:advanced", "Advanced")
    ]
    choices = answer.json()
    assert {"id": "mcpp:security", "name": "Solutions Partner for Security"} in choices[
        "designations"
    ]
    assert [c["id"] for c in choices["statuses"] if c["id"].startswith("oip:")] == [
        "oip:business",
        "oip:premium",
    ]

    portal = client.get("/directory")
    assert portal.status_code == 200
    assert "Globex Asia" in portal.text
    assert_no_secret(portal.text)

    # the numbers are there for those allowed to see them (the test can fail)
    own = client.get(f"/api/v1/partners/{world.acme.id}/standing", headers=world.auth("acme_admin"))
    assert own.status_code == 200
    assert "73.4567891234" in own.text and "8.8888888888" in own.text


def test_searches_by_earned_designation_and_status(client: TestClient, stored: World) -> None:
    def names(**params: str) -> list[str]:
        answer = client.get("/api/v1/directory", params=params)
        assert answer.status_code == 200, answer.text
        assert_no_secret(answer.text)
        return [p["name"] for p in answer.json()["partners"]]

    assert names(designation="mcpp:infrastructure") == ["Acme"]
    assert names(designation="mcpp:security") == []
    assert names(status="oip:business") == ["Globex"]
    assert names(status="pex:advanced", country="SG") == ["Globex Asia"]
    assert names(status="pex:advanced", country="DE") == []
    assert names(name="acme") == ["Acme", "Acme Iberia"]
    refused = client.get("/api/v1/directory", params={"status": "oip:access"})
    assert refused.status_code == 422
    assert error_of(refused)["field"] == "status"
    unknown = client.get("/api/v1/directory", params={"designation": "mcpp:nope"})
    assert (unknown.status_code, error_of(unknown)["field"]) == (422, "designation")


# -- access ----------------------------------------------------------------------------------


def test_anyone_sees_it_and_a_partner_sees_the_same_public_view(
    client: TestClient, stored: World
) -> None:
    """X-6: no login; a partner's administrator, and vendor staff, get the anonymous view."""
    world = stored
    anonymous = client.get("/api/v1/directory")
    assert anonymous.status_code == 200
    for who in ("acme_admin", "globex_admin", "iberia_user", "viewer"):
        seen = client.get("/api/v1/directory", headers=world.auth(who))
        assert seen.status_code == 200
        assert seen.json() == anonymous.json(), who
