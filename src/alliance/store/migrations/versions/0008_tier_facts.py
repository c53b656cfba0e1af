"""Facts of earned tiers: certifications, customers, usage, deals, revenue… (issue 5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

See :mod:`alliance.store.tier_fact_tables`: one row per import batch (its kind and key
unique together, X-5) and one table per kind of fact, each row with its batch and its
fact key (a digest of the kind's natural key, unique per table).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from alliance.store.types import ExactDecimal, UtcDateTime

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
KEY = sa.String(200)
SHORT = sa.String(40)
MONTH = sa.String(7)
CURRENCY = sa.String(3)
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def _text(name: str, kind: Any = ID, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, kind, nullable=nullable)


def _day(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Date(), nullable=nullable)


def _amount() -> sa.Column[Any]:
    return sa.Column("amount", ExactDecimal(18, 4), nullable=False)


def _facts() -> dict[str, list[sa.Column[Any]]]:
    """Each fact table's own columns, made afresh (a column belongs to one table)."""
    return {
        "tier_fact_partners": [_text("partner_id"), sa.Column("attributes", JSON, nullable=False)],
        "tier_fact_certifications": [
            _text("partner_id"),
            _text("person_id"),
            _text("certification_id"),
            _day("earned_on"),
            _day("retired_on", nullable=True),
        ],
        "tier_fact_customers": [
            _text("partner_id"),
            _text("customer_id"),
            _text("area"),
            _day("associated_on"),
            _day("ended_on", nullable=True),
        ],
        "tier_fact_deployments": [
            _text("partner_id"),
            _text("deployment_id"),
            _text("area"),
            _day("deployed_on"),
            _text("service_id"),
            _text("customer_id"),
        ],
        "tier_fact_usage": [
            _text("partner_id"),
            _text("area"),
            _text("month", MONTH),
            _amount(),
            sa.Column("active_users", sa.BigInteger(), nullable=False),
            _text("customer_id"),
            _text("product", KEY),
        ],
        "tier_fact_deals": [
            _text("deal_id", KEY),
            _text("transacting_partner_id"),
            sa.Column("influencing_partner_ids", JSON, nullable=False),
            _amount(),
            _text("currency", CURRENCY),
            sa.Column("products", JSON, nullable=False),
            _text("product_kind", SHORT),
            _day("booked_on"),
        ],
        "tier_fact_members": [
            _text("partner_id"),
            _text("member_type", SHORT),
            _day("member_since", nullable=True),
        ],
        "tier_fact_revenue": [
            _text("partner_id"),
            _text("month", MONTH),
            _amount(),
            _text("currency", CURRENCY),
            _text("kind", SHORT),
            _text("product_line", SHORT),
            _text("line_id", KEY),
            _text("customer_id"),
        ],
        "tier_fact_orders": [
            _text("partner_id"),
            _text("order_id", KEY),
            _day("ordered_on"),
            _amount(),
            _text("currency", CURRENCY),
        ],
    }


def upgrade() -> None:
    op.create_table(
        "tier_fact_batches",
        _text("id"),
        _text("kind", SHORT),
        _text("batch_key", KEY),
        _text("source", KEY),
        _text("imported_by", KEY),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_known", sa.Integer(), nullable=False),
        sa.Column("rows_closed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tier_fact_batches")),
    )
    op.create_index(
        "ix_tier_fact_batches_kind_batch_key",
        "tier_fact_batches",
        ["kind", "batch_key"],
        unique=True,
    )
    for table, columns in _facts().items():
        op.create_table(
            table,
            sa.Column(
                "id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                autoincrement=True,
                nullable=False,
            ),
            _text("fact_key"),
            _text("batch_id"),
            *columns,
            sa.ForeignKeyConstraint(
                ["batch_id"],
                ["tier_fact_batches.id"],
                name=op.f(f"fk_{table}_batch_id_tier_fact_batches"),
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("fact_key", name=op.f(f"uq_{table}_fact_key")),
        )
        op.create_index(f"ix_{table}_batch_id", table, ["batch_id"])


def downgrade() -> None:
    for table in reversed(list(_facts())):
        op.drop_index(f"ix_{table}_batch_id", table_name=table)
        op.drop_table(table)
    op.drop_index("ix_tier_fact_batches_kind_batch_key", table_name="tier_fact_batches")
    op.drop_table("tier_fact_batches")
