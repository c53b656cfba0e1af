"""Reading memberships (X-3, X-6): one membership with where it stands — benefits,
engagement access, expertise validity and tracks on a day (OPN-11, OPN-15), its renewal
route and why (OPN-14, OPN-15), its invoices (OPN-7) — and listings scoped by tenancy: a
partner's people see their own company, principal and associates (OPN-3); vendor staff
see every one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput
from alliance.domain.membership import (
    Membership,
    MembershipStatus,
    PublishedExpertise,
    RenewalOption,
    Standing,
    SubscriptionId,
    renewal_option,
    renewal_window_opens,
    standing_on,
    tracks_on,
)
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.access import company_scope, visible_membership
from alliance.services.memberships.ports import FeeInvoice
from alliance.services.ports import UnitOfWork

MAX_PAGE = 200


@dataclass(frozen=True)
class MembershipView:
    membership: Membership
    as_of: date
    standing: Standing
    renewal: RenewalOption
    window_opens: date | None
    tracks: tuple[str, ...]
    invoices: tuple[FeeInvoice, ...] = ()
    expertise: tuple[PublishedExpertise, ...] = ()


def _view(
    uow: UnitOfWork,
    program: MembershipProgram,
    membership: Membership,
    day: date,
    *,
    details: bool,
) -> MembershipView:
    terms = program.terms
    principal = uow.memberships.get(membership.principal) if membership.principal else None
    return MembershipView(
        membership=membership,
        as_of=day,
        standing=standing_on(membership, terms, day),
        renewal=renewal_option(membership, day, terms),
        window_opens=renewal_window_opens(membership.end, terms) if membership.end else None,
        tracks=tracks_on(membership, day, principal=principal),
        invoices=tuple(uow.memberships.invoices(membership.subscription_id)) if details else (),
        expertise=tuple(uow.memberships.expertise(membership.subscription_id)) if details else (),
    )


def get_membership(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
    *,
    as_of: date | None = None,
) -> MembershipView:
    with uow:
        membership = visible_membership(uow, actor, subscription_id)
        return _view(uow, program, membership, as_of or clock.today(), details=True)


def list_memberships(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    *,
    status: MembershipStatus | None = None,
    as_of: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[MembershipView]:
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise InvalidInput(
            f"limit is 1–{MAX_PAGE} and offset not negative", field="limit", rule="X-7"
        )
    day = as_of or clock.today()
    with uow:
        scope = company_scope(uow, actor)
        found = uow.memberships.find(
            organizations=scope,
            statuses=[status] if status else None,
            limit=limit,
            offset=offset,
        )
        return [_view(uow, program, m, day, details=False) for m in found]


def invoices_of(uow: UnitOfWork, actor: Actor, subscription_id: SubscriptionId) -> list[FeeInvoice]:
    """OPN-7: the subscription's invoices, for those who may see it."""
    with uow:
        visible_membership(uow, actor, subscription_id)
        return uow.memberships.invoices(subscription_id)
