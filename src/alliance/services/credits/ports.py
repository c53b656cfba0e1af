"""What the partner-credit use cases need from storage, as protocols: ``uow.credits``
implements :class:`CreditStore` (``alliance.store.credits``).

The balances themselves live in the ledger (``uow.ledger``: lots, holds, postings); the
records below are what only this feature keeps:

* catalogue options the vendor defined or changed (CRD-6's flag per option) — the
  built-in catalogue is data (:mod:`alliance.services.credits.catalog`);
* credit option orders with their lifecycle (CRD-3) and the request key that makes an
  order placed twice one order (X-5);
* the redemption policies a principal set for its associates (CRD-2);
* the principal's decisions on orders that needed its approval (CRD-2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from alliance.domain.credits import AssociatePolicy, RequestStatus
from alliance.domain.ids import OrganizationId


@dataclass(frozen=True)
class CatalogEntry:
    """An option of the credit catalogue and its price in credits per unit; some refuse
    credits earned on public-sector deals (CRD-6)."""

    id: str
    name: str
    unit_price: Decimal
    refuses_public_sector_credits: bool = False
    description: str = ""
    active: bool = True


@dataclass(frozen=True)
class CreditOrder:
    """A request for ``quantity`` of a catalogue option, paid with ``principal_id``'s
    credits (CRD-3). ``organization_id`` is the ordering organisation (the requester's),
    ``beneficiary_id`` the one the option is for (a principal may order for an associate,
    CRD-2 (a)). ``request`` fingerprints what was asked under ``idempotency_key``."""

    id: str
    idempotency_key: str
    request: str
    option_id: str
    option_name: str
    refuses_public_sector_credits: bool
    quantity: int
    unit_price: Decimal
    amount: Decimal
    organization_id: OrganizationId
    beneficiary_id: OrganizationId
    principal_id: OrganizationId
    requester_id: str
    status: RequestStatus
    policy: AssociatePolicy | None
    limit: Decimal | None
    excluded_tags: frozenset[str]
    hold_id: str | None
    ordered_on: date
    created_at: datetime
    updated_at: datetime
    settled_at: datetime | None = None
    settled_by: str | None = None


@dataclass(frozen=True)
class PolicyRecord:
    """CRD-2: how ``organization_id`` may order with its principal's credits. A record on
    the principal itself is its default for every associate; one on an associate
    overrides it for that associate."""

    organization_id: OrganizationId
    principal_id: OrganizationId
    policy: AssociatePolicy
    percentage: Decimal | None
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class ApprovalRecord:
    """CRD-2: the principal's decision on an associate's order that needed it."""

    order_id: str
    approved: bool
    decided_by: str
    decided_at: datetime
    note: str = ""


class CreditStore(Protocol):
    """The partner-credit repositories of one unit of work."""

    def lock_wallet(self, principal_id: OrganizationId, wallet: str, unit: str) -> None:
        """Lock the principal's credit book until the unit of work ends (PostgreSQL), so
        that a policy read on the balance (CRD-2's "at order time") and the hold that
        follows see the same balance."""
        ...

    # catalogue (CRD-6)
    def options(self) -> list[CatalogEntry]: ...
    def option(self, option_id: str) -> CatalogEntry | None: ...
    def save_option(self, entry: CatalogEntry) -> None: ...

    # orders (CRD-3)
    def add_order(self, order: CreditOrder) -> None:
        """Insert; :class:`~alliance.domain.errors.Conflict` if ``(organization_id,
        idempotency_key)`` is already taken."""
        ...

    def order(self, order_id: str, *, for_update: bool = False) -> CreditOrder | None: ...
    def order_for_key(
        self, organization_id: OrganizationId, idempotency_key: str
    ) -> CreditOrder | None: ...
    def update_order(self, order: CreditOrder) -> None: ...
    def orders(
        self,
        *,
        principal_id: OrganizationId | None = None,
        organization_ids: list[OrganizationId] | None = None,
        status: RequestStatus | None = None,
        limit: int = 100,
    ) -> list[CreditOrder]: ...

    # associate policies (CRD-2)
    def policy(self, organization_id: OrganizationId) -> PolicyRecord | None: ...
    def policies_of(self, principal_id: OrganizationId) -> list[PolicyRecord]: ...
    def save_policy(self, record: PolicyRecord) -> None: ...

    # approvals (CRD-2)
    def add_approval(self, record: ApprovalRecord) -> None: ...
    def approval(self, order_id: str) -> ApprovalRecord | None: ...
