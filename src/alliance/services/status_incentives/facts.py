"""An earned-status member and its facts, read from the tier facts store (OIP-1, OIP-2,
OIP-8): ``uow.tier_facts`` (:mod:`alliance.services.tier_facts.ports`) returns Arrow
tables; this module keeps one partner's rows and turns them into the domain's facts.

Layouts read (``alliance.batch.tier_facts``): members ``partner_id, member_type,
member_since``; revenue ``partner_id, month, amount, currency, kind, product_line``;
orders ``partner_id, order_id, ordered_on, amount, currency``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from alliance.domain.calendar import Month
from alliance.domain.errors import NotFound
from alliance.domain.facts import Order, RevenueKind, RevenueLine
from alliance.domain.money import Money, minor_unit
from alliance.services.tier_facts.ports import FactKind, TierFactsStore


def money_of(amount: Decimal, currency: str) -> Money:
    """A stored amount (4 places) at the currency's minor unit when that is exact —
    ``420.0000`` reads as ``420.00 EUR`` — and with every place it has otherwise (X-1)."""
    minor = amount.quantize(Decimal(1).scaleb(-minor_unit(currency)))
    return Money(minor if minor == amount else amount, currency)


@dataclass(frozen=True, slots=True)
class StatusMember:
    """A member of an earned-status program: its type (OIP-1) and since when (OIP-3)."""

    partner_id: str
    member_type: str
    member_since: date | None


def rows_of(facts: TierFactsStore, kind: FactKind, partner_id: str) -> list[dict[str, Any]]:
    """The rows of ``kind`` whose ``partner_id`` is ``partner_id``."""
    table = facts.table(kind)
    if table.num_rows == 0:
        return []
    mine: pa.Table = table.filter(pc.equal(table["partner_id"], partner_id))
    rows: list[dict[str, Any]] = mine.to_pylist()
    return rows


def member(facts: TierFactsStore, partner_id: str, program: str) -> StatusMember:
    """``partner_id`` as a member of ``program``; NotFound when it is not one (OIP-1)."""
    rows = rows_of(facts, FactKind.MEMBERS, partner_id)
    if not rows:
        raise NotFound(
            f"{partner_id} is not a member of {program}", field="partner_id", rule="OIP-1"
        )
    row = rows[-1]
    return StatusMember(partner_id, str(row["member_type"]), row.get("member_since"))


def revenue_lines(facts: TierFactsStore, partner_id: str) -> tuple[RevenueLine, ...]:
    """Every revenue line billed through ``partner_id`` (OIP-2)."""
    return tuple(
        RevenueLine(
            partner_id,
            Month.parse(str(row["month"])),
            money_of(row["amount"], str(row["currency"])),
            RevenueKind(row["kind"]),
            str(row.get("product_line") or ""),
            str(row.get("customer_id") or ""),
            str(row.get("line_id") or ""),
        )
        for row in rows_of(facts, FactKind.REVENUE, partner_id)
    )


def orders(facts: TierFactsStore, partner_id: str, currency: str) -> tuple[Order, ...]:
    """Every order ``partner_id`` took (OIP-8 order intake)."""
    return tuple(
        Order(
            partner_id,
            str(row["order_id"]),
            row["ordered_on"],
            money_of(row["amount"], str(row.get("currency") or currency)),
        )
        for row in rows_of(facts, FactKind.ORDERS, partner_id)
    )
