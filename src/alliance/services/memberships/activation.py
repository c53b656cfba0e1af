"""What activation brings (OPN-10, OPN-11, CRD-1): benefits start, the level's partner
credits are allocated to the principal on the ledger, and the applicant is a partner
administrator.

CRD-1: at each activation of a principal's term — first activation, a renewed term, a
late renewal bringing an expired membership back — the level's allocation
(:func:`~alliance.domain.credits.allocation.plan_allocation`) is posted to the wallet
``partner_credits`` (unit ``CREDITS``, tag ``allocation``), expiring with the term. Its
idempotency key is derived from the subscription and the term's start
(``crd:alloc:{subscription}:{start}``), so replaying an activation allocates once (X-5).
An associate gets no allocation of its own: it uses its principal's (CRD-2).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.credits.allocation import allocation_key, plan_allocation
from alliance.domain.credits.wallet import DEFAULT_WALLET, CreditWallet
from alliance.domain.ids import PersonId
from alliance.domain.membership import Membership, RoleGrant
from alliance.domain.people import Person
from alliance.services.memberships.records import MEMBERSHIP
from alliance.services.ports import UnitOfWork


def term_allocation_key(membership: Membership) -> str:
    """CRD-1 / X-5: one allocation per subscription and term."""
    start = membership.term.start.isoformat() if membership.term else "none"
    return f"{allocation_key(membership.subscription_id)}:{start}"


def allocate_credits(
    uow: UnitOfWork,
    actor: Actor,
    membership: Membership,
    at: datetime,
    *,
    wallet: CreditWallet = DEFAULT_WALLET,
) -> str | None:
    """CRD-1: post the level's credits for the membership's current term; returns why
    (with its rule), or None when the same allocation had been posted already (X-5)."""
    if membership.term is None:
        return None
    company = uow.organizations.company_hierarchy(membership.organization_id)
    principal_id = (
        company.principal_of(membership.organization_id)
        if membership.is_associate
        else membership.organization_id
    )
    plan = plan_allocation(
        subscription_id=membership.subscription_id,
        member_id=membership.organization_id,
        principal_id=principal_id,
        level=membership.level,
        activated_on=membership.term.start,
        membership_ends_on=membership.term.end,
        wallet=wallet,
    )
    if plan.command is None:
        return str(plan.reason)
    command = replace(plan.command, idempotency_key=term_allocation_key(membership))
    applied = uow.ledger.apply(command)
    if applied.replayed:
        return None
    uow.audit.append(
        replace(
            audit.created(
                actor,
                MEMBERSHIP,
                membership.subscription_id,
                {
                    "wallet": command.wallet,
                    "unit": command.unit,
                    "amount": str(command.amount),
                    "expires_on": command.expires_on.isoformat() if command.expires_on else None,
                    "posting": applied.posting.id,
                },
                at,
                organization_id=membership.organization_id,
            ),
            action="membership.credits_allocated",
            context={"rule": "CRD-1", "idempotency_key": command.idempotency_key},
        )
    )
    return str(plan.reason)


def grant_administrator(
    uow: UnitOfWork, actor: Actor, grant: RoleGrant, at: datetime
) -> Person | None:
    """OPN-10: whoever completed the subscription becomes a partner administrator."""
    person = uow.people.get(PersonId(grant.person_id))
    if person is None or grant.role in person.partner_roles:
        return person
    updated = replace(person, partner_roles=person.partner_roles | {grant.role})
    uow.people.update(updated)
    uow.audit.append(
        replace(
            audit.changed(
                actor,
                "person",
                person.id,
                {"partner_roles": sorted(r.value for r in person.partner_roles)},
                {"partner_roles": sorted(r.value for r in updated.partner_roles)},
                at,
                organization_id=person.organization_id,
            ),
            action="person.role_granted",
            context={"rule": grant.rule, "role": grant.role.value},
        )
    )
    return updated
