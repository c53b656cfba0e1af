"""The world the end-to-end tests act in: two partner companies and the vendor's staff.

Seeded through the use cases (as the CLI would), then every user logs in through the
API for a bearer token.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.access import Actor
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, VendorRole
from alliance.services.auth import RegisterUser, register_user
from alliance.services.organizations import CreateOrganization, create_organization

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class World:
    """Two partner companies and the vendor, each user with a bearer token.

    * Acme (FR, principal) with associate Acme Iberia (ES, 100 %): ``acme_admin`` is
      Acme's partner administrator, ``iberia_user`` a plain member of Acme Iberia;
    * Globex (DE, principal) with associate Globex Asia (SG): ``globex_admin``;
    * vendor staff: ``viewer`` (viewer) and ``manager`` (channel manager).
    """

    acme: Organization
    iberia: Organization
    globex: Organization
    globex_asia: Organization
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def _organization(
    application: Application,
    name: str,
    country: str,
    parent: Organization | None = None,
) -> Organization:
    command = CreateOrganization(
        name=name,
        country=country,
        parent_id=parent.id if parent is not None else None,
        ownership_percent=Decimal("100") if parent is not None else None,
    )
    return create_organization(
        application.uow_factory(), Actor.system("seed"), command, application.clock
    )


def _user(
    application: Application,
    email: str,
    organization: Organization | None,
    *roles: PartnerRole | VendorRole,
) -> None:
    command = RegisterUser(
        name=email.split("@")[0].title(),
        email=email,
        password=PASSWORD,
        organization_id=organization.id if organization is not None else None,
        partner_roles=frozenset(r for r in roles if isinstance(r, PartnerRole)),
        vendor_roles=frozenset(r for r in roles if isinstance(r, VendorRole)),
    )
    register_user(
        application.uow_factory(),
        Actor.system("seed"),
        command,
        application.clock,
        application.passwords,
    )


def login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    answer = client.post(
        "/api/v1/auth/tokens", json={"email": email, "password": password, "name": "e2e"}
    )
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["token"]
    return token


USERS = {
    "acme_admin": "ada@acme.example",
    "iberia_user": "ines@acme-iberia.example",
    "globex_admin": "gus@globex.example",
    "viewer": "vic@vendor.example",
    "manager": "max@vendor.example",
}


def seed_world(application: Application, client: TestClient) -> World:
    acme = _organization(application, "Acme", "FR")
    iberia = _organization(application, "Acme Iberia", "ES", acme)
    globex = _organization(application, "Globex", "DE")
    globex_asia = _organization(application, "Globex Asia", "SG", globex)
    _user(application, USERS["acme_admin"], acme, PartnerRole.PARTNER_ADMINISTRATOR)
    _user(application, USERS["iberia_user"], iberia, PartnerRole.MARKETING_CONTACT)
    _user(application, USERS["globex_admin"], globex, PartnerRole.PARTNER_ADMINISTRATOR)
    _user(application, USERS["viewer"], None, VendorRole.VIEWER)
    _user(application, USERS["manager"], None, VendorRole.CHANNEL_MANAGER)
    tokens = {who: login(client, email) for who, email in USERS.items()}
    return World(acme, iberia, globex, globex_asia, tokens)


def error_of(answer: httpx.Response) -> dict[str, Any]:
    """The ``error`` of an error answer, checked to have the one shape (X-7)."""
    body: dict[str, dict[str, Any]] = answer.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field", "rule", "problems"}
    assert "Traceback" not in answer.text
    return body["error"]
