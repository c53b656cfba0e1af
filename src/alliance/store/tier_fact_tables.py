"""The facts of earned tiers (issue 5), one table per kind, on the same
:data:`~alliance.store.tables.metadata`.

- ``tier_fact_batches`` — one row per import batch: its kind and key (unique together,
  so that an import run twice adds nothing: X-5), where it came from, who imported it,
  when, and how many rows it added, found already stored or closed.
- ``tier_fact_<kind>`` — the facts themselves, column for column the layout of
  :mod:`alliance.batch.tier_facts` (plus the optional identifiers the layouts leave out:
  a usage row's customer and product, a revenue line's id and customer, a deployment's
  customer). Each row carries its batch and its **fact key**: a digest of the kind's
  natural key (:mod:`alliance.store.tier_facts`), unique per table, so that the same fact
  imported again under another batch key is recognised and never counted twice.

Amounts are ``ExactDecimal(18, 4)`` — the Arrow layouts' ``decimal128(18, 4)`` (X-1).
Partner ids are not foreign keys: facts may name partners that are not organisations of
this database (an evaluation sample); the import use case checks them instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table

from alliance.store.tables import ID_LENGTH, BigId, Json, metadata
from alliance.store.types import ExactDecimal, UtcDateTime

#: Usage, revenue, deal and order amounts (the Arrow layouts' ``decimal128(18, 4)``).
FactAmount = ExactDecimal(18, 4)
KEY_LENGTH = 200
#: A fact key is a SHA-256 digest in hex.
FACT_KEY_LENGTH = 64
SHORT = 40
MONTH = 7  # "YYYY-MM"

tier_fact_batches = Table(
    "tier_fact_batches",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("kind", String(SHORT), nullable=False),
    Column("batch_key", String(KEY_LENGTH), nullable=False),
    Column("source", String(KEY_LENGTH), nullable=False),
    Column("imported_by", String(KEY_LENGTH), nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    Column("rows_added", Integer(), nullable=False),
    Column("rows_known", Integer(), nullable=False),
    Column("rows_closed", Integer(), nullable=False),
)
Index(
    "ix_tier_fact_batches_kind_batch_key",
    tier_fact_batches.c.kind,
    tier_fact_batches.c.batch_key,
    unique=True,
)


def _fact_table(name: str, *columns: Column[Any]) -> Table:
    table = Table(
        name,
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("fact_key", String(FACT_KEY_LENGTH), nullable=False, unique=True),
        Column("batch_id", String(ID_LENGTH), ForeignKey("tier_fact_batches.id"), nullable=False),
        *columns,
    )
    Index(f"ix_{name}_batch_id", table.c.batch_id)
    return table


def _text(name: str, length: int = ID_LENGTH, *, nullable: bool = False) -> Column[Any]:
    return Column(name, String(length), nullable=nullable)


def _day(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, Date(), nullable=nullable)


def _amount() -> Column[Any]:
    return Column("amount", FactAmount, nullable=False)


tier_fact_partners = _fact_table(
    "tier_fact_partners",
    _text("partner_id"),
    Column("attributes", Json, nullable=False),  # {name: value}; MCPP-9 classification
)
tier_fact_certifications = _fact_table(
    "tier_fact_certifications",
    _text("partner_id"),
    _text("person_id"),
    _text("certification_id"),
    _day("earned_on"),
    _day("retired_on", nullable=True),
)
tier_fact_customers = _fact_table(
    "tier_fact_customers",
    _text("partner_id"),
    _text("customer_id"),
    _text("area"),
    _day("associated_on"),
    _day("ended_on", nullable=True),
)
tier_fact_deployments = _fact_table(
    "tier_fact_deployments",
    _text("partner_id"),
    _text("deployment_id"),
    _text("area"),
    _day("deployed_on"),
    _text("service_id"),
    _text("customer_id"),
)
tier_fact_usage = _fact_table(
    "tier_fact_usage",
    _text("partner_id"),
    _text("area"),
    _text("month", MONTH),
    _amount(),
    Column("active_users", BigInteger(), nullable=False),
    _text("customer_id"),
    _text("product", KEY_LENGTH),
)
tier_fact_deals = _fact_table(
    "tier_fact_deals",
    _text("deal_id", KEY_LENGTH),
    _text("transacting_partner_id"),
    Column("influencing_partner_ids", Json, nullable=False),  # list of partner ids
    _amount(),
    _text("currency", 3),
    Column("products", Json, nullable=False),  # list of product ids
    _text("product_kind", SHORT),
    _day("booked_on"),
)
tier_fact_members = _fact_table(
    "tier_fact_members",
    _text("partner_id"),
    _text("member_type", SHORT),
    _day("member_since", nullable=True),
)
tier_fact_revenue = _fact_table(
    "tier_fact_revenue",
    _text("partner_id"),
    _text("month", MONTH),
    _amount(),
    _text("currency", 3),
    _text("kind", SHORT),
    _text("product_line", SHORT),
    _text("line_id", KEY_LENGTH),
    _text("customer_id"),
)
tier_fact_orders = _fact_table(
    "tier_fact_orders",
    _text("partner_id"),
    _text("order_id", KEY_LENGTH),
    _day("ordered_on"),
    _amount(),
    _text("currency", 3),
)
