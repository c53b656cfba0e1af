"""PEX points and proof-of-concept budgets; OIP duties compliance (issue 5).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

See :mod:`alliance.store.pex_tables` — PEX enrolments (partner type PEX-7, modules
PEX-2) and proof-of-concept budget requests paid with points (PEX-4) — and
:mod:`alliance.store.oip_duty_tables` — OIP members' duty profiles and progress (OIP-5).
The points themselves are the ledger's (0002).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from alliance.store.types import ExactDecimal, UtcDateTime

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
TABLES = ("oip_duty_progress", "oip_duty_profiles", "pex_poc_requests", "pex_enrolments")


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def upgrade() -> None:
    table = "pex_enrolments"
    op.create_table(
        table,
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("partner_type", sa.String(40), nullable=False),
        sa.Column("modules", JSON, nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        _pk(table, "partner_id"),
    )
    table = "pex_poc_requests"
    op.create_table(
        table,
        sa.Column("id", ID, nullable=False),
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("budget_ref", sa.String(100), nullable=False),
        sa.Column("points", ExactDecimal(18, 4), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("hold_id", ID, nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.CheckConstraint("points > 0", name=op.f(f"ck_{table}_positive_points")),
        _pk(table, "id"),
        sa.UniqueConstraint(
            "partner_id", "budget_ref", name=op.f(f"uq_{table}_partner_id_budget_ref")
        ),
    )
    op.create_index("ix_pex_poc_requests_status", table, ["status"])
    table = "oip_duty_profiles"
    op.create_table(
        table,
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("product_lines", JSON, nullable=False),
        sa.Column("flags", JSON, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        _pk(table, "partner_id"),
    )
    table = "oip_duty_progress"
    op.create_table(
        table,
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("item_key", sa.String(200), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.CheckConstraint("done >= 0", name=op.f(f"ck_{table}_done_not_negative")),
        _pk(table, "partner_id", "item_key"),
    )


def downgrade() -> None:
    op.drop_index("ix_pex_poc_requests_status", table_name="pex_poc_requests")
    for table in TABLES:
        op.drop_table(table)
