"""What the SQL ledger reads: postings, lots, holds and sums of legs, as domain objects.

Every number is a sum of legs, as in :mod:`alliance.domain.ledger.balances`: a lot's
remaining value is the sum of the legs naming it on its owner's wallet account (found by
the index on ``(account_id, lot_id)``), and ``as_of`` keeps the legs of postings
effective by that day (X-4). Nothing here writes or locks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, and_, func, or_, select, true
from sqlalchemy.orm import Session

from alliance.domain.ledger import (
    MEMBER_KINDS,
    AccountKey,
    AccountKind,
    Balances,
    Book,
    Hold,
    Leg,
    Lot,
    LotRemaining,
    Posting,
)
from alliance.domain.ledger.accounts import LOT_KINDS
from alliance.services.ports import ExpiryCursor
from alliance.store.ledger_rows import (
    account_id,
    account_key,
    book_account_ids,
    hold_from,
    in_unit,
    lot_from,
    posting_from,
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

P, G, A = ledger_postings, ledger_legs, ledger_accounts
LOTS, TAGS = ledger_lots, ledger_lot_tags


class LedgerQueries:
    """Reads of the ledger tables inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- postings -------------------------------------------------------------------

    def postings(self, where: ColumnElement[bool] | None = None) -> list[Posting]:
        """The postings matching ``where`` (all, by default), in the order recorded."""
        query = (
            select(
                P.c.number,
                P.c.id,
                P.c.idempotency_key,
                P.c.request,
                P.c.kind,
                P.c.effective_on,
                P.c.recorded_at,
                P.c.memo,
                P.c.reverses,
                P.c.hold_id,
                P.c.lot_id,
                G.c.lot_id.label("leg_lot_id"),
                G.c.amount,
                G.c.account_id,
                A.c.owner,
                A.c.wallet,
                A.c.unit,
                A.c.kind.label("account_kind"),
            )
            .join(G, G.c.posting_id == P.c.id)
            .join(A, A.c.id == G.c.account_id)
            .where(where if where is not None else true())
            .order_by(P.c.number, G.c.seq)
        )
        grouped: dict[int, list[RowMapping]] = defaultdict(list)
        for row in self._session.execute(query).mappings():
            grouped[row["number"]].append(row)
        accounts: dict[str, AccountKey] = {}  # one key per account, however many legs
        return [
            posting_from(rows[0], tuple(_leg(row, accounts) for row in rows))
            for rows in grouped.values()
        ]

    def posting(self, posting_id: str) -> Posting | None:
        found = self.postings(P.c.id == posting_id)
        return found[0] if found else None

    def posting_for_key(self, idempotency_key: str) -> Posting | None:
        found = self.postings(P.c.idempotency_key == idempotency_key)
        return found[0] if found else None

    def existing_keys(self, keys: Collection[str]) -> dict[str, str]:
        """``{key: request fingerprint}`` of those of ``keys`` already posted."""
        if not keys:
            return {}
        query = select(P.c.idempotency_key, P.c.request).where(P.c.idempotency_key.in_(keys))
        return {key: request for key, request in self._session.execute(query)}

    def reversal_of(self, posting_id: str) -> str | None:
        query = select(P.c.id).where(P.c.reverses == posting_id)
        return self._session.execute(query).scalar_one_or_none()

    def book_postings(self, book: Book, as_of: date | None) -> list[Posting]:
        """The postings with a leg on one of ``book``'s accounts, effective by ``as_of``."""
        mine = book_account_ids(book, MEMBER_KINDS)  # not the source: every lot's counterpart
        touching = select(G.c.posting_id).where(G.c.account_id.in_(mine))
        where: ColumnElement[bool] = P.c.id.in_(touching)
        if as_of is not None:
            where = and_(where, P.c.effective_on <= as_of)
        return self.postings(where)

    # -- lots -----------------------------------------------------------------------

    def lots(self, lot_ids: Iterable[str] | None = None) -> dict[str, Lot]:
        """The lots named (every lot, by default), with their tags."""
        query, tags = select(LOTS), select(TAGS.c.lot_id, TAGS.c.tag)
        if lot_ids is not None:
            ids = sorted(set(lot_ids))
            if not ids:
                return {}
            query, tags = query.where(LOTS.c.id.in_(ids)), tags.where(TAGS.c.lot_id.in_(ids))
        return self._lots_with_tags(query.order_by(LOTS.c.id), tags)

    def open_lots(self, book: Book, as_of: date | None = None) -> list[LotRemaining]:
        """``book``'s lots with value left in its wallet (by ``as_of``), with that value."""
        wallet = account_id(book.account(AccountKind.WALLET))
        remaining = func.sum(G.c.amount)
        sums = select(G.c.lot_id, remaining.label("remaining")).where(G.c.account_id == wallet)
        if as_of is not None:
            sums = sums.join(P, P.c.id == G.c.posting_id).where(P.c.effective_on <= as_of)
        left = sums.group_by(G.c.lot_id).having(remaining > 0).subquery()
        query = select(LOTS, left.c.remaining).join(left, left.c.lot_id == LOTS.c.id)
        return self._with_remaining(query.order_by(LOTS.c.id))

    def expiry_candidates(
        self, as_of: date, *, limit: int, after: ExpiryCursor | None = None
    ) -> list[LotRemaining]:
        """Up to ``limit`` lots expired on ``as_of`` with wallet value left, by
        ``(expires_on, id)`` after ``after`` (OSR-14)."""
        remaining = func.sum(G.c.amount)
        query = (
            select(LOTS, remaining.label("remaining"))
            .join(G, and_(G.c.lot_id == LOTS.c.id, G.c.account_id == LOTS.c.account_id))
            .where(LOTS.c.expires_on < as_of)
        )
        if after is not None:
            last_day, last_id = after
            query = query.where(
                or_(
                    LOTS.c.expires_on > last_day,
                    and_(LOTS.c.expires_on == last_day, LOTS.c.id > last_id),
                )
            )
        query = (
            query.group_by(LOTS.c.id)
            .having(remaining > 0)
            .order_by(LOTS.c.expires_on, LOTS.c.id)
            .limit(limit)
        )
        return self._with_remaining(query)

    def lot_state(self, lots: Iterable[Lot]) -> Balances:
        """The sums of legs on ``lots`` (every account of their books, source included)
        and the latest day of a leg on each of their wallet and held accounts."""
        by_id = {lot.id: lot for lot in lots}
        state = Balances()
        if not by_id:
            return state
        accounts = {aid for lot in by_id.values() for aid in book_account_ids(lot.book)}
        query = (
            select(
                A.c.owner,
                A.c.wallet,
                A.c.unit,
                A.c.kind,
                G.c.lot_id,
                func.sum(G.c.amount).label("amount"),
                func.max(P.c.effective_on).label("latest"),
            )
            .join(G, G.c.account_id == A.c.id)
            .join(P, P.c.id == G.c.posting_id)
            .where(G.c.account_id.in_(sorted(accounts)), G.c.lot_id.in_(sorted(by_id)))
            .group_by(A.c.id, A.c.owner, A.c.wallet, A.c.unit, A.c.kind, G.c.lot_id)
        )
        for row in self._session.execute(query).mappings():
            account = account_key(row)
            amount = in_unit(row["amount"], account.unit)
            state.accounts[account] += amount
            state.lots[(row["lot_id"], account.kind)] += amount
            if account.kind in LOT_KINDS:
                state.latest[(account, row["lot_id"])] = row["latest"]
        return state

    # -- holds and balances ---------------------------------------------------------

    def holds(self, hold_ids: Sequence[str] | None = None) -> dict[str, Hold]:
        """The holds named (every hold, by default)."""
        query = select(ledger_holds).order_by(ledger_holds.c.id)
        parts = select(ledger_hold_lots).order_by(
            ledger_hold_lots.c.hold_id, ledger_hold_lots.c.seq
        )
        if hold_ids is not None:
            query = query.where(ledger_holds.c.id.in_(hold_ids))
            parts = parts.where(ledger_hold_lots.c.hold_id.in_(hold_ids))
        lots: dict[str, list[RowMapping]] = defaultdict(list)
        for part in self._session.execute(parts).mappings():
            lots[part["hold_id"]].append(part)
        return {
            row["id"]: hold_from(row, lots[row["id"]])
            for row in self._session.execute(query).mappings()
        }

    def hold(self, hold_id: str) -> Hold | None:
        return self.holds([hold_id]).get(hold_id)

    def balance(self, account: AccountKey, as_of: date | None = None) -> Decimal:
        query = select(func.sum(G.c.amount)).where(G.c.account_id == account_id(account))
        if as_of is not None:
            query = query.join(P, P.c.id == G.c.posting_id).where(P.c.effective_on <= as_of)
        total = self._session.execute(query).scalar_one()
        return in_unit(total if total is not None else Decimal(0), account.unit)

    # -- helpers --------------------------------------------------------------------

    def _tags(self, query: Select[Any]) -> dict[str, set[str]]:
        tags: dict[str, set[str]] = defaultdict(set)
        for lot_id, tag in self._session.execute(query):
            tags[lot_id].add(tag)
        return tags

    def _lots_with_tags(self, query: Select[Any], tags: Select[Any]) -> dict[str, Lot]:
        by_lot = self._tags(tags)
        return {
            row["id"]: lot_from(row, by_lot.get(row["id"], ()))
            for row in self._session.execute(query).mappings()
        }

    def _with_remaining(self, query: Select[Any]) -> list[LotRemaining]:
        rows = self._session.execute(query).mappings().all()
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        by_lot = self._tags(select(TAGS.c.lot_id, TAGS.c.tag).where(TAGS.c.lot_id.in_(ids)))
        return [
            (lot_from(row, by_lot.get(row["id"], ())), in_unit(row["remaining"], row["unit"]))
            for row in rows
        ]


def _leg(row: RowMapping, accounts: dict[str, AccountKey]) -> Leg:
    account = accounts.get(row["account_id"])
    if account is None:
        account = accounts[row["account_id"]] = AccountKey(
            row["owner"], row["wallet"], row["unit"], AccountKind(row["account_kind"])
        )
    return Leg(account, in_unit(row["amount"], account.unit), row["leg_lot_id"])
