"""The facts of earned tiers as Arrow tables, built from the domain's objects (MCPP-10, OIP-2).

The batch evaluators (:mod:`alliance.batch.mcpp_scores`, :mod:`alliance.batch.oip_statuses`)
read these tables — Arrow tables, or Parquet files in the same layout read where they
are. One row is one fact of :mod:`alliance.domain.facts`, column for column:

* :data:`PARTNERS_SCHEMA` — one row per partner scored, with the attributes that classify
  it into a track (``customer_segment``, MCPP-9); a partner without facts scores zero;
* :data:`CERTIFICATIONS_SCHEMA`, :data:`CUSTOMERS_SCHEMA`, :data:`DEPLOYMENTS_SCHEMA`,
  :data:`MCPP_USAGE_SCHEMA` — the capability-score facts (MCPP-10);
* :data:`MEMBERS_SCHEMA` and :data:`REVENUE_SCHEMA` — the earned-status members and their
  revenue lines by kind (OIP-1, OIP-2), and :data:`ORDERS_SCHEMA` their order intake (OIP-8);
* :data:`DEALS_SCHEMA` — booked deals, transacting and influencing partners (PEX-3, PEX-5).

Money and usage are exact decimals with 4 places, never floats (X-1): a fact with more
decimals is refused rather than rounded; months are ``YYYY-MM`` labels (X-2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeAlias

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from alliance.batch.usage_schema import check_layout, conform
from alliance.domain.errors import InvalidInput
from alliance.domain.facts import (
    Certification,
    CustomerAssociation,
    Deal,
    Deployment,
    Order,
    RevenueLine,
    UsageRecord,
)
from alliance.domain.scoring import PartnerFacts

TierFactsSource: TypeAlias = pa.Table | str | Path
"""Facts: an Arrow table, or a Parquet file (a glob on DuckDB) in the layout."""

AMOUNT = pa.decimal128(18, 4)
"""Usage and revenue amounts: 4 decimals, 14 integer digits."""

AMOUNT_PLACES = 4

CERTIFICATIONS_SCHEMA = pa.schema(
    [
        pa.field("partner_id", pa.string(), nullable=False),
        pa.field("person_id", pa.string(), nullable=False),
        pa.field("certification_id", pa.string(), nullable=False),
        pa.field("earned_on", pa.date32(), nullable=False),
        pa.field("retired_on", pa.date32(), nullable=True),  # first day it no longer counts
    ]
)
CUSTOMERS_SCHEMA = pa.schema(
    [
        pa.field("partner_id", pa.string(), nullable=False),
        pa.field("customer_id", pa.string(), nullable=False),
        pa.field("area", pa.string(), nullable=False),
        pa.field("associated_on", pa.date32(), nullable=False),
        pa.field("ended_on", pa.date32(), nullable=True),  # a lost customer
    ]
)
DEPLOYMENTS_SCHEMA = pa.schema(
    [
        pa.field("partner_id", pa.string(), nullable=False),
        pa.field("deployment_id", pa.string(), nullable=False),
        pa.field("area", pa.string(), nullable=False),
        pa.field("deployed_on", pa.date32(), nullable=False),
        pa.field("service_id", pa.string(), nullable=False),  # "" when not known
    ]
)
MCPP_USAGE_SCHEMA = pa.schema(
    [
        pa.field("partner_id", pa.string(), nullable=False),
        pa.field("area", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),  # "YYYY-MM"
        pa.field("amount", AMOUNT, nullable=False),
        pa.field("active_users", pa.int64(), nullable=False),
    ]
)
MEMBERS_SCHEMA = pa.schema(
    [
        pa.field("partner_id", pa.string(), nullable=False),
        pa.field("member_type", pa.string(), nullable=False),  # ambassador | operator
        pa.field("member_since", pa.date32(), nullable=True),  # OIP-3: membership anchor
    ]
)
REVENUE_SCHEMA = pa.schema(
    [
        pa.field("partner_id", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),  # "YYYY-MM"
        pa.field("amount", AMOUNT, nullable=False),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),  # RevenueKind values (OIP-2)
        pa.field("product_line", pa.string(), nullable=False),
    ]
)

DEALS_SCHEMA = pa.schema(
    [
        pa.field("deal_id", pa.string(), nullable=False),
        pa.field("transacting_partner_id", pa.string(), nullable=False),
        pa.field(  # PEX-3: influence recognised for partners other than the transacting one
            "influencing_partner_ids", pa.list_(pa.string()), nullable=False
        ),
        pa.field("amount", AMOUNT, nullable=False),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("products", pa.list_(pa.string()), nullable=False),
        pa.field("product_kind", pa.string(), nullable=False),  # "license" … (PEX-5)
        pa.field("booked_on", pa.date32(), nullable=False),
    ]
)
ORDERS_SCHEMA = pa.schema(
    [
        pa.field("partner_id", pa.string(), nullable=False),
        pa.field("order_id", pa.string(), nullable=False),
        pa.field("ordered_on", pa.date32(), nullable=False),
        pa.field("amount", AMOUNT, nullable=False),
        pa.field("currency", pa.string(), nullable=False),  # OIP-8 order intake
    ]
)


def partners_schema(attributes: Sequence[str] = ()) -> pa.Schema:
    """``partner_id`` and one string column per classifying attribute (null: not set)."""
    return pa.schema(
        [pa.field("partner_id", pa.string(), nullable=False)]
        + [pa.field(name, pa.string(), nullable=True) for name in attributes]
    )


PARTNERS_SCHEMA = partners_schema(["customer_segment"])
"""The partners of the built-in program: classified by ``customer_segment`` (MCPP-9)."""


def _exact(amount: Decimal, what: str) -> Decimal:
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -AMOUNT_PLACES:
        raise InvalidInput(
            f"{what} {amount} has more than {AMOUNT_PLACES} decimals", field="amount", rule="X-1"
        )
    return amount


def partners_table(facts: Iterable[PartnerFacts], attributes: Sequence[str] = ()) -> pa.Table:
    """One row per partner of ``facts`` with its ``attributes`` (MCPP-9)."""
    rows = list(facts)
    columns: dict[str, list[str | None]] = {"partner_id": [f.partner_id for f in rows]}
    for name in attributes:
        columns[name] = [f.attributes.get(name) for f in rows]
    return pa.table(columns, schema=partners_schema(attributes))


def certifications_table(items: Iterable[Certification]) -> pa.Table:
    rows = list(items)
    return pa.table(
        {
            "partner_id": [c.partner_id for c in rows],
            "person_id": [c.person_id for c in rows],
            "certification_id": [c.certification_id for c in rows],
            "earned_on": [c.earned_on for c in rows],
            "retired_on": [c.retired_on for c in rows],
        },
        schema=CERTIFICATIONS_SCHEMA,
    )


def customers_table(items: Iterable[CustomerAssociation]) -> pa.Table:
    rows = list(items)
    return pa.table(
        {
            "partner_id": [c.partner_id for c in rows],
            "customer_id": [c.customer_id for c in rows],
            "area": [c.area for c in rows],
            "associated_on": [c.associated_on for c in rows],
            "ended_on": [c.ended_on for c in rows],
        },
        schema=CUSTOMERS_SCHEMA,
    )


def deployments_table(items: Iterable[Deployment]) -> pa.Table:
    rows = list(items)
    return pa.table(
        {
            "partner_id": [d.partner_id for d in rows],
            "deployment_id": [d.deployment_id for d in rows],
            "area": [d.area for d in rows],
            "deployed_on": [d.deployed_on for d in rows],
            "service_id": [d.service_id for d in rows],
        },
        schema=DEPLOYMENTS_SCHEMA,
    )


def usage_table(items: Iterable[UsageRecord]) -> pa.Table:
    rows = list(items)
    return pa.table(
        {
            "partner_id": [u.partner_id for u in rows],
            "area": [u.area for u in rows],
            "month": [u.month.label for u in rows],
            "amount": [_exact(u.amount, "usage") for u in rows],
            "active_users": [u.active_users for u in rows],
        },
        schema=MCPP_USAGE_SCHEMA,
    )


def revenue_table(items: Iterable[RevenueLine]) -> pa.Table:
    rows = list(items)
    return pa.table(
        {
            "partner_id": [r.partner_id for r in rows],
            "month": [r.month.label for r in rows],
            "amount": [_exact(r.amount.amount, "revenue") for r in rows],
            "currency": [r.amount.currency for r in rows],
            "kind": [r.kind.value for r in rows],
            "product_line": [r.product_line for r in rows],
        },
        schema=REVENUE_SCHEMA,
    )


def deals_table(items: Iterable[Deal]) -> pa.Table:
    """One row per booked deal (PEX-3, PEX-5)."""
    rows = list(items)
    return pa.table(
        {
            "deal_id": [d.deal_id for d in rows],
            "transacting_partner_id": [d.transacting_partner_id for d in rows],
            "influencing_partner_ids": [list(d.influencing_partner_ids) for d in rows],
            "amount": [_exact(d.amount.amount, "deal") for d in rows],
            "currency": [d.amount.currency for d in rows],
            "products": [list(d.products) for d in rows],
            "product_kind": [d.product_kind for d in rows],
            "booked_on": [d.booked_on for d in rows],
        },
        schema=DEALS_SCHEMA,
    )


def orders_table(items: Iterable[Order]) -> pa.Table:
    """One row per order taken (OIP-8)."""
    rows = list(items)
    return pa.table(
        {
            "partner_id": [o.partner_id for o in rows],
            "order_id": [o.order_id for o in rows],
            "ordered_on": [o.ordered_on for o in rows],
            "amount": [_exact(o.amount.amount, "order") for o in rows],
            "currency": [o.amount.currency for o in rows],
        },
        schema=ORDERS_SCHEMA,
    )


def members_table(members: Iterable[tuple[str, str, date | None]]) -> pa.Table:
    """``(partner_id, member_type, member_since)`` rows (OIP-1, OIP-3)."""
    rows = list(members)
    return pa.table(
        {
            "partner_id": [m[0] for m in rows],
            "member_type": [m[1] for m in rows],
            "member_since": [m[2] for m in rows],
        },
        schema=MEMBERS_SCHEMA,
    )


def facts_of(
    backend: BaseBackend, source: TierFactsSource, expected: pa.Schema, what: str
) -> ir.Table:
    """The facts of ``source`` as a table of ``backend`` in the layout ``expected``,
    checked (X-7); a Parquet file is read where it is, not loaded."""
    if isinstance(source, pa.Table):
        return ibis.memtable(conform(source, expected, what))
    table = backend.read_parquet(str(source))
    check_layout(table.schema().to_pyarrow(), expected, str(source))
    return table.select(*expected.names)
