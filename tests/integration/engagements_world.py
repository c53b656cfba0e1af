"""The world the engagement integration tests act in, seeded through the stores and the
organisation use case:

* Acme (FR, principal, level 2, paid in **credits**) with associate Acme Iberia (ES);
  ``ada`` is Acme's partner administrator, ``ben`` a sales engagement contact;
* Globex (DE, principal, level 2, paid in **money**): ``gus`` its administrator;
* the vendor: ``staff`` (program admin: reviews, books, pays).

The program's public-sector pool is configured for France and Germany with a 100,000 USD
threshold (RWD-1, RWD-3), so that the pool rules can be exercised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import Clock
from alliance.domain.engagement_rewards import PayoutMethod, PoolThresholds, public_sector_pool
from alliance.domain.ids import PersonId, new_id
from alliance.domain.membership import Membership
from alliance.domain.money import usd
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, Person, VendorRole
from alliance.programs.registry import ProgramRegistry
from alliance.services.engagements.program import EngagementProgram, engagement_program
from alliance.services.organizations import CreateOrganization, create_organization
from alliance.services.ports import UnitOfWork
from engagements_members import enrol

STAFF = Actor(
    ActorKind.VENDOR_STAFF,
    vendor_roles=frozenset({VendorRole.PROGRAM_ADMIN}),
    label="pat@vendor.example",
)


def member(person: Person) -> Actor:
    """The actor a partner's person is (the CLI's ``--as``)."""
    return Actor(
        ActorKind.MEMBER,
        organization_id=person.organization_id,
        partner_roles=person.partner_roles,
        label=person.email,
    )


def test_program(attachments: Path) -> EngagementProgram:
    program = engagement_program(ProgramRegistry.load(None), attachments_dir=attachments)
    pool = public_sector_pool(
        countries=("FR", "DE"), thresholds=PoolThresholds(min_total=usd("100000"))
    )
    return replace(program, offers=replace(program.offers, public_pool=pool))


@dataclass
class World:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    program: EngagementProgram
    acme: Organization
    iberia: Organization
    globex: Organization
    ada: Person
    ben: Person
    gus: Person
    memberships: dict[str, Membership]

    def person(self, name: str, organization: Organization, *roles: PartnerRole) -> Person:
        person = Person(
            PersonId(new_id("per")),
            name.title(),
            f"{name}@{organization.name.lower().replace(' ', '-')}.example",
            organization.id,
            frozenset(roles or {PartnerRole.ENGAGEMENT_USER}),
        )
        with self.uow() as uow:
            uow.people.add(person)
            uow.commit()
        return person


def _organization(
    uow: Callable[[], UnitOfWork],
    clock: Clock,
    name: str,
    country: str,
    parent: Organization | None = None,
) -> Organization:
    command = CreateOrganization(
        name=name,
        country=country,
        parent_id=parent.id if parent else None,
        ownership_percent=Decimal(100) if parent else None,
    )
    return create_organization(uow(), Actor.system("seed"), command, clock)


def seed(uow: Callable[[], UnitOfWork], clock: Clock, attachments: Path) -> World:
    acme = _organization(uow, clock, "Acme", "FR")
    iberia = _organization(uow, clock, "Acme Iberia", "ES", acme)
    globex = _organization(uow, clock, "Globex", "DE")
    world = World(uow, clock, test_program(attachments), acme, iberia, globex, None, None, None, {})  # type: ignore[arg-type]
    world.ada = world.person("ada", acme, PartnerRole.PARTNER_ADMINISTRATOR)
    world.ben = world.person("ben", acme, PartnerRole.SALES_ENGAGEMENT_CONTACT)
    world.gus = world.person("gus", globex, PartnerRole.PARTNER_ADMINISTRATOR)
    acme_membership = enrol(uow, acme.id, world.ada.id, payout=PayoutMethod.PARTNER_CREDITS)
    world.memberships = {
        "acme": acme_membership,
        "iberia": enrol(
            uow,
            iberia.id,
            world.person("ivo", iberia, PartnerRole.PARTNER_ADMINISTRATOR).id,
            principal=acme_membership.subscription_id,
            principal_admin=world.ada.id,
            country="ES",
        ),
        "globex": enrol(uow, globex.id, world.gus.id, payout=PayoutMethod.MONEY, country="DE"),
    }
    return world


def opportunity(**changes: Any) -> dict[str, Any]:
    """A complete opportunity form (CCE-3), 200,000 USD of OCI over 2025-07 … 2026-06."""
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
        "partner_contact": {"name": "Ada Admin", "email": "ada@acme.example"},
        "customer_contact": {"name": "Claire Client", "email": "claire@banque-lyon.example"},
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
        "notes": "",
    }
    form.update(changes)
    return form


def account_plan(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "category": "account_planning",
        "name": "Lyon account plan",
        "customer": {
            "legal_name": "Banque de Lyon",
            "address": {
                "street": "1 rue de la République",
                "city": "Lyon",
                "postal_code": "69001",
                "country": "FR",
            },
        },
        "partner_contact": {"name": "Ada Admin", "email": "ada@acme.example"},
        "pillars": [{"name": "Fusion ERP"}],
    }
    form.update(changes)
    return form


TODAY = date(2025, 3, 14)
