"""Partner credits: catalog options, credit orders, associate policies (issue 4).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

See :mod:`alliance.store.credit_tables`: catalogue options with the *not with
public-sector credits* flag (CRD-6), credit option orders (CRD-3), the associate
redemption policies a principal sets (CRD-2) and its approvals. Balances are the
ledger's (0002).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from alliance.store.types import ExactDecimal, UtcDateTime

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
INDEXES = [
    ("ix_credit_orders_principal_id", "credit_orders", ["principal_id"]),
    ("ix_credit_orders_status", "credit_orders", ["status"]),
    (
        "ix_credit_associate_policies_principal_id",
        "credit_associate_policies",
        ["principal_id"],
    ),
]


def _amount() -> ExactDecimal:
    return ExactDecimal(18, 4)


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(create_constraint=False), nullable=False)


def _fk(table: str, column: str, target: str, target_column: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def upgrade() -> None:
    table = "credit_catalog_options"
    op.create_table(
        table,
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit_price", _amount(), nullable=False),
        _flag("refuses_public_sector_credits"),
        _flag("active"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("unit_price > 0", name=op.f(f"ck_{table}_positive_price")),
        _pk(table, "id"),
    )
    table = "credit_orders"
    op.create_table(
        table,
        sa.Column("id", ID, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request", sa.String(64), nullable=False),
        sa.Column("option_id", ID, nullable=False),
        sa.Column("option_name", sa.String(200), nullable=False),
        _flag("refuses_public_sector_credits"),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", _amount(), nullable=False),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("beneficiary_id", ID, nullable=False),
        sa.Column("principal_id", ID, nullable=False),
        sa.Column("requester_id", ID, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("policy", sa.String(40), nullable=True),
        sa.Column("policy_limit", _amount(), nullable=True),
        sa.Column("excluded_tags", JSON, nullable=False),
        sa.Column("hold_id", ID, nullable=True),
        sa.Column("ordered_on", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("settled_at", UtcDateTime(), nullable=True),
        sa.Column("settled_by", sa.String(200), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f(f"ck_{table}_positive_quantity")),
        sa.CheckConstraint("amount > 0", name=op.f(f"ck_{table}_positive_amount")),
        _fk(table, "organization_id", "organizations"),
        _fk(table, "beneficiary_id", "organizations"),
        _fk(table, "principal_id", "organizations"),
        _fk(table, "requester_id", "people"),
        _pk(table, "id"),
        sa.UniqueConstraint(
            "organization_id",
            "idempotency_key",
            name=op.f(f"uq_{table}_organization_id_idempotency_key"),
        ),
    )
    table = "credit_associate_policies"
    op.create_table(
        table,
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("principal_id", ID, nullable=False),
        sa.Column("policy", sa.String(40), nullable=False),
        sa.Column("percentage", ExactDecimal(7, 6), nullable=True),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        _fk(table, "organization_id", "organizations"),
        _fk(table, "principal_id", "organizations"),
        _pk(table, "organization_id"),
    )
    table = "credit_order_approvals"
    op.create_table(
        table,
        sa.Column("order_id", ID, nullable=False),
        _flag("approved"),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk(table, "order_id", "credit_orders"),
        _pk(table, "order_id"),
    )
    for name, table_name, columns in INDEXES:
        op.create_index(name, table_name, columns)


def downgrade() -> None:
    for name, table_name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table_name)
    for table in (
        "credit_order_approvals",
        "credit_associate_policies",
        "credit_orders",
        "credit_catalog_options",
    ):
        op.drop_table(table)
