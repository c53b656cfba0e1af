"""Ledger: accounts, postings and their legs, lots and their tags, holds (issue 3).

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01

See :mod:`alliance.store.ledger_tables` for the design and the amounts' precision.
Postings, legs, lots and lot tags are append-only (X-4): triggers refuse UPDATE and
DELETE on both databases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from alliance.store.types import ExactDecimal, UtcDateTime

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
NAME = sa.String(64)
KEY = sa.String(255)
APPEND_ONLY = ("ledger_postings", "ledger_legs", "ledger_lots", "ledger_lot_tags")
REFUSAL = "the ledger is append-only: correct it by a reversal"


def _amount() -> ExactDecimal:
    return ExactDecimal(18, 4)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _book() -> list[sa.Column[str]]:
    return [
        sa.Column("owner", ID, nullable=False),
        sa.Column("wallet", NAME, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "ledger_accounts",
        sa.Column("id", ID, nullable=False),
        sa.Column("owner", ID, nullable=True),
        sa.Column("wallet", NAME, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.CheckConstraint(
            "(owner IS NULL AND kind = 'source') OR (owner IS NOT NULL AND kind <> 'source')",
            name=op.f("ck_ledger_accounts_only_source_has_no_owner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint(
            "owner",
            "wallet",
            "unit",
            "kind",
            name=op.f("uq_ledger_accounts_owner_wallet_unit_kind"),
        ),
    )
    op.create_index(
        "uq_ledger_accounts_source",
        "ledger_accounts",
        ["wallet", "unit", "kind"],
        unique=True,
        sqlite_where=sa.text("owner IS NULL"),
        postgresql_where=sa.text("owner IS NULL"),
    )

    op.create_table(
        "ledger_holds",
        sa.Column("id", ID, nullable=False),
        *_book(),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("captured", _amount(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_ledger_holds_positive_amount")),
        sa.CheckConstraint(
            "(status = 'pending' AND settled_on IS NULL) "
            "OR (status <> 'pending' AND settled_on IS NOT NULL)",
            name=op.f("ck_ledger_holds_settled_once"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_holds")),
    )
    op.create_index("ix_ledger_holds_book", "ledger_holds", ["owner", "wallet", "unit"])

    op.create_table(
        "ledger_postings",
        sa.Column(
            "number",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", ID, nullable=False),
        sa.Column("idempotency_key", KEY, nullable=False),
        sa.Column("request", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("reverses", ID, nullable=True),
        sa.Column("hold_id", ID, nullable=True),
        sa.Column("lot_id", ID, nullable=True),
        sa.CheckConstraint(
            "(kind = 'reverse' AND reverses IS NOT NULL) "
            "OR (kind <> 'reverse' AND reverses IS NULL)",
            name=op.f("ck_ledger_postings_only_reversal_reverses"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses"],
            ["ledger_postings.id"],
            name=op.f("fk_ledger_postings_reverses_ledger_postings"),
        ),
        _fk("ledger_postings", "hold_id", "ledger_holds"),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_ledger_postings")),
        sa.UniqueConstraint("id", name=op.f("uq_ledger_postings_id")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_ledger_postings_idempotency_key")),
        sa.UniqueConstraint("reverses", name=op.f("uq_ledger_postings_reverses")),
    )
    op.create_index("ix_ledger_postings_effective_on", "ledger_postings", ["effective_on"])
    op.create_index("ix_ledger_postings_hold_id", "ledger_postings", ["hold_id"])

    op.create_table(
        "ledger_lots",
        sa.Column("id", ID, nullable=False),
        sa.Column("posting_id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        *_book(),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("accrued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("program", NAME, nullable=False),
        sa.Column("source_event", KEY, nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_ledger_lots_positive_amount")),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on >= accrued_on",
            name=op.f("ck_ledger_lots_expires_after_accrual"),
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["ledger_postings.id"],
            name=op.f("fk_ledger_lots_posting_id_ledger_postings"),
        ),
        _fk("ledger_lots", "account_id", "ledger_accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_lots")),
        sa.UniqueConstraint("posting_id", name=op.f("uq_ledger_lots_posting_id")),
    )
    op.create_index(
        "ix_ledger_lots_book_expires_on", "ledger_lots", ["owner", "wallet", "unit", "expires_on"]
    )
    op.create_index("ix_ledger_lots_expires_on", "ledger_lots", ["expires_on", "id"])

    op.create_table(
        "ledger_lot_tags",
        sa.Column("lot_id", ID, nullable=False),
        sa.Column("tag", NAME, nullable=False),
        _fk("ledger_lot_tags", "lot_id", "ledger_lots"),
        sa.PrimaryKeyConstraint("lot_id", "tag", name=op.f("pk_ledger_lot_tags")),
    )
    op.create_index("ix_ledger_lot_tags_tag", "ledger_lot_tags", ["tag"])

    op.create_table(
        "ledger_legs",
        sa.Column("posting_id", ID, nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("lot_id", ID, nullable=True),
        sa.Column("amount", _amount(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_ledger_legs_moves_something")),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["ledger_postings.id"],
            name=op.f("fk_ledger_legs_posting_id_ledger_postings"),
        ),
        _fk("ledger_legs", "account_id", "ledger_accounts"),
        _fk("ledger_legs", "lot_id", "ledger_lots"),
        sa.PrimaryKeyConstraint("posting_id", "seq", name=op.f("pk_ledger_legs")),
    )
    op.create_index("ix_ledger_legs_account_lot", "ledger_legs", ["account_id", "lot_id"])

    op.create_table(
        "ledger_hold_lots",
        sa.Column("hold_id", ID, nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("lot_id", ID, nullable=False),
        sa.Column("amount", _amount(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_ledger_hold_lots_positive_amount")),
        _fk("ledger_hold_lots", "hold_id", "ledger_holds"),
        _fk("ledger_hold_lots", "lot_id", "ledger_lots"),
        sa.PrimaryKeyConstraint("hold_id", "seq", name=op.f("pk_ledger_hold_lots")),
    )

    if op.get_context().dialect.name == "postgresql":
        op.execute(
            f"""CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL} (%)', TG_TABLE_NAME
                    USING ERRCODE = 'integrity_constraint_violation';
            END
            $$"""
        )
        for table in APPEND_ONLY:
            op.execute(
                f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"""
            )
    else:
        for table in APPEND_ONLY:
            for event in ("update", "delete"):
                op.execute(
                    f"""CREATE TRIGGER {table}_no_{event} BEFORE {event.upper()} ON {table}
                    BEGIN SELECT RAISE(ABORT, '{REFUSAL} ({table})'); END"""
                )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
        op.execute("DROP FUNCTION ledger_refuse_change()")
    else:
        for table in APPEND_ONLY:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{event}")
    for index, table in [
        ("ix_ledger_legs_account_lot", "ledger_legs"),
        ("ix_ledger_lot_tags_tag", "ledger_lot_tags"),
        ("ix_ledger_lots_expires_on", "ledger_lots"),
        ("ix_ledger_lots_book_expires_on", "ledger_lots"),
        ("ix_ledger_postings_hold_id", "ledger_postings"),
        ("ix_ledger_postings_effective_on", "ledger_postings"),
        ("ix_ledger_holds_book", "ledger_holds"),
        ("uq_ledger_accounts_source", "ledger_accounts"),
    ]:
        op.drop_index(index, table_name=table)
    for table in [
        "ledger_hold_lots",
        "ledger_legs",
        "ledger_lot_tags",
        "ledger_lots",
        "ledger_postings",
        "ledger_holds",
        "ledger_accounts",
    ]:
        op.drop_table(table)
