"""The partner-credit tables (CRD-2, CRD-3, CRD-6), on the same
:data:`~alliance.store.tables.metadata`.

- ``credit_catalog_options`` — catalogue options the vendor defined or changed, with
  their price in credits per unit and the *not with public-sector credits* flag (CRD-6);
  the built-in catalogue is data (``alliance.services.credits.catalog``).
- ``credit_orders`` — credit option orders and their lifecycle (CRD-3:
  ``pending_approval → held → delivered | cancelled``); the option's name, price and
  flag are copied at order time; ``(organization_id, idempotency_key)`` is unique, so
  an order placed twice is one order (X-5).
- ``credit_associate_policies`` — CRD-2: how an associate may order with its
  principal's credits (a row on the principal is its default for every associate).
- ``credit_order_approvals`` — CRD-2: the principal's decision on an order that needed
  it; one per order, never updated.

Credit amounts are ``ExactDecimal(18, 4)`` as in the ledger (credits have two places,
the domain refuses more; X-1). Balances are never stored here: they are the ledger's.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from alliance.store.tables import ID_LENGTH, Json, metadata
from alliance.store.types import ExactDecimal, UtcDateTime

#: Every credit amount: see the module doc.
CreditAmount = ExactDecimal(18, 4)
KEY_LENGTH = 200


def _flag(name: str) -> Column[bool]:
    return Column(name, Boolean(create_constraint=False), nullable=False)


def _organization(name: str) -> Column[str]:
    return Column(name, String(ID_LENGTH), ForeignKey("organizations.id"), nullable=False)


credit_catalog_options = Table(
    "credit_catalog_options",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text(), nullable=False),
    Column("unit_price", CreditAmount, nullable=False),
    _flag("refuses_public_sector_credits"),
    _flag("active"),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    CheckConstraint("unit_price > 0", name="positive_price", info={"field": "unit_price"}),
)

credit_orders = Table(
    "credit_orders",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("idempotency_key", String(KEY_LENGTH), nullable=False),
    Column("request", String(64), nullable=False),
    Column("option_id", String(ID_LENGTH), nullable=False),
    Column("option_name", String(200), nullable=False),
    _flag("refuses_public_sector_credits"),
    Column("quantity", Integer(), nullable=False),
    Column("unit_price", CreditAmount, nullable=False),
    Column("amount", CreditAmount, nullable=False),
    _organization("organization_id"),
    _organization("beneficiary_id"),
    _organization("principal_id"),
    Column("requester_id", String(ID_LENGTH), ForeignKey("people.id"), nullable=False),
    Column("status", String(30), nullable=False),
    Column("policy", String(40), nullable=True),
    Column("policy_limit", CreditAmount, nullable=True),
    Column("excluded_tags", Json, nullable=False),
    Column("hold_id", String(ID_LENGTH), nullable=True),
    Column("ordered_on", Date(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("settled_at", UtcDateTime(), nullable=True),
    Column("settled_by", String(200), nullable=True),
    UniqueConstraint("organization_id", "idempotency_key"),
    CheckConstraint("quantity > 0", name="positive_quantity", info={"field": "quantity"}),
    CheckConstraint("amount > 0", name="positive_amount", info={"field": "amount"}),
)
Index("ix_credit_orders_principal_id", credit_orders.c.principal_id)
Index("ix_credit_orders_status", credit_orders.c.status)

credit_associate_policies = Table(
    "credit_associate_policies",
    metadata,
    Column("organization_id", String(ID_LENGTH), ForeignKey("organizations.id"), primary_key=True),
    _organization("principal_id"),
    Column("policy", String(40), nullable=False),
    Column("percentage", ExactDecimal(7, 6), nullable=True),
    Column("set_by", String(200), nullable=False),
    Column("set_at", UtcDateTime(), nullable=False),
)
Index("ix_credit_associate_policies_principal_id", credit_associate_policies.c.principal_id)

credit_order_approvals = Table(
    "credit_order_approvals",
    metadata,
    Column("order_id", String(ID_LENGTH), ForeignKey("credit_orders.id"), primary_key=True),
    _flag("approved"),
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=False),
    Column("note", Text(), nullable=False),
)
