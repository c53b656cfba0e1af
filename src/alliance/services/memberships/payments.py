"""Recording a fee payment (OPN-5, OPN-6, OPN-7, OPN-11) and the activation it brings.

A payment quotes the subscription id (OPN-7) and pays the oldest invoice still open,
instalment by instalment; an instalment is paid once the payments received cover it.
More than the invoice still owes is refused (OPN-7), and so is a method the level's
plan does not accept in the partner's country (OPN-5).

* A membership waiting for full payment (``pending_payment``) is **activated** when its
  invoice is paid in full (OPN-6): its term starts on the payment day — an associate's
  ends on its principal's end date (OPN-8) — and its benefits start (OPN-11): the
  level's partner credits are allocated (CRD-1).
* A requested renewal paid in full is approved (OPN-14).
* X-5: a payment is recorded once per idempotency key (by default the subscription,
  day, amount and reference); the same key again returns the first record and changes
  nothing; the same key with another payment is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import Conflict, InvalidInput, NotFound
from alliance.domain.ids import new_id
from alliance.domain.membership import (
    Membership,
    MembershipStatus,
    PaymentChoice,
    PaymentMethod,
    SubscriptionId,
    activate,
    payment_option,
)
from alliance.domain.money import Money
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.access import require_finance
from alliance.services.memberships.activation import allocate_credits
from alliance.services.memberships.ports import FeeInvoice, FeePayment
from alliance.services.memberships.records import audit_membership, send_notice
from alliance.services.memberships.renewals import approve as approve_renewal
from alliance.services.memberships.renewals import renewal_awaiting_payment
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class PaymentOutcome:
    payment: FeePayment
    invoice: FeeInvoice
    membership: Membership
    activated: bool = False
    renewed: bool = False
    replayed: bool = False


def _method(text: str | None, membership: Membership) -> PaymentMethod:
    if text is None:
        if membership.payment is None:
            raise InvalidInput("name the payment method", field="method", rule="OPN-5")
        return membership.payment.method
    try:
        return PaymentMethod(text)
    except ValueError:
        offered = ", ".join(m.value for m in PaymentMethod)
        raise InvalidInput(
            f"unknown payment method {text!r}; one of {offered}", field="method", rule="OPN-5"
        ) from None


def _country(uow: UnitOfWork, membership: Membership) -> str:
    organization = uow.organizations.get(membership.organization_id)
    return organization.country if organization else ""


def record_payment(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
    amount: Money,
    *,
    paid_on: date | None = None,
    method: str | None = None,
    reference: str | None = None,
    idempotency_key: str | None = None,
) -> PaymentOutcome:
    """Record a payment received for ``subscription_id``'s fee (vendor finance staff)."""
    require_finance(actor)
    terms, at = program.terms, clock.now()
    day = paid_on or clock.today()
    if amount.amount <= 0:
        raise InvalidInput(f"a payment is positive, got {amount}", field="amount", rule="OPN-7")
    key = idempotency_key or f"{subscription_id}:payment:{day}:{amount.amount}:{reference or ''}"
    with uow:
        membership = uow.memberships.get(subscription_id, for_update=True)
        if membership is None:
            raise NotFound(f"no membership {subscription_id}", field="subscription_id")
        known = uow.memberships.payment_for_key(key)
        if known is not None:
            if known.subscription_id != subscription_id or known.amount != amount:
                raise Conflict(
                    f"the idempotency key {key!r} was used for another payment",
                    field="idempotency_key",
                    rule="X-5",
                )
            invoice = uow.memberships.invoice(known.invoice_id)
            assert invoice is not None
            return PaymentOutcome(known, invoice, membership, replayed=True)
        chosen = _method(method, membership)
        renewing = membership.renewal if renewal_awaiting_payment(membership) else None
        plan_choice = renewing.payment if renewing and renewing.payment else membership.payment
        level = renewing.level if renewing else membership.level
        if plan_choice is not None and chosen is not plan_choice.method:
            payment_option(  # OPN-5: the method must be one the plan accepts
                terms.level(level),
                _country(uow, membership),
                PaymentChoice(plan_choice.plan, chosen),
            )
        invoice = _open_invoice(uow, subscription_id)
        if amount.currency != invoice.amount.currency:
            raise InvalidInput(
                f"the fee is invoiced in {invoice.amount.currency}, not {amount.currency}",
                field="currency",
                rule="OPN-4",
            )
        received = sum(
            (p.amount for p in uow.memberships.payments(invoice.id)), Money.zero(amount.currency)
        )
        total = received + amount
        if invoice.amount < total:
            raise InvalidInput(
                f"invoice {invoice.id} for {invoice.reference} owes "
                f"{invoice.amount - received}; {amount} is more",
                field="amount",
                rule="OPN-7",
            )
        payment = FeePayment(
            id=new_id("mpay"),
            subscription_id=subscription_id,
            invoice_id=invoice.id,
            amount=amount,
            paid_on=day,
            method=chosen.value,
            reference=reference or subscription_id,
            idempotency_key=key,
            actor=actor.name,
            recorded_at=at,
        )
        uow.memberships.add_payment(payment)
        covered, running = [], Money.zero(amount.currency)
        for instalment in invoice.instalments:
            running = running + instalment.amount
            if instalment.paid_on is None and not total < running:
                covered.append(instalment.number)
        uow.memberships.mark_paid(invoice.id, covered, day)
        invoice = uow.memberships.invoice(invoice.id) or invoice
        audit_membership(
            uow,
            actor,
            membership,
            membership,
            at,
            "payment_recorded",
            {
                "rule": "OPN-7",
                "invoice_id": invoice.id,
                "amount": str(amount.amount),
                "currency": amount.currency,
                "instalments_paid": covered,
                "idempotency_key": key,
            },
        )
        outcome = PaymentOutcome(payment, invoice, membership)
        if invoice.paid_in_full and membership.status is MembershipStatus.PENDING_PAYMENT:
            outcome = _activate(uow, actor, program, membership, outcome, total, day)
        elif invoice.paid_in_full and renewal_awaiting_payment(membership):
            renewed = approve_renewal(uow, actor, program, clock, membership)
            outcome = PaymentOutcome(payment, invoice, renewed.membership, renewed=True)
        uow.commit()
    return outcome


