"""Ledger: fewer index pages written per posting (issue 3, Performance).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

- ``ix_ledger_postings_hold_id`` becomes partial, ``WHERE hold_id IS NOT NULL``: only
  the postings of a hold (hold, capture, release) name one; every other posting — a
  redemption, an accrual — wrote an index entry for its NULL all the same. A look-up by
  ``hold_id = …`` implies ``hold_id IS NOT NULL``, so both databases can still use it.
- ``ix_ledger_postings_effective_on`` is dropped: no query filters or orders postings
  by ``effective_on`` alone (a statement selects a book's postings by id through its
  legs, then filters on the day; see :mod:`alliance.store.ledger_queries`).

On SQLite each of these was a page written to the WAL per committed posting.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOLD_ID_INDEX = "ix_ledger_postings_hold_id"
WITH_HOLD = sa.text("hold_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_ledger_postings_effective_on", table_name="ledger_postings")
    op.drop_index(HOLD_ID_INDEX, table_name="ledger_postings")
    op.create_index(
        HOLD_ID_INDEX,
        "ledger_postings",
        ["hold_id"],
        sqlite_where=WITH_HOLD,
        postgresql_where=WITH_HOLD,
    )


def downgrade() -> None:
    op.drop_index(HOLD_ID_INDEX, table_name="ledger_postings")
    op.create_index(HOLD_ID_INDEX, "ledger_postings", ["hold_id"])
    op.create_index("ix_ledger_postings_effective_on", "ledger_postings", ["effective_on"])
