"""The support invoices of a customer's corporate hierarchy, with what paid them (OSR-17,
OSR-18), for the customer portal.

Only the people of the hierarchy and vendor staff who see every organisation may list
them (X-6, :func:`~alliance.services.rewards.access.require_customer`); each invoice is
then read with :func:`~alliance.services.rewards.redemptions.invoice_status`, the same
use case ``GET /api/v1/invoices/{id}`` answers with.
"""

from __future__ import annotations

from collections.abc import Callable

from alliance.domain.access import Actor
from alliance.domain.ids import OrganizationId
from alliance.services.ports import UnitOfWork
from alliance.services.reward_terms import RewardProgram
from alliance.services.rewards.access import require_customer
from alliance.services.rewards.redemptions import InvoiceStatus, invoice_status


def customer_invoice_ids(uow: UnitOfWork, actor: Actor, customer_id: OrganizationId) -> list[str]:
    """The ids of the invoices of ``customer_id``'s hierarchy, newest first."""
    with uow:
        hierarchy = require_customer(uow, actor, customer_id)
        invoices = uow.rewards.invoices.of_customers(hierarchy.company_of(customer_id))
    ordered = sorted(invoices, key=lambda invoice: (invoice.issued_on, invoice.id), reverse=True)
    return [invoice.id for invoice in ordered]


def customer_invoices(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    customer_id: OrganizationId,
    *,
    program: RewardProgram,
) -> list[InvoiceStatus]:
    """Every invoice of the hierarchy with its redemptions and what rewards may still pay."""
    return [
        invoice_status(uow_factory(), actor, invoice_id, program=program)
        for invoice_id in customer_invoice_ids(uow_factory(), actor, customer_id)
    ]
