"""Memberships: enrolment applications, memberships, invoices, tracks, expertise, roles (issue 4).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

See :mod:`alliance.store.membership_tables`. Roles (OPN-18) are the people's roles of
0001 (``person_roles``); nothing new is needed for them.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from alliance.store.types import ExactDecimal, UtcDateTime

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
SHORT = sa.String(40)
KEY = sa.String(200)
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
INDEXES = [
    ("ix_membership_applications_organization_id", "membership_applications", ["organization_id"]),
    ("ix_membership_applications_applicant_id", "membership_applications", ["applicant_id"]),
    ("ix_memberships_organization_id", "memberships", ["organization_id"]),
    ("ix_memberships_principal_id", "memberships", ["principal_id"]),
    ("ix_memberships_status", "memberships", ["status"]),
    ("ix_membership_renewals_subscription_id", "membership_renewals", ["subscription_id"]),
    ("ix_membership_invoices_subscription_id", "membership_invoices", ["subscription_id"]),
    ("ix_membership_payments_subscription_id", "membership_payments", ["subscription_id"]),
    ("ix_membership_tick_actions_subscription_id", "membership_tick_actions", ["subscription_id"]),
]


def _amount() -> ExactDecimal:
    return ExactDecimal(18, 4)


def _stamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def upgrade() -> None:
    op.create_table(
        "membership_applications",
        sa.Column("id", ID, nullable=False),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("applicant_id", ID, nullable=False),
        sa.Column("kind", SHORT, nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("renewing", ID, nullable=True),
        sa.Column("document", JSON, nullable=False),
        *_stamps(),
        _pk("membership_applications", "id"),
        _fk("membership_applications", "organization_id", "organizations"),
        _fk("membership_applications", "applicant_id", "people"),
    )
    op.create_table(
        "memberships",
        sa.Column("id", ID, nullable=False),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("member_type", SHORT, nullable=False),
        sa.Column("level", SHORT, nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("subscribed_on", sa.Date(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("principal_id", ID, nullable=True),
        sa.Column("application_id", ID, nullable=True),
        sa.Column("payment_plan", SHORT, nullable=True),
        sa.Column("payment_method", SHORT, nullable=True),
        sa.Column("renewal_id", ID, nullable=True),
        *_stamps(),
        _pk("memberships", "id"),
        _fk("memberships", "organization_id", "organizations"),
        _fk("memberships", "principal_id", "memberships"),
        _fk("memberships", "application_id", "membership_applications"),
    )
    op.create_table(
        "membership_renewals",
        sa.Column("id", ID, nullable=False),
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("level", SHORT, nullable=False),
        sa.Column("payment_plan", SHORT, nullable=True),
        sa.Column("payment_method", SHORT, nullable=True),
        sa.Column("tracks", JSON, nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("effects", JSON, nullable=False),
        *_stamps(),
        _pk("membership_renewals", "id"),
        _fk("membership_renewals", "subscription_id", "memberships"),
        _fk("membership_renewals", "application_id", "membership_applications"),
    )
    op.create_table(
        "membership_tracks",
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("track", SHORT, nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        _pk("membership_tracks", "subscription_id", "track"),
        _fk("membership_tracks", "subscription_id", "memberships"),
    )
    op.create_table(
        "membership_invoices",
        sa.Column("id", ID, nullable=False),
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("level", SHORT, nullable=False),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("timing", SHORT, nullable=False),
        sa.Column("recipient_role", SHORT, nullable=False),
        sa.Column("idempotency_key", KEY, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        _pk("membership_invoices", "id"),
        _fk("membership_invoices", "subscription_id", "memberships"),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_membership_invoices_idempotency_key")),
    )
    op.create_table(
        "membership_instalments",
        sa.Column("invoice_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        _pk("membership_instalments", "invoice_id", "number"),
        _fk("membership_instalments", "invoice_id", "membership_invoices"),
    )
    op.create_table(
        "membership_payments",
        sa.Column("id", ID, nullable=False),
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("invoice_id", ID, nullable=False),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", SHORT, nullable=False),
        sa.Column("reference", KEY, nullable=False),
        sa.Column("idempotency_key", KEY, nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        _pk("membership_payments", "id"),
        _fk("membership_payments", "subscription_id", "memberships"),
        _fk("membership_payments", "invoice_id", "membership_invoices"),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_membership_payments_idempotency_key")),
    )
    op.create_table(
        "published_expertise",
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("product", sa.String(100), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        _pk("published_expertise", "subscription_id", "product"),
        _fk("published_expertise", "subscription_id", "memberships"),
    )
    op.create_table(
        "membership_tick_actions",
        sa.Column("key", KEY, nullable=False),
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("kind", SHORT, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        _pk("membership_tick_actions", "key"),
        _fk("membership_tick_actions", "subscription_id", "memberships"),
    )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for table in (
        "membership_tick_actions",
        "published_expertise",
        "membership_payments",
        "membership_instalments",
        "membership_invoices",
        "membership_tracks",
        "membership_renewals",
        "memberships",
        "membership_applications",
    ):
        op.drop_table(table)
