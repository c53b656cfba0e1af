"""From an accepted application to a membership (OPN-2, OPN-6, OPN-7, OPN-8, OPN-10).

A principal's application subscribes when it is submitted; an associate's when its
principal's administrator approves it (OPN-2). The membership starts ``pending_payment``
for full payment before activation, or ``active`` for instalments from activation
(OPN-6); its fee invoice is issued (OPN-7); the applicant becomes partner administrator
(OPN-10); an active membership brings its benefits at once (OPN-11, CRD-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from alliance.domain.access import Actor
from alliance.domain.membership import (
    EnrolmentApplication,
    Membership,
    MembershipStatus,
    MembershipTerms,
    administrator_grant,
    new_subscription_id,
    subscribe,
)
from alliance.services.memberships.activation import allocate_credits, grant_administrator
from alliance.services.memberships.invoices import issue_subscription_invoice
from alliance.services.memberships.ports import FeeInvoice
from alliance.services.memberships.records import audit_membership, send_notice
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class Subscribed:
    membership: Membership
    invoice: FeeInvoice


def open_subscription(
    uow: UnitOfWork,
    actor: Actor,
    application: EnrolmentApplication,
    terms: MembershipTerms,
    today: date,
    at: datetime,
    *,
    principal: Membership | None = None,
) -> Subscribed:
    """Create the membership of an accepted application, in ``uow``'s transaction."""
    membership = subscribe(application, new_subscription_id(), terms, today, principal=principal)
    uow.memberships.add(membership, application_id=application.id)
    audit_membership(
        uow,
        actor,
        None,
        membership,
        at,
        "subscribed",
        {"rule": "OPN-6", "application_id": application.id},
    )
    grant_administrator(uow, actor, administrator_grant(application), at)
    invoice = issue_subscription_invoice(uow, membership, terms, application.billing_country, at)
    if membership.status is MembershipStatus.ACTIVE:
        allocate_credits(uow, actor, membership, at)
    person = uow.people.get(application.applicant)
    status = (
        f"active from {membership.term.start} to {membership.term.end}"
        if membership.term
        else "waiting for full payment of the fee before activation (OPN-6)"
    )
    send_notice(
        uow,
        membership.organization_id,
        "membership.subscribed",
        f"Welcome to the program: subscription {membership.subscription_id}",
        f"Your {membership.level} membership {membership.subscription_id} is {status}.",
        {
            "subscription_id": membership.subscription_id,
            "level": membership.level,
            "status": membership.status.value,
            "rule": "OPN-9",
        },
        at,
        key=f"{membership.subscription_id}:subscribed",
        extra_to=[person.email] if person else [],
    )
    return Subscribed(membership, invoice)
