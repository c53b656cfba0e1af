"""Holds reserve credits while a request is processed, then capture or release (CRD-3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alliance.domain.clock import FixedClock
from alliance.domain.ledger import (
    AccountKind,
    Book,
    CaptureExceedsHold,
    HoldNotPending,
    HoldStatus,
    InsufficientBalance,
    Ledger,
    Origin,
)

BOOK = Book("acme", "credits", "USD")
ENROLMENT = Origin("opn", "enrolment-2024", frozenset())


def funded_ledger(clock: FixedClock) -> tuple[Ledger, str, str]:
    """500 USD of credits expiring in June, 300 USD expiring in December."""
    ledger = Ledger(clock)
    june = ledger.accrue(
        "acme",
        "credits",
        "USD",
        Decimal("500"),
        accrued_on=date(2024, 1, 1),
        expires_on=date(2024, 6, 30),
        origin=ENROLMENT,
        idempotency_key="a-jun",
    )
    dec = ledger.accrue(
        "acme",
        "credits",
        "USD",
        Decimal("300"),
        accrued_on=date(2024, 1, 1),
        expires_on=date(2024, 12, 31),
        origin=ENROLMENT,
        idempotency_key="a-dec",
    )
    assert june.lot_id and dec.lot_id
    return ledger, june.lot_id, dec.lot_id


def usd(*amounts: int) -> tuple[Decimal, ...]:
    return tuple(Decimal(amount) for amount in amounts)


def balances(ledger: Ledger) -> tuple[Decimal, ...]:
    return tuple(
        ledger.balance(BOOK.account(kind))
        for kind in (AccountKind.WALLET, AccountKind.HELD, AccountKind.SPENT, AccountKind.EXPIRED)
    )


def test_hold_then_capture() -> None:
    """A credit manager orders a 600 USD option: held while delivered, then spent."""
    ledger, june, dec = funded_ledger(FixedClock(date(2024, 3, 1)))
    hold = ledger.place_hold("acme", "credits", "USD", Decimal("600"), idempotency_key="order-1")
    assert hold.hold_id is not None
    assert balances(ledger) == usd(200, 600, 0, 0)
    assert ledger.statement("acme", "credits", "USD").available == Decimal(200)
    assert ledger.hold(hold.hold_id).lots == ((june, Decimal(500)), (dec, Decimal(100)))

    ledger.capture(hold.hold_id, idempotency_key="order-1-delivered")

    assert balances(ledger) == usd(200, 0, 600, 0)
    assert ledger.hold(hold.hold_id).status is HoldStatus.CAPTURED
    assert ledger.hold(hold.hold_id).captured == Decimal(600)


def test_partial_capture_spends_the_earliest_lots_and_releases_the_rest() -> None:
    ledger, june, dec = funded_ledger(FixedClock(date(2024, 3, 1)))
    hold = ledger.place_hold("acme", "credits", "USD", Decimal("600"), idempotency_key="order-1")
    assert hold.hold_id is not None
    capture = ledger.capture(hold.hold_id, Decimal("450"), idempotency_key="order-1-delivered")
    assert capture.lot_amounts(AccountKind.SPENT) == {june: Decimal(450)}
    assert capture.lot_amounts(AccountKind.WALLET) == {june: Decimal(50), dec: Decimal(100)}
    assert balances(ledger) == usd(350, 0, 450, 0)


def test_hold_then_release_restores_the_same_lots() -> None:
    """CRD-3: a cancelled request gives back the very lots it reserved, with their expiry."""
    ledger, june, dec = funded_ledger(FixedClock(date(2024, 3, 1)))
    before = {lot_id: ledger.lot_remaining(lot_id) for lot_id in (june, dec)}
    hold = ledger.place_hold("acme", "credits", "USD", Decimal("600"), idempotency_key="order-1")
    assert hold.hold_id is not None
    assert ledger.lot_remaining(june) == 0

    ledger.release(hold.hold_id, idempotency_key="order-1-cancelled")

    assert {lot_id: ledger.lot_remaining(lot_id) for lot_id in (june, dec)} == before
    assert balances(ledger) == usd(800, 0, 0, 0)
    assert ledger.hold(hold.hold_id).status is HoldStatus.RELEASED


def test_a_pending_hold_protects_its_value_from_expiry() -> None:
    """The value reserved before the June lot expired can still be captured in July."""
    clock = FixedClock(date(2024, 6, 20))
    ledger, june, _ = funded_ledger(clock)
    hold = ledger.place_hold("acme", "credits", "USD", Decimal("400"), idempotency_key="order-1")
    assert hold.hold_id is not None
    clock.set(date(2024, 7, 5))
    expired = ledger.expire(date(2024, 7, 5))
    assert [p.lot_amounts(AccountKind.EXPIRED) for p in expired] == [{june: Decimal(100)}]
    ledger.capture(hold.hold_id, idempotency_key="order-1-delivered")
    assert balances(ledger) == usd(300, 0, 400, 100)


def test_value_released_after_its_lot_expired_goes_to_the_expired_account() -> None:
    """OSR-14: no reactivation — released value of an expired lot is never available again."""
    clock = FixedClock(date(2024, 6, 20))
    ledger, june, _ = funded_ledger(clock)
    hold = ledger.place_hold("acme", "credits", "USD", Decimal("400"), idempotency_key="order-1")
    assert hold.hold_id is not None
    clock.set(date(2024, 7, 1))
    release = ledger.release(hold.hold_id, idempotency_key="order-1-cancelled")
    assert release.lot_amounts(AccountKind.EXPIRED) == {june: Decimal(400)}
    assert ledger.lot_remaining(june) == Decimal(100)  # not yet swept by the expiry run
    ledger.expire(date(2024, 7, 1))
    assert balances(ledger) == usd(300, 0, 0, 500)


def test_a_hold_is_settled_only_once() -> None:
    ledger, _, _ = funded_ledger(FixedClock(date(2024, 3, 1)))
    hold = ledger.place_hold("acme", "credits", "USD", Decimal("100"), idempotency_key="order-1")
    assert hold.hold_id is not None
    ledger.release(hold.hold_id, idempotency_key="order-1-cancelled")
    with pytest.raises(HoldNotPending, match="released") as refused:
        ledger.capture(hold.hold_id, idempotency_key="order-1-delivered")
    assert refused.value.rule == "CRD-3"


def test_a_capture_cannot_spend_more_than_was_held() -> None:
    ledger, _, _ = funded_ledger(FixedClock(date(2024, 3, 1)))
    hold = ledger.place_hold("acme", "credits", "USD", Decimal("100"), idempotency_key="order-1")
    assert hold.hold_id is not None
    with pytest.raises(CaptureExceedsHold):
        ledger.capture(hold.hold_id, Decimal("100.01"), idempotency_key="order-1-delivered")
    assert ledger.hold(hold.hold_id).is_pending


def test_held_credits_are_not_available_to_another_order() -> None:
    ledger, _, _ = funded_ledger(FixedClock(date(2024, 3, 1)))
    ledger.place_hold("acme", "credits", "USD", Decimal("700"), idempotency_key="order-1")
    with pytest.raises(InsufficientBalance, match=r"only 100\.00 USD available"):
        ledger.place_hold(
            "acme", "credits", "USD", Decimal("101"), idempotency_key="order-2", rule="CRD-3"
        )
