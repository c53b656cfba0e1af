"""The SQL ledger and the in-memory reference, driven side by side (SQLite).

Hypothesis draws random sequences of accruals, redemptions, holds, captures, releases,
reversals, expiry runs, clock jumps to the edge of an expiry (OSR-14), replays (X-5)
and keys reused for other requests. Each command goes to both ledgers; both must
answer the same posting or refuse with the same error. After every step the stored
postings, lots and holds equal the reference's, balances and open lots agree, the
statements of today and of a past day are equal (X-4), and the invariants of
:mod:`alliance.domain.ledger.invariants` hold over what the database stores.

Each example gets a fresh SQLite file, its schema made by ``metadata.create_all``.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any, cast

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
)

from alliance.domain.clock import FixedClock
from alliance.domain.errors import AllianceError
from alliance.domain.ledger import (
    MEMBER_KINDS,
    PUBLIC_SECTOR,
    AccountKind,
    Book,
    Capture,
    Command,
    Ledger,
    Lot,
    OpenLot,
    Origin,
    PlaceHold,
    Posting,
    PostingKind,
    Redeem,
    Release,
    Reverse,
    Unit,
    invariant_problems,
)
from alliance.store.database import create_engine_for, session_factory
from alliance.store.tables import metadata
from alliance.store.unit_of_work import SqlUnitOfWork

OWNERS = ("org_acme", "org_globex")
UNITS = ("USD", "POINTS")
WALLET = "credits"
BOOKS = [Book(owner, WALLET, unit) for owner in OWNERS for unit in UNITS]
TAGS = st.frozensets(st.sampled_from([PUBLIC_SECTOR, "promo"]), max_size=2)
START = date(2024, 1, 1)


def amount_in(unit: str, steps: int) -> Decimal:
    return Decimal(steps).scaleb(-Unit.of(unit).places)


def share_of(total: Decimal, unit: str, percent: int) -> Decimal:
    quantum = Decimal(1).scaleb(-Unit.of(unit).places)
    return max(quantum, (total * percent / 100).quantize(quantum, rounding=ROUND_DOWN))


class SqlLedgerAgainstReference(RuleBasedStateMachine):
    postings = Bundle("postings")
    holds = Bundle("holds")

    @initialize(target=postings)
    def open_both_ledgers(self) -> MultipleResults[Posting | None]:
        self.folder = Path(tempfile.mkdtemp(prefix="ledger-stateful-"))
        self.engine = create_engine_for(f"sqlite:///{self.folder / 'ledger.db'}")
        metadata.create_all(self.engine)
        self.sessions = session_factory(self.engine)
        self.clock = FixedClock(START)
        self.reference = Ledger(self.clock)
        self.done: list[Command] = []
        self.serial = 0
        return multiple(
            *(
                self.both(
                    OpenLot(
                        self.key("open"),
                        book.owner,
                        WALLET,
                        book.unit,
                        amount_in(book.unit, 10_000),
                        START,
                        START + timedelta(days=365),
                        Origin("opn", "enrolment"),
                        PostingKind.ALLOCATE,
                    )
                )
                for book in BOOKS
            )
        )

    def teardown(self) -> None:
        if hasattr(self, "engine"):
            self.engine.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, clock=self.clock)

    def key(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def both(self, command: Command) -> Posting | None:
        """Run ``command`` on both ledgers: the same posting, or the same refusal."""
        expected: Posting | None = None
        try:
            expected = self.reference.execute(command)
        except AllianceError as refusal:
            refused: type[AllianceError] | None = type(refusal)
        else:
            refused = None
        try:
            with self.uow() as uow:
                got = uow.ledger.execute(command)
                uow.commit()
        except AllianceError as refusal:
            assert type(refusal) is refused, f"SQL refused {refusal!r}, reference {refused}"
            return None
        assert refused is None, f"SQL posted what the reference refused ({refused})"
        assert got == expected
        self.done.append(command)
        return got

    def wallet(self, owner: str, unit: str) -> Decimal:
        return self.reference.balance(Book(owner, WALLET, unit).account(AccountKind.WALLET))

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
    ) -> Posting | None:
        accrued_on = self.clock.today() - timedelta(days=days_back)
        expires_on = None if validity is None else accrued_on + timedelta(days=validity)
        kind = PostingKind.ALLOCATE if steps % 2 else PostingKind.ACCRUE
        return self.both(
            OpenLot(
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
        )

    @rule(
        data=st.data(),
        count=st.integers(1, 4),
        replays=st.integers(0, 2),
    )
    def accrue_in_bulk(self, data: st.DataObject, count: int, replays: int) -> None:
        """The bulk path opens the same lots as the reference, one by one (X-5)."""
        today = self.clock.today()
        fresh = [
            OpenLot(
                self.key("bulk"),
                data.draw(st.sampled_from(OWNERS)),
                WALLET,
                unit := data.draw(st.sampled_from(UNITS)),
                amount_in(unit, data.draw(st.integers(1, 50_000))),
                today - timedelta(days=data.draw(st.integers(0, 15))),
                today + timedelta(days=data.draw(st.integers(0, 90))),
                Origin("osr", "bulk-run", data.draw(TAGS)),
            )
            for _ in range(count)
        ]
        again = [c for c in self.done if isinstance(c, OpenLot)][:replays]
        with self.uow() as uow:
            outcome = uow.ledger.accrue_many([*fresh, *again], batch_size=2)
            uow.commit()
        assert (outcome.posted, outcome.replayed) == (count, len(again))
        for command in fresh:
            self.reference.execute(command)
            self.done.append(command)

    @rule(
        target=postings,
        owner=st.sampled_from(OWNERS),
        unit=st.sampled_from(UNITS),
        percent=st.integers(1, 120),
        excluded=st.one_of(st.just(frozenset[str]()), TAGS),
        cut_off_back=st.one_of(st.none(), st.integers(0, 30)),
        days_back=st.sampled_from([0, 0, 0, 1, 3]),
    )
    def redeem(
        self,
        owner: str,
        unit: str,
        percent: int,
        excluded: frozenset[str],
        cut_off_back: int | None,
        days_back: int,
    ) -> Posting | None:
        today = self.clock.today()
        cut_off = None if cut_off_back is None else today - timedelta(cut_off_back)
        return self.both(
            Redeem(
                self.key("redeem"),
                owner,
                WALLET,
                unit,
                share_of(self.wallet(owner, unit), unit, percent),
                effective_on=today - timedelta(days_back) if days_back else None,
                excluded_tags=excluded,
                accrued_on_or_before=cut_off,
            )
        )

    @rule(
        target=holds,
        owner=st.sampled_from(OWNERS),
        unit=st.sampled_from(UNITS),
        percent=st.integers(1, 120),
    )
    def hold(self, owner: str, unit: str, percent: int) -> str | None:
        amount = share_of(self.wallet(owner, unit), unit, percent)
        posting = self.both(PlaceHold(self.key("hold"), owner, WALLET, unit, amount))
        return None if posting is None else posting.hold_id

    @rule(target=postings, hold_id=holds, percent=st.one_of(st.none(), st.integers(1, 110)))
    def capture(self, hold_id: str | None, percent: int | None) -> Posting | None:
        if hold_id is None:
            return None
        held = self.reference.hold(hold_id)
        amount = None if percent is None else share_of(held.amount, held.unit, percent)
        return self.both(Capture(self.key("capture"), hold_id, amount))

    @rule(target=postings, hold_id=holds)
    def release(self, hold_id: str | None) -> Posting | None:
        return None if hold_id is None else self.both(Release(self.key("release"), hold_id))

    @rule(original=postings)
    def reverse(self, original: Posting | None) -> None:
        if original is not None:
            self.both(Reverse(self.key("reverse"), original.id))

    @rule(days=st.integers(1, 45))
    def advance(self, days: int) -> None:
        self.clock.advance(days=days)
        self.expire()

    @rule(data=st.data(), day_after=st.booleans())
    def jump_to_the_edge_of_an_expiry(self, data: st.DataObject, day_after: bool) -> None:
        """The last redeemable day of a lot, or its first expired day (OSR-14)."""
        lots = self.expiring_lots()
        if not lots:
            return
        lot = data.draw(st.sampled_from(lots[:3]))
        self.clock.set((lot.expires_on or START) + timedelta(days=int(day_after)))
        self.expire()

    def expiring_lots(self) -> list[Lot]:
        today = self.clock.today()
        pending = {lot for h in self.reference.holds.values() if h.is_pending for lot, _ in h.lots}
        return sorted(
            (
                lot
                for lot in self.reference.lots.values()
                if lot.expires_on is not None
                and lot.expires_on >= today
                and self.reference.lot_remaining(lot.id)
                + self.reference.lot_balance(lot.id, AccountKind.HELD)
                > 0
            ),
            key=lambda lot: (lot.id not in pending, lot.id),
        )

    def expire(self) -> None:
        today = self.clock.today()
        expected = self.reference.expire(today)
        with self.uow() as uow:
            got = uow.ledger.expire(today)
            assert uow.ledger.expire(today) == []  # a rerun never expires twice
            uow.commit()
        assert got == expected

    @rule(data=st.data())
    def replay(self, data: st.DataObject) -> None:
        """X-5: the same key and request return the first posting and move nothing."""
        command = data.draw(st.sampled_from(self.done))
        first = self.reference.posting_for_key(command.idempotency_key)
        with self.uow() as uow:
            applied = uow.ledger.apply(command)
            uow.commit()
        assert applied.replayed and applied.posting == first
        assert self.reference.execute(command) == first

    @rule(data=st.data())
    def replay_with_a_different_request(self, data: st.DataObject) -> None:
        command = data.draw(st.sampled_from(self.done))
        amount = getattr(command, "amount", None)
        other: Command = (
            dataclasses.replace(cast(Any, command), amount=amount + 1)
            if amount is not None
            else Release(command.idempotency_key, "hld_someone_else")
        )
        assert self.both(other) is None

    # -- invariants ---------------------------------------------------------------

    @invariant()
    def the_database_holds_what_the_reference_holds(self) -> None:
        with self.uow() as uow:
            ledger = uow.ledger
            postings, lots, holds = ledger.postings(), ledger.lots(), ledger.holds()
            assert postings == list(self.reference.postings)
            assert lots == dict(self.reference.lots)
            assert holds == dict(self.reference.holds)
            assert invariant_problems(postings, lots, holds.values()) == []
            today = self.clock.today()
            past = max(START, today - timedelta(days=20))
            for book in BOOKS:
                for kind in MEMBER_KINDS:
                    account = book.account(kind)
                    assert ledger.balance(account) == self.reference.balance(account)
                wallet = book.account(AccountKind.WALLET)
                assert ledger.balance(wallet, past) == self.reference.balance(wallet, past)
                assert dict(_by_id(ledger.open_lots(book))) == dict(
                    _by_id(self.reference.open_lots(book))
                )
            for book in (BOOKS[0], BOOKS[-1]):  # both owners, both units
                for day in (today, past):
                    assert ledger.statement(book.owner, WALLET, book.unit, day) == (
                        self.reference.statement(book.owner, WALLET, book.unit, day)
                    )


def _by_id(lots: list[tuple[Lot, Decimal]]) -> list[tuple[str, tuple[Lot, Decimal]]]:
    return [(lot.id, (lot, remaining)) for lot, remaining in lots]


SqlLedgerAgainstReference.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSqlLedgerAgainstReference = SqlLedgerAgainstReference.TestCase
