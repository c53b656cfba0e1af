"""Demo partner credits (CRD-2, CRD-3): a few credit option orders in every state, on the
credits the demo's active principals were allocated at activation (CRD-1, by the
membership demo). Run after memberships exist; a principal without an active membership
or without credits is skipped.

For each of the first :data:`PRINCIPALS` active principals (the login's company first,
then by id): a training voucher
ordered and delivered (spent), two exam vouchers held (reserved), cloud credits ordered
then cancelled (released); and, for its first active associate with an administrator or
credit manager, the principal's policy *approval required* and one associate order
waiting for approval. Keys are fixed, so loading twice changes nothing (X-5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alliance.bootstrap import Application
from alliance.demo.partner import login_company, login_first
from alliance.domain.access import Actor
from alliance.domain.credits import CREDIT_ROLES, AssociatePolicy
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import MembershipStatus
from alliance.services.credits.orders import (
    PlaceOrder,
    cancel_order,
    deliver_order,
    place_order,
)
from alliance.services.credits.policies import SetPolicy, set_policy

PRINCIPALS = 3


@dataclass
class CreditsLoaded:
    """What :func:`load_credits` did: orders by status, and what it skipped and why."""

    orders: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, status: str) -> None:
        self.orders[status] = self.orders.get(status, 0) + 1

    @property
    def summary(self) -> str:
        done = ", ".join(f"{n} {status}" for status, n in sorted(self.orders.items()))
        return f"Partner credits: {done or 'no orders'} (alliance credits statement ORG)"


def _candidates(application: Application) -> list[tuple[OrganizationId, OrganizationId | None]]:
    """Active principals (first few by id) and their first active associate with a
    person who may order."""
    with application.uow_factory() as uow:
        active = uow.memberships.every([MembershipStatus.ACTIVE])
        mine = login_company(uow)
        principals = sorted(
            (m.organization_id for m in active if not m.is_associate),
            key=lambda org: login_first(mine, org),
        )
        associates = {m.organization_id for m in active if m.is_associate}
        found: list[tuple[OrganizationId, OrganizationId | None]] = []
        for principal in principals[:PRINCIPALS]:
            hierarchy = uow.organizations.company_hierarchy(principal)
            associate = next(
                (
                    org
                    for org in hierarchy.descendants(principal)
                    if org in associates
                    and any(p.partner_roles & CREDIT_ROLES for p in uow.people.of_organization(org))
                ),
                None,
            )
            found.append((principal, associate))
    return found


def load_credits(application: Application) -> CreditsLoaded:
    """Place the demo's orders (see the module doc)."""
    system, clock = Actor.system("demo"), application.clock
    loaded = CreditsLoaded()

    def attempt(org: OrganizationId, option: str, quantity: int, key: str) -> str | None:
        try:
            result = place_order(
                application.uow_factory(),
                system,
                PlaceOrder(org, option, quantity, f"demo:{key}"),
                clock,
            )
        except AllianceError as refusal:
            loaded.skipped.append(f"{org} {option}: {refusal} [{refusal.rule}]")
            return None
        return result.order.id

    for principal, associate in _candidates(application):
        delivered = attempt(principal, "training_voucher", 1, f"{principal}:voucher")
        if delivered:
            deliver_order(application.uow_factory(), system, delivered, clock)
            loaded.count("delivered")
        if attempt(principal, "certification_exam", 2, f"{principal}:exams"):
            loaded.count("held")
        cancelled = attempt(principal, "cloud_universal_credits", 100, f"{principal}:cloud")
        if cancelled:
            cancel_order(application.uow_factory(), system, cancelled, clock)
            loaded.count("cancelled")
        if associate is None:
            continue
        set_policy(
            application.uow_factory(),
            system,
            SetPolicy(principal, AssociatePolicy.APPROVAL_REQUIRED),
            clock,
        )
        if attempt(associate, "training_voucher", 1, f"{associate}:voucher"):
            loaded.count("pending_approval")
    return loaded
