"""Customer reward profiles and subscriptions in SQL, and the ``uow.rewards`` facade.

Rows translate to the domain's :class:`~alliance.domain.rewards.Customer` and
:class:`~alliance.domain.rewards.Subscription`; a customer's parent comes from its
organisation (OSR-18 hierarchies are organisations' hierarchies). Invoices live in
:mod:`alliance.store.reward_invoices`, the usage registry and accrual runs in
:mod:`alliance.store.reward_runs`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import RowMapping, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.calendar import DateRange
from alliance.domain.clock import Clock
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import OrganizationKind
from alliance.domain.rewards import Customer, OrderType, Sector, Subscription, SubscriptionId
from alliance.services.rewards.ports import (
    AccrualRunRepository,
    CustomerProfileRepository,
    InvoiceRepository,
    SubscriptionRepository,
    UsageImportRepository,
)
from alliance.store.integrity import guarded
from alliance.store.ledger_tables import ledger_accounts
from alliance.store.reward_invoices import SqlInvoiceRepository
from alliance.store.reward_runs import SqlAccrualRunRepository, SqlUsageImportRepository
from alliance.store.rewards_tables import (
    reward_customers,
    reward_subscriptions,
    reward_ula_coverage,
)
from alliance.store.tables import organizations

#: Rows per IN (...) list, well below SQLite's and PostgreSQL's parameter limits.
CHUNK = 5_000

C, U, S, ORG = reward_customers, reward_ula_coverage, reward_subscriptions, organizations


def chunks(items: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(items)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


class SqlCustomerProfileRepository:
    """Reward profiles of customer-kind organisations (OSR-2, OSR-11)."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def get(self, customer_id: OrganizationId) -> Customer | None:
        return self.get_many([customer_id]).get(customer_id)

    def get_many(self, ids: Collection[OrganizationId]) -> dict[OrganizationId, Customer]:
        found: dict[OrganizationId, Customer] = {}
        for part in chunks(ids):
            query = (
                select(C, ORG.c.parent_id)
                .join(ORG, ORG.c.id == C.c.organization_id)
                .where(C.c.organization_id.in_(part))
            )
            rows = list(self._session.execute(query).mappings())
            covers = self._covers([row["organization_id"] for row in rows])
            for row in rows:
                customer = _customer(row, covers.get(row["organization_id"], ()))
                found[customer.id] = customer
        return found

    def add_many(self, batch: Sequence[Customer]) -> None:
        if not batch:
            return
        now = self._clock.now()
        with guarded(self._session, C, "customer profile"):
            self._session.execute(
                insert(C),
                [{**_profile(c), "created_at": now, "updated_at": now} for c in batch],
            )
            self._insert_covers(batch)

    def update_many(self, batch: Sequence[Customer]) -> None:
        if not batch:
            return
        statement = (
            update(C)
            .where(C.c.organization_id == bindparam("b_id"))
            .values(
                has_on_premises_support=bindparam("b_support"),
                has_ula=bindparam("b_ula"),
                updated_at=bindparam("b_now"),
            )
        )
        now = self._clock.now()
        with guarded(self._session, C, "customer profile"):
            self._session.execute(
                statement,
                [
                    {
                        "b_id": c.id,
                        "b_support": c.has_on_premises_support,
                        "b_ula": c.has_ula,
                        "b_now": now,
                    }
                    for c in batch
                ],
            )
            for part in chunks([c.id for c in batch]):
                self._session.execute(delete(U).where(U.c.holder_id.in_(part)))
            self._insert_covers(batch)

    def every_customer(self) -> list[Customer]:
        query = (
            select(
                ORG.c.id.label("organization_id"),
                ORG.c.parent_id,
                C.c.has_on_premises_support,
                C.c.has_ula,
            )
            .select_from(ORG.outerjoin(C, C.c.organization_id == ORG.c.id))
            .where(ORG.c.kind == OrganizationKind.CUSTOMER.value)
        )
        covers = self._covers(None)
        return [
            _customer(row, covers.get(row["organization_id"], ()))
            for row in self._session.execute(query).mappings()
        ]

    def reward_units(self, owners: Collection[OrganizationId], wallet: str) -> set[str]:
        units: set[str] = set()
        for part in chunks(owners):
            query = (
                select(ledger_accounts.c.unit)
                .where(ledger_accounts.c.owner.in_(part), ledger_accounts.c.wallet == wallet)
                .distinct()
            )
            units.update(self._session.execute(query).scalars())
        return units

    def _covers(self, holders: list[str] | None) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        parts: Iterable[list[str] | None] = [None] if holders is None else chunks(holders)
        for part in parts:
            query = select(U.c.holder_id, U.c.covered_id)
            if part is not None:
                query = query.where(U.c.holder_id.in_(part))
            for holder, covered in self._session.execute(query):
                found[holder].append(covered)
        return found

    def _insert_covers(self, batch: Sequence[Customer]) -> None:
        rows = [{"holder_id": c.id, "covered_id": e} for c in batch for e in sorted(c.ula_covers)]
        if rows:
            self._session.execute(insert(U), rows)


