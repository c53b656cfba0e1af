"""Expiry (OSR-14) and statements as of any day (CRD-5, OSR-17, X-4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alliance.domain.calendar import expiry_end_of_month_after
from alliance.domain.clock import FixedClock
from alliance.domain.ledger import AccountKind, Book, Ledger, Origin, PostingKind, expiry_key

BOOK = Book("initech", "rewards", "USD")
DEC_2021 = date(2021, 12, 31)


def osr_ledger(clock: FixedClock) -> Ledger:
    """December 2021 and March 2022 rewards, each valid 12 months (OSR-14)."""
    ledger = Ledger(clock)
    for accrued, amount in ((DEC_2021, "1000.00"), (date(2022, 3, 31), "600.00")):
        ledger.accrue(
            "initech",
            "rewards",
            "USD",
            Decimal(amount),
            accrued_on=accrued,
            expires_on=expiry_end_of_month_after(accrued, 12),
            origin=Origin("osr", f"accrual-run-{accrued:%Y-%m}"),
            idempotency_key=f"osr:{accrued:%Y-%m}:initech",
        )
    return ledger


def test_rewards_accrued_at_the_end_of_december_2021_expire_at_the_end_of_december_2022() -> None:
    """OSR-14, with the seed's own dates."""
    clock = FixedClock(date(2022, 6, 1))
    ledger = osr_ledger(clock)
    ledger.redeem("initech", "rewards", "USD", Decimal("300"), idempotency_key="support-1")

    assert ledger.expire(date(2022, 12, 31)) == []  # still redeemable on its last day
    clock.set(date(2023, 1, 1))
    (expiry,) = ledger.expire(date(2023, 1, 1))

    assert expiry.kind is PostingKind.EXPIRE
    assert expiry.idempotency_key == expiry_key(expiry.lot_id or "")
    assert expiry.effective_on == date(2023, 1, 1)
    assert ledger.balance(BOOK.account(AccountKind.EXPIRED)) == Decimal("700.00")
    assert ledger.balance(BOOK.account(AccountKind.WALLET)) == Decimal("600.00")


def test_rerunning_the_expiry_never_expires_twice() -> None:
    clock = FixedClock(date(2023, 1, 2))
    ledger = osr_ledger(clock)
    first = ledger.expire(date(2023, 1, 2))
    assert len(first) == 1
    assert ledger.expire(date(2023, 1, 2)) == []
    assert ledger.expire(date(2023, 1, 3)) == []
    assert ledger.balance(BOOK.account(AccountKind.EXPIRED)) == Decimal("1000.00")


def test_a_late_expiry_run_is_dated_on_the_first_expired_day() -> None:
    clock = FixedClock(date(2023, 2, 15))
    ledger = osr_ledger(clock)
    (expiry,) = ledger.expire(date(2023, 2, 15))
    assert expiry.effective_on == date(2023, 1, 1)
    assert expiry.recorded_at.date() == date(2023, 2, 15)


def test_statement_as_of_a_past_date() -> None:
    """X-4: the statement of 30 June 2022 is the same before and after later movements."""
    clock = FixedClock(date(2022, 6, 15))
    ledger = osr_ledger(clock)
    ledger.redeem("initech", "rewards", "USD", Decimal("250"), idempotency_key="support-1")
    june = ledger.statement("initech", "rewards", "USD", as_of=date(2022, 6, 30))

    clock.set(date(2022, 9, 1))
    ledger.redeem("initech", "rewards", "USD", Decimal("100"), idempotency_key="support-2")
    clock.set(date(2023, 1, 5))
    ledger.expire(date(2023, 1, 5))

    assert ledger.statement("initech", "rewards", "USD", as_of=date(2022, 6, 30)) == june
    assert (june.accrued, june.available, june.spent, june.expired) == (
        Decimal("1600.00"),
        Decimal("1350.00"),
        Decimal("250"),
        Decimal(0),
    )
    before_march = ledger.statement("initech", "rewards", "USD", as_of=date(2022, 3, 30))
    assert before_march.available == Decimal("1000.00")
    now = ledger.statement("initech", "rewards", "USD", as_of=date(2023, 1, 5))
    assert (now.available, now.spent, now.expired) == (Decimal(600), Decimal(350), Decimal(650))
    assert now.reconciles and june.reconciles


def test_statement_lists_lots_in_redemption_order_with_what_remains() -> None:
    ledger = osr_ledger(FixedClock(date(2022, 6, 15)))
    ledger.redeem("initech", "rewards", "USD", Decimal("250"), idempotency_key="support-1")
    statement = ledger.statement("initech", "rewards", "USD")
    assert [(line.expires_on, line.remaining, line.spent) for line in statement.lots] == [
        (date(2022, 12, 31), Decimal(750), Decimal(250)),
        (date(2023, 3, 31), Decimal(600), 0),
    ]


def test_statement_shows_what_expires_soon() -> None:
    """OSR-17: customers see what is expiring."""
    statement = osr_ledger(FixedClock(date(2022, 12, 1))).statement("initech", "rewards", "USD")
    assert statement.expiring_amount(30) == Decimal("1000.00")
    assert statement.expiring_amount(29) == 0
    on_last_day = osr_ledger(FixedClock(date(2022, 12, 31))).statement("initech", "rewards", "USD")
    assert [line.lot.accrued_on for line in on_last_day.expiring_within(0)] == [DEC_2021]


def test_value_past_its_expiry_is_not_shown_available_before_the_run() -> None:
    statement = osr_ledger(FixedClock(date(2023, 1, 2))).statement("initech", "rewards", "USD")
    assert statement.available == Decimal("600.00")
    assert statement.expired == statement.awaiting_expiry == Decimal("1000.00")
    assert statement.reconciles


def test_history_shows_each_movement_with_the_running_balance() -> None:
    clock = FixedClock(date(2022, 6, 15))
    ledger = osr_ledger(clock)
    ledger.redeem("initech", "rewards", "USD", Decimal("250"), idempotency_key="support-1")
    hold = ledger.place_hold("initech", "rewards", "USD", Decimal("50"), idempotency_key="h")
    assert hold.hold_id is not None
    ledger.release(hold.hold_id, idempotency_key="h-cancelled")
    history = ledger.statement("initech", "rewards", "USD").history
    assert [
        (line.kind, line.wallet_change, line.wallet_after, line.held_after) for line in history
    ] == [
        (PostingKind.ACCRUE, Decimal(1000), Decimal(1000), 0),
        (PostingKind.ACCRUE, Decimal(600), Decimal(1600), 0),
        (PostingKind.REDEEM, Decimal(-250), Decimal(1350), 0),
        (PostingKind.HOLD, Decimal(-50), Decimal(1300), Decimal(50)),
        (PostingKind.RELEASE, Decimal(50), Decimal(1350), 0),
    ]


def test_a_statement_is_about_one_book_only() -> None:
    ledger = osr_ledger(FixedClock(date(2022, 6, 15)))
    ledger.accrue(
        "hooli",
        "rewards",
        "USD",
        Decimal("5"),
        accrued_on=date(2022, 6, 1),
        expires_on=None,
        origin=Origin("osr", "x"),
        idempotency_key="hooli-1",
    )
    assert ledger.statement("initech", "rewards", "USD").accrued == Decimal(1600)
    assert ledger.statement("hooli", "rewards", "USD").accrued == Decimal(5)
    assert ledger.statement("initech", "rewards", "EUR").accrued == 0
