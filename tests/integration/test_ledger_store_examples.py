"""The SQL ledger behaves as the reference ledger, example by example, on both databases.

Earliest expiry first (OSR-21), expiry-day semantics (OSR-14), holds (CRD-3), tags
(CRD-6), reversals and statements of past days (X-4), exactly once (X-5).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from ledger_store_helpers import (
    BOOK,
    PUBLIC,
    Factory,
    balances,
    open_lot,
    post,
    stored_problems,
    usd,
)

from alliance.domain.calendar import expiry_end_of_month_after
from alliance.domain.clock import FixedClock
from alliance.domain.ledger import (
    AccountKind,
    BackdatedPosting,
    Book,
    Capture,
    HoldNotPending,
    HoldStatus,
    IdempotencyConflict,
    InsufficientBalance,
    NotReversible,
    OpenLot,
    Origin,
    PlaceHold,
    PostingKind,
    Redeem,
    Release,
    Reverse,
    UnknownHold,
    expiry_key,
)
from alliance.services.ports import Applied
from alliance.store.ledger import SqlLedger
from alliance.store.ledger_redemptions import BookState

REWARDS = Book("org_initech", "rewards", "USD")
DEC_2021 = date(2021, 12, 31)


def redeem(amount: str, key: str, book: Book = BOOK, **options: object) -> Redeem:
    return Redeem(key, book.owner, book.wallet, book.unit, usd(amount), **options)  # type: ignore[arg-type]


def hold(amount: str, key: str, book: Book = BOOK) -> PlaceHold:
    return PlaceHold(key, book.owner, book.wallet, book.unit, usd(amount))


def osr_rewards() -> list[OpenLot]:
    """December 2021 and March 2022 rewards, each valid 12 months (OSR-14)."""
    return [
        OpenLot(
            f"osr:{accrued:%Y-%m}:initech",
            REWARDS.owner,
            REWARDS.wallet,
            REWARDS.unit,
            usd(amount),
            accrued,
            expiry_end_of_month_after(accrued, 12),
            Origin("osr", f"accrual-run-{accrued:%Y-%m}"),
        )
        for accrued, amount in ((DEC_2021, "1000.00"), (date(2022, 3, 31), "600.00"))
    ]


@pytest.fixture
def funded(uow_factory: Factory, clock: FixedClock) -> tuple[str, str]:
    """500 USD of credits expiring in June, 300 USD expiring in December; the lot ids."""
    clock.set(date(2024, 3, 1))
    june, december = post(
        uow_factory,
        open_lot("a-jun", 500, expires_on=date(2024, 6, 30)),
        open_lot("a-dec", 300, expires_on=date(2024, 12, 31)),
    )
    assert june.lot_id and december.lot_id
    return june.lot_id, december.lot_id


def test_redemption_consumes_the_earliest_expiry_first(
    uow_factory: Factory, funded: tuple[str, str]
) -> None:
    """OSR-21: the June lot is emptied before the December lot is touched."""
    june, december = funded
    (posting,) = post(uow_factory, redeem("600.00", "invoice-1"))
    assert posting.lot_amounts(AccountKind.SPENT) == {june: usd(500), december: usd(100)}
    with uow_factory() as uow:
        assert [(lot.id, left) for lot, left in uow.ledger.open_lots(BOOK)] == [
            (december, usd(200))
        ]
    assert balances(uow_factory)[AccountKind.WALLET] == usd(200)
    assert stored_problems(uow_factory) == []


def test_a_redemption_beyond_the_balance_is_refused_and_moves_nothing(
    uow_factory: Factory, funded: tuple[str, str]
) -> None:
    with pytest.raises(InsufficientBalance) as refused, uow_factory() as uow:
        uow.ledger.execute(redeem("800.01", "too-much", rule="OSR-20"))
    assert refused.value.available == usd(800) and refused.value.rule == "OSR-20"
    assert balances(uow_factory)[AccountKind.WALLET] == usd(800)


def test_public_sector_lots_are_skipped_when_the_option_refuses_them(
    uow_factory: Factory, clock: FixedClock
) -> None:
    """CRD-6: a lot remembers its origin's tags, and a redemption can refuse them."""
    clock.set(date(2024, 3, 1))
    public, _ = post(
        uow_factory,
        open_lot("public", 400, expires_on=date(2024, 4, 30), origin=PUBLIC),
        open_lot("commercial", 100),
    )
    refused_tags = frozenset({"public_sector"})
    with pytest.raises(InsufficientBalance), uow_factory() as uow:
        uow.ledger.execute(redeem("150", "training", excluded_tags=refused_tags))
    (paid,) = post(uow_factory, redeem("100", "training", excluded_tags=refused_tags))
    assert public.lot_id not in paid.lot_amounts(AccountKind.SPENT)
    with uow_factory() as uow:
        assert uow.ledger.lot(public.lot_id or "").tags == refused_tags


