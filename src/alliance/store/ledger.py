"""The ledger in SQL: the reference :class:`~alliance.domain.ledger.Ledger`'s behaviour,
inside the caller's unit of work.

Every movement follows the same steps, in one transaction (X-5, STYLE: "lock, check,
then post"):

1. **look up the key** — a posting already made under the idempotency key is returned
   if the request is the same (a replay moves nothing), refused with
   :class:`~alliance.domain.ledger.IdempotencyConflict` if it differs;
2. **lock** the wallet account row of every book the posting touches (PostgreSQL; on
   SQLite ``BEGIN IMMEDIATE`` already serialises writers) and, on PostgreSQL, look up
   the key again: a concurrent request that committed meanwhile is now visible;
3. **plan** with the domain's pure planners on state read under the lock;
4. **check** the posting against the lots it touches (:mod:`ledger_checks`);
5. **insert** in a savepoint. Should a concurrent transaction still have won the race
   for the same key (a unique violation), the savepoint is rolled back and the stored
   posting returned as a replay: nothing is ever counted twice.

A ``Redeem``, the busiest movement, takes the same steps in fewer statements, written
by hand and run on the driver connection: :mod:`alliance.store.ledger_redemptions`.

Reads (``balance``, ``open_lots``, ``statement``…) sum legs, as the reference does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.errors import Conflict
from alliance.domain.ledger import (
    AccountKey,
    AccountKind,
    Balances,
    Book,
    Capture,
    Command,
    Hold,
    LedgerCorrupted,
    Lot,
    LotRemaining,
    OpenLot,
    PlaceHold,
    Posting,
    Redeem,
    Release,
    Reverse,
    Statement,
    UnknownHold,
    UnknownLot,
    UnknownPosting,
    build_statement,
    plan_accrual,
    plan_capture,
    plan_expiry,
    plan_hold,
    plan_redeem,
    plan_release,
    plan_reversal,
    replay_of,
)
from alliance.services.ports import Applied, BulkOutcome, ExpiryBatch, ExpiryCursor
from alliance.store.integrity import guarded
from alliance.store.ledger_bulk import accrue_many
from alliance.store.ledger_checks import check_posting
from alliance.store.ledger_commands import LedgerCommands
from alliance.store.ledger_queries import LedgerQueries
from alliance.store.ledger_redemptions import Redemptions
from alliance.store.ledger_tables import ledger_postings
from alliance.store.ledger_writes import LedgerWrites

#: How many lots one expiry batch closes at most.
EXPIRY_BATCH = 1_000


@dataclass(frozen=True)
class _Plan:
    posting: Posting
    lots: Mapping[str, Lot]
    lot: Lot | None = None
    new_hold: Hold | None = None
    settled_hold: Hold | None = None


class SqlLedger(LedgerCommands):
    """:class:`alliance.services.ports.LedgerRepository` over the ledger tables."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock
        self._read = LedgerQueries(session)
        self._write = LedgerWrites(session)
        self._redemptions = Redemptions(session, clock, self._read)

    # -- reading ----------------------------------------------------------------------

    def postings(self) -> list[Posting]:
        """Every posting, in the order recorded (for audits and invariant checks)."""
        return self._read.postings()

    def lots(self) -> dict[str, Lot]:
        return self._read.lots()

    def holds(self) -> dict[str, Hold]:
        return self._read.holds()

    def posting(self, posting_id: str) -> Posting:
        found = self._read.posting(posting_id)
        if found is None:
            raise UnknownPosting(f"no posting {posting_id}", field="posting_id")
        return found

    def posting_for_key(self, idempotency_key: str) -> Posting | None:
        return self._read.posting_for_key(idempotency_key)

    def lot(self, lot_id: str) -> Lot:
        found = self._read.lots([lot_id]).get(lot_id)
        if found is None:
            raise UnknownLot(f"no lot {lot_id}", field="lot_id")
        return found

    def hold(self, hold_id: str) -> Hold:
        found = self._read.hold(hold_id)
        if found is None:
            raise UnknownHold(f"no hold {hold_id}", field="hold_id", rule="CRD-3")
        return found

    def reversal_of(self, posting_id: str) -> str | None:
        return self._read.reversal_of(posting_id)

    def balance(self, account: AccountKey, as_of: date | None = None) -> Decimal:
        """The sum of the legs on ``account`` (effective by ``as_of``, if given)."""
        return self._read.balance(account, as_of)

    def lot_remaining(self, lot_id: str, as_of: date | None = None) -> Decimal:
        return self.lot_balance(lot_id, AccountKind.WALLET, as_of)

    def lot_balance(self, lot_id: str, kind: AccountKind, as_of: date | None = None) -> Decimal:
        """The lot's share of its owner's ``kind`` account (effective by ``as_of``)."""
        lot = self.lot(lot_id)
        if as_of is None:
            return self._read.lot_state([lot]).lot(lot_id, kind)
        return Balances.of(self._read.book_postings(lot.book, as_of)).lot(lot_id, kind)

    def open_lots(self, book: Book, as_of: date | None = None) -> list[LotRemaining]:
        """The lots of ``book`` with value left in the wallet, with that value."""
        return self._read.open_lots(book, as_of)

    def statement(self, owner: str, wallet: str, unit: str, as_of: date | None = None) -> Statement:
        """The statement of the book on ``as_of`` (default: today) (CRD-5, OSR-17, X-4)."""
        day = self._clock.today() if as_of is None else as_of
        book = Book(owner, wallet, unit)
        postings = self._read.book_postings(book, day)
        lots = self._read.lots(lot_id for posting in postings for lot_id in posting.lot_ids)
        return build_statement(book, postings, lots, day)

    # -- moving value -----------------------------------------------------------------

    def execute(self, command: Command) -> Posting:
        """Carry out ``command`` once; a replay returns the first posting (X-5)."""
        return self.apply(command).posting

    def apply(self, command: Command) -> Applied:
        """Carry out ``command`` once, and say whether it had been already."""
        if isinstance(command, Redeem):  # the busiest movement: see ledger_redemptions
            return self._redemptions.apply(command)
        replayed = replay_of(command, self._read.posting_for_key(command.idempotency_key))
        if replayed is not None:
            return Applied(replayed, replayed=True)
        self._write.lock_books(self._books_of(command))
        if self._write.takes_row_locks:
            replayed = replay_of(command, self._read.posting_for_key(command.idempotency_key))
            if replayed is not None:
                return Applied(replayed, replayed=True)
        plan = self._plan(command)
        if plan.lot is None:  # a new lot has no history to check against
            touched = [plan.lots[lot_id] for lot_id in plan.posting.lot_ids if lot_id in plan.lots]
            check_posting(plan.posting, plan.lots, self._read.lot_state(touched))
        try:
            with guarded(self._session, ledger_postings, "posting"):
                self._write.record(
                    plan.posting,
                    lot=plan.lot,
                    new_hold=plan.new_hold,
                    settled_hold=plan.settled_hold,
                )
        except Conflict:
            existing = self._read.posting_for_key(command.idempotency_key)
            if existing is None:
                raise
            return Applied(_replay(command, existing), replayed=True)
        return Applied(plan.posting, replayed=False)

    def accrue_many(
        self,
        commands: Iterable[OpenLot],
        *,
        batch_size: int = 5_000,
        progress: Callable[[int], None] | None = None,
    ) -> BulkOutcome:
        """Open many lots (a month's accruals) in set-based batches; keys already posted
        are skipped, a key reused for another request refused (X-5); see
        :mod:`alliance.store.ledger_bulk`. ``progress`` hears how many commands each
        batch handled."""
        return accrue_many(
            self._session, self._clock, commands, batch_size=batch_size, progress=progress
        )

    def expire(self, as_of: date) -> list[Posting]:
        """Expire every lot past its expiry date on ``as_of`` (OSR-14), one posting per
        lot keyed ``expire:{lot_id}``; returns the postings made (a rerun makes none)."""
        made: list[Posting] = []
        cursor: ExpiryCursor | None = None
        while True:
            batch = self.expire_batch(as_of, after=cursor)
            made += batch.postings
            if batch.done:
                return made
            cursor = batch.cursor

    def expire_batch(
        self, as_of: date, *, limit: int = EXPIRY_BATCH, after: ExpiryCursor | None = None
    ) -> ExpiryBatch:
        """Expire up to ``limit`` lots, in ``(expires_on, id)`` order after ``after``."""
        candidates = self._read.expiry_candidates(as_of, limit=limit, after=after)
        if not candidates:
            return ExpiryBatch([], after, done=True)
        last = candidates[-1][0]
        cursor = (last.expires_on or as_of, last.id)  # every candidate has an expiry date
        lots = {lot.id: lot for lot, _ in candidates}
        self._write.lock_books({lot.book for lot in lots.values()})
        state = self._read.lot_state(lots.values())  # re-read under the lock
        postings = plan_expiry(
            [(lot, state.lot(lot.id)) for lot in lots.values()],
            as_of,
            recorded_at=self._clock.now(),
        )
        already = self._read.existing_keys([posting.idempotency_key for posting in postings])
        if already:
            lot_id = next(p.lot_id for p in postings if p.idempotency_key in already)
            raise LedgerCorrupted(f"lot {lot_id} has value after its expiry")
        for posting in postings:
            check_posting(posting, lots, state)
        self._write.ensure_accounts(leg.account for p in postings for leg in p.legs)
        with guarded(self._session, ledger_postings, "expiry posting"):
            self._write.record_many(postings)
        return ExpiryBatch(postings, cursor, done=len(candidates) < limit)

    # -- planning ---------------------------------------------------------------------

    def _books_of(self, command: Command) -> list[Book]:
        match command:
            case OpenLot() | Redeem() | PlaceHold():
                return [Book(command.owner, command.wallet, command.unit)]
            case Capture() | Release():
                return [self.hold(command.hold_id).book]
            case Reverse():
                return sorted(self.posting(command.posting_id).books())
            case _:
                raise TypeError(f"the ledger cannot carry out a {type(command).__name__}")

    def _plan(self, command: Command) -> _Plan:
        now, today = self._clock.now(), self._clock.today()
        on = getattr(command, "effective_on", None) or today
        match command:
            case OpenLot():
                lot, posting = plan_accrual(command, recorded_at=now)
                return _Plan(posting, {lot.id: lot}, lot=lot)
            case Redeem():
                open_lots = self.open_lots(Book(command.owner, command.wallet, command.unit))
                posting = plan_redeem(command, open_lots, effective_on=on, recorded_at=now)
                return _Plan(posting, {lot.id: lot for lot, _ in open_lots})
            case PlaceHold():
                open_lots = self.open_lots(Book(command.owner, command.wallet, command.unit))
                hold, posting = plan_hold(command, open_lots, effective_on=on, recorded_at=now)
                return _Plan(posting, {lot.id: lot for lot, _ in open_lots}, new_hold=hold)
            case Capture():
                held, lots = self._hold_and_lots(command.hold_id)
                hold, posting = plan_capture(command, held, lots, effective_on=on, recorded_at=now)
                return _Plan(posting, lots, settled_hold=hold)
            case Release():
                held, lots = self._hold_and_lots(command.hold_id)
                hold, posting = plan_release(command, held, lots, effective_on=on, recorded_at=now)
                return _Plan(posting, lots, settled_hold=hold)
            case Reverse():
                return self._plan_reversal(command, on)
            case _:
                raise TypeError(f"the ledger cannot carry out a {type(command).__name__}")

    def _hold_and_lots(self, hold_id: str) -> tuple[Hold, dict[str, Lot]]:
        """The hold, read again under the lock, and the lots it reserved."""
        held = self.hold(hold_id)
        return held, self._read.lots(lot_id for lot_id, _ in held.lots)

    def _plan_reversal(self, command: Reverse, on: date) -> _Plan:
        original = self.posting(command.posting_id)
        lots = self._read.lots(original.lot_ids)
        state = self._read.lot_state(lots.values())
        posting = plan_reversal(
            command,
            original,
            lots,
            {lot_id: state.lot(lot_id) for lot_id in original.lot_ids},
            already_reversed=self._read.reversal_of(original.id) is not None,
            effective_on=on,
            recorded_at=self._clock.now(),
        )
        return _Plan(posting, lots)


def _replay(command: Command, existing: Posting) -> Posting:
    """``existing``, if ``command`` is the same request; IdempotencyConflict if not."""
    return replay_of(command, existing) or existing
