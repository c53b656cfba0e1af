"""The engagement end-to-end scenario: a vendor's program folder, memberships, forms.

* :func:`vendor_programs` writes the built-in OPN definition with its ``!configurable``
  public-sector pool filled in — France and Germany, 100,000 USD (RWD-1, RWD-3) — as a
  vendor would (``ALLIANCE_PROGRAMS``);
* :func:`enrol_world` gives the API world's partners active level-2 memberships: Acme
  (and its associate Acme Iberia) paid in partner credits, Globex in money (RWD-3);
* :func:`opportunity` is a complete opportunity form (CCE-3).
"""

from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path
from typing import Any

from api_world import World

from alliance.bootstrap import Application
from alliance.domain.engagement_rewards import PayoutMethod
from alliance.domain.ids import PersonId, new_id
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, Person
from alliance.settings import Settings
from engagements_members import enrol

POOL_COUNTRIES = "values: !configurable [], subject: deal"


def vendor_programs(folder: Path) -> Path:
    """The OPN definition with the public-sector countries FR, DE and a 100,000 USD pool."""
    text = resources.files("alliance.programs").joinpath("builtin/opn.yaml").read_text("utf-8")
    assert POOL_COUNTRIES in text and "threshold: !configurable 250000 USD" in text
    text = text.replace(POOL_COUNTRIES, "values: !configurable [FR, DE], subject: deal")
    text = text.replace(
        "threshold: !configurable 250000 USD", "threshold: !configurable 100000 USD"
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "opn.yaml").write_text(text, encoding="utf-8")
    return folder


def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        programs=vendor_programs(tmp_path / "programs"),
        data_dir=tmp_path / "var",
        attachments_dir=tmp_path / "attachments",
        secret_key=secrets.token_urlsafe(32),
        environment="test",
    )


def person_id(application: Application, email: str) -> PersonId:
    with application.uow_factory() as uow:
        person = uow.people.by_email(email)
    assert person is not None
    return person.id


def add_person(application: Application, name: str, organization: Organization) -> Person:
    person = Person(
        PersonId(new_id("per")),
        name.title(),
        f"{name}@{organization.name.lower().replace(' ', '-')}.example",
        organization.id,
        frozenset({PartnerRole.ENGAGEMENT_USER}),
    )
    with application.uow_factory() as uow:
        uow.people.add(person)
        uow.commit()
    return person


def enrol_world(application: Application, world: World) -> None:
    ada = person_id(application, "ada@acme.example")
    gus = person_id(application, "gus@globex.example")
    acme = enrol(application.uow_factory, world.acme.id, ada, payout=PayoutMethod.PARTNER_CREDITS)
    enrol(
        application.uow_factory,
        world.iberia.id,
        person_id(application, "ines@acme-iberia.example"),
        principal=acme.subscription_id,
        principal_admin=ada,
        country="ES",
    )
    enrol(application.uow_factory, world.globex.id, gus, payout=PayoutMethod.MONEY, country="DE")


def opportunity(**changes: Any) -> dict[str, Any]:
    """200,000 USD of OCI for a Lyon bank, complete (CCE-3)."""
    form: dict[str, Any] = {
        "category": "opportunity",
        "name": "Lyon data platform",
        "customer": {
            "legal_name": "Banque de Lyon S.A.",
            "address": {
                "street": "1 rue de la République",
                "city": "Lyon",
                "postal_code": "69001",
                "country": "FR",
            },
        },
        "partner_contact": {"name": "Ada", "email": "ada@acme.example"},
        "customer_contact": {"name": "Claire Client"},
        "products": [
            {
                "product": "OCI-COMPUTE",
                "family": "oci",
                "quantity": "10",
                "amount": {"amount": "200000.00", "currency": "USD"},
                "service_period": {"start": "2025-07-01", "end": "2026-06-30"},
            }
        ],
        "estimated_close_date": "2025-06-30",
    }
    form.update(changes)
    return form