def test_a_lot_is_redeemable_on_its_expiry_day_and_expired_the_next(
    uow_factory: Factory, clock: FixedClock
) -> None:
    """OSR-14 with the seed's dates: accrued end of December 2021, expired end of 2022."""
    clock.set(date(2022, 6, 1))
    post(uow_factory, *osr_rewards(), redeem("300", "support-1", REWARDS))

    with uow_factory() as uow:
        assert uow.ledger.expire(date(2022, 12, 31)) == []  # still redeemable on its last day
    clock.set(date(2023, 1, 1))
    with uow_factory() as uow:
        (expiry,) = uow.ledger.expire(date(2023, 1, 1))
        assert uow.ledger.expire(date(2023, 1, 1)) == []  # a rerun never expires twice
        uow.commit()
    assert expiry.kind is PostingKind.EXPIRE
    assert expiry.idempotency_key == expiry_key(expiry.lot_id or "")
    assert expiry.effective_on == date(2023, 1, 1)
    assert balances(uow_factory, REWARDS)[AccountKind.EXPIRED] == usd("700.00")
    assert balances(uow_factory, REWARDS)[AccountKind.WALLET] == usd("600.00")
    with pytest.raises(InsufficientBalance), uow_factory() as uow:
        uow.ledger.execute(redeem("600.01", "too-late", REWARDS))


def test_a_late_expiry_run_is_dated_on_the_first_expired_day(
    uow_factory: Factory, clock: FixedClock
) -> None:
    clock.set(date(2023, 2, 15))
    post(uow_factory, *osr_rewards())
    with uow_factory() as uow:
        (expiry,) = uow.ledger.expire(date(2023, 2, 15))
        uow.commit()
    assert expiry.effective_on == date(2023, 1, 1)
    assert expiry.recorded_at.date() == date(2023, 2, 15)


def test_hold_then_capture_in_part_releases_the_rest(
    uow_factory: Factory, funded: tuple[str, str]
) -> None:
    """CRD-3: held value is neither available nor spent until the request is delivered."""
    june, _ = funded
    (held,) = post(uow_factory, hold("200", "order-1"))
    assert held.hold_id is not None
    assert balances(uow_factory)[AccountKind.HELD] == usd(200)
    with uow_factory() as uow:
        assert uow.ledger.lot_balance(june, AccountKind.HELD) == usd(200)
        assert uow.ledger.lot_remaining(june) == usd(300)
        assert uow.ledger.lot_remaining(june, as_of=date(2024, 2, 29)) == usd(500)
        assert uow.ledger.lot_remaining(june, as_of=date(2023, 12, 31)) == usd(0)
        assert uow.ledger.lot_remaining(june, as_of=date(2024, 3, 1)) == usd(300)
    with pytest.raises(InsufficientBalance), uow_factory() as uow:
        uow.ledger.execute(redeem("600.01", "other-order"))

    (captured,) = post(uow_factory, Capture("order-1-delivered", held.hold_id, usd(150)))
    assert captured.lot_amounts(AccountKind.SPENT) == {june: usd(150)}
    assert balances(uow_factory) == {
        AccountKind.WALLET: usd(650),
        AccountKind.HELD: usd(0),
        AccountKind.SPENT: usd(150),
        AccountKind.EXPIRED: usd(0),
    }
    with uow_factory() as uow:
        settled = uow.ledger.hold(held.hold_id)
    assert (settled.status, settled.captured) == (HoldStatus.CAPTURED, usd(150))
    with pytest.raises(HoldNotPending), uow_factory() as uow:
        uow.ledger.execute(Release("order-1-cancelled", held.hold_id))
    assert stored_problems(uow_factory) == []


