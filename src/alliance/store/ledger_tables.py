"""The ledger's tables (issue 3), on the same :data:`~alliance.store.tables.metadata`.

The rows hold what :mod:`alliance.domain.ledger` computes; the rules stay in the domain:

- ``ledger_accounts`` — one row per :class:`~alliance.domain.ledger.AccountKey`. The id
  is derived from the key (:func:`alliance.store.ledger_rows.account_id`), so a leg can
  name its account without a lookup, and bulk loads need no round trip. ``owner`` is
  NULL for, and only for, a program's ``source`` account; as NULLs are distinct in a
  unique constraint on both SQLite and PostgreSQL, a partial unique index keeps one
  source account per (wallet, unit, kind).
- ``ledger_postings`` — the header of a balanced posting. ``number`` (an integer
  primary key) is the order postings were recorded in, which a statement keeps for
  postings of the same day; ``id`` is derived from the idempotency key, which is
  unique (X-5), next to the fingerprint of the request that made it (``request``).
  ``reverses`` is unique (a partial index: only reversals have one): a posting is
  reversed at most once (X-4).
- ``ledger_legs`` — the legs, numbered within their posting; every leg on a wallet or
  held account names its lot (``lot_id``). ``amount <> 0`` is checked. On SQLite the
  table is ``WITHOUT ROWID``, stored in its key ``(posting_id, seq)``.
- ``ledger_lots`` and ``ledger_lot_tags`` — lots never change; tags live in a child
  table so a query can filter on them (CRD-6). ``posting_id`` is the posting that
  opened the lot; ``account_id`` its owner's wallet account, where its remaining value
  is summed. (``ledger_postings.lot_id`` has no foreign key: it would make a cycle
  with ``ledger_lots.posting_id``; the legs' foreign key to the lot backs it.)
- ``ledger_holds`` and ``ledger_hold_lots`` — two-phase holds (CRD-3); a hold's status
  changes once, from ``pending``; its lots keep the order they were reserved in.

**Precision.** Every amount is ``ExactDecimal(18, 4)``: NUMERIC(18, 4) on PostgreSQL,
an integer count of ten-thousandths on SQLite. Four places hold every unit the domain
counts (money has 0 to 3 places — KWD, BHD — credits 2, points 0) with one to spare;
fourteen integer digits hold any single amount, and SQLite's 64-bit ``SUM`` stays exact
up to about 9 * 10**14 per account. An amount with more places is refused, never rounded
(X-1).

Postings, legs, lots and tags are append-only: the migration adds triggers refusing
UPDATE and DELETE on both databases (X-4). Whether a posting balances is checked by the
domain (:class:`~alliance.domain.ledger.Posting` refuses unbalanced legs) and again by
the repository before it inserts; no portable database constraint can check a sum
across rows at commit time.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from alliance.store.tables import ID_LENGTH, BigId, metadata
from alliance.store.types import ExactDecimal, UtcDateTime

#: Every ledger amount: see "Precision" above.
AMOUNT_PRECISION, AMOUNT_SCALE = 18, 4
KEY_LENGTH = 255
NAME_LENGTH = 64


def Amount() -> ExactDecimal:
    return ExactDecimal(AMOUNT_PRECISION, AMOUNT_SCALE)


def _id(name: str = "id", *, primary_key: bool = False) -> Column[str]:
    return Column(name, String(ID_LENGTH), primary_key=primary_key, nullable=False)


def _ref(name: str, target: str, *, nullable: bool = False, unique: bool = False) -> Column[str]:
    return Column(name, String(ID_LENGTH), ForeignKey(target), nullable=nullable, unique=unique)


def _book_columns(owner_nullable: bool = False) -> list[Column[str]]:
    return [
        Column("owner", String(ID_LENGTH), nullable=owner_nullable),
        Column("wallet", String(NAME_LENGTH), nullable=False),
        Column("unit", String(32), nullable=False),
    ]


ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    _id(primary_key=True),
    *_book_columns(owner_nullable=True),
    Column("kind", String(10), nullable=False),
    UniqueConstraint("owner", "wallet", "unit", "kind"),
    CheckConstraint(
        "(owner IS NULL AND kind = 'source') OR (owner IS NOT NULL AND kind <> 'source')",
        name="only_source_has_no_owner",
        info={"field": "owner"},
    ),
)
Index(
    "uq_ledger_accounts_source",
    ledger_accounts.c.wallet,
    ledger_accounts.c.unit,
    ledger_accounts.c.kind,
    unique=True,
    sqlite_where=text("owner IS NULL"),
    postgresql_where=text("owner IS NULL"),
)

ledger_holds = Table(
    "ledger_holds",
    metadata,
    _id(primary_key=True),
    *_book_columns(),
    Column("amount", Amount(), nullable=False),
    Column("status", String(10), nullable=False),
    Column("captured", Amount(), nullable=False),
    Column("created_on", Date(), nullable=False),
    Column("settled_on", Date(), nullable=True),
    CheckConstraint("amount > 0", name="positive_amount", info={"field": "amount"}),
    CheckConstraint(
        "(status = 'pending' AND settled_on IS NULL) "
        "OR (status <> 'pending' AND settled_on IS NOT NULL)",
        name="settled_once",
        info={"field": "status"},
    ),
)
Index("ix_ledger_holds_book", ledger_holds.c.owner, ledger_holds.c.wallet, ledger_holds.c.unit)

ledger_postings = Table(
    "ledger_postings",
    metadata,
    Column("number", BigId, primary_key=True, autoincrement=True),
    Column("id", String(ID_LENGTH), nullable=False, unique=True),
    Column("idempotency_key", String(KEY_LENGTH), nullable=False, unique=True),
    Column("request", String(64), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("effective_on", Date(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("memo", Text(), nullable=False),
    _ref("reverses", "ledger_postings.id", nullable=True),
    _ref("hold_id", "ledger_holds.id", nullable=True),
    Column("lot_id", String(ID_LENGTH), nullable=True),
    CheckConstraint(
        "(kind = 'reverse' AND reverses IS NOT NULL) OR (kind <> 'reverse' AND reverses IS NULL)",
        name="only_reversal_reverses",
        info={"field": "reverses"},
    ),
)
#: A posting is reversed at most once (X-4); only reversals and the postings of a hold
#: name one, the others write no index entry (migration 0012). No query selects
#: postings by ``effective_on`` alone: it has no index.
Index(
    "uq_ledger_postings_reverses",
    ledger_postings.c.reverses,
    unique=True,
    sqlite_where=text("reverses IS NOT NULL"),
    postgresql_where=text("reverses IS NOT NULL"),
)
Index(
    "ix_ledger_postings_hold_id",
    ledger_postings.c.hold_id,
    sqlite_where=text("hold_id IS NOT NULL"),
    postgresql_where=text("hold_id IS NOT NULL"),
)

ledger_lots = Table(
    "ledger_lots",
    metadata,
    _id(primary_key=True),
    _ref("posting_id", "ledger_postings.id", unique=True),
    _ref("account_id", "ledger_accounts.id"),
    *_book_columns(),
    Column("amount", Amount(), nullable=False),
    Column("accrued_on", Date(), nullable=False),
    Column("expires_on", Date(), nullable=True),
    Column("program", String(NAME_LENGTH), nullable=False),
    Column("source_event", String(KEY_LENGTH), nullable=False),
    CheckConstraint("amount > 0", name="positive_amount", info={"field": "amount"}),
    CheckConstraint(
        "expires_on IS NULL OR expires_on >= accrued_on",
        name="expires_after_accrual",
        info={"field": "expires_on"},
    ),
)
Index(
    "ix_ledger_lots_book_expires_on",
    ledger_lots.c.owner,
    ledger_lots.c.wallet,
    ledger_lots.c.unit,
    ledger_lots.c.expires_on,
)
Index("ix_ledger_lots_expires_on", ledger_lots.c.expires_on, ledger_lots.c.id)

ledger_lot_tags = Table(
    "ledger_lot_tags",
    metadata,
    _ref("lot_id", "ledger_lots.id"),
    Column("tag", String(NAME_LENGTH), nullable=False),
    PrimaryKeyConstraint("lot_id", "tag"),
)
Index("ix_ledger_lot_tags_tag", ledger_lot_tags.c.tag)

ledger_legs = Table(
    "ledger_legs",
    metadata,
    _ref("posting_id", "ledger_postings.id"),
    Column("seq", SmallInteger(), nullable=False),
    _ref("account_id", "ledger_accounts.id"),
    _ref("lot_id", "ledger_lots.id", nullable=True),
    Column("amount", Amount(), nullable=False),
    PrimaryKeyConstraint("posting_id", "seq"),
    CheckConstraint("amount <> 0", name="moves_something", info={"field": "amount"}),
    sqlite_with_rowid=False,  # stored in its key (migration 0012)
)
Index("ix_ledger_legs_account_lot", ledger_legs.c.account_id, ledger_legs.c.lot_id)

ledger_hold_lots = Table(
    "ledger_hold_lots",
    metadata,
    _ref("hold_id", "ledger_holds.id"),
    Column("seq", SmallInteger(), nullable=False),
    _ref("lot_id", "ledger_lots.id"),
    Column("amount", Amount(), nullable=False),
    PrimaryKeyConstraint("hold_id", "seq"),
    CheckConstraint("amount > 0", name="positive_amount", info={"field": "amount"}),
)

#: Tables whose rows are never updated nor deleted (X-4); the migration's triggers say so.
APPEND_ONLY = ("ledger_postings", "ledger_legs", "ledger_lots", "ledger_lot_tags")
