"""The in-memory reference ledger: the model property tests and the store's tests trust.

It applies the pure planners of this package to state it keeps in memory: postings in
the order recorded, lots, holds, and running balances. Every method that moves value
takes an idempotency key (X-5): the same key with the same request returns the first
posting and changes nothing; with a different request it raises
:class:`IdempotencyConflict`. Before a posting is recorded the ledger refuses to rewrite
history (:meth:`Balances.check_not_backdated`, X-4) and, unless told otherwise, checks
every invariant of :mod:`invariants` on the state it would produce.

A storage-backed ledger does the same steps inside one locked transaction: look up the
key, load the book's lots with their remaining values, plan, check, insert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from alliance.domain.clock import Clock, SystemClock
from alliance.domain.ledger.accounts import AccountKey, AccountKind, Book
from alliance.domain.ledger.accrual import plan_accrual
from alliance.domain.ledger.balances import Balances
from alliance.domain.ledger.commands import (
    Capture,
    Command,
    OpenLot,
    PlaceHold,
    Redeem,
    Release,
    Reverse,
    replay_of,
)
from alliance.domain.ledger.errors import LedgerCorrupted, UnknownHold, UnknownLot, UnknownPosting
from alliance.domain.ledger.expiry import plan_expiry
from alliance.domain.ledger.holds import Hold, plan_capture, plan_hold, plan_release
from alliance.domain.ledger.invariants import invariant_problems
from alliance.domain.ledger.lots import Lot, LotRemaining, Origin
from alliance.domain.ledger.postings import Posting, PostingKind
from alliance.domain.ledger.redemption import RedemptionOrder, plan_redeem
from alliance.domain.ledger.reversals import plan_reversal
from alliance.domain.ledger.statement import Statement, build_statement


class Ledger:
    """Accounts per (owner, wallet, unit), balanced postings, lots, holds — in memory."""

    def __init__(self, clock: Clock | None = None, *, check_invariants: bool = True) -> None:
        self._clock: Clock = clock or SystemClock()
        self._check = check_invariants
        self._postings: list[Posting] = []
        self._by_key: dict[str, Posting] = {}
        self._by_id: dict[str, Posting] = {}
        self._lots: dict[str, Lot] = {}
        self._holds: dict[str, Hold] = {}
        self._reversed_by: dict[str, str] = {}
        self._balances = Balances()

    # -- reading ----------------------------------------------------------------------

    @property
    def postings(self) -> Sequence[Posting]:
        """Every posting, in the order recorded."""
        return tuple(self._postings)

    @property
    def lots(self) -> Mapping[str, Lot]:
        return MappingProxyType(self._lots)

    @property
    def holds(self) -> Mapping[str, Hold]:
        return MappingProxyType(self._holds)

    def posting(self, posting_id: str) -> Posting:
        if posting_id not in self._by_id:
            raise UnknownPosting(f"no posting {posting_id}", field="posting_id")
        return self._by_id[posting_id]

    def posting_for_key(self, idempotency_key: str) -> Posting | None:
        return self._by_key.get(idempotency_key)

    def lot(self, lot_id: str) -> Lot:
        if lot_id not in self._lots:
            raise UnknownLot(f"no lot {lot_id}", field="lot_id")
        return self._lots[lot_id]

    def hold(self, hold_id: str) -> Hold:
        if hold_id not in self._holds:
            raise UnknownHold(f"no hold {hold_id}", field="hold_id", rule="CRD-3")
        return self._holds[hold_id]

    def reversal_of(self, posting_id: str) -> str | None:
        """The id of the posting that reversed ``posting_id``, if any."""
        return self._reversed_by.get(posting_id)

    def balance(self, account: AccountKey, as_of: date | None = None) -> Decimal:
        """The sum of the legs on ``account`` (effective by ``as_of``, if given)."""
        return self._balances_as_of(as_of).account(account)

    def lot_remaining(self, lot_id: str, as_of: date | None = None) -> Decimal:
        """What is left of the lot in its wallet (effective by ``as_of``, if given)."""
        return self.lot_balance(lot_id, AccountKind.WALLET, as_of)

    def lot_balance(self, lot_id: str, kind: AccountKind, as_of: date | None = None) -> Decimal:
        """The lot's share of its owner's ``kind`` account: remaining, held, spent…"""
        return self._balances_as_of(as_of).lot(self.lot(lot_id).id, kind)

    def open_lots(self, book: Book, as_of: date | None = None) -> list[LotRemaining]:
        """The lots of ``book`` with value left in the wallet, with that value."""
        balances = self._balances_as_of(as_of)
        return [
            (lot, balances.lot(lot.id))
            for lot in self._lots.values()
            if lot.book == book and balances.lot(lot.id) > 0
        ]

    def statement(self, owner: str, wallet: str, unit: str, as_of: date | None = None) -> Statement:
        """The statement of the book on ``as_of`` (default: today) (CRD-5, OSR-17, X-4)."""
        day = self._clock.today() if as_of is None else as_of
        return build_statement(Book(owner, wallet, unit), self._postings, self._lots, day)

    def check_invariants(self) -> None:
        """Raise :class:`LedgerCorrupted` if any invariant fails on the current state."""
        problems = invariant_problems(
            self._postings, self._lots, self._holds.values(), self._balances
        )
        if problems:
            raise LedgerCorrupted("; ".join(problems))

    # -- moving value -----------------------------------------------------------------

    def accrue(
        self,
        owner: str,
        wallet: str,
        unit: str,
        amount: Decimal,
        *,
        accrued_on: date,
        expires_on: date | None,
        origin: Origin,
        idempotency_key: str,
        kind: PostingKind = PostingKind.ACCRUE,
        memo: str = "",
    ) -> Posting:
        """Open a lot of ``amount`` (OSR-12, RWD-4, PEX-4; ``ALLOCATE`` for CRD-1)."""
        return self.execute(
            OpenLot(
                idempotency_key=idempotency_key,
                owner=owner,
                wallet=wallet,
                unit=unit,
                amount=amount,
                accrued_on=accrued_on,
                expires_on=expires_on,
                origin=origin,
                kind=kind,
                memo=memo,
            )
        )

    def redeem(
        self,
        owner: str,
        wallet: str,
        unit: str,
        amount: Decimal,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        order: RedemptionOrder = RedemptionOrder.EARLIEST_EXPIRY_FIRST,
        excluded_tags: frozenset[str] = frozenset(),
        accrued_on_or_before: date | None = None,
        memo: str = "",
        rule: str | None = None,
    ) -> Posting:
        """Spend ``amount`` now, lots in ``order`` (OSR-21, CRD-6, OSR-23)."""
        return self.execute(
            Redeem(
                idempotency_key=idempotency_key,
                owner=owner,
                wallet=wallet,
                unit=unit,
                amount=amount,
                effective_on=effective_on,
                order=order,
                excluded_tags=frozenset(excluded_tags),
                accrued_on_or_before=accrued_on_or_before,
                memo=memo,
                rule=rule,
            )
        )

    def place_hold(
        self,
        owner: str,
        wallet: str,
        unit: str,
        amount: Decimal,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        order: RedemptionOrder = RedemptionOrder.EARLIEST_EXPIRY_FIRST,
        excluded_tags: frozenset[str] = frozenset(),
        accrued_on_or_before: date | None = None,
        memo: str = "",
        rule: str | None = None,
    ) -> Posting:
        """Reserve ``amount`` (CRD-3); the posting's ``hold_id`` names the hold."""
        return self.execute(
            PlaceHold(
                idempotency_key=idempotency_key,
                owner=owner,
                wallet=wallet,
                unit=unit,
                amount=amount,
                effective_on=effective_on,
                order=order,
                excluded_tags=frozenset(excluded_tags),
                accrued_on_or_before=accrued_on_or_before,
                memo=memo,
                rule=rule,
            )
        )

    def capture(
        self,
        hold_id: str,
        amount: Decimal | None = None,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        memo: str = "",
    ) -> Posting:
        """Spend a pending hold, all of it or ``amount`` (the rest released) (CRD-3)."""
        return self.execute(
            Capture(
                idempotency_key=idempotency_key,
                hold_id=hold_id,
                amount=amount,
                effective_on=effective_on,
                memo=memo,
            )
        )

    def release(
        self,
        hold_id: str,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        memo: str = "",
    ) -> Posting:
        """Cancel a pending hold; its value goes back to its lots (CRD-3)."""
        return self.execute(
            Release(
                idempotency_key=idempotency_key,
                hold_id=hold_id,
                effective_on=effective_on,
                memo=memo,
            )
        )

    def reverse(
        self,
        posting_id: str,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        memo: str = "",
    ) -> Posting:
        """Undo a posting by a new one (X-4); see :mod:`reversals` for what can be."""
        return self.execute(
            Reverse(
                idempotency_key=idempotency_key,
                posting_id=posting_id,
                effective_on=effective_on,
                memo=memo,
            )
        )

    def expire(self, as_of: date) -> list[Posting]:
        """Expire every lot past its expiry date on ``as_of`` (OSR-14), one posting per lot
        keyed ``expire:{lot_id}``; returns the postings this run made (a rerun makes none).
        """
        candidates = [(lot, self._balances.lot(lot.id)) for lot in self._lots.values()]
        made: list[Posting] = []
        for posting in plan_expiry(candidates, as_of, recorded_at=self._clock.now()):
            if posting.idempotency_key in self._by_key:  # value came back after its expiry
                raise LedgerCorrupted(f"lot {posting.lot_id} has value after its expiry")
            self._record(posting, lot=None, hold=None)
            made.append(posting)
        return made

    def execute(self, command: Command) -> Posting:
        """Carry out ``command`` once; a replay returns the first posting (X-5)."""
        replayed = replay_of(command, self._by_key.get(command.idempotency_key))
        if replayed is not None:
            return replayed
        now, today = self._clock.now(), self._clock.today()
        lot: Lot | None = None
        hold: Hold | None = None
        on = getattr(command, "effective_on", None) or today
        match command:
            case OpenLot():
                lot, posting = plan_accrual(command, recorded_at=now)
            case Redeem():
                lots = self._book_lots(command)
                posting = plan_redeem(command, lots, effective_on=on, recorded_at=now)
            case PlaceHold():
                lots = self._book_lots(command)
                hold, posting = plan_hold(command, lots, effective_on=on, recorded_at=now)
            case Capture():
                held = self.hold(command.hold_id)
                hold, posting = plan_capture(
                    command, held, self._lots, effective_on=on, recorded_at=now
                )
            case Release():
                held = self.hold(command.hold_id)
                hold, posting = plan_release(
                    command, held, self._lots, effective_on=on, recorded_at=now
                )
            case Reverse():
                posting = self._plan_reversal(command, on)
            case _:
                raise TypeError(f"the ledger cannot carry out a {type(command).__name__}")
        self._record(posting, lot=lot, hold=hold)
        return posting

    def _book_lots(self, command: Redeem | PlaceHold) -> list[LotRemaining]:
        return self.open_lots(Book(command.owner, command.wallet, command.unit))

    def _plan_reversal(self, command: Reverse, on: date) -> Posting:
        original = self.posting(command.posting_id)
        remaining = {lot_id: self._balances.lot(lot_id) for lot_id in original.lot_ids}
        return plan_reversal(
            command,
            original,
            self._lots,
            remaining,
            already_reversed=original.id in self._reversed_by,
            effective_on=on,
            recorded_at=self._clock.now(),
        )

    def _record(self, posting: Posting, *, lot: Lot | None, hold: Hold | None) -> None:
        self._balances.check_not_backdated(posting)
        lots = self._lots if lot is None else {**self._lots, lot.id: lot}
        holds = self._holds if hold is None else {**self._holds, hold.id: hold}
        if self._check:
            problems = invariant_problems([*self._postings, posting], lots, holds.values())
            if problems:
                raise LedgerCorrupted(
                    f"{posting.kind} {posting.id} refused: " + "; ".join(problems)
                )
        self._postings.append(posting)
        self._by_key[posting.idempotency_key] = posting
        self._by_id[posting.id] = posting
        self._lots, self._holds = dict(lots), dict(holds)
        if posting.reverses is not None:
            self._reversed_by[posting.reverses] = posting.id
        self._balances.apply(posting)

    def _balances_as_of(self, as_of: date | None) -> Balances:
        return self._balances if as_of is None else Balances.of(self._postings, as_of)
