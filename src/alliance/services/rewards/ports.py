"""What the reward use cases need from storage, as protocols: ``uow.rewards`` implements
:class:`RewardsStore` (``alliance.store.rewards``).

Customers, subscriptions and invoices are the domain's own dataclasses
(:mod:`alliance.domain.rewards`); the records below are what only storage keeps: the
usage import registry, the redemptions applied to invoices and the accrual runs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from alliance.domain.calendar import Month
from alliance.domain.ids import OrganizationId
from alliance.domain.rewards import Customer, Subscription, SubscriptionId, SupportInvoice


@dataclass(frozen=True)
class UsageImport:
    """One imported usage file (X-5: ``sha256`` of its content is imported once).

    ``path`` is the canonical Parquet file, relative to the data folder.
    """

    id: str
    file_name: str
    sha256: str
    months: tuple[Month, ...]
    row_count: int
    path: str
    actor: str
    imported_at: datetime


@dataclass(frozen=True)
class InvoiceRedemption:
    """``amount`` of invoice ``invoice_id`` paid with rewards, for one request.

    ``request`` fingerprints what was asked, so a replay of ``idempotency_key`` with
    another request is refused (X-5).
    """

    id: str
    invoice_id: str
    idempotency_key: str
    request: str
    amount: Decimal
    currency: str
    redeemed_on: date
    payer_kind: str
    payer_id: OrganizationId
    actor: str
    recorded_at: datetime


@dataclass(frozen=True)
class AccrualRunRecord:
    """One run of a program's monthly accrual (X-4)."""

    id: str
    program: str
    month: Month
    lines: int
    new_lots: int
    existing_lots: int
    actor: str
    ran_at: datetime


class CustomerProfileRepository(Protocol):
    def get(self, customer_id: OrganizationId) -> Customer | None: ...
    def get_many(self, ids: Collection[OrganizationId]) -> dict[OrganizationId, Customer]: ...
    def add_many(self, batch: Sequence[Customer]) -> None: ...
    def update_many(self, batch: Sequence[Customer]) -> None: ...
    def every_customer(self) -> list[Customer]:
        """Every customer-kind organisation with its parent, profiled or not (a customer
        without a profile has no on-premises support and no ULA) — OSR-11's hierarchies."""
        ...

    def reward_units(self, owners: Collection[OrganizationId], wallet: str) -> set[str]:
        """The units (currencies) in which ``owners`` have a book of ``wallet``."""
        ...


class SubscriptionRepository(Protocol):
    def get(self, subscription_id: SubscriptionId) -> Subscription | None: ...
    def get_many(self, ids: Collection[SubscriptionId]) -> dict[SubscriptionId, Subscription]: ...
    def add_many(self, batch: Sequence[Subscription]) -> None: ...
    def update_many(self, batch: Sequence[Subscription]) -> None: ...
    def every(self) -> list[Subscription]: ...
    def of_buyers(self, buyers: Collection[OrganizationId]) -> list[Subscription]: ...
    def owners(self) -> dict[SubscriptionId, tuple[OrganizationId, OrganizationId]]:
        """``{subscription: (customer, buyer)}`` of every subscription, for imports."""
        ...


class InvoiceRepository(Protocol):
    def get(self, invoice_id: str, *, for_update: bool = False) -> SupportInvoice | None:
        """``for_update`` locks the invoice until the unit of work ends (PostgreSQL)."""
        ...

    def get_many(self, ids: Collection[str]) -> dict[str, SupportInvoice]: ...
    def add_many(self, batch: Sequence[SupportInvoice]) -> None: ...
    def of_customers(self, customers: Collection[OrganizationId]) -> list[SupportInvoice]: ...
    def redemptions(self, invoice_id: str) -> list[InvoiceRedemption]: ...
    def redemption(self, invoice_id: str, idempotency_key: str) -> InvoiceRedemption | None: ...
    def add_redemption(self, redemption: InvoiceRedemption) -> None: ...


class UsageImportRepository(Protocol):
    def by_sha256(self, sha256: str) -> UsageImport | None: ...
    def add(self, record: UsageImport) -> None: ...
    def covering(self, month: Month) -> list[UsageImport]: ...
    def every(self) -> list[UsageImport]: ...


class AccrualRunRepository(Protocol):
    def add(self, run: AccrualRunRecord) -> None: ...
    def accrued_months(self, program: str) -> set[Month]: ...
    def of_month(self, program: str, month: Month) -> list[AccrualRunRecord]: ...


class RewardsStore(Protocol):
    """The reward repositories of one unit of work."""

    customers: CustomerProfileRepository
    subscriptions: SubscriptionRepository
    invoices: InvoiceRepository
    usage_imports: UsageImportRepository
    accrual_runs: AccrualRunRepository
