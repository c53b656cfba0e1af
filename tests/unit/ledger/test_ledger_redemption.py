"""Which lots pay, in which order (OSR-21), and which never may (OSR-14, CRD-6, OSR-23)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alliance.domain.errors import BusinessRuleViolation, InvalidInput
from alliance.domain.ledger import (
    PUBLIC_SECTOR,
    InsufficientBalance,
    Lot,
    Origin,
    RedemptionOrder,
    plan_redemption,
)


def lot(
    lot_id: str,
    amount: str,
    *,
    accrued: date,
    expires: date | None,
    tags: frozenset[str] = frozenset(),
    unit: str = "USD",
) -> Lot:
    return Lot(
        lot_id,
        "acme",
        "rewards",
        unit,
        Decimal(amount),
        accrued,
        expires,
        Origin("osr", f"accrual-{lot_id}", tags),
    )


def taken(plan: list[tuple[Lot, Decimal]]) -> list[tuple[str, Decimal]]:
    return [(chosen.id, amount) for chosen, amount in plan]


JAN = lot("jan", "100", accrued=date(2024, 1, 31), expires=date(2025, 1, 31))
FEB = lot("feb", "100", accrued=date(2024, 2, 29), expires=date(2025, 2, 28))
MAR = lot("mar", "100", accrued=date(2024, 3, 31), expires=date(2025, 3, 31))


def test_redemption_consumes_earliest_expiry_first() -> None:
    """OSR-21: 150 USD takes all of January's rewards, then half of February's."""
    plan = plan_redemption(
        [(MAR, Decimal(100)), (JAN, Decimal(100)), (FEB, Decimal(100))],
        Decimal("150"),
        date(2024, 6, 1),
    )
    assert taken(plan) == [("jan", Decimal(100)), ("feb", Decimal(50))]


def test_earliest_expiry_is_the_default_even_when_accrual_order_differs() -> None:
    """A lot accrued later but expiring sooner (a shorter validity) goes first."""
    short = lot("short", "30", accrued=date(2024, 3, 1), expires=date(2024, 9, 30))
    plan = plan_redemption(
        [(JAN, Decimal(100)), (short, Decimal(30))], Decimal("40"), date(2024, 6, 1)
    )
    assert taken(plan) == [("short", Decimal(30)), ("jan", Decimal(10))]


def test_a_lot_without_expiry_is_consumed_last() -> None:
    forever = lot("forever", "500", accrued=date(2023, 1, 1), expires=None)
    plan = plan_redemption(
        [(forever, Decimal(500)), (MAR, Decimal(100))], Decimal("120"), date(2024, 6, 1)
    )
    assert taken(plan) == [("mar", Decimal(100)), ("forever", Decimal(20))]


def test_tie_on_expiry_is_broken_by_accrual_date_then_id() -> None:
    end = date(2025, 1, 31)
    later = lot("a-later", "10", accrued=date(2024, 1, 20), expires=end)
    earlier_b = lot("b", "10", accrued=date(2024, 1, 10), expires=end)
    earlier_a = lot("a", "10", accrued=date(2024, 1, 10), expires=end)
    plan = plan_redemption(
        [(later, Decimal(10)), (earlier_b, Decimal(10)), (earlier_a, Decimal(10))],
        Decimal("25"),
        date(2024, 6, 1),
    )
    assert taken(plan) == [("a", Decimal(10)), ("b", Decimal(10)), ("a-later", Decimal(5))]


def test_fifo_and_lifo_follow_accrual_dates() -> None:
    short = lot("short", "30", accrued=date(2024, 3, 1), expires=date(2024, 9, 30))
    lots = [(JAN, Decimal(100)), (short, Decimal(30)), (MAR, Decimal(100))]
    fifo = plan_redemption(lots, Decimal("110"), date(2024, 6, 1), RedemptionOrder.FIFO)
    lifo = plan_redemption(lots, Decimal("110"), date(2024, 6, 1), RedemptionOrder.LIFO)
    assert taken(fifo) == [("jan", Decimal(100)), ("short", Decimal(10))]
    assert taken(lifo) == [("mar", Decimal(100)), ("short", Decimal(10))]


def test_expired_lot_is_never_redeemable() -> None:
    """OSR-14: accrued at the end of December 2021, expired from 1 January 2023 on."""
    dec = lot("dec21", "80", accrued=date(2021, 12, 31), expires=date(2022, 12, 31))
    with pytest.raises(InsufficientBalance) as refused:
        plan_redemption([(dec, Decimal(80))], Decimal("10"), date(2023, 1, 1), rule="OSR-20")
    assert refused.value.available == 0
    assert refused.value.requested == Decimal("10")
    assert refused.value.rule == "OSR-20"
    assert "80.00 USD expired (OSR-14)" in refused.value.message


def test_lot_is_still_redeemable_on_its_expiry_day() -> None:
    dec = lot("dec21", "80", accrued=date(2021, 12, 31), expires=date(2022, 12, 31))
    plan = plan_redemption([(dec, Decimal(80))], Decimal("80"), date(2022, 12, 31))
    assert taken(plan) == [("dec21", Decimal(80))]


def test_public_sector_lots_are_skipped_when_the_option_refuses_them() -> None:
    """CRD-6: this catalog option cannot be bought with public-sector reward credits,
    even though they expire first."""
    public = lot(
        "public",
        "500",
        accrued=date(2024, 1, 1),
        expires=date(2024, 12, 31),
        tags=frozenset({PUBLIC_SECTOR}),
    )
    commercial = lot("commercial", "300", accrued=date(2024, 2, 1), expires=date(2025, 1, 31))
    lots = [(public, Decimal(500)), (commercial, Decimal(300))]
    plan = plan_redemption(
        lots, Decimal("200"), date(2024, 6, 1), excluded_tags=frozenset({PUBLIC_SECTOR})
    )
    assert taken(plan) == [("commercial", Decimal(200))]
    with pytest.raises(InsufficientBalance, match="tagged public_sector") as refused:
        plan_redemption(
            lots,
            Decimal("400"),
            date(2024, 6, 1),
            excluded_tags=frozenset({PUBLIC_SECTOR}),
            rule="CRD-6",
        )
    assert refused.value.available == Decimal(300)
    assert refused.value.rule == "CRD-6"


def test_rewards_accrued_after_the_due_date_cannot_pay() -> None:
    """OSR-23: an invoice due 15 March 2024 is paid from rewards accrued by then only."""
    plan = plan_redemption(
        [(JAN, Decimal(100)), (FEB, Decimal(100)), (MAR, Decimal(100))],
        Decimal("200"),
        date(2024, 6, 1),
        accrued_on_or_before=date(2024, 3, 15),
    )
    assert taken(plan) == [("jan", Decimal(100)), ("feb", Decimal(100))]
    with pytest.raises(InsufficientBalance, match=r"accrued after 2024-03-15 \(OSR-23\)"):
        plan_redemption(
            [(JAN, Decimal(100)), (MAR, Decimal(100))],
            Decimal("150"),
            date(2024, 6, 1),
            accrued_on_or_before=date(2024, 3, 15),
        )


def test_rewards_from_many_subscriptions_can_pay_one_invoice() -> None:
    """OSR-22: lots of any origin combine."""
    other = Lot(
        "sub2",
        "acme",
        "rewards",
        "USD",
        Decimal("70"),
        date(2024, 1, 31),
        date(2025, 1, 31),
        Origin("osr", "subscription-2"),
    )
    plan = plan_redemption(
        [(JAN, Decimal(100)), (other, Decimal(70))], Decimal("170"), date(2024, 6, 1)
    )
    assert sum(amount for _, amount in plan) == Decimal("170")


def test_insufficient_balance_names_available_and_requested() -> None:
    with pytest.raises(InsufficientBalance) as refused:
        plan_redemption([(JAN, Decimal(40))], Decimal("50.25"), date(2024, 6, 1), rule="CRD-3")
    error = refused.value
    assert isinstance(error, BusinessRuleViolation)
    assert error.code == "insufficient_balance"
    assert error.message.startswith("50.25 USD requested but only 40.00 USD available")
    assert error.to_dict()["rule"] == "CRD-3"


def test_only_what_remains_of_a_lot_is_used() -> None:
    plan = plan_redemption(
        [(JAN, Decimal("12.50")), (FEB, Decimal(100))], Decimal("20"), date(2024, 6, 1)
    )
    assert taken(plan) == [("jan", Decimal("12.50")), ("feb", Decimal("7.50"))]


def test_a_redemption_amount_must_be_positive_and_in_the_units_decimals() -> None:
    with pytest.raises(InvalidInput, match="positive"):
        plan_redemption([(JAN, Decimal(100))], Decimal("0"), date(2024, 6, 1))
    with pytest.raises(InvalidInput, match="decimal"):
        plan_redemption([(JAN, Decimal(100))], Decimal("0.001"), date(2024, 6, 1))


def test_points_are_spent_in_whole_points() -> None:
    """PEX-4: points pay proof-of-concept budgets."""
    points = lot("pts", "300", accrued=date(2024, 1, 1), expires=None, unit="POINTS")
    assert taken(plan_redemption([(points, Decimal(300))], Decimal("120"), date(2024, 6, 1))) == [
        ("pts", Decimal(120))
    ]