def test_a_pending_hold_protects_its_value_and_a_late_release_expires_it(
    uow_factory: Factory, funded: tuple[str, str], clock: FixedClock
) -> None:
    """CRD-3 and OSR-14: held value survives the expiry run; released after its lot
    expired, it goes straight to the expired account (no reactivation)."""
    june, _ = funded
    (held,) = post(uow_factory, hold("100", "order-2"))
    clock.set(date(2024, 7, 2))
    with uow_factory() as uow:
        (expiry,) = uow.ledger.expire(date(2024, 7, 2))
        uow.commit()
    assert expiry.lot_amounts(AccountKind.EXPIRED) == {june: usd(400)}
    (released,) = post(uow_factory, Release("order-2-cancelled", held.hold_id or ""))
    assert released.lot_amounts(AccountKind.EXPIRED) == {june: usd(100)}
    assert balances(uow_factory)[AccountKind.EXPIRED] == usd(500)
    assert stored_problems(uow_factory) == []


def test_an_unknown_hold_is_not_found(uow_factory: Factory) -> None:
    with pytest.raises(UnknownHold), uow_factory() as uow:
        uow.ledger.execute(Capture("c", "hld_nothing"))


def test_a_reversed_redemption_gives_the_value_back_to_its_lots(
    uow_factory: Factory, funded: tuple[str, str]
) -> None:
    """X-4: a correction is a new posting; the original stays."""
    (spent,) = post(uow_factory, redeem("600", "invoice-2"))
    (reversal,) = post(uow_factory, Reverse("invoice-2-void", spent.id))
    assert reversal.reverses == spent.id
    assert balances(uow_factory)[AccountKind.WALLET] == usd(800)
    with uow_factory() as uow:
        assert uow.ledger.posting(spent.id) == spent
        assert [p.kind for p in uow.ledger.postings()][-2:] == [
            PostingKind.REDEEM,
            PostingKind.REVERSE,
        ]
    with pytest.raises(NotReversible), uow_factory() as uow:
        uow.ledger.execute(Reverse("invoice-2-void-again", spent.id))


def test_an_accrual_already_spent_from_cannot_be_reversed(
    uow_factory: Factory, funded: tuple[str, str]
) -> None:
    post(uow_factory, redeem("10", "small"))
    with uow_factory() as uow:
        june_accrual = uow.ledger.posting_for_key("a-jun")
        assert june_accrual is not None
        with pytest.raises(NotReversible):
            uow.ledger.execute(Reverse("undo-june", june_accrual.id))
        untouched = uow.ledger.posting_for_key("a-dec")
        assert untouched is not None
        uow.ledger.execute(Reverse("undo-december", untouched.id))
        uow.commit()
    assert balances(uow_factory)[AccountKind.WALLET] == usd(490)


def test_history_is_not_rewritten_by_a_backdated_redemption(
    uow_factory: Factory, funded: tuple[str, str]
) -> None:
    """X-4: nothing is posted before the latest movement of the lots it touches."""
    post(uow_factory, redeem("10", "today", effective_on=date(2024, 3, 1)))
    with pytest.raises(BackdatedPosting), uow_factory() as uow:
        uow.ledger.execute(redeem("10", "yesterday", effective_on=date(2024, 2, 28)))


