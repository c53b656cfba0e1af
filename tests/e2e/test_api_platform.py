"""Health, program definitions, the OpenAPI document and the error shape, over HTTP."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from alliance import __version__
from alliance.api.app import create_app
from alliance.bootstrap import Application
from alliance.store.database import create_engine_for


def test_health_reports_the_version_and_the_database(client: TestClient) -> None:
    answer = client.get("/api/v1/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "version": __version__, "database": "ok"}


def test_health_says_when_the_database_is_gone(application: Application) -> None:
    # Nothing listens on port 1: the database does not answer.
    unreachable = create_engine_for("postgresql://nobody@127.0.0.1:1/alliance")
    with TestClient(create_app(replace(application, engine=unreachable))) as client:
        answer = client.get("/api/v1/health")
    unreachable.dispose()
    assert answer.status_code == 503
    assert answer.json() == {
        "status": "degraded",
        "version": __version__,
        "database": "unavailable",
    }


def test_programs_are_listed_publicly_by_code(client: TestClient, application: Application) -> None:
    answer = client.get("/api/v1/programs")
    assert answer.status_code == 200
    listed = answer.json()
    assert [p["code"] for p in listed] == application.programs.codes()
    for summary in listed:
        definition = application.programs.get(summary["code"])
        assert summary["name"] == definition.name
        assert summary["version"] == str(definition.version)
        assert summary["effective_date"] == definition.effective_date.isoformat()
        assert summary["origin"] == "builtin"
        assert summary["content_hash"].startswith("sha256:")


def test_the_built_in_programs_are_the_five_seeds(client: TestClient) -> None:
    codes = {p["code"] for p in client.get("/api/v1/programs").json()}
    assert codes == {"opn", "pex", "mcpp", "oip", "osr"}


@pytest.mark.parametrize("code", ["opn", "pex", "mcpp", "oip", "osr"])
def test_one_program_is_read_whole(client: TestClient, application: Application, code: str) -> None:
    answer = client.get(f"/api/v1/programs/{code}")
    assert answer.status_code == 200
    body = answer.json()
    definition = application.programs.get(code)
    assert body["code"] == code
    assert body["name"] == definition.name
    assert body["definition"]["code"] == code
    assert body["definition"] == definition.model_dump(mode="json")


def test_an_unknown_program_is_404_listing_the_known_ones(
    client: TestClient, application: Application
) -> None:
    answer = client.get("/api/v1/programs/nope")
    assert answer.status_code == 404
    body = answer.json()["error"]
    assert body["code"] == "not_found"
    assert body["field"] == "code"
    for code in application.programs.codes():
        assert code in body["message"]


def test_the_openapi_document_describes_the_api(client: TestClient) -> None:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert document["info"]["title"] == "Alliance"
    assert document["info"]["version"] == __version__
    for path in (
        "/api/v1/health",
        "/api/v1/programs",
        "/api/v1/programs/{code}",
        "/api/v1/organizations",
        "/api/v1/organizations/{organization_id}",
        "/api/v1/organizations/{organization_id}/hierarchy",
        "/api/v1/auth/tokens",
        "/api/v1/auth/tokens/{token_id}",
        "/api/v1/me",
    ):
        assert path in document["paths"], path
    assert "ApiToken" in document["components"]["securitySchemes"]
    assert "OrganizationCreate" in document["components"]["schemas"]
    assert "OrganizationPublic" in document["components"]["schemas"]


def test_the_docs_page_is_served(client: TestClient) -> None:
    answer = client.get("/docs")
    assert answer.status_code == 200
    assert "text/html" in answer.headers["content-type"]
    assert "/openapi.json" in answer.text


def test_an_unknown_path_answers_in_the_error_shape(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_an_unexpected_failure_is_a_500_without_a_stack_trace(application: Application) -> None:
    app = create_app(application)

    def explode() -> dict[str, Any]:
        raise RuntimeError("secret internals at /srv/alliance/db.py line 42")

    app.add_api_route("/api/v1/explode", explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/api/v1/explode")
    assert answer.status_code == 500
    assert answer.json() == {
        "error": {
            "code": "internal_error",
            "message": "something went wrong on our side",
            "field": None,
            "rule": None,
            "problems": [],
        }
    }
    assert "secret" not in answer.text and "Traceback" not in answer.text