def _profile(customer: Customer) -> dict[str, Any]:
    return {
        "organization_id": customer.id,
        "has_on_premises_support": customer.has_on_premises_support,
        "has_ula": customer.has_ula,
    }


def _customer(row: RowMapping, covers: Iterable[str]) -> Customer:
    parent = row["parent_id"]
    return Customer(
        id=OrganizationId(row["organization_id"]),
        parent_id=OrganizationId(parent) if parent is not None else None,
        has_on_premises_support=bool(row["has_on_premises_support"]),
        has_ula=bool(row["has_ula"]),
        ula_covers=frozenset(OrganizationId(c) for c in covers),
    )


class SqlSubscriptionRepository:
    """The orders rewards are earned on (OSR-2…OSR-10, OSR-13)."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def get(self, subscription_id: SubscriptionId) -> Subscription | None:
        return self.get_many([subscription_id]).get(subscription_id)

    def get_many(self, ids: Collection[SubscriptionId]) -> dict[SubscriptionId, Subscription]:
        found: dict[SubscriptionId, Subscription] = {}
        for part in chunks(ids):
            for row in self._session.execute(select(S).where(S.c.id.in_(part))).mappings():
                subscription = _subscription(row)
                found[subscription.id] = subscription
        return found

    def add_many(self, batch: Sequence[Subscription]) -> None:
        if not batch:
            return
        now = self._clock.now()
        with guarded(self._session, S, "subscription"):
            self._session.execute(
                insert(S),
                [
                    {"id": s.id, **_subscription_values(s), "created_at": now, "updated_at": now}
                    for s in batch
                ],
            )

    def update_many(self, batch: Sequence[Subscription]) -> None:
        if not batch:
            return
        names = [*_subscription_values(batch[0]), "updated_at"]
        statement = (
            update(S)
            .where(S.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in names})
        )
        now = self._clock.now()
        with guarded(self._session, S, "subscription"):
            self._session.execute(
                statement,
                [
                    {
                        "b_id": s.id,
                        "b_updated_at": now,
                        **{f"b_{k}": v for k, v in _subscription_values(s).items()},
                    }
                    for s in batch
                ],
            )

    def every(self) -> list[Subscription]:
        query = select(S).order_by(S.c.id)
        return [_subscription(row) for row in self._session.execute(query).mappings()]

    def of_buyers(self, buyers: Collection[OrganizationId]) -> list[Subscription]:
        found: list[Subscription] = []
        for part in chunks(buyers):
            query = select(S).where(S.c.buyer_id.in_(part)).order_by(S.c.id)
            found += [_subscription(row) for row in self._session.execute(query).mappings()]
        return found

    def owners(self) -> dict[SubscriptionId, tuple[OrganizationId, OrganizationId]]:
        query = select(S.c.id, S.c.customer_id, S.c.buyer_id)
        return {
            SubscriptionId(sid): (OrganizationId(customer), OrganizationId(buyer))
            for sid, customer, buyer in self._session.execute(query)
        }


def _subscription_values(s: Subscription) -> dict[str, Any]:
    return {
        "customer_id": s.customer_id,
        "buyer_id": s.buyer_id,
        "order_type": s.order_type.value,
        "service_start": s.service_period.start,
        "service_end": s.service_period.end,
        "country": s.country,
        "sector": s.sector.value,
        "enrolled": s.enrolled,
        "opted_out_on": s.opted_out_on,
        "reseller_id": s.reseller_id,
        "has_paas_conversion_right": s.has_paas_conversion_right,
        "support_renewal_partner_id": s.support_renewal_partner_id,
        "support_renewal_partner_authorised": s.support_renewal_partner_authorised,
    }


def _optional_org(value: str | None) -> OrganizationId | None:
    return OrganizationId(value) if value is not None else None


def _subscription(row: RowMapping) -> Subscription:
    return Subscription(
        id=SubscriptionId(row["id"]),
        customer_id=OrganizationId(row["customer_id"]),
        buyer_id=OrganizationId(row["buyer_id"]),
        order_type=OrderType(row["order_type"]),
        service_period=DateRange(row["service_start"], row["service_end"]),
        country=row["country"],
        sector=Sector(row["sector"]),
        enrolled=bool(row["enrolled"]),
        opted_out_on=row["opted_out_on"],
        reseller_id=_optional_org(row["reseller_id"]),
        has_paas_conversion_right=bool(row["has_paas_conversion_right"]),
        support_renewal_partner_id=_optional_org(row["support_renewal_partner_id"]),
        support_renewal_partner_authorised=bool(row["support_renewal_partner_authorised"]),
    )


class SqlRewardsStore:
    """``uow.rewards``: the reward repositories on the unit of work's session."""

    customers: CustomerProfileRepository
    subscriptions: SubscriptionRepository
    invoices: InvoiceRepository
    usage_imports: UsageImportRepository
    accrual_runs: AccrualRunRepository

    def __init__(self, session: Session, clock: Clock) -> None:
        self.customers = SqlCustomerProfileRepository(session, clock)
        self.subscriptions = SqlSubscriptionRepository(session, clock)
        self.invoices = SqlInvoiceRepository(session, clock)
        self.usage_imports = SqlUsageImportRepository(session)
        self.accrual_runs = SqlAccrualRunRepository(session)
