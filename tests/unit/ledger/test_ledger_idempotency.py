"""Exactly once (X-5), and corrections by reversal, never by rewriting history (X-4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alliance.domain.clock import FixedClock
from alliance.domain.errors import Conflict
from alliance.domain.ledger import (
    AccountKey,
    AccountKind,
    BackdatedPosting,
    Book,
    IdempotencyConflict,
    Ledger,
    NotReversible,
    Origin,
    Posting,
)

BOOK = Book("globex", "rewards", "USD")
MONTHLY = Origin("osr", "accrual-run-2024-01")


def ledger_with_rewards(clock: FixedClock) -> tuple[Ledger, Posting]:
    ledger = Ledger(clock)
    accrual = ledger.accrue(
        "globex",
        "rewards",
        "USD",
        Decimal("1250.00"),
        accrued_on=date(2024, 1, 31),
        expires_on=date(2025, 1, 31),
        origin=MONTHLY,
        idempotency_key="osr:2024-01:globex",
    )
    return ledger, accrual


def state(ledger: Ledger) -> tuple[object, ...]:
    return (
        ledger.postings,
        dict(ledger.lots),
        dict(ledger.holds),
        tuple(ledger.balance(BOOK.account(kind)) for kind in AccountKind if kind != "source"),
        ledger.balance(AccountKey.source("rewards", "USD")),
    )


def test_replaying_a_key_moves_nothing() -> None:
    """X-5: a batch rerun or a client retry returns the first posting and moves nothing."""
    ledger, accrual = ledger_with_rewards(FixedClock(date(2024, 2, 3)))
    redemption = ledger.redeem(
        "globex",
        "rewards",
        "USD",
        Decimal("400"),
        idempotency_key="invoice-77",
        memo="support invoice 77",
    )
    before = state(ledger)

    again_accrual = ledger.accrue(
        "globex",
        "rewards",
        "USD",
        Decimal("1250"),
        accrued_on=date(2024, 1, 31),
        expires_on=date(2025, 1, 31),
        origin=MONTHLY,
        idempotency_key="osr:2024-01:globex",
    )
    again_redemption = ledger.redeem(
        "globex", "rewards", "USD", Decimal("400.00"), idempotency_key="invoice-77"
    )

    assert again_accrual is accrual
    assert again_redemption is redemption
    assert state(ledger) == before


def test_a_retry_on_a_later_day_is_still_a_replay() -> None:
    clock = FixedClock(date(2024, 2, 3))
    ledger, _ = ledger_with_rewards(clock)
    first = ledger.redeem("globex", "rewards", "USD", Decimal("400"), idempotency_key="inv-77")
    clock.advance(days=2)
    assert (
        ledger.redeem("globex", "rewards", "USD", Decimal("400"), idempotency_key="inv-77") is first
    )


def test_same_key_different_request_is_refused() -> None:
    ledger, _ = ledger_with_rewards(FixedClock(date(2024, 2, 3)))
    ledger.redeem("globex", "rewards", "USD", Decimal("400"), idempotency_key="invoice-77")
    before = state(ledger)
    with pytest.raises(IdempotencyConflict) as refused:
        ledger.redeem("globex", "rewards", "USD", Decimal("500"), idempotency_key="invoice-77")
    assert isinstance(refused.value, Conflict)
    assert (refused.value.code, refused.value.rule) == ("idempotency_conflict", "X-5")
    with pytest.raises(IdempotencyConflict):
        ledger.place_hold("globex", "rewards", "USD", Decimal("400"), idempotency_key="invoice-77")
    assert state(ledger) == before


def test_reversal_restores_balances() -> None:
    ledger, _ = ledger_with_rewards(FixedClock(date(2024, 2, 3)))
    before = ledger.statement("globex", "rewards", "USD")
    redemption = ledger.redeem("globex", "rewards", "USD", Decimal("400"), idempotency_key="inv")
    reversal = ledger.reverse(redemption.id, idempotency_key="inv-reversed")
    after = ledger.statement("globex", "rewards", "USD")
    assert reversal.reverses == redemption.id
    assert (after.available, after.spent) == (before.available, before.spent)
    assert len(ledger.postings) == 3  # nothing deleted
    assert ledger.reversal_of(redemption.id) == reversal.id


def test_a_reversed_accrual_leaves_nothing_to_redeem() -> None:
    ledger, accrual = ledger_with_rewards(FixedClock(date(2024, 2, 3)))
    ledger.reverse(accrual.id, idempotency_key="accrual-corrected")
    assert ledger.statement("globex", "rewards", "USD").accrued == 0
    assert ledger.balance(AccountKey.source("rewards", "USD")) == 0


def test_an_accrual_already_spent_from_cannot_be_reversed() -> None:
    ledger, accrual = ledger_with_rewards(FixedClock(date(2024, 2, 3)))
    ledger.redeem("globex", "rewards", "USD", Decimal("1"), idempotency_key="inv")
    with pytest.raises(NotReversible, match="reverse its redemptions first"):
        ledger.reverse(accrual.id, idempotency_key="accrual-corrected")


def test_a_posting_is_reversed_once() -> None:
    ledger, _ = ledger_with_rewards(FixedClock(date(2024, 2, 3)))
    redemption = ledger.redeem("globex", "rewards", "USD", Decimal("400"), idempotency_key="inv")
    ledger.reverse(redemption.id, idempotency_key="undo-1")
    with pytest.raises(NotReversible, match="already reversed"):
        ledger.reverse(redemption.id, idempotency_key="undo-2")


def test_expiry_is_final() -> None:
    """OSR-14: no extension, no reactivation."""
    clock = FixedClock(date(2025, 2, 1))
    ledger, _ = ledger_with_rewards(clock)
    (expiry,) = ledger.expire(date(2025, 2, 1))
    with pytest.raises(NotReversible) as refused:
        ledger.reverse(expiry.id, idempotency_key="reactivate")
    assert refused.value.rule == "OSR-14"


def test_a_reversed_redemption_of_an_expired_lot_stays_expired() -> None:
    """OSR-14: a refund after the lot's expiry goes to the expired account."""
    clock = FixedClock(date(2025, 1, 31))
    ledger, accrual = ledger_with_rewards(clock)
    redemption = ledger.redeem("globex", "rewards", "USD", Decimal("400"), idempotency_key="inv")
    clock.set(date(2025, 2, 1))
    reversal = ledger.reverse(redemption.id, idempotency_key="inv-refunded")
    assert reversal.lot_amounts(AccountKind.EXPIRED) == {accrual.lot_id: Decimal(400)}
    assert ledger.statement("globex", "rewards", "USD").available == 0


def test_history_is_not_rewritten_by_a_backdated_redemption() -> None:
    """X-4: a posting may not be effective before the lot's latest movement."""
    ledger, _ = ledger_with_rewards(FixedClock(date(2024, 3, 1)))
    ledger.redeem("globex", "rewards", "USD", Decimal("100"), idempotency_key="inv-1")
    with pytest.raises(BackdatedPosting) as refused:
        ledger.redeem(
            "globex",
            "rewards",
            "USD",
            Decimal("100"),
            idempotency_key="inv-0",
            effective_on=date(2024, 2, 15),
        )
    assert refused.value.rule == "X-4"
    assert len(ledger.postings) == 2


def test_a_reversal_cannot_take_effect_before_what_it_reverses() -> None:
    ledger, _ = ledger_with_rewards(FixedClock(date(2024, 3, 1)))
    redemption = ledger.redeem("globex", "rewards", "USD", Decimal("100"), idempotency_key="i")
    with pytest.raises(BackdatedPosting):
        ledger.reverse(redemption.id, idempotency_key="undo", effective_on=date(2024, 2, 1))
