"""Facts for the earned-tier use-case tests (issue 5): OIP members with revenue and
orders (quotes, duties, commissions), PEX deals and certifications (points, budgets,
margins), loaded through the tier facts store as an import would (``uow.tier_facts``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pyarrow as pa

from alliance.batch.tier_facts import (
    certifications_table,
    deals_table,
    members_table,
    orders_table,
    revenue_table,
)
from alliance.domain.access import Actor, ActorKind
from alliance.domain.calendar import Month
from alliance.domain.facts import Certification, Deal, Order, RevenueKind, RevenueLine
from alliance.domain.ids import OrganizationId
from alliance.domain.money import Money, eur
from alliance.domain.people import VendorRole
from alliance.services.tier_facts.ports import FactKind
from alliance.store.unit_of_work import SqlUnitOfWork

Factory = Callable[[], SqlUnitOfWork]

STAFF = Actor(ActorKind.VENDOR_STAFF, vendor_roles=frozenset({VendorRole.FINANCE}), label="fin")
VIEWER = Actor(ActorKind.VENDOR_STAFF, vendor_roles=frozenset({VendorRole.VIEWER}), label="v")
SYSTEM = Actor.system("test")


def member_of(partner_id: str) -> Actor:
    """One of ``partner_id``'s people."""
    return Actor(
        ActorKind.MEMBER, organization_id=OrganizationId(partner_id), label=f"p@{partner_id}"
    )


def load(factory: Factory, key: str, **kinds: Any) -> None:
    """Add facts as one import batch per kind: ``members=[…], revenue=[…], …``."""
    builders: dict[str, tuple[FactKind, Callable[[Any], pa.Table]]] = {
        "members": (FactKind.MEMBERS, members_table),
        "revenue": (FactKind.REVENUE, revenue_table),
        "orders": (FactKind.ORDERS, orders_table),
        "deals": (FactKind.DEALS, deals_table),
        "certifications": (FactKind.CERTIFICATIONS, certifications_table),
    }
    with factory() as uow:
        for name, items in kinds.items():
            kind, build = builders[name]
            uow.tier_facts.add(kind, build(items), batch_key=f"{key}:{name}")
        uow.commit()


def monthly(
    partner_id: str,
    first: Month,
    months: int,
    amount: str,
    kind: RevenueKind = RevenueKind.RECURRING,
    product_line: str = "",
) -> list[RevenueLine]:
    """``amount`` EUR of ``kind`` in each of ``months`` months from ``first``."""
    return [
        RevenueLine(
            partner_id,
            first.shift(i),
            eur(amount),
            kind,
            product_line,
            line_id=f"{partner_id}:{first.shift(i)}:{kind}:{product_line}:{amount}",
        )
        for i in range(months)
    ]


def orders(partner_id: str, *taken: tuple[date, str]) -> list[Order]:
    return [
        Order(partner_id, f"{partner_id}:o{i}:{on}", on, eur(amount))
        for i, (on, amount) in enumerate(taken)
    ]


def deal(
    deal_id: str,
    seller: str,
    amount: str,
    on: date,
    influencers: Iterable[str] = (),
    kind: str = "license",
) -> Deal:
    return Deal(deal_id, seller, Money.of(amount, "USD"), on, tuple(influencers), (), kind)


def certs(partner_id: str, count: int, on: date, first: int = 0) -> list[Certification]:
    return [
        Certification(partner_id, f"per_{partner_id}_{first + i}", "cloud_architect", on)
        for i in range(count)
    ]
