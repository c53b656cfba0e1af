"""Ledger: fewer index pages written per posting (issue 3, Performance).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

- ``ix_ledger_postings_hold_id`` becomes partial, ``WHERE hold_id IS NOT NULL``: only
  the postings of a hold (hold, capture, release) name one; every other posting — a
  redemption, an accrual — wrote an index entry for its NULL all the same. A look-up by
  ``hold_id = …`` implies ``hold_id IS NOT NULL``, so both databases can still use it.
- ``uq_ledger_postings_reverses`` (X-4: a posting is reversed at most once) becomes a
  partial unique index, ``WHERE reverses IS NOT NULL``: the same rule, since NULLs are
  distinct in a unique constraint on both databases, without an entry per posting that
  reverses nothing. SQLite cannot drop a table's constraint: the table is rebuilt.
- ``ix_ledger_postings_effective_on`` is dropped: no query filters or orders postings
  by ``effective_on`` alone (a statement selects a book's postings by id through its
  legs, then filters on the day; see :mod:`alliance.store.ledger_queries`).
- SQLite: ``ledger_legs`` becomes a ``WITHOUT ROWID`` table, stored in its primary key
  ``(posting_id, seq)``: one b-tree written per leg instead of a rowid table and the
  key's index.

On SQLite each of these was a page written to the WAL per committed posting. The SQLite
rebuilds copy each table's own ``CREATE TABLE`` (from ``sqlite_master``) with the one
change, and put back its indexes and append-only triggers (X-4) as they were.
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOLD_ID_INDEX = "ix_ledger_postings_hold_id"
WITH_HOLD = sa.text("hold_id IS NOT NULL")
REVERSES_UNIQUE = "uq_ledger_postings_reverses"
REVERSING = sa.text("reverses IS NOT NULL")
REVERSES_CONSTRAINT = f"CONSTRAINT {REVERSES_UNIQUE} UNIQUE (reverses)"
NO_ROWID = " WITHOUT ROWID"


def upgrade() -> None:
    op.drop_index("ix_ledger_postings_effective_on", table_name="ledger_postings")
    op.drop_index(HOLD_ID_INDEX, table_name="ledger_postings")
    if _is_sqlite():
        _rebuild_sqlite("ledger_postings", _without_reverses_constraint)
        _rebuild_sqlite("ledger_legs", lambda sql: sql.rstrip() + NO_ROWID)
    else:
        op.drop_constraint(REVERSES_UNIQUE, "ledger_postings", type_="unique")
    op.create_index(
        REVERSES_UNIQUE,
        "ledger_postings",
        ["reverses"],
        unique=True,
        sqlite_where=REVERSING,
        postgresql_where=REVERSING,
    )
    op.create_index(
        HOLD_ID_INDEX,
        "ledger_postings",
        ["hold_id"],
        sqlite_where=WITH_HOLD,
        postgresql_where=WITH_HOLD,
    )


def downgrade() -> None:
    op.drop_index(HOLD_ID_INDEX, table_name="ledger_postings")
    op.drop_index(REVERSES_UNIQUE, table_name="ledger_postings")
    if _is_sqlite():
        _rebuild_sqlite("ledger_legs", lambda sql: sql.rstrip().removesuffix(NO_ROWID))
        _rebuild_sqlite("ledger_postings", _with_reverses_constraint)
    else:
        op.create_unique_constraint(REVERSES_UNIQUE, "ledger_postings", ["reverses"])
    op.create_index(HOLD_ID_INDEX, "ledger_postings", ["hold_id"])
    op.create_index("ix_ledger_postings_effective_on", "ledger_postings", ["effective_on"])


def _is_sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def _without_reverses_constraint(sql: str) -> str:
    changed = sql.replace(f", \n\t{REVERSES_CONSTRAINT}", "")
    if changed == sql:
        raise RuntimeError(f"ledger_postings: no {REVERSES_CONSTRAINT} to drop")
    return changed


def _with_reverses_constraint(sql: str) -> str:
    body = sql.rstrip()
    if not body.endswith(")"):
        raise RuntimeError("ledger_postings: unexpected CREATE TABLE")
    return body[:-1].rstrip() + f", \n\t{REVERSES_CONSTRAINT}\n)"


def _rebuild_sqlite(table: str, change: Callable[[str], str]) -> None:
    """Rebuild ``table`` from its own ``CREATE TABLE`` with ``change`` applied (SQLite's
    procedure; migrations run with foreign keys off and check them at the end)."""
    bind = op.get_bind()
    schema = bind.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).all()
    create = next(sql for kind, _, sql in schema if kind == "table")
    others = [sql for kind, _, sql in schema if kind in ("index", "trigger")]
    # "CREATE TABLE name (" as created; the name quoted once a rename wrote it.
    header = next(
        (
            h
            for h in (f"CREATE TABLE {table} (", f'CREATE TABLE "{table}" (')
            if create.startswith(h)
        ),
        None,
    )
    if header is None:
        raise RuntimeError(f"{table}: unexpected CREATE TABLE")
    staging = f"_rebuild_{table}"
    bind.exec_driver_sql(f"CREATE TABLE {staging} (" + change(create)[len(header) :])
    bind.exec_driver_sql(f"INSERT INTO {staging} SELECT * FROM {table}")
    bind.exec_driver_sql(f"DROP TABLE {table}")
    bind.exec_driver_sql(f"ALTER TABLE {staging} RENAME TO {table}")
    for sql in others:
        bind.exec_driver_sql(sql)
