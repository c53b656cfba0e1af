"""Outcomes of earned-tier evaluations with the definition version that produced them (issue 5).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

See :mod:`alliance.store.tier_outcome_tables`: runs (program, definition version, date;
unique), their outcomes per partner and subject with the explanation (X-3), and the
enrolments that keep MCPP designations until the anniversary (MCPP-8).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from alliance.store.types import UtcDateTime

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
RUN_ID = sa.String(160)
CODE = sa.String(64)
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
INDEX = "ix_tier_outcomes_program_code_partner_id_as_of"


def upgrade() -> None:
    table = "tier_outcome_runs"
    op.create_table(
        table,
        sa.Column("id", RUN_ID, nullable=False),
        sa.Column("program_code", CODE, nullable=False),
        sa.Column("definition_version", sa.String(32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("definition_hash", sa.String(80), nullable=False),
        sa.Column("evaluated_at", UtcDateTime(), nullable=False),
        sa.Column("outcomes", sa.Integer(), nullable=False),
        sa.Column("partners", sa.Integer(), nullable=False),
        sa.Column("results", JSON, nullable=False),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint(
            "program_code",
            "definition_version",
            "as_of",
            name=op.f(f"uq_{table}_program_code_definition_version_as_of"),
        ),
    )
    table = "tier_outcomes"
    op.create_table(
        table,
        sa.Column("run_id", RUN_ID, nullable=False),
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("subject_id", CODE, nullable=False),
        sa.Column("program_code", CODE, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("result", sa.String(64), nullable=False),
        sa.Column("held", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("score", sa.String(64), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["tier_outcome_runs.id"],
            name=op.f(f"fk_{table}_run_id_tier_outcome_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "partner_id", "subject", "subject_id", name=op.f(f"pk_{table}")
        ),
    )
    op.create_index(INDEX, table, ["program_code", "partner_id", "as_of"])
    table = "tier_enrolments"
    op.create_table(
        table,
        sa.Column("program_code", CODE, nullable=False),
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("anniversary", sa.Date(), nullable=False),
        sa.Column("areas", JSON, nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "program_code", "partner_id", "enrolled_on", name=op.f(f"pk_{table}")
        ),
    )


def downgrade() -> None:
    op.drop_table("tier_enrolments")
    op.drop_index(INDEX, table_name="tier_outcomes")
    op.drop_table("tier_outcomes")
    op.drop_table("tier_outcome_runs")
