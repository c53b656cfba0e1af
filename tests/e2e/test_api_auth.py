"""Bearer tokens over HTTP on a real database: log in, who am I, revoke."""

from __future__ import annotations

import hashlib

from api_world import PASSWORD, USERS, World, error_of, login
from fastapi.testclient import TestClient

from alliance.bootstrap import Application

TOKENS = "/api/v1/auth/tokens"


def test_a_token_is_issued_once_and_stored_only_as_its_digest(
    client: TestClient, world: World, application: Application
) -> None:
    answer = client.post(
        TOKENS, json={"email": "ADA@acme.example", "password": PASSWORD, "name": "ci"}
    )
    assert answer.status_code == 201
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.json()
    assert body["token"].startswith("alk_")
    assert body["name"] == "ci"
    assert body["id"].startswith("tok_")
    assert body["created_at"] == "2025-03-14T09:30:00Z"

    with application.uow_factory() as uow:
        stored = uow.users.token_by_hash(hashlib.sha256(body["token"].encode()).hexdigest())
        assert stored is not None and stored.id == body["id"]
        user = uow.users.by_email("ada@acme.example")
        assert user is not None and user.password_hash.startswith("$argon2id$")


def test_me_describes_the_token_holder(client: TestClient, world: World) -> None:
    answer = client.get("/api/v1/me", headers=world.auth("acme_admin"))
    assert answer.status_code == 200
    assert answer.json() == {
        "user_id": answer.json()["user_id"],
        "email": "ada@acme.example",
        "name": "Ada",
        "kind": "member",
        "organization_id": world.acme.id,
        "partner_roles": ["partner_administrator"],
        "vendor_roles": [],
    }
    staff = client.get("/api/v1/me", headers=world.auth("viewer")).json()
    assert staff["kind"] == "vendor_staff"
    assert staff["organization_id"] is None
    assert staff["vendor_roles"] == ["viewer"]


def test_me_needs_a_token(client: TestClient) -> None:
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert error_of(answer)["code"] == "not_authenticated"


def test_a_malformed_authorization_header_is_401(client: TestClient, world: World) -> None:
    for header in ("Basic YWRhOnB3", "Bearer", world.tokens["acme_admin"]):
        answer = client.get("/api/v1/me", headers={"Authorization": header})
        assert answer.status_code == 401, header


def test_a_wrong_password_and_an_unknown_e_mail_get_the_same_answer(
    client: TestClient, world: World
) -> None:
    wrong_password = client.post(
        TOKENS, json={"email": USERS["acme_admin"], "password": "not the password"}
    )
    unknown_email = client.post(TOKENS, json={"email": "nobody@acme.example", "password": PASSWORD})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert error_of(wrong_password)["code"] == "invalid_credentials"


def test_a_login_without_password_is_422_naming_the_field(client: TestClient) -> None:
    answer = client.post(TOKENS, json={"email": "ada@acme.example"})
    assert answer.status_code == 422
    body = error_of(answer)
    assert body["field"] == "body.password"
    assert body["rule"] == "X-7"


def test_a_revoked_token_is_refused(client: TestClient, world: World) -> None:
    other = login(client, USERS["acme_admin"])
    spare = client.post(
        TOKENS, json={"email": USERS["acme_admin"], "password": PASSWORD, "name": "spare"}
    ).json()
    headers = {"Authorization": f"Bearer {spare['token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    answer = client.delete(f"{TOKENS}/{spare['id']}", headers=headers)
    assert answer.status_code == 204
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert "revoked" in error_of(refused)["message"]
    # The user's other tokens still work.
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_another_users_token_cannot_be_revoked(client: TestClient, world: World) -> None:
    theirs = client.post(TOKENS, json={"email": USERS["globex_admin"], "password": PASSWORD}).json()
    answer = client.delete(f"{TOKENS}/{theirs['id']}", headers=world.auth("acme_admin"))
    assert answer.status_code == 403
    still = client.get("/api/v1/me", headers={"Authorization": f"Bearer {theirs['token']}"})
    assert still.status_code == 200


def test_revoking_an_unknown_token_is_404(client: TestClient, world: World) -> None:
    answer = client.delete(f"{TOKENS}/tok_nope", headers=world.auth("acme_admin"))
    assert answer.status_code == 404
    assert error_of(answer)["field"] == "token_id"
