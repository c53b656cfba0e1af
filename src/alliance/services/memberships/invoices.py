"""Fee invoices (OPN-4 … OPN-7): issued after subscription, carrying the subscription id.

The invoice is issued the program's minimum number of business days after subscription
(3 by default, of 3–5), to the accounts payable (billing) contact. Full payment before
activation is one instalment due on issue (OPN-6: benefits after payment); a quarterly
plan (levels 2–3) is four equal instalments, the first due at activation and the next
every three calendar months (100,000 USD: four of 25,000.00 USD). Fees exclude tax, which
is the partner's (OPN-4). A renewal has its own invoice for the new term, its
instalments from the renewal date. One invoice per subscription and first due date (X-5).
"""

from __future__ import annotations

from datetime import date, datetime

from alliance.domain.ids import new_id
from alliance.domain.membership import (
    Invoice,
    Membership,
    MembershipTerms,
    fee_invoice,
    payment_option,
    subscription_invoice,
)
from alliance.domain.membership.membership import Renewal
from alliance.domain.people import PartnerRole
from alliance.services.memberships.ports import FeeInvoice, InstalmentRecord
from alliance.services.memberships.records import send_notice
from alliance.services.ports import UnitOfWork


def stored(invoice: Invoice) -> FeeInvoice:
    return FeeInvoice(
        id=new_id("minv"),
        subscription_id=invoice.subscription_id,
        level=invoice.level,
        amount=invoice.amount,
        issued_on=invoice.issued_on,
        timing=invoice.timing,
        recipient_role=invoice.recipient_role,
        idempotency_key=invoice.key,
        instalments=tuple(
            InstalmentRecord(i.number, i.amount.rounded(), i.due_on) for i in invoice.instalments
        ),
    )


def billing_contacts(uow: UnitOfWork, membership: Membership, terms: MembershipTerms) -> list[str]:
    """OPN-7: the billing contacts named in the subscription's application."""
    application_id = uow.memberships.application_of(membership.subscription_id)
    application = uow.memberships.application(application_id) if application_id else None
    company = application.company if application else None
    if company is None:
        return []
    return [c.email for c in company.contacts if c.role is terms.invoice_recipient]


def issue_subscription_invoice(
    uow: UnitOfWork, membership: Membership, terms: MembershipTerms, country: str, at: datetime
) -> FeeInvoice:
    """OPN-7: the fee invoice of a new subscription."""
    invoice = stored(subscription_invoice(membership, terms, country))
    return _issue(uow, invoice, membership, at, billing_contacts(uow, membership, terms))


def issue_renewal_invoice(
    uow: UnitOfWork,
    membership: Membership,
    renewal: Renewal,
    terms: MembershipTerms,
    country: str,
    starts_on: date,
    at: datetime,
) -> FeeInvoice:
    """OPN-14 / OPN-7: the invoice of a renewal, its instalments from the renewal date."""
    payment = renewal.payment or membership.payment
    if payment is None:
        raise ValueError("a renewal has a payment choice")
    level = terms.level(renewal.level)
    option = payment_option(level, country, payment)
    invoice = fee_invoice(
        membership.subscription_id,
        level,
        option,
        terms,
        renewal.requested_on,
        activated_on=starts_on,
    )
    return _issue(uow, stored(invoice), membership, at, billing_contacts(uow, membership, terms))


def _issue(
    uow: UnitOfWork,
    invoice: FeeInvoice,
    membership: Membership,
    at: datetime,
    billing: list[str],
) -> FeeInvoice:
    if not uow.memberships.add_invoice(invoice):
        known = [
            i
            for i in uow.memberships.invoices(membership.subscription_id)
            if i.idempotency_key == invoice.idempotency_key
        ]
        return known[0]
    lines = [
        f"Invoice for the {invoice.level} annual fee: {invoice.amount} (taxes excluded).",
        f"Quote your subscription id {invoice.reference} with your payment.",
        *(f"Instalment {i.number}: {i.amount} due {i.due_on}" for i in invoice.instalments),
    ]
    send_notice(
        uow,
        membership.organization_id,
        "membership.invoice_issued",
        f"Your membership invoice {invoice.reference}",
        "\n".join(lines),
        {
            "subscription_id": invoice.subscription_id,
            "invoice_id": invoice.id,
            "amount": str(invoice.amount.amount),
            "currency": invoice.amount.currency,
            "issued_on": invoice.issued_on,
            "rule": "OPN-7",
        },
        at,
        key=invoice.idempotency_key,
        roles=(invoice.recipient_role, PartnerRole.ACCOUNTS_PAYABLE),
        extra_to=billing,
    )
    return invoice


def outstanding(invoice: FeeInvoice) -> list[int]:
    return [i.number for i in invoice.instalments if i.paid_on is None]
