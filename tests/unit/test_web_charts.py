"""The portal's expiry chart (issue 6): available credits by the month they expire, on
an axis of every month from now to the last expiry, bars scaled to the largest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alliance.services.credits.statements import CreditLot
from alliance.web.charts import BASELINE, TOP, ExpiryMonth, bars, expiry_timeline, months_from

TODAY = date(2025, 3, 14)


def lot(expires_on: date | None, available: str, name: str = "lot") -> CreditLot:
    amount = Decimal(available)
    return CreditLot(
        lot_id=name,
        source="allocation",
        tags=(),
        accrued_on=date(2024, 3, 1),
        expires_on=expires_on,
        accrued=amount,
        available=amount,
        held=Decimal(0),
        spent=Decimal(0),
        expired=Decimal(0),
    )


def test_available_credits_are_added_up_by_the_month_they_expire() -> None:
    lots = [
        lot(date(2025, 6, 30), "100.50"),
        lot(date(2025, 6, 1), "20"),
        lot(date(2025, 4, 15), "7.25"),
        lot(date(2025, 3, 13), "999"),  # expired yesterday
        lot(None, "50"),  # never expires
        lot(date(2025, 5, 1), "0"),  # nothing left
    ]
    assert expiry_timeline(lots, TODAY) == [
        ExpiryMonth(date(2025, 4, 1), Decimal("7.25")),
        ExpiryMonth(date(2025, 6, 1), Decimal("120.50")),
    ]


def test_the_axis_shows_the_empty_months_between_now_and_the_last_expiry() -> None:
    points = [ExpiryMonth(date(2025, 6, 1), Decimal(10)), ExpiryMonth(date(2026, 1, 1), Decimal(5))]
    axis = months_from(TODAY, points)
    assert axis[0] == date(2025, 3, 1) and axis[-1] == date(2026, 1, 1)
    assert len(axis) == 11
    far = [ExpiryMonth(date(2025, 4, 1), Decimal(1)), ExpiryMonth(date(2030, 1, 1), Decimal(2))]
    assert months_from(TODAY, far) == [date(2025, 4, 1), date(2030, 1, 1)]  # too long: gaps go


def test_bars_are_scaled_to_the_largest_month_and_only_months_with_credits_have_one() -> None:
    points = [
        ExpiryMonth(date(2025, 4, 1), Decimal(50)),
        ExpiryMonth(date(2025, 6, 1), Decimal(200)),
    ]
    drawn = bars(points, months_from(TODAY, points), lambda m: m.strftime("%b"), str)
    assert [b.height for b in drawn] == [0, (BASELINE - TOP) // 4, 0, BASELINE - TOP]
    assert [b.label for b in drawn] == ["Mar", "Apr", "", "Jun"]  # the first month, and bars
    assert [b.value for b in drawn] == ["", "50", "", "200"]
    assert all(b.y + b.height == BASELINE for b in drawn)
    assert bars([], [], str, str) == []
