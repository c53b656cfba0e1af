"""Who may do what with customer rewards: the OSR face of the one access policy (X-6).

* Imports, accruals and expiries are the vendor's operations: program admins, finance
  staff and the system (CLI, batch) — :func:`require_operator`.
* A customer's statement is seen by the people of its corporate hierarchy (OSR-18) and by
  vendor staff whose role sees every organisation; anyone else is refused alike whether
  the customer exists or not — :func:`require_customer`.
* An invoice is paid by the people of the invoiced customer's hierarchy (OSR-18), by the
  people of a support-renewal partner it authorised (OSR-10), or by finance staff on the
  customer's behalf — :func:`payer_for`. Who may *see* the invoice follows the same
  lines (:func:`require_invoice_viewer`).
"""

from __future__ import annotations

from alliance.domain.access import (
    Actor,
    ActorKind,
    Permission,
    require,
    require_authenticated,
    require_everywhere,
    sees_everything,
)
from alliance.domain.errors import Forbidden, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Hierarchy, Organization, OrganizationKind
from alliance.domain.rewards import Payer, PayerNotAuthorised, SupportInvoice
from alliance.services.organizations import require_organization
from alliance.services.ports import UnitOfWork


def require_operator(actor: Actor) -> None:
    """Imports, accruals, expiries: program admins, finance staff, the system."""
    require_everywhere(actor, Permission.MANAGE_FINANCE)


def require_customer(uow: UnitOfWork, actor: Actor, customer_id: OrganizationId) -> Hierarchy:
    """The corporate hierarchy of ``customer_id``, if ``actor`` may see its rewards."""
    organization = require_organization(uow, actor, Permission.VIEW_ORGANIZATION, customer_id)
    if organization.kind is not OrganizationKind.CUSTOMER:
        raise NotFound(f"{customer_id} is not a customer", field="customer_id", rule="OSR-1")
    return uow.organizations.company_hierarchy(customer_id)


def _not_yours(invoice_id: str) -> Forbidden:
    return Forbidden(f"invoice {invoice_id} is not yours", field="invoice_id", rule="X-6")


def load_invoice(
    uow: UnitOfWork, actor: Actor, invoice_id: str, *, for_update: bool = False
) -> tuple[SupportInvoice, Hierarchy]:
    """The invoice and its customer's hierarchy; members get 403, staff 404, if unknown."""
    require_authenticated(actor)
    invoice = uow.rewards.invoices.get(invoice_id, for_update=for_update)
    if invoice is None:
        if sees_everything(actor):
            raise NotFound(f"no invoice {invoice_id}", field="invoice_id")
        raise _not_yours(invoice_id)
    return invoice, uow.organizations.company_hierarchy(invoice.customer_id)


def _member_organization(uow: UnitOfWork, actor: Actor) -> Organization | None:
    if actor.kind is not ActorKind.MEMBER or actor.organization_id is None:
        return None
    return uow.organizations.get(actor.organization_id)


def paying_for(
    uow: UnitOfWork, actor: Actor, invoice_id: str
) -> tuple[SupportInvoice, Hierarchy, Payer]:
    """The invoice (locked), its customer's hierarchy and who pays it when ``actor`` asks.

    Finance staff pay for the invoiced customer. A customer's people pay within their
    corporate hierarchy (OSR-18), a partner's people for the customers that authorised it
    (OSR-10); either is refused alike whether the invoice exists or is not theirs to pay,
    so that neither learns it exists (X-6).
    """
    require_authenticated(actor)
    own = _member_organization(uow, actor)
    if own is None:
        if Permission.MANAGE_FINANCE not in actor.permissions() or not sees_everything(actor):
            raise PayerNotAuthorised(
                f"{actor.name} may not pay invoices with rewards", rule="OSR-18"
            )
        invoice, company = load_invoice(uow, actor, invoice_id, for_update=True)
        return invoice, company, Payer.customer(invoice.customer_id)
    found = uow.rewards.invoices.get(invoice_id, for_update=True)
    if own.kind is OrganizationKind.CUSTOMER:
        refusal = PayerNotAuthorised(
            f"invoice {invoice_id} is not an invoice of your corporate hierarchy", rule="OSR-18"
        )
    else:
        refusal = PayerNotAuthorised(
            f"your organisation is not authorised by the customer of invoice {invoice_id} "
            "to redeem its rewards",
            rule="OSR-10",
        )
    if found is None:
        raise refusal
    company = uow.organizations.company_hierarchy(found.customer_id)
    if own.kind is OrganizationKind.CUSTOMER:
        if own.id not in company.parents:
            raise refusal
        return found, company, Payer.customer(own.id)
    buyers = company.company_of(found.customer_id)
    payer = Payer.renewal_partner(own.id, uow.rewards.subscriptions.of_buyers(buyers))
    if not payer.authorised_by:
        raise refusal
    return found, company, payer


def require_invoice_viewer(
    uow: UnitOfWork, actor: Actor, invoice: SupportInvoice, company: Hierarchy
) -> None:
    """Staff who see everything, the hierarchy's people, or an authorised partner's."""
    if sees_everything(actor):
        return
    own = _member_organization(uow, actor)
    if own is not None and own.kind is OrganizationKind.CUSTOMER:
        require(
            actor,
            Permission.VIEW_ORGANIZATION,
            organization=invoice.customer_id,
            hierarchy=company,
        )
        return
    if own is not None:
        buyers = company.company_of(invoice.customer_id)
        payer = Payer.renewal_partner(own.id, uow.rewards.subscriptions.of_buyers(buyers))
        if payer.authorised_by:
            return
    raise _not_yours(invoice.id)
