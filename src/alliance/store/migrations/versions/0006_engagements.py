"""Engagements: engagement users, customers, engagements, notes, attachments, transitions,
deals, the public-sector pool, reward payouts and supplier accounts (issue 4).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

See :mod:`alliance.store.engagement_tables`. Transitions are the record of who moved an
engagement when (CCE-6, X-4): triggers refuse UPDATE and DELETE on both databases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from alliance.store.types import ExactDecimal, UtcDateTime

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
APPEND_ONLY = "engagement_transitions"
REFUSAL = "engagement transitions are append-only"


def upgrade() -> None:
    op.create_table(
        "engagement_customers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("legal_name", sa.String(length=300), nullable=False),
        sa.Column("street", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("postal_code", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("address_key", sa.String(length=800), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["organizations.id"],
            name=op.f("fk_engagement_customers_partner_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_customers")),
    )
    op.create_index(
        "ix_engagement_customers_name_key", "engagement_customers", ["name_key"], unique=False
    )
    op.create_index(
        "ix_engagement_customers_partner_id", "engagement_customers", ["partner_id"], unique=False
    )
    op.create_table(
        "supplier_accounts",
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("invited_at", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_supplier_accounts_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_supplier_accounts")),
    )
    op.create_table(
        "engagement_users",
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["people.id"], name=op.f("fk_engagement_users_granted_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_engagement_users_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_engagement_users_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_engagement_users")),
    )
    op.create_index(
        "ix_engagement_users_organization_id", "engagement_users", ["organization_id"], unique=False
    )
    op.create_table(
        "engagements",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("customer_name_key", sa.String(length=300), nullable=False),
        sa.Column("partner_contact", JSON, nullable=False),
        sa.Column("customer_contact", JSON, nullable=True),
        sa.Column("products", JSON, nullable=False),
        sa.Column("pillars", JSON, nullable=False),
        sa.Column("estimated_close_date", sa.Date(), nullable=True),
        sa.Column("solution_description", sa.Text(), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("order_kind", sa.String(length=20), nullable=False),
        sa.Column("duplicate_verdict", sa.String(length=30), nullable=True),
        sa.Column("duplicate_explanation", JSON, nullable=True),
        sa.Column("duplicate_matches", JSON, nullable=True),
        sa.Column("sales_review", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_engagements_version_positive")),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["engagement_customers.id"],
            name=op.f("fk_engagements_customer_id_engagement_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["organizations.id"],
            name=op.f("fk_engagements_partner_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
    )
    op.create_index(
        "ix_engagements_customer_name_key", "engagements", ["customer_name_key"], unique=False
    )
    op.create_index("ix_engagements_partner_id", "engagements", ["partner_id"], unique=False)
    op.create_table(
        "engagement_attachments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("needs_review", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("uploaded_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("size >= 0", name=op.f("ck_engagement_attachments_size_not_negative")),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_attachments_engagement_id_engagements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_attachments")),
    )
    op.create_index(
        "ix_engagement_attachments_engagement_id",
        "engagement_attachments",
        ["engagement_id"],
        unique=False,
    )
    op.create_table(
        "engagement_deals",
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("order_kind", sa.String(length=20), nullable=False),
        sa.Column("lines", JSON, nullable=False),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_engagement_deals_version_positive")),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_deals_engagement_id_engagements"),
        ),
        sa.PrimaryKeyConstraint("engagement_id", "version", name=op.f("pk_engagement_deals")),
    )
    op.create_table(
        "engagement_notes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_notes_engagement_id_engagements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_notes")),
        sa.UniqueConstraint(
            "engagement_id", "position", name=op.f("uq_engagement_notes_engagement_id_position")
        ),
    )
    op.create_table(
        "engagement_opportunity_ids",
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("opportunity_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_opportunity_ids_engagement_id_engagements"),
        ),
        sa.PrimaryKeyConstraint(
            "engagement_id", "opportunity_id", name=op.f("pk_engagement_opportunity_ids")
        ),
    )
    op.create_index(
        "ix_engagement_opportunity_ids_opportunity_id",
        "engagement_opportunity_ids",
        ["opportunity_id"],
        unique=False,
    )
    op.create_table(
        "engagement_payouts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("principal_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("amount", ExactDecimal(18, 4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("missing", JSON, nullable=False),
        sa.Column("explanation", JSON, nullable=False),
        sa.Column("posting_id", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_engagement_payouts_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_payouts_engagement_id_engagements"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["organizations.id"],
            name=op.f("fk_engagement_payouts_partner_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"],
            ["organizations.id"],
            name=op.f("fk_engagement_payouts_principal_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_payouts")),
        sa.UniqueConstraint(
            "engagement_id", "version", name=op.f("uq_engagement_payouts_engagement_id_version")
        ),
    )
    op.create_index(
        "ix_engagement_payouts_partner_id", "engagement_payouts", ["partner_id"], unique=False
    )
    op.create_table(
        "engagement_transitions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("move", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("target", sa.String(length=30), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_transitions_engagement_id_engagements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_transitions")),
    )
    op.create_index(
        "ix_engagement_transitions_engagement_id",
        "engagement_transitions",
        ["engagement_id"],
        unique=False,
    )
    op.create_table(
        "public_sector_pool",
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("value", ExactDecimal(18, 4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_public_sector_pool_engagement_id_engagements"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["organizations.id"],
            name=op.f("fk_public_sector_pool_partner_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("partner_id", "engagement_id", name=op.f("pk_public_sector_pool")),
    )
    _append_only()


def _append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {APPEND_ONLY}_no_{event.lower()} BEFORE {event} ON {APPEND_ONLY} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
        return
    op.execute(
        f"CREATE FUNCTION {APPEND_ONLY}_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {APPEND_ONLY}_append_only BEFORE UPDATE OR DELETE ON {APPEND_ONLY} "
        f"FOR EACH ROW EXECUTE FUNCTION {APPEND_ONLY}_refuse()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY}_append_only ON {APPEND_ONLY}")
        op.execute(f"DROP FUNCTION IF EXISTS {APPEND_ONLY}_refuse()")
    op.drop_table("public_sector_pool")
    op.drop_index("ix_engagement_transitions_engagement_id", table_name="engagement_transitions")
    op.drop_table("engagement_transitions")
    op.drop_index("ix_engagement_payouts_partner_id", table_name="engagement_payouts")
    op.drop_table("engagement_payouts")
    op.drop_index(
        "ix_engagement_opportunity_ids_opportunity_id", table_name="engagement_opportunity_ids"
    )
    op.drop_table("engagement_opportunity_ids")
    op.drop_table("engagement_notes")
    op.drop_table("engagement_deals")
    op.drop_index("ix_engagement_attachments_engagement_id", table_name="engagement_attachments")
    op.drop_table("engagement_attachments")
    op.drop_index("ix_engagements_partner_id", table_name="engagements")
    op.drop_index("ix_engagements_customer_name_key", table_name="engagements")
    op.drop_table("engagements")
    op.drop_index("ix_engagement_users_organization_id", table_name="engagement_users")
    op.drop_table("engagement_users")
    op.drop_table("supplier_accounts")
    op.drop_index("ix_engagement_customers_partner_id", table_name="engagement_customers")
    op.drop_index("ix_engagement_customers_name_key", table_name="engagement_customers")
    op.drop_table("engagement_customers")
