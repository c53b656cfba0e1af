"""A redemption in SQL with as few statements as it can take (issue 3, Performance).

:class:`alliance.store.ledger.SqlLedger` carries out every command with the same steps
(look up the key, lock, plan, check, insert); a ``Redeem`` — the busiest movement —
takes them here in fewer, hand-written statements (:mod:`alliance.store.ledger_driver`),
with the same outcome:

1. **lock** (PostgreSQL): ``SELECT … FOR UPDATE`` of the book's wallet account row,
   pipelined with the read of steps 2–3 (one round trip, two statements). A
   wallet without an account row has no lot, so the redemption is refused below
   whatever happens meanwhile. On SQLite ``BEGIN IMMEDIATE`` already holds the write
   lock. The key is looked up once, under the lock, where a concurrent twin that
   committed meanwhile is visible (READ COMMITTED takes a new snapshot per statement);
2. **look up the key** (X-5), in the same statement as whether the book's ``spent``
   account exists: a replay returns the first posting, another request under the same
   key is an :class:`~alliance.domain.ledger.IdempotencyConflict`;
3. **read** in one statement the book's open lots (wallet value left > 0) with their
   tags and, per lot and account of the book (source included), the sum of legs and
   the latest effective day — what planning and
   :func:`~alliance.store.ledger_checks.check_posting` need;
4. **plan** with :func:`~alliance.domain.ledger.plan_redeem` and **check** the posting
   against its lots, as :class:`SqlLedger` does;
5. **insert** the posting header with ``ON CONFLICT DO NOTHING`` — a header not
   inserted means a concurrent transaction took the key first (a replay, or a conflict)
   — and its legs in one multi-row statement. On SQLite the writes sit in a savepoint,
   so a refused leg leaves no header behind; on PostgreSQL a refused statement aborts
   the transaction, which then can only roll back (the constraints are a backstop for
   bugs: a planned posting never breaks them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.errors import Conflict, InvalidInput
from alliance.domain.ledger import (
    AccountKey,
    AccountKind,
    Balances,
    Book,
    Lot,
    LotRemaining,
    Origin,
    Posting,
    Redeem,
    plan_redeem,
    replay_of,
)
from alliance.domain.ledger.accounts import LOT_KINDS
from alliance.services.ports import Applied
from alliance.store.integrity import translate
from alliance.store.ledger_checks import check_posting
from alliance.store.ledger_driver import Conversions, DriverSql
from alliance.store.ledger_queries import LedgerQueries
from alliance.store.ledger_rows import account_id, account_row, in_unit
from alliance.store.ledger_tables import ledger_postings

#: Legs per INSERT statement (5 parameters each), well under both databases' limits.
LEGS_PER_STATEMENT = 200

LOCK_WALLET = "SELECT id FROM ledger_accounts WHERE id = ? FOR UPDATE"
_READ_BOOK = (
    "SELECT k.request, k.accounts, o.* FROM"
    " (SELECT (SELECT request FROM ledger_postings WHERE idempotency_key = ?) AS request,"
    " (SELECT COUNT(*) FROM ledger_accounts WHERE id = ?) AS accounts) k"
    " LEFT JOIN ("
    "SELECT l.id, l.owner, l.wallet, l.unit, l.amount, l.accrued_on, l.expires_on,"
    " l.program, l.source_event, {tags} AS tags, g.account_id,"
    " SUM(g.amount) AS total, MAX(p.effective_on) AS latest"
    " FROM ledger_legs g"
    " JOIN ledger_lots l ON l.id = g.lot_id"
    " JOIN ledger_postings p ON p.id = g.posting_id"
    " WHERE g.account_id IN (?, ?, ?, ?, ?)"
    " AND g.lot_id IN (SELECT w.lot_id FROM ledger_legs w WHERE w.account_id = ?"
    " GROUP BY w.lot_id HAVING SUM(w.amount) > 0)"
    " GROUP BY l.id, g.account_id"
    ") o ON TRUE"
)
#: One statement: the request posted under the key (if any), whether the ``spent``
#: account exists, and one row per open lot of the book (wallet value left > 0) and
#: account of the book with legs on it: the lot, its tags (a JSON array on SQLite, an
#: array on PostgreSQL), the sum of those legs and their latest effective day.
READ_BOOK = {
    "sqlite": _READ_BOOK.format(
        tags="(SELECT json_group_array(t.tag) FROM ledger_lot_tags t WHERE t.lot_id = l.id)"
    ),
    "postgresql": _READ_BOOK.format(
        tags="ARRAY(SELECT t.tag FROM ledger_lot_tags t WHERE t.lot_id = l.id)"
    ),
}
INSERT_ACCOUNT = (
    "INSERT INTO ledger_accounts (id, owner, wallet, unit, kind) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)
INSERT_POSTING = (
    "INSERT INTO ledger_postings"
    " (id, idempotency_key, request, kind, effective_on, recorded_at, memo)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)
_INSERT_LEGS = "INSERT INTO ledger_legs (posting_id, seq, account_id, lot_id, amount) VALUES "
#: PostgreSQL: the header and the legs in one statement; no header (its key was taken)
#: means no legs. The legs' foreign key sees the header inserted by the same statement
#: (and the book's ``spent`` account, inserted by it too on the book's first redemption:
#: a data-modifying ``WITH`` runs to completion, and the foreign keys are checked at the
#: end of the statement).
INSERT_POSTING_WITH_LEGS = (
    "WITH p AS (" + INSERT_POSTING + " RETURNING id)"
    " INSERT INTO ledger_legs (posting_id, seq, account_id, lot_id, amount)"
    " SELECT p.id, v.seq, v.account_id, v.lot_id, v.amount FROM p CROSS JOIN (VALUES {values})"
    " AS v (seq, account_id, lot_id, amount)"
)
_TYPED_LEG = "(CAST(? AS SMALLINT), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS NUMERIC))"
SAVEPOINT = "ledger_redemption"


@dataclass
class BookState:
    """What a redemption reads of its book, under the lock, in one statement."""

    request: str | None  # the fingerprint of the request already posted under the key
    spent_exists: bool
    open_lots: list[LotRemaining]
    balances: Balances


class Redemptions:
    """Carries out ``Redeem`` commands inside the caller's unit of work."""

    def __init__(self, session: Session, clock: Clock, read: LedgerQueries) -> None:
        self._session = session
        self._clock = clock
        self._read = read

    def apply(self, command: Redeem) -> Applied:
        sql = DriverSql(self._session)
        try:
            return self._apply(sql, command)
        finally:
            sql.close()

    def _apply(self, sql: DriverSql, command: Redeem) -> Applied:
        accounts = _book_accounts(Book(command.owner, command.wallet, command.unit))
        book = self.read_book(sql, command.idempotency_key, accounts)
        if book.request is not None:
            return self._replay(command)
        posting = plan_redeem(
            command,
            book.open_lots,
            effective_on=command.effective_on or self._clock.today(),
            recorded_at=self._clock.now(),
        )
        check_posting(posting, {lot.id: lot for lot, _ in book.open_lots}, book.balances)
        new_account = None if book.spent_exists else accounts.spent_key
        if not self._insert(sql, posting, new_account):
            return self._replay(command)  # a concurrent transaction took the key first
        return Applied(posting, replayed=False)

    def _replay(self, command: Redeem) -> Applied:
        existing = self._read.posting_for_key(command.idempotency_key)
        if existing is None:
            raise Conflict("another posting already has this id", field="id")
        return Applied(replay_of(command, existing) or existing, replayed=True)

    def read_book(self, sql: DriverSql, key: str, accounts: _BookAccounts) -> BookState:
        """The key's request, the spent account's existence, the open lots and the sums
        of their legs (see :data:`READ_BOOK`); on PostgreSQL, after the lock of the
        wallet row (:data:`LOCK_WALLET`), sent in the same round trip."""
        query = READ_BOOK["postgresql" if sql.is_postgresql else "sqlite"]
        params = (key, accounts.spent, *accounts.ids, accounts.wallet)
        if sql.is_postgresql:  # the lock, then the read, in one round trip
            rows = sql.rows_after(LOCK_WALLET, (accounts.wallet,), query, params)
        else:
            rows = sql.rows(query, params)
        convert = sql.convert
        lots: dict[str, Lot] = {}
        state = Balances()
        for row in rows:
            lot_id = row[2]
            if lot_id is None:  # the book has no open lot
                continue
            lot = lots.get(lot_id)
            if lot is None:
                tags = row[11]
                lot = lots[lot_id] = _lot(
                    convert, *row[2:11], tags if isinstance(tags, str) else tuple(tags or ())
                )
            account = accounts.keys[row[12]]
            amount = _amount(convert, row[13], lot.unit)
            state.accounts[account] += amount
            state.lots[(lot_id, account.kind)] += amount
            if account.kind in LOT_KINDS:
                state.latest[(account, lot_id)] = _day(convert, row[14])
        request, spent = rows[0][0], rows[0][1]
        open_lots = [(lots[lot_id], state.lot(lot_id)) for lot_id in sorted(lots)]
        return BookState(request, bool(spent), open_lots, state)

    def _insert(self, sql: DriverSql, posting: Posting, new_account: AccountKey | None) -> bool:
        """Insert ``posting`` (``new_account`` first); False if its key was taken."""
        header, legs = _parameters(sql, posting)
        account = None
        if new_account is not None:
            row = account_row(new_account)
            account = [row[c] for c in ("id", "owner", "wallet", "unit", "kind")]
        savepoint = not sql.is_postgresql
        try:
            if savepoint:
                sql.run(f"SAVEPOINT {SAVEPOINT}")
            inserted = self._insert_posting(sql, account, header, legs)
            if savepoint:
                sql.run(f"RELEASE {SAVEPOINT}")
        except IntegrityError as error:
            if savepoint:
                sql.run(f"ROLLBACK TO {SAVEPOINT}")
                sql.run(f"RELEASE {SAVEPOINT}")
            domain_error = translate(error, ledger_postings, "posting")
            if domain_error is None:
                raise
            raise domain_error from error
        return inserted

    def _insert_posting(
        self,
        sql: DriverSql,
        account: list[Any] | None,
        header: list[Any],
        legs: list[tuple[Any, ...]],
    ) -> bool:
        first, rest = legs[:LEGS_PER_STATEMENT], legs[LEGS_PER_STATEMENT:]
        if sql.is_postgresql:
            values = ", ".join([_TYPED_LEG] * len(first))
            statement = INSERT_POSTING_WITH_LEGS.format(values=values)
            params = header + [value for leg in first for value in leg[1:]]
            if account is not None:  # in the same statement: no round trip of its own
                statement = "WITH a AS (" + INSERT_ACCOUNT + "), " + statement[len("WITH ") :]
                params = account + params
            if sql.run(statement, params).rowcount == 0:
                return False
        else:
            if account is not None:
                sql.run(INSERT_ACCOUNT, account)
            if sql.run(INSERT_POSTING, header).rowcount != 1:
                return False
            rest = legs
        for start in range(0, len(rest), LEGS_PER_STATEMENT):
            chunk = rest[start : start + LEGS_PER_STATEMENT]
            values = ", ".join(["(?, ?, ?, ?, ?)"] * len(chunk))
            sql.run(_INSERT_LEGS + values, [value for leg in chunk for value in leg])
        return True


