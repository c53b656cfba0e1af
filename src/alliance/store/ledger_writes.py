"""What the SQL ledger writes, and the row locks it takes first.

**Locking (PostgreSQL).** Before reading the lots a posting will spend, the ledger locks
the wallet account row of every book the posting touches, with ``SELECT … FOR UPDATE``,
in id order (so two transactions locking several books cannot deadlock). An account row
is created first if need be, with ``INSERT … ON CONFLICT DO NOTHING``, so there is always
a row to lock. On SQLite every unit of work already holds the database's write lock
(``BEGIN IMMEDIATE``), so :meth:`LedgerWrites.lock_books` only makes sure the rows exist.

Inserts go in the order the foreign keys need: accounts, the new hold, the posting, the
new lot and its tags, then the legs; a settled hold is updated only while ``pending``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alliance.domain.ledger import AccountKey, AccountKind, Book, Hold, HoldNotPending, Lot, Posting
from alliance.store.ledger_rows import (
    account_id,
    account_row,
    hold_lot_rows,
    hold_row,
    leg_rows,
    lot_row,
    posting_row,
    tag_rows,
)
from alliance.store.ledger_tables import (
    ledger_accounts,
    ledger_hold_lots,
    ledger_holds,
    ledger_legs,
    ledger_lot_tags,
    ledger_lots,
    ledger_postings,
)


class LedgerWrites:
    """Inserts and locks inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.dialect = session.get_bind().dialect.name

    @property
    def takes_row_locks(self) -> bool:
        """True on PostgreSQL; SQLite serialises writers with ``BEGIN IMMEDIATE``."""
        return self.dialect == "postgresql"

    def lock_books(self, books: Iterable[Book]) -> None:
        """Lock the wallet account of each of ``books`` (creating it if need be)."""
        wallets = sorted({book.account(AccountKind.WALLET) for book in books}, key=account_id)
        if not wallets:
            return
        self.ensure_accounts(wallets)
        if self.takes_row_locks:
            ids = [account_id(wallet) for wallet in wallets]
            self._session.execute(
                select(ledger_accounts.c.id)
                .where(ledger_accounts.c.id.in_(ids))
                .order_by(ledger_accounts.c.id)
                .with_for_update()
            ).all()

    def ensure_accounts(self, accounts: Iterable[AccountKey]) -> None:
        """Create the accounts that do not exist yet; leave the others alone."""
        rows = sorted(map(account_row, set(accounts)), key=_by_id)
        self.insert_ignoring_duplicates(ledger_accounts, rows)

    def insert_ignoring_duplicates(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        self._session.execute(dialect_insert(table).on_conflict_do_nothing(), list(rows))

    def record(
        self,
        posting: Posting,
        *,
        lot: Lot | None = None,
        new_hold: Hold | None = None,
        settled_hold: Hold | None = None,
    ) -> None:
        """Insert ``posting`` with the lot it opens or the hold it places, or settle a hold."""
        self.ensure_accounts(leg.account for leg in posting.legs)
        if new_hold is not None:
            self.insert_rows(ledger_holds, [hold_row(new_hold)])
            self.insert_rows(ledger_hold_lots, hold_lot_rows(new_hold))
        self.insert_rows(ledger_postings, [posting_row(posting)])
        if lot is not None:
            self.insert_rows(ledger_lots, [lot_row(lot, posting.id)])
            self.insert_rows(ledger_lot_tags, tag_rows(lot))
        self.insert_rows(ledger_legs, leg_rows(posting))
        if settled_hold is not None:
            self._settle(settled_hold)

    def record_many(self, postings: Sequence[Posting]) -> None:
        """Insert ``postings`` that open no lot nor hold (expiries) in two statements;
        every account they name must exist."""
        self.insert_rows(ledger_postings, [posting_row(posting) for posting in postings])
        self.insert_rows(ledger_legs, [row for posting in postings for row in leg_rows(posting)])

    def _settle(self, hold: Hold) -> None:
        changed = self._session.execute(
            update(ledger_holds)
            .where(ledger_holds.c.id == hold.id, ledger_holds.c.status == "pending")
            .values(status=hold.status.value, captured=hold.captured, settled_on=hold.settled_on)
        )
        if getattr(changed, "rowcount", 1) != 1:
            raise HoldNotPending(
                f"hold {hold.id} was settled meanwhile", field="hold_id", rule="CRD-3"
            )

    def insert_rows(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """One ``executemany`` of ``rows`` into ``table``."""
        if rows:
            self._session.execute(insert(table), list(rows))


def _by_id(row: dict[str, Any]) -> str:
    return str(row["id"])
