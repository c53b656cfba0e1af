"""The customer-reward tables (OSR), on the same :data:`~alliance.store.tables.metadata`.

- ``reward_customers`` — the reward profile of a customer-kind organisation: whether it
  has on-premises support (OSR-2) and holds a ULA (OSR-11); ``reward_ula_coverage`` the
  other entities its ULA includes.
- ``reward_subscriptions`` — the orders rewards are earned on, with every fact of the
  domain's :class:`~alliance.domain.rewards.Subscription` (OSR-2…OSR-10, OSR-13).
- ``support_invoices`` and ``support_invoice_lines`` — the invoices rewards pay: pre-tax
  lines with their support program, and the tax (OSR-19, OSR-20).
- ``invoice_redemptions`` — what rewards have paid on each invoice, one row per request,
  its idempotency key unique per invoice (X-5); never updated.
- ``usage_imports`` and ``usage_import_months`` — the registry of imported usage files:
  the SHA-256 of the content is unique, so a file is imported once (X-5); the lines live
  in the canonical Parquet file named by ``path`` (relative to the data folder).
- ``reward_accrual_runs`` — one row per accrual run of a program's month (X-4); a month
  with a run takes no more usage (OSR-12: rewards are computed once, at month end).

Amounts are ``ExactDecimal(18, 4)``, as in the ledger: at most the currency's minor unit
is ever stored (the domain refuses more), never rounded (X-1).
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
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from alliance.store.tables import ID_LENGTH, metadata
from alliance.store.types import ExactDecimal, UtcDateTime

#: Every reward amount: see the module doc.
RewardAmount = ExactDecimal(18, 4)
KEY_LENGTH = 200


def _flag(name: str) -> Column[bool]:
    return Column(name, Boolean(create_constraint=False), nullable=False)


def _organization(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(ID_LENGTH), ForeignKey("organizations.id"), nullable=nullable)


reward_customers = Table(
    "reward_customers",
    metadata,
    Column("organization_id", String(ID_LENGTH), ForeignKey("organizations.id"), primary_key=True),
    _flag("has_on_premises_support"),
    _flag("has_ula"),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

reward_ula_coverage = Table(
    "reward_ula_coverage",
    metadata,
    Column(
        "holder_id",
        String(ID_LENGTH),
        ForeignKey("reward_customers.organization_id"),
        nullable=False,
    ),
    _organization("covered_id"),
    PrimaryKeyConstraint("holder_id", "covered_id"),
)

reward_subscriptions = Table(
    "reward_subscriptions",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    _organization("customer_id"),
    _organization("buyer_id"),
    Column("order_type", String(30), nullable=False),
    Column("service_start", Date(), nullable=False),
    Column("service_end", Date(), nullable=False),
    Column("country", String(2), nullable=False),
    Column("sector", String(40), nullable=False),
    _flag("enrolled"),
    Column("opted_out_on", Date(), nullable=True),
    _organization("reseller_id", nullable=True),
    _flag("has_paas_conversion_right"),
    _organization("support_renewal_partner_id", nullable=True),
    _flag("support_renewal_partner_authorised"),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    CheckConstraint(
        "service_end >= service_start", name="service_period", info={"field": "service_end"}
    ),
    CheckConstraint(
        "NOT support_renewal_partner_authorised OR support_renewal_partner_id IS NOT NULL",
        name="authorised_partner_named",
        info={"field": "support_renewal_partner_id"},
    ),
)
Index("ix_reward_subscriptions_customer_id", reward_subscriptions.c.customer_id)
Index("ix_reward_subscriptions_buyer_id", reward_subscriptions.c.buyer_id)
Index(
    "ix_reward_subscriptions_support_renewal_partner_id",
    reward_subscriptions.c.support_renewal_partner_id,
)

support_invoices = Table(
    "support_invoices",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    _organization("customer_id"),
    Column("issued_on", Date(), nullable=False),
    Column("due_on", Date(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("tax", RewardAmount, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    CheckConstraint("due_on >= issued_on", name="due_after_issue", info={"field": "due_on"}),
)
Index("ix_support_invoices_customer_id", support_invoices.c.customer_id)

support_invoice_lines = Table(
    "support_invoice_lines",
    metadata,
    Column("invoice_id", String(ID_LENGTH), ForeignKey("support_invoices.id"), nullable=False),
    Column("line_no", Integer(), nullable=False),
    Column("product", String(200), nullable=False),
    Column("support_program", String(100), nullable=False),
    Column("pre_tax_amount", RewardAmount, nullable=False),
    PrimaryKeyConstraint("invoice_id", "line_no"),
)

invoice_redemptions = Table(
    "invoice_redemptions",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("invoice_id", String(ID_LENGTH), ForeignKey("support_invoices.id"), nullable=False),
    Column("idempotency_key", String(KEY_LENGTH), nullable=False),
    Column("request", String(64), nullable=False),
    Column("amount", RewardAmount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("redeemed_on", Date(), nullable=False),
    Column("payer_kind", String(30), nullable=False),
    _organization("payer_id"),
    Column("actor", String(320), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    UniqueConstraint("invoice_id", "idempotency_key"),
    CheckConstraint("amount > 0", name="positive_amount", info={"field": "amount"}),
)

usage_imports = Table(
    "usage_imports",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("row_count", Integer(), nullable=False),
    Column("path", String(500), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
)

usage_import_months = Table(
    "usage_import_months",
    metadata,
    Column("import_id", String(ID_LENGTH), ForeignKey("usage_imports.id"), nullable=False),
    Column("month", String(7), nullable=False),
    PrimaryKeyConstraint("import_id", "month"),
)
Index("ix_usage_import_months_month", usage_import_months.c.month)

reward_accrual_runs = Table(
    "reward_accrual_runs",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("program", String(40), nullable=False),
    Column("month", String(7), nullable=False),
    Column("lines", Integer(), nullable=False),
    Column("new_lots", Integer(), nullable=False),
    Column("existing_lots", Integer(), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("ran_at", UtcDateTime(), nullable=False),
)
Index(
    "ix_reward_accrual_runs_program_month",
    reward_accrual_runs.c.program,
    reward_accrual_runs.c.month,
)
