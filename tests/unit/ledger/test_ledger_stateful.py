"""The ledger's invariants under random sequences of accruals, redemptions, holds,
captures, releases, expiries, reversals and replays (X-5, OSR-14, OSR-21, CRD-3).

After every step: every balance is the sum of its legs; each unit's balances sum to zero
(no value created or lost); no member account and no lot is below zero or above what was
accrued; held accounts equal the pending holds; statements reconcile. Each redemption
and hold is checked against an independent earliest-expiry-first oracle, and each
replay must return the first posting and change nothing.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any, cast

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from alliance.domain.clock import FixedClock
from alliance.domain.ledger import (
    MEMBER_KINDS,
    PUBLIC_SECTOR,
    AccountKey,
    AccountKind,
    Book,
    Capture,
    Command,
    HoldNotPending,
    IdempotencyConflict,
    InsufficientBalance,
    Ledger,
    Lot,
    NotReversible,
    OpenLot,
    Origin,
    PlaceHold,
    Posting,
    PostingKind,
    Redeem,
    Release,
    Reverse,
    Spend,
    Unit,
)

OWNERS = ("acme", "globex")
UNITS = ("USD", "POINTS")
WALLET = "credits"
TAGS = st.frozensets(st.sampled_from([PUBLIC_SECTOR, "promo"]), max_size=2)
EXCLUDED = st.one_of(st.just(frozenset[str]()), TAGS)
START = date(2024, 1, 1)


def amount_in(unit: str, steps: int) -> Decimal:
    """``steps`` of the unit's smallest amount: cents of USD, whole POINTS."""
    return Decimal(steps).scaleb(-Unit.of(unit).places)


def share_of(total: Decimal, unit: str, percent: int) -> Decimal:
    """``percent`` of ``total``, rounded down to the unit, at least its smallest amount."""
    quantum = Decimal(1).scaleb(-Unit.of(unit).places)
    return max(quantum, (total * percent / 100).quantize(quantum, rounding=ROUND_DOWN))


def usable(lot: Lot, command: Spend, on: date) -> bool:
    """The oracle's own reading of OSR-14, CRD-6 and OSR-23."""
    return (
        lot.accrued_on <= on
        and (lot.expires_on is None or on <= lot.expires_on)
        and not (lot.origin.tags & command.excluded_tags)
        and (command.accrued_on_or_before is None or lot.accrued_on <= command.accrued_on_or_before)
    )


def expected_consumption(
    lots: list[tuple[Lot, Decimal]], command: Spend, on: date
) -> dict[str, Decimal] | None:
    """Earliest expiry first, then accrual date, then id (OSR-21); None if too little."""
    eligible = sorted(
        ((lot, left) for lot, left in lots if usable(lot, command, on)),
        key=lambda item: (item[0].expires_on or date.max, item[0].accrued_on, item[0].id),
    )
    if sum((left for _, left in eligible), Decimal(0)) < command.amount:
        return None
    needed, taken = command.amount, {}
    for lot, left in eligible:
        if needed == 0:
            break
        taken[lot.id] = min(left, needed)
        needed -= taken[lot.id]
    return taken