def _open_invoice(uow: UnitOfWork, subscription_id: SubscriptionId) -> FeeInvoice:
    for invoice in uow.memberships.invoices(subscription_id):
        if not invoice.paid_in_full:
            return invoice
    raise Conflict(
        f"{subscription_id} has no invoice left to pay", field="subscription_id", rule="OPN-7"
    )


def _activate(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    membership: Membership,
    outcome: PaymentOutcome,
    paid: Money,
    day: date,
) -> PaymentOutcome:
    """OPN-6 / OPN-11: paid in full before activation — activate; benefits start."""
    principal = uow.memberships.get(membership.principal) if membership.principal else None
    active = activate(membership, paid, program.terms, day, principal=principal)
    uow.memberships.save(active)
    at = outcome.payment.recorded_at
    audit_membership(uow, actor, membership, active, at, "activated", {"rule": "OPN-11"})
    allocate_credits(uow, actor, active, at)
    assert active.term is not None
    send_notice(
        uow,
        active.organization_id,
        "membership.activated",
        f"Your membership {active.subscription_id} is active",
        f"Paid in full: your {active.level} membership is active from {active.term.start} "
        f"to {active.term.end}; its benefits are available (OPN-11).",
        {
            "subscription_id": active.subscription_id,
            "start": active.term.start,
            "end": active.term.end,
            "rule": "OPN-11",
        },
        at,
        key=f"{active.subscription_id}:activated:{active.term.start}",
    )
    return PaymentOutcome(outcome.payment, outcome.invoice, active, activated=True)
