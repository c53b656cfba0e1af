"""Facts for the evaluation tests: named partners built from the rule tests' fixtures,
staged through the facts store (``uow.tier_facts``) as an import would (issue 5)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from alliance.batch.tier_facts import (
    certifications_table,
    customers_table,
    deployments_table,
    members_table,
    partners_table,
    revenue_table,
    usage_table,
)
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.facts import RevenueKind, RevenueLine
from alliance.domain.money import Money
from alliance.domain.scoring import PartnerFacts
from alliance.services.evaluation.evaluators import GivenFacts
from alliance.services.tier_facts.ports import FactKind
from alliance.store.unit_of_work import SqlUnitOfWork

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "tiers"))
from tiers_fixtures import (
    certs,
    customers,
    deployments,
    facts,
    growth,
    steady_growth,
)

UowFactory = Callable[[], SqlUnitOfWork]
SYSTEM = Actor.system("test")
LAST = Month(2026, 5)


def named(partner_id: str, partner: PartnerFacts) -> PartnerFacts:
    """``partner``'s facts as those of ``partner_id``."""
    return PartnerFacts(
        partner_id,
        tuple(replace(c, partner_id=partner_id) for c in partner.certifications),
        tuple(replace(c, partner_id=partner_id) for c in partner.customers),
        tuple(replace(d, partner_id=partner_id) for d in partner.deployments),
        tuple(replace(u, partner_id=partner_id) for u in partner.usage),
        partner.attributes,
    )


def infrastructure_at_70() -> PartnerFacts:
    """Infrastructure: exactly 70 on 2026-06-17, every metric above zero (MCPP-2, MCPP-8)."""
    return facts(
        customers("infrastructure", 2, date(2026, 3, 1)),  # 2 × 10 = 20
        certs("az_104", 3, date(2025, 1, 10)),  # 3 × 4 = 12
        certs("az_305", 2, date(2025, 1, 10)),  # 2 × 4 = 8
        growth("infrastructure", LAST, Decimal(100), Decimal(120)),  # 20 % → 20
        deployments("infrastructure", 5, date(2026, 2, 1)),  # 5 × 2 = 10
    )


def infrastructure_at_68() -> PartnerFacts:
    """Infrastructure: 68 on 2026-06-17 (one deployment fewer than at 70), every metric
    above zero."""
    return facts(
        customers("infrastructure", 2, date(2026, 3, 1)),  # 20
        certs("az_104", 3, date(2025, 1, 10)),  # 12
        certs("az_305", 2, date(2025, 1, 10)),  # 8
        growth("infrastructure", LAST, Decimal(100), Decimal(120)),  # 20
        deployments("infrastructure", 4, date(2026, 2, 1)),  # 4 × 2 = 8
    )


def data_ai_at_85_without_deployments() -> PartnerFacts:
    """Data & AI: 85 on 2026-06-17 but no deployment — a zero metric (MCPP-8)."""
    return facts(
        customers("data_ai", 3, date(2026, 1, 5)),  # 30
        certs("ai_102", 10, date(2025, 3, 1)),  # 40
        growth("data_ai", LAST, Decimal(200), Decimal(230)),  # 15 %
    )


def infrastructure_from_2026(az_104_retired_on: date | None = None) -> PartnerFacts:
    """Infrastructure at exactly 70 from 2026-01-01 until the three AZ-104 holders' retirement
    (then 58)."""
    return facts(
        customers("infrastructure", 2, date(2025, 12, 1)),
        certs("az_104", 3, date(2025, 1, 10), retired_on=az_104_retired_on),
        certs("az_305", 2, date(2025, 1, 10)),
        steady_growth("infrastructure", Month(2024, 1), 36, 20),
        deployments("infrastructure", 5, date(2025, 12, 1)),
    )


def mcpp_tables(partners: Sequence[PartnerFacts]) -> dict[FactKind, pa.Table]:
    return {
        FactKind.PARTNERS: partners_table(partners, ["customer_segment"]),
        FactKind.CERTIFICATIONS: certifications_table(
            c for p in partners for c in p.certifications
        ),
        FactKind.CUSTOMERS: customers_table(c for p in partners for c in p.customers),
        FactKind.DEPLOYMENTS: deployments_table(d for p in partners for d in p.deployments),
        FactKind.USAGE: usage_table(u for p in partners for u in p.usage),
    }


def stage(uow_factory: UowFactory, tables: dict[FactKind, pa.Table], key: str = "test") -> None:
    """Import ``tables`` through the facts store, as ``alliance import`` does."""
    with uow_factory() as uow:
        for kind, table in tables.items():
            uow.tier_facts.import_batch(kind, table, batch_key=f"{key}:{kind}", source="test")
        uow.commit()


def given(tables: dict[FactKind, pa.Table]) -> GivenFacts:
    return GivenFacts(tables)


def eur(amount: str | int) -> Money:
    return Money.of(str(amount), "EUR")


def monthly(
    partner_id: str,
    months: Iterable[Month],
    amount: str | int,
    kind: RevenueKind = RevenueKind.RECURRING,
    product_line: str = "voip",
) -> list[RevenueLine]:
    return [RevenueLine(partner_id, m, eur(amount), kind, product_line) for m in months]


def oip_tables(
    members: Sequence[tuple[str, str, date | None]], lines: Sequence[RevenueLine]
) -> dict[FactKind, pa.Table]:
    return {FactKind.MEMBERS: members_table(members), FactKind.REVENUE: revenue_table(lines)}