class LedgerMachine(RuleBasedStateMachine):
    postings = Bundle("postings")
    holds = Bundle("holds")

    @initialize()
    def open_ledger(self) -> None:
        self.clock = FixedClock(START)
        self.ledger = Ledger(self.clock)
        self.done: list[Command] = []
        self.serial = 0
        for owner in OWNERS:  # every book starts with a lot, so spending is not all refusals
            for unit in UNITS:
                opening = OpenLot(
                    self.key("open"),
                    owner,
                    WALLET,
                    unit,
                    amount_in(unit, 10_000),
                    START,
                    START + timedelta(days=365),
                    Origin("opn", "enrolment"),
                    PostingKind.ALLOCATE,
                )
                self.ledger.execute(opening)
                self.done.append(opening)

    def key(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def snapshot(self) -> tuple[object, ...]:
        accounts = {leg.account for p in self.ledger.postings for leg in p.legs}
        return (
            self.ledger.postings,
            dict(self.ledger.lots),
            dict(self.ledger.holds),
            {account: self.ledger.balance(account) for account in accounts},
        )

    # -- rules --------------------------------------------------------------------

    @rule(
        target=postings,
        owner=st.sampled_from(OWNERS),
        unit=st.sampled_from(UNITS),
        steps=st.integers(1, 50_000),
        days_back=st.integers(0, 15),
        validity=st.one_of(st.none(), st.integers(0, 120)),
        tags=TAGS,
    )
    def accrue(
        self,
        owner: str,
        unit: str,
        steps: int,
        days_back: int,
        validity: int | None,
        tags: frozenset[str],
    ) -> Posting:
        accrued_on = self.clock.today() - timedelta(days=days_back)
        expires_on = None if validity is None else accrued_on + timedelta(days=validity)
        kind = PostingKind.ALLOCATE if steps % 2 else PostingKind.ACCRUE
        command = OpenLot(
            self.key("accrue"),
            owner,
            WALLET,
            unit,
            amount_in(unit, steps),
            accrued_on,
            expires_on,
            Origin("osr", "run", tags),
            kind,
        )
        posting = self.ledger.execute(command)
        self.done.append(command)
        return posting

    def part(self, owner: str, unit: str, percent: int) -> Decimal:
        """``percent`` of the book's wallet: over 100 % (or excluded lots) must be refused."""
        wallet = self.ledger.balance(AccountKey(owner, WALLET, unit, AccountKind.WALLET))
        return share_of(wallet, unit, percent)

    def spend(self, command: Redeem | PlaceHold, into: AccountKind) -> Posting | None:
        book = Book(command.owner, command.wallet, command.unit)
        today = self.clock.today()
        expected = expected_consumption(self.ledger.open_lots(book), command, today)
        try:
            posting = self.ledger.execute(command)
        except InsufficientBalance as refused:
            assert expected is None, f"refused although the oracle could pay: {refused}"
            assert refused.available < command.amount
            return None
        assert expected is not None, "paid although the eligible lots hold too little"
        assert posting.lot_amounts(into) == expected  # OSR-21, CRD-6, OSR-23, OSR-14
        self.done.append(command)
        return posting

    @rule(
        target=postings,
        owner=st.sampled_from(OWNERS),
        unit=st.sampled_from(UNITS),
        percent=st.integers(1, 120),
        excluded=EXCLUDED,
        cut_off_back=st.one_of(st.none(), st.integers(0, 30)),
    )
    def redeem(
        self,
        owner: str,
        unit: str,
        percent: int,
        excluded: frozenset[str],
        cut_off_back: int | None,
    ) -> Posting | None:
        cut_off = None if cut_off_back is None else self.clock.today() - timedelta(cut_off_back)
        command = Redeem(
            self.key("redeem"),
            owner,
            WALLET,
            unit,
            self.part(owner, unit, percent),
            excluded_tags=excluded,
            accrued_on_or_before=cut_off,
        )
        return self.spend(command, AccountKind.SPENT)

    @rule(
        target=holds,
        owner=st.sampled_from(OWNERS),
        unit=st.sampled_from(UNITS),
        percent=st.integers(1, 120),
        excluded=EXCLUDED,
    )
    def hold(self, owner: str, unit: str, percent: int, excluded: frozenset[str]) -> str | None:
        amount = self.part(owner, unit, percent)
        command = PlaceHold(self.key("hold"), owner, WALLET, unit, amount, excluded_tags=excluded)
        posting = self.spend(command, AccountKind.HELD)
        return None if posting is None else posting.hold_id

    @rule(target=postings, hold_id=holds, percent=st.one_of(st.none(), st.integers(1, 100)))
    def capture(self, hold_id: str | None, percent: int | None) -> Posting | None:
        if hold_id is None:
            return None
        hold = self.ledger.hold(hold_id)
        amount = None if percent is None else share_of(hold.amount, hold.unit, percent)
        command = Capture(self.key("capture"), hold_id, amount)
        try:
            posting = self.ledger.execute(command)
        except HoldNotPending:
            assert not hold.is_pending
            return None
        assert hold.is_pending
        assert posting.amount_on(AccountKind.SPENT) == (amount or hold.amount)
        assert posting.amount_on(AccountKind.HELD) == -hold.amount
        self.done.append(command)
        return posting

    @rule(target=postings, hold_id=holds)
    def release(self, hold_id: str | None) -> Posting | None:
        if hold_id is None:
            return None
        hold = self.ledger.hold(hold_id)
        command = Release(self.key("release"), hold_id)
        try:
            posting = self.ledger.execute(command)
        except HoldNotPending:
            assert not hold.is_pending
            return None
        # CRD-3: the value goes back to the very lots it came from
        back = defaultdict(Decimal, posting.lot_amounts(AccountKind.WALLET))
        for lot_id, amount in posting.lot_amounts(AccountKind.EXPIRED).items():
            back[lot_id] += amount
        assert dict(back) == dict(hold.lots)
        self.done.append(command)
        return posting

    @rule(days=st.integers(1, 45))
    def advance(self, days: int) -> None:
        self.clock.advance(days=days)
        self.expire()

    @precondition(lambda self: any(self.expiring_lots()))
    @rule(data=st.data(), day_after=st.booleans())
    def jump_to_the_edge_of_an_expiry(self, data: st.DataObject, day_after: bool) -> None:
        """Jump to a lot's last redeemable day, or to its first expired day (OSR-14);
        a held lot's expiry matters most, so those are picked from first."""
        pending = {lot for h in self.ledger.holds.values() if h.is_pending for lot, _ in h.lots}
        lots = sorted(self.expiring_lots(), key=lambda lot: (lot.id not in pending, lot.id))
        lot = data.draw(st.sampled_from(lots[:3]))
        assert lot.expires_on is not None
        self.clock.set(lot.expires_on + timedelta(days=int(day_after)))
        self.expire()

    def expiring_lots(self) -> list[Lot]:
        today = self.clock.today()
        return [
            lot
            for lot in self.ledger.lots.values()
            if lot.expires_on is not None
            and lot.expires_on >= today
            and self.ledger.lot_remaining(lot.id)
            + self.ledger.lot_balance(lot.id, AccountKind.HELD)
            > 0
        ]

    def expire(self) -> None:
        today = self.clock.today()
        made = self.ledger.expire(today)
        assert all(p.idempotency_key == f"expire:{p.lot_id}" for p in made)
        for lot in self.ledger.lots.values():
            if lot.expires_on is not None and lot.expires_on < today:
                assert self.ledger.lot_remaining(lot.id) == 0  # OSR-14
        assert self.ledger.expire(today) == []  # a rerun never expires twice

    @rule(original=postings)
    def reverse(self, original: Posting | None) -> None:
        if original is None:
            return
        lot_untouched = (
            original.lot_id is not None
            and self.ledger.lot_remaining(original.lot_id)
            == self.ledger.lot(original.lot_id).amount
        )
        reversible = self.ledger.reversal_of(original.id) is None and (
            original.kind in (PostingKind.REDEEM, PostingKind.CAPTURE)
            or (original.kind in (PostingKind.ACCRUE, PostingKind.ALLOCATE) and lot_untouched)
        )
        command = Reverse(self.key("reverse"), original.id)
        try:
            reversal = self.ledger.execute(command)
        except NotReversible:
            assert not reversible
            return
        assert reversible
        assert reversal.reverses == original.id
        self.done.append(command)

    @precondition(lambda self: bool(self.done))
    @rule(data=st.data())
    def replay(self, data: st.DataObject) -> None:
        """X-5: the same key and request return the first posting and move nothing."""
        command = data.draw(st.sampled_from(self.done))
        first = self.ledger.posting_for_key(command.idempotency_key)
        before = self.snapshot()
        assert self.ledger.execute(command) is first
        assert self.snapshot() == before

    @precondition(lambda self: bool(self.done))
    @rule(data=st.data())
    def replay_with_a_different_request(self, data: st.DataObject) -> None:
        command = data.draw(st.sampled_from(self.done))
        amount = getattr(command, "amount", None)
        other: Command = (
            dataclasses.replace(cast(Any, command), amount=amount + 1)
            if amount is not None
            else Release(command.idempotency_key, "hld_someone_else")
        )
        before = self.snapshot()
        try:
            self.ledger.execute(other)
        except IdempotencyConflict:
            pass
        else:
            raise AssertionError("a key was reused for a different request")
        assert self.snapshot() == before

    # -- invariants ---------------------------------------------------------------

    @invariant()
    def ledger_checks_itself(self) -> None:
        self.ledger.check_invariants()

    @invariant()
    def balances_are_sums_of_legs_and_no_value_is_created_or_lost(self) -> None:
        sums: defaultdict[AccountKey, Decimal] = defaultdict(Decimal)
        for posting in self.ledger.postings:
            for leg in posting.legs:
                sums[leg.account] += leg.amount
        per_unit: defaultdict[str, Decimal] = defaultdict(Decimal)
        for account, total in sums.items():
            assert self.ledger.balance(account) == total
            per_unit[account.unit] += total
            if account.kind in MEMBER_KINDS:
                assert total >= 0, f"{account} below zero"  # available never negative
        assert all(total == 0 for total in per_unit.values())

    @invariant()
    def lots_stay_between_zero_and_their_amount(self) -> None:
        for lot in self.ledger.lots.values():
            assert 0 <= self.ledger.lot_remaining(lot.id) <= lot.amount

    @invariant()
    def statements_reconcile(self) -> None:
        today = self.clock.today()
        for owner in OWNERS:
            for unit in UNITS:
                statement = self.ledger.statement(owner, WALLET, unit, as_of=today)
                book = statement.book
                assert statement.reconciles
                assert statement.available >= 0
                assert statement.available == sum(
                    (
                        self.ledger.lot_remaining(lot.id)
                        for lot in self.ledger.lots.values()
                        if lot.book == book and lot.is_redeemable_on(today)
                    ),
                    Decimal(0),
                )
                assert statement.held == sum(
                    (
                        h.amount
                        for h in self.ledger.holds.values()
                        if h.is_pending and h.book == book
                    ),
                    Decimal(0),
                )

    @invariant()
    def expired_lots_are_never_refilled(self) -> None:
        """OSR-14: no release or reversal puts value back into a lot past its expiry."""
        for posting in self.ledger.postings:
            for leg in posting.legs:
                if leg.account.kind is AccountKind.WALLET and leg.amount > 0 and leg.lot_id:
                    expires_on = self.ledger.lot(leg.lot_id).expires_on
                    assert expires_on is None or posting.effective_on <= expires_on

    @invariant()
    def keys_are_unique(self) -> None:
        keys = [p.idempotency_key for p in self.ledger.postings]
        assert len(keys) == len(set(keys))


LedgerMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedgerInvariants = LedgerMachine.TestCase
