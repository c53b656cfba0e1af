"""The partner-credit scenario of the end-to-end tests (CRD-2 … CRD-6), on top of the
API world (``api_world``: Acme with associate Acme Iberia, Globex with Globex Asia).

* more people, each logged in: Carl (Acme's partner credit manager), Mia (Acme's
  marketing contact), Ivo (Iberia's partner administrator);
* active memberships at level 2 for all four organisations (associates inherit their
  principal's term, OPN-8), stored through the membership store (``uow.memberships``)
  with a term covering ``today``;
* Acme's credits: 1,250.00 allocated (CRD-1's lot, funded directly so that the numbers
  are the scenario's), and optionally credits earned on a public-sector deal (CRD-6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from api_world import World, _user, login
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.domain.credits import ALLOCATION_TAG, CREDITS, PARTNER_CREDITS
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import OpenLot, Origin, PostingKind
from alliance.domain.membership import Membership, MembershipStatus, SubscriptionId, Term
from alliance.domain.organizations import EntityRole
from alliance.domain.people import PartnerRole, VendorRole

CREDIT_USERS = {
    "acme_credits": ("carl@acme.example", "acme", PartnerRole.PARTNER_CREDIT_MANAGER),
    "acme_marketing": ("mia@acme.example", "acme", PartnerRole.MARKETING_CONTACT),
    "iberia_admin": ("ivo@acme-iberia.example", "iberia", PartnerRole.PARTNER_ADMINISTRATOR),
    "finance": ("fin@vendor.example", None, VendorRole.FINANCE),
}


@dataclass(frozen=True)
class CreditWorld:
    world: World
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        token = self.tokens.get(who) or self.world.tokens[who]
        return {"Authorization": f"Bearer {token}"}


def seed_credits(
    application: Application, client: TestClient | None, world: World, today: date
) -> CreditWorld:
    orgs = {"acme": world.acme, "iberia": world.iberia}
    for email, org, role in CREDIT_USERS.values():
        _user(application, email, orgs[org] if org else None, role)
    tokens = (
        {who: login(client, email) for who, (email, _, _) in CREDIT_USERS.items()}
        if client is not None
        else {}
    )
    term = Term(today - timedelta(days=60), today + timedelta(days=300))
    with application.uow_factory() as uow:
        for principal, associate in ((world.acme, world.iberia), (world.globex, world.globex_asia)):
            uow.memberships.add(_membership(principal.id, term))
            uow.memberships.add(_membership(associate.id, term, principal=principal.id))
        uow.commit()
    fund(application, world.acme.id, "alloc-acme", "1250.00", term.start, term.end)
    return CreditWorld(world, tokens)


def _membership(
    org: OrganizationId, term: Term, *, principal: OrganizationId | None = None
) -> Membership:
    return Membership(
        subscription_id=SubscriptionId(f"sub_{org}"),
        organization_id=org,
        member_type=EntityRole.ASSOCIATE if principal else EntityRole.PRINCIPAL,
        level="l2",
        status=MembershipStatus.ACTIVE,
        subscribed_on=term.start,
        term=term,
        principal=SubscriptionId(f"sub_{principal}") if principal else None,
    )


def fund(
    application: Application,
    owner: OrganizationId,
    key: str,
    amount: str,
    accrued_on: date,
    expires_on: date,
    tags: frozenset[str] = frozenset({ALLOCATION_TAG}),
) -> None:
    with application.uow_factory() as uow:
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
