"""Customer rewards (OSR): reward profiles, subscriptions, support invoices and their
redemptions, the usage import registry, accrual runs.

Revision ID: 0003
Revises: 0002
Create Date: 2025-03-01

See :mod:`alliance.store.rewards_tables`. Redemptions and accrual runs are records of
what happened (X-4): triggers refuse UPDATE and DELETE on both databases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from alliance.store.types import ExactDecimal, UtcDateTime

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
APPEND_ONLY = ("invoice_redemptions", "reward_accrual_runs")
REFUSAL = "reward records are append-only"
INDEXES = [
    ("ix_reward_subscriptions_customer_id", "reward_subscriptions", ["customer_id"]),
    ("ix_reward_subscriptions_buyer_id", "reward_subscriptions", ["buyer_id"]),
    (
        "ix_reward_subscriptions_support_renewal_partner_id",
        "reward_subscriptions",
        ["support_renewal_partner_id"],
    ),
    ("ix_support_invoices_customer_id", "support_invoices", ["customer_id"]),
    ("ix_usage_import_months_month", "usage_import_months", ["month"]),
    ("ix_reward_accrual_runs_program_month", "reward_accrual_runs", ["program", "month"]),
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
    _customers_and_subscriptions()
    _invoices()
    _usage_and_runs()
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    _append_only()


def _customers_and_subscriptions() -> None:
    op.create_table(
        "reward_customers",
        sa.Column("organization_id", ID, nullable=False),
        _flag("has_on_premises_support"),
        _flag("has_ula"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        _fk("reward_customers", "organization_id", "organizations"),
        _pk("reward_customers", "organization_id"),
    )
    op.create_table(
        "reward_ula_coverage",
        sa.Column("holder_id", ID, nullable=False),
        sa.Column("covered_id", ID, nullable=False),
        _fk("reward_ula_coverage", "holder_id", "reward_customers", "organization_id"),
        _fk("reward_ula_coverage", "covered_id", "organizations"),
        _pk("reward_ula_coverage", "holder_id", "covered_id"),
    )
    table = "reward_subscriptions"
    op.create_table(
        table,
        sa.Column("id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("buyer_id", ID, nullable=False),
        sa.Column("order_type", sa.String(30), nullable=False),
        sa.Column("service_start", sa.Date(), nullable=False),
        sa.Column("service_end", sa.Date(), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        _flag("enrolled"),
        sa.Column("opted_out_on", sa.Date(), nullable=True),
        sa.Column("reseller_id", ID, nullable=True),
        _flag("has_paas_conversion_right"),
        sa.Column("support_renewal_partner_id", ID, nullable=True),
        _flag("support_renewal_partner_authorised"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("service_end >= service_start", name=op.f(f"ck_{table}_service_period")),
        sa.CheckConstraint(
            "NOT support_renewal_partner_authorised OR support_renewal_partner_id IS NOT NULL",
            name=op.f(f"ck_{table}_authorised_partner_named"),
        ),
        _fk(table, "customer_id", "organizations"),
        _fk(table, "buyer_id", "organizations"),
        _fk(table, "reseller_id", "organizations"),
        _fk(table, "support_renewal_partner_id", "organizations"),
        _pk(table, "id"),
    )


def _invoices() -> None:
    op.create_table(
        "support_invoices",
        sa.Column("id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("tax", _amount(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("due_on >= issued_on", name=op.f("ck_support_invoices_due_after_issue")),
        _fk("support_invoices", "customer_id", "organizations"),
        _pk("support_invoices", "id"),
    )
    op.create_table(
        "support_invoice_lines",
        sa.Column("invoice_id", ID, nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(200), nullable=False),
        sa.Column("support_program", sa.String(100), nullable=False),
        sa.Column("pre_tax_amount", _amount(), nullable=False),
        _fk("support_invoice_lines", "invoice_id", "support_invoices"),
        _pk("support_invoice_lines", "invoice_id", "line_no"),
    )
    table = "invoice_redemptions"
    op.create_table(
        table,
        sa.Column("id", ID, nullable=False),
        sa.Column("invoice_id", ID, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request", sa.String(64), nullable=False),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("redeemed_on", sa.Date(), nullable=False),
        sa.Column("payer_kind", sa.String(30), nullable=False),
        sa.Column("payer_id", ID, nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f(f"ck_{table}_positive_amount")),
        _fk(table, "invoice_id", "support_invoices"),
        _fk(table, "payer_id", "organizations"),
        _pk(table, "id"),
        sa.UniqueConstraint(
            "invoice_id", "idempotency_key", name=op.f(f"uq_{table}_invoice_id_idempotency_key")
        ),
    )


def _usage_and_runs() -> None:
    op.create_table(
        "usage_imports",
        sa.Column("id", ID, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        _pk("usage_imports", "id"),
        sa.UniqueConstraint("sha256", name=op.f("uq_usage_imports_sha256")),
    )
    op.create_table(
        "usage_import_months",
        sa.Column("import_id", ID, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        _fk("usage_import_months", "import_id", "usage_imports"),
        _pk("usage_import_months", "import_id", "month"),
    )
    op.create_table(
        "reward_accrual_runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("program", sa.String(40), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("new_lots", sa.Integer(), nullable=False),
        sa.Column("existing_lots", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("ran_at", UtcDateTime(), nullable=False),
        _pk("reward_accrual_runs", "id"),
    )


def _append_only() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            f"""CREATE FUNCTION reward_records_refuse_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
            END
            $$"""
        )
        for table in APPEND_ONLY:
            op.execute(
                f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION reward_records_refuse_change()"""
            )
        return
    for table in APPEND_ONLY:
        for event in ("update", "delete"):
            op.execute(
                f"""CREATE TRIGGER {table}_no_{event} BEFORE {event.upper()} ON {table}
                BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"""
            )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
        op.execute("DROP FUNCTION reward_records_refuse_change()")
    else:
        for table in APPEND_ONLY:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{event}")
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    for table in [
        "reward_accrual_runs",
        "usage_import_months",
        "usage_imports",
        "invoice_redemptions",
        "support_invoice_lines",
        "support_invoices",
        "reward_subscriptions",
        "reward_ula_coverage",
        "reward_customers",
    ]:
        op.drop_table(table)
