"""Builders for the batch accrual tests: short facts, and both engines side by side.

``compare`` runs the reference :func:`accrue_month` (month by month) and the batch
accrual (all months at once) on the same facts, and returns their lots as comparable
rows — or the :class:`InvalidInput` each raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pyarrow as pa
from ibis.backends import BaseBackend

from alliance.batch.osr_accrual import accrue_months_batch
from alliance.batch.osr_facts import customer_rates_table, subscriptions_table, usage_table
from alliance.domain.calendar import DateRange, Month
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.rewards import (
    Customer,
    LineKind,
    OrderType,
    RewardTerms,
    Sector,
    Subscription,
    SubscriptionId,
    UsageLine,
    accrue_month,
)

DEC_2021 = Month(2021, 12)
TERMS = RewardTerms.default()
PERIOD_2021 = DateRange(date(2021, 1, 1), date(2023, 12, 31))

Row = tuple[str, str, str, Decimal, Decimal, Decimal, int, int, date, date, str]
"""buyer, month, currency, eligible consumption, rate, amount, counted lines, excluded
lines, accrued on, expires on, idempotency key."""


def customer(
    name: str = "cus_acme",
    *,
    parent: str | None = None,
    ula: bool = False,
    covers: Iterable[str] = (),
    on_premises_support: bool = True,
) -> Customer:
    return Customer(
        OrganizationId(name),
        parent_id=OrganizationId(parent) if parent else None,
        has_on_premises_support=on_premises_support,
        has_ula=ula,
        ula_covers=frozenset(OrganizationId(c) for c in covers),
    )


def subscription(
    sub_id: str = "sub_1",
    *,
    customer_id: str = "cus_acme",
    buyer: str | None = None,
    order_type: OrderType = OrderType.COMMITTED_CREDITS,
    period: DateRange = PERIOD_2021,
    country: str = "FR",
    sector: Sector = Sector.COMMERCIAL,
    opted_out_on: date | None = None,
    enrolled: bool = True,
    paas_conversion: bool = False,
) -> Subscription:
    return Subscription(
        SubscriptionId(sub_id),
        OrganizationId(customer_id),
        OrganizationId(buyer or customer_id),
        order_type,
        period,
        country,
        sector=sector,
        enrolled=enrolled,
        opted_out_on=opted_out_on,
        has_paas_conversion_right=paas_conversion,
    )


def line(
    price: str = "1000",
    *,
    quantity: str = "1",
    line_no: int = 1,
    sub: str = "sub_1",
    customer_id: str = "cus_acme",
    month: Month = DEC_2021,
    currency: str = "USD",
    kind: LineKind = LineKind.REGULAR,
    **flags: bool,
) -> UsageLine:
    """A usage line worth ``price`` × ``quantity``; ``flags`` are the OSR-7 / OSR-2 /
    OSR-5 flags (``marketplace=True``)."""
    return UsageLine(
        line_no,
        OrganizationId(customer_id),
        SubscriptionId(sub),
        "Compute E5 OCPU",
        "compute",
        month,
        Decimal(quantity),
        Decimal(price),
        currency,
        kind,
        **flags,
    )


@dataclass(frozen=True)
class Outcome:
    """The lots an engine opens, as rows; or the refusal it raised."""

    rows: frozenset[Row] = frozenset()
    refusal: InvalidInput | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None


def reference(
    months: Sequence[Month],
    lines: Sequence[UsageLine],
    subs: Sequence[Subscription],
    customers: Sequence[Customer],
    terms: RewardTerms = TERMS,
) -> Outcome:
    """The reference accrual of each month: its earning accruals."""
    rows: set[Row] = set()
    try:
        for month in months:
            month_lines = [u for u in lines if u.month == month]
            for a in accrue_month(month, month_lines, subs, customers, terms).earning:
                rows.add(
                    (
                        a.owner_id,
                        a.month.label,
                        a.currency,
                        a.eligible_consumption,
                        a.rate.rate,
                        a.amount,
                        len(a.counted_lines),
                        len(a.excluded_lines),
                        a.accrued_on,
                        a.expires_on,
                        a.idempotency_key,
                    )
                )
    except InvalidInput as refusal:
        return Outcome(refusal=refusal)
    return Outcome(frozenset(rows))


def batch(
    months: Sequence[Month] | None,
    lines: Sequence[UsageLine] | pa.Table,
    subs: Sequence[Subscription],
    customers: Sequence[Customer],
    terms: RewardTerms = TERMS,
    *,
    backend: BaseBackend | None = None,
) -> Outcome:
    """The batch accrual of ``months`` (all months of the lines when ``None``)."""
    usage = lines if isinstance(lines, pa.Table) else usage_table(lines)
    try:
        table = accrue_months_batch(
            months,
            usage,
            subscriptions_table(subs),
            customer_rates_table(customers, terms),
            terms,
            backend=backend,
        )
    except InvalidInput as refusal:
        return Outcome(refusal=refusal)
    return Outcome(rows_of(table))


def rows_of(table: pa.Table) -> frozenset[Row]:
    """The rows of an accrual table, as tuples of Python values."""
    return frozenset(tuple(row.values()) for row in table.to_pylist())


def problem_rules(outcome: Outcome) -> set[tuple[str | None, str | None]]:
    """The (field, rule) of every problem of a refusal."""
    assert outcome.refusal is not None
    return {(p.field, p.rule) for p in outcome.refusal.problems}