def test_statement_as_of_a_past_date(uow_factory: Factory, clock: FixedClock) -> None:
    """X-4: the statement of 30 June 2022 is the same before and after later movements."""
    clock.set(date(2022, 6, 15))
    post(uow_factory, *osr_rewards(), redeem("250", "support-1", REWARDS))
    with uow_factory() as uow:
        june = uow.ledger.statement(*_book(REWARDS), as_of=date(2022, 6, 30))

    clock.set(date(2022, 9, 1))
    post(uow_factory, redeem("100", "support-2", REWARDS))
    clock.set(date(2023, 1, 5))
    with uow_factory() as uow:
        uow.ledger.expire(date(2023, 1, 5))
        uow.commit()

    with uow_factory() as uow:
        assert uow.ledger.statement(*_book(REWARDS), as_of=date(2022, 6, 30)) == june
        now = uow.ledger.statement(*_book(REWARDS))
    assert (june.accrued, june.available, june.spent, june.expired) == (
        usd(1600),
        usd(1350),
        usd(250),
        usd(0),
    )
    assert (now.as_of, now.available, now.spent, now.expired) == (
        date(2023, 1, 5),
        usd(600),
        usd(350),
        usd(650),
    )
    assert now.reconciles and june.reconciles
    assert [line.kind for line in now.history] == [
        PostingKind.ACCRUE,
        PostingKind.ACCRUE,
        PostingKind.REDEEM,
        PostingKind.REDEEM,
        PostingKind.EXPIRE,
    ]


def test_a_replay_returns_the_first_posting_and_moves_nothing(
    uow_factory: Factory, funded: tuple[str, str], clock: FixedClock
) -> None:
    """X-5: the same key and request, even a day later, is the same movement."""
    (first,) = post(uow_factory, redeem("120", "invoice-3"))
    before = balances(uow_factory)
    clock.set(date(2024, 3, 2))
    with uow_factory() as uow:
        applied = uow.ledger.apply(redeem("120", "invoice-3", memo="retried"))
        uow.commit()
    assert applied == Applied(first, replayed=True)
    assert balances(uow_factory) == before
    with uow_factory() as uow:
        assert len(uow.ledger.postings()) == 3


def test_the_same_key_for_a_different_request_is_refused(
    uow_factory: Factory, funded: tuple[str, str]
) -> None:
    post(uow_factory, redeem("120", "invoice-4"))
    with pytest.raises(IdempotencyConflict) as refused, uow_factory() as uow:
        uow.ledger.execute(redeem("121", "invoice-4"))
    assert refused.value.rule == "X-5" and refused.value.field == "idempotency_key"
    assert balances(uow_factory)[AccountKind.SPENT] == usd(120)


def test_losing_the_race_for_a_key_is_a_replay(
    uow_factory: Factory, funded: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-5: when the unique key is taken between the look-up and the insert (another
    transaction won), nothing is inserted and the stored posting is returned."""
    (first,) = post(uow_factory, redeem("75", "invoice-5"))
    with uow_factory() as uow:
        ledger = uow.ledger
        assert isinstance(ledger, SqlLedger)
        real = ledger._redemptions.read_book

        def missing_the_key(*args: Any) -> BookState:  # the look-up misses the posting
            return replace(real(*args), request=None)

        monkeypatch.setattr(ledger._redemptions, "read_book", missing_the_key)
        applied = ledger.apply(redeem("75", "invoice-5"))
        assert applied == Applied(first, replayed=True)
        assert len(ledger.postings()) == 3  # and the unit of work is still usable
        uow.commit()
    assert balances(uow_factory)[AccountKind.SPENT] == usd(75)


def test_losing_the_race_for_a_key_to_another_request_is_refused(
    uow_factory: Factory, funded: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-5: the key taken meanwhile by a different request is a conflict, not a replay."""
    post(uow_factory, redeem("75", "invoice-6"))
    with uow_factory() as uow:
        ledger = uow.ledger
        assert isinstance(ledger, SqlLedger)
        real = ledger._redemptions.read_book
        monkeypatch.setattr(
            ledger._redemptions,
            "read_book",
            lambda *args: replace(real(*args), request=None),
        )
        with pytest.raises(IdempotencyConflict):
            ledger.apply(redeem("76", "invoice-6"))
    assert balances(uow_factory)[AccountKind.SPENT] == usd(75)


def _book(book: Book) -> tuple[str, str, str]:
    return book.owner, book.wallet, book.unit
