"""The partner-credit world of the integration tests (CRD-1…CRD-6).

* Acme (principal, level 2, active) with associates Acme Iberia and Acme Norte (active,
  inheriting Acme's term, OPN-8); Globex, another company (active);
* people: Ada (Acme's partner administrator), Carl (Acme's partner credit manager), Mia
  (Acme's marketing contact), Ines (Iberia's administrator), Nico (Norte's credit
  manager), Gus (Globex's administrator); each has a login, so each can be an actor;
* :func:`fund` opens a lot of partner credits on the principal's book through the ledger
  (as CRD-1's allocation or RWD-4's payout would).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from alliance.domain.access import Actor, ActorKind
from alliance.domain.credits import ALLOCATION_TAG, CREDITS, PARTNER_CREDITS
from alliance.domain.ids import OrganizationId, PersonId, UserId
from alliance.domain.ledger import OpenLot, Origin, PostingKind
from alliance.domain.membership import (
    Membership,
    MembershipStatus,
    SubscriptionId,
    Term,
)
from alliance.domain.organizations import EntityRole, Organization
from alliance.domain.people import PartnerRole, Person
from alliance.services.ports import UserAccount
from alliance.store.unit_of_work import SqlUnitOfWork

Factory = Callable[[], SqlUnitOfWork]

ACME = OrganizationId("org_acme")
IBERIA = OrganizationId("org_iberia")
NORTE = OrganizationId("org_norte")
GLOBEX = OrganizationId("org_globex")
TERM = Term(date(2025, 1, 10), date(2026, 1, 9))

PEOPLE: dict[str, tuple[OrganizationId, PartnerRole]] = {
    "ada": (ACME, PartnerRole.PARTNER_ADMINISTRATOR),
    "carl": (ACME, PartnerRole.PARTNER_CREDIT_MANAGER),
    "mia": (ACME, PartnerRole.MARKETING_CONTACT),
    "ines": (IBERIA, PartnerRole.PARTNER_ADMINISTRATOR),
    "nico": (NORTE, PartnerRole.PARTNER_CREDIT_MANAGER),
    "gus": (GLOBEX, PartnerRole.PARTNER_ADMINISTRATOR),
}


def email(who: str) -> str:
    return f"{who}@{PEOPLE[who][0].removeprefix('org_')}.example"


def actor(who: str) -> Actor:
    """The member actor ``who`` logs in as."""
    org, role = PEOPLE[who]
    return Actor(
        ActorKind.MEMBER,
        user_id=UserId(f"usr_{who}"),
        organization_id=org,
        partner_roles=frozenset({role}),
        label=email(who),
    )


def seed(
    uow_factory: Factory, *, membership_status: MembershipStatus = MembershipStatus.ACTIVE
) -> None:
    with uow_factory() as uow:
        uow.organizations.add(Organization(id=ACME, name="Acme", country="FR"))
        for org, name, country in ((IBERIA, "Acme Iberia", "ES"), (NORTE, "Acme Norte", "NO")):
            uow.organizations.add(
                Organization(
                    id=org,
                    name=name,
                    country=country,
                    parent_id=ACME,
                    ownership_percent=Decimal("100"),
                )
            )
        uow.organizations.add(Organization(id=GLOBEX, name="Globex", country="DE"))
        for who, (org, role) in PEOPLE.items():
            person = PersonId(f"per_{who}")
            uow.people.add(Person(person, who.title(), email(who), org, frozenset({role})))
            uow.users.add(UserAccount(UserId(f"usr_{who}"), person, email(who), "x"))
        for org in (ACME, GLOBEX):
            uow.memberships.add(_membership(org, membership_status))
        for org in (IBERIA, NORTE):
            uow.memberships.add(_membership(org, membership_status, principal=ACME))
        uow.commit()


def _membership(
    org: OrganizationId, status: MembershipStatus, *, principal: OrganizationId | None = None
) -> Membership:
    return Membership(
        subscription_id=SubscriptionId(f"sub_{org}"),
        organization_id=org,
        member_type=EntityRole.ASSOCIATE if principal else EntityRole.PRINCIPAL,
        level="l2",
        status=status,
        subscribed_on=TERM.start,
        term=TERM,
        principal=SubscriptionId(f"sub_{principal}") if principal else None,
    )


def fund(
    uow_factory: Factory,
    key: str,
    amount: str,
    *,
    owner: OrganizationId = ACME,
    tags: frozenset[str] = frozenset({ALLOCATION_TAG}),
    accrued_on: date = date(2025, 1, 10),
    expires_on: date | None = TERM.end,
) -> None:
    """Open a lot of ``amount`` credits on ``owner``'s book."""
    with uow_factory() as uow:
        uow.ledger.execute(
            OpenLot(
                key,
                owner,
                PARTNER_CREDITS,
                CREDITS,
                Decimal(amount),
                accrued_on,
                expires_on,
                Origin("opn", key, tags),
                PostingKind.ALLOCATE if ALLOCATION_TAG in tags else PostingKind.ACCRUE,
            )
        )
        uow.commit()
