"""Statements: what a member has in one wallet and unit, as of any day (CRD-5, OSR-17, X-4).

A statement is computed from the postings effective on or before ``as_of`` — never from
stored totals — so the statement of any past day can be reconstructed. Its totals
reconcile: ``accrued = available + held + spent + expired`` (accrued net of reversals).

``available`` counts only value that is redeemable on ``as_of``: the wallet value of a
lot that is past its expiry date but not yet swept by the expiry run counts as
``expired`` (and in ``awaiting_expiry``), so a statement does not depend on when the run
happened. A lot is still available on its ``expires_on`` day (OSR-14).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from alliance.domain.ledger.accounts import AccountKind, Book
from alliance.domain.ledger.balances import Balances
from alliance.domain.ledger.lots import Lot
from alliance.domain.ledger.postings import Posting, PostingKind
from alliance.domain.ledger.redemption import RedemptionOrder, sort_lots


@dataclass(frozen=True)
class LotLine:
    """One lot on a statement: what was accrued and where its value is now."""

    lot: Lot
    accrued: Decimal
    remaining: Decimal
    held: Decimal
    spent: Decimal
    expired: Decimal
    is_expired: bool

    @property
    def expires_on(self) -> date | None:
        return self.lot.expires_on

    @property
    def available(self) -> Decimal:
        """What can still be redeemed from the lot on the statement's day."""
        return Decimal(0) if self.is_expired else self.remaining


@dataclass(frozen=True)
class HistoryLine:
    """One posting on a statement, with the wallet and held balances after it."""

    posting_id: str
    effective_on: date
    kind: PostingKind
    memo: str
    wallet_change: Decimal
    held_change: Decimal
    wallet_after: Decimal
    held_after: Decimal


@dataclass(frozen=True)
class Statement:
    """``book`` as of ``as_of``: totals, lots in redemption order, and history."""

    book: Book
    as_of: date
    accrued: Decimal
    available: Decimal
    held: Decimal
    spent: Decimal
    expired: Decimal
    awaiting_expiry: Decimal
    lots: tuple[LotLine, ...]
    history: tuple[HistoryLine, ...]

    @property
    def reconciles(self) -> bool:
        return self.accrued == self.available + self.held + self.spent + self.expired

    def expiring_within(self, days: int) -> tuple[LotLine, ...]:
        """Lots with value still available that expire within ``days`` days of ``as_of``
        (``0``: expiring at the end of today)."""
        horizon = self.as_of + timedelta(days=days)
        return tuple(
            line
            for line in self.lots
            if line.available > 0 and line.expires_on is not None and line.expires_on <= horizon
        )

    def expiring_amount(self, days: int) -> Decimal:
        return sum((line.available for line in self.expiring_within(days)), Decimal(0))


def build_statement(
    book: Book, postings: Iterable[Posting], lots: Mapping[str, Lot], as_of: date
) -> Statement:
    """The statement of ``book`` on ``as_of``; ``postings`` in the order they were recorded."""
    mine = [p for p in postings if p.effective_on <= as_of and book in p.books()]
    mine.sort(key=lambda p: p.effective_on)  # stable: same-day postings keep their order
    balances = Balances.of(mine)
    lines = tuple(
        _lot_line(lot, balances, as_of)
        for lot in sort_lots(
            (lots[lot_id] for lot_id in {lot_id for p in mine for lot_id in p.lot_ids}),
            RedemptionOrder.EARLIEST_EXPIRY_FIRST,
        )
        if lot.book == book
    )
    awaiting = sum((line.remaining for line in lines if line.is_expired), Decimal(0))
    return Statement(
        book=book,
        as_of=as_of,
        accrued=sum((line.accrued for line in lines), Decimal(0)),
        available=sum((line.available for line in lines), Decimal(0)),
        held=balances.account(book.account(AccountKind.HELD)),
        spent=balances.account(book.account(AccountKind.SPENT)),
        expired=balances.account(book.account(AccountKind.EXPIRED)) + awaiting,
        awaiting_expiry=awaiting,
        lots=lines,
        history=tuple(_history(book, mine)),
    )


def _lot_line(lot: Lot, balances: Balances, as_of: date) -> LotLine:
    return LotLine(
        lot=lot,
        accrued=-balances.lot(lot.id, AccountKind.SOURCE),
        remaining=balances.lot(lot.id, AccountKind.WALLET),
        held=balances.lot(lot.id, AccountKind.HELD),
        spent=balances.lot(lot.id, AccountKind.SPENT),
        expired=balances.lot(lot.id, AccountKind.EXPIRED),
        is_expired=lot.is_expired_on(as_of),
    )


def _history(book: Book, postings: Iterable[Posting]) -> Iterable[HistoryLine]:
    wallet = held = Decimal(0)
    for posting in postings:
        wallet_change = posting.amount_on(AccountKind.WALLET, book)
        held_change = posting.amount_on(AccountKind.HELD, book)
        wallet, held = wallet + wallet_change, held + held_change
        yield HistoryLine(
            posting_id=posting.id,
            effective_on=posting.effective_on,
            kind=posting.kind,
            memo=posting.memo,
            wallet_change=wallet_change,
            held_change=held_change,
            wallet_after=wallet,
            held_after=held,
        )
