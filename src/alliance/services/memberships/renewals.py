"""Renewal (OPN-14, OPN-15, OPN-16): requested by a renewal application, approved once
paid, declined when not.

* The window opens exactly 90 days before the end date (day 90 before it: open; day 91:
  not yet — ``renewal_window_not_open``, OPN-14). After the end date, an expired
  membership may still renew for a year (OPN-15); later, or once a renewal was declined,
  the partner must enrol anew (``must_enrol_anew``, OPN-15). An associate follows its
  principal (OPN-8).
* Submitting the renewal application requests the renewal and issues its invoice. Paid
  in full before activation (annual plans), it is approved when the payment is recorded
  (:mod:`.payments`); paid in instalments from activation (quarterly, levels 2–3), it is
  approved at once. Vendor staff may approve or decline it too; a renewal requested but
  not paid is declined (OPN-15).
* Approved, the new term starts on the old end date (the renewal date), or on approval
  for a late renewal, which brings the expired membership back (OPN-15); the daily job
  starts a future term on its day. Transition effects of renewing from the legacy program
  are recorded on the renewal (OPN-16). Each new term allocates its credits (CRD-1).
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.clock import Clock
from alliance.domain.errors import NotFound
from alliance.domain.membership import (
    EnrolmentApplication,
    LegacyHoldings,
    Membership,
    PaymentTiming,
    RenewalStatus,
    SubscriptionId,
    approve_renewal,
    decline_renewal,
    payment_option,
    request_renewal,
)
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.activation import allocate_credits
from alliance.services.memberships.invoices import issue_renewal_invoice
from alliance.services.memberships.ports import FeeInvoice
from alliance.services.memberships.records import audit_membership, send_notice
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class RenewalOutcome:
    membership: Membership
    started: bool  # the new term has started (now, or it had already)


def request_from_application(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    application: EnrolmentApplication,
) -> tuple[Membership, FeeInvoice]:
    """OPN-14: record the submitted renewal application on its membership, invoice it, and
    approve it at once when its fee is due from activation (instalments)."""
    terms, today, at = program.terms, clock.today(), clock.now()
    if application.renewing is None:
        raise NotFound("the renewal names no subscription", field="renewing")
    membership = uow.memberships.get(application.renewing, for_update=True)
    if membership is None:
        raise NotFound(f"no membership {application.renewing}", field="renewing")
    requested = request_renewal(membership, application, terms, today)
    uow.memberships.save(requested, renewal_application=application.id)
    audit_membership(
        uow,
        actor,
        membership,
        requested,
        at,
        "renewal_requested",
        {"rule": "OPN-14", "application_id": application.id},
    )
    renewal = requested.renewal
    assert renewal is not None and requested.term is not None
    starts_on = requested.term.end if today <= requested.term.end else today
    invoice = issue_renewal_invoice(
        uow, requested, renewal, terms, application.billing_country, starts_on, at
    )
    payment = renewal.payment or requested.payment
    timing = (
        payment_option(terms.level(renewal.level), application.billing_country, payment).timing
        if payment
        else PaymentTiming.BEFORE_ACTIVATION
    )
    if timing is PaymentTiming.FROM_ACTIVATION:
        requested = approve(uow, actor, program, clock, requested).membership
    return requested, invoice


def approve(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    membership: Membership,
    *,
    legacy: LegacyHoldings | None = None,
) -> RenewalOutcome:
    """OPN-14 / OPN-16: approve the requested renewal, inside an open unit of work."""
    terms, today, at = program.terms, clock.today(), clock.now()
    approved = approve_renewal(membership, terms, today, legacy=legacy)
    uow.memberships.save(approved)
    started = approved.term != membership.term
    renewal = approved.renewal
    assert renewal is not None and renewal.term is not None
    audit_membership(
        uow,
        actor,
        membership,
        approved,
        at,
        "renewal_approved",
        {
            "rule": "OPN-14",
            "term_start": renewal.term.start.isoformat(),
            "term_end": renewal.term.end.isoformat(),
            "effects": [type(e).__name__ for e in renewal.effects],  # OPN-16
        },
    )
    if started:
        allocate_credits(uow, actor, approved, at)
    send_notice(
        uow,
        approved.organization_id,
        "membership.renewal_approved",
        f"Your membership {approved.subscription_id} is renewed",
        f"The renewed term runs from {renewal.term.start} to {renewal.term.end} "
        f"at {renewal.level}.",
        {
            "subscription_id": approved.subscription_id,
            "term_start": renewal.term.start,
            "term_end": renewal.term.end,
            "rule": "OPN-14",
        },
        at,
        key=f"{approved.subscription_id}:renewal_approved:{renewal.term.start}",
    )
    return RenewalOutcome(approved, started)


def _load(uow: UnitOfWork, subscription_id: SubscriptionId) -> Membership:
    membership = uow.memberships.get(subscription_id, for_update=True)
    if membership is None:
        raise NotFound(f"no membership {subscription_id}", field="subscription_id")
    return membership


def approve_renewal_request(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
    *,
    legacy: LegacyHoldings | None = None,
) -> RenewalOutcome:
    """OPN-14: vendor staff approve a requested renewal (recording OPN-16 effects)."""
    require_everywhere(actor, Permission.MANAGE_ORGANIZATION)
    with uow:
        outcome = approve(uow, actor, program, clock, _load(uow, subscription_id), legacy=legacy)
        uow.commit()
    return outcome


def decline_renewal_request(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
) -> Membership:
    """OPN-15: a renewal requested but not paid is declined; the partner must enrol anew."""
    require_everywhere(actor, Permission.MANAGE_ORGANIZATION)
    with uow:
        membership = _load(uow, subscription_id)
        declined = decline_renewal(membership, program.terms, clock.today())
        uow.memberships.save(declined)
        audit_membership(
            uow, actor, membership, declined, clock.now(), "renewal_declined", {"rule": "OPN-15"}
        )
        uow.commit()
    return declined


def renewal_awaiting_payment(membership: Membership) -> bool:
    return membership.renewal is not None and membership.renewal.status is RenewalStatus.REQUESTED