class _BookAccounts:
    """The ids of a book's five accounts, and which key each id names."""

    def __init__(self, book: Book) -> None:
        keys = [book.account(kind) for kind in _MEMBER_ORDER] + [book.source]
        self.keys: dict[str, AccountKey] = {account_id(key): key for key in keys}
        self.ids: tuple[str, ...] = tuple(self.keys)
        self.wallet = self.ids[0]
        self.spent_key = book.account(AccountKind.SPENT)
        self.spent = account_id(self.spent_key)


@lru_cache(maxsize=16_384)
def _book_accounts(book: Book) -> _BookAccounts:
    return _BookAccounts(book)


# A lot's row, an amount or a day read back is turned into its domain value once: the
# same stored values always give the same value (lots are never changed, X-4), so the
# conversions are cached by the raw values themselves — no lot is remembered by id.


@lru_cache(maxsize=16_384)
def _lot(
    convert: Conversions,
    lot_id: str,
    owner: str,
    wallet: str,
    unit: str,
    amount: Any,
    accrued_on: Any,
    expires_on: Any,
    program: str,
    source_event: str,
    tags: str | tuple[str, ...],
) -> Lot:
    return Lot(
        id=lot_id,
        owner=owner,
        wallet=wallet,
        unit=unit,
        amount=_amount(convert, amount, unit),
        accrued_on=_day(convert, accrued_on),
        expires_on=None if expires_on is None else _day(convert, expires_on),
        origin=Origin(
            program, source_event, frozenset(json.loads(tags) if isinstance(tags, str) else tags)
        ),
    )


@lru_cache(maxsize=65_536)
def _amount(convert: Conversions, stored: Any, unit: str) -> Decimal:
    return in_unit(convert.amount_out(stored), unit)


@lru_cache(maxsize=4_096)
def _day(convert: Conversions, stored: Any) -> date:
    return convert.day_out(stored)


_MEMBER_ORDER = (AccountKind.WALLET, AccountKind.HELD, AccountKind.SPENT, AccountKind.EXPIRED)


def _parameters(sql: DriverSql, posting: Posting) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The header's and the legs' parameters, converted by the columns' types before
    anything is written; a value a column refuses is :class:`InvalidInput`."""
    convert = sql.convert
    try:
        header = [
            posting.id,
            posting.idempotency_key,
            posting.request,
            posting.kind.value,
            convert.day_in(posting.effective_on),
            convert.instant_in(posting.recorded_at),
            posting.memo,
        ]
        legs = [
            (posting.id, seq, account_id(leg.account), leg.lot_id, convert.amount_in(leg.amount))
            for seq, leg in enumerate(posting.legs)
        ]
    except ValueError as error:
        raise InvalidInput(f"the posting has a value the store refuses: {error}") from error
    return header, legs
