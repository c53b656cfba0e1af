"""Now comes from a clock that is passed in; tests stand it still (X-2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from alliance.domain.calendar import expiry_end_of_month_after
from alliance.domain.clock import Clock, FixedClock, SystemClock
from alliance.domain.errors import InvalidInput


def days_left_before_expiry(clock: Clock, accrued: date) -> int:
    """A tiny use of the protocol: any clock will do (OSR-14)."""
    return (expiry_end_of_month_after(accrued, 12) - clock.today()).days


def test_a_fixed_clock_stands_still() -> None:
    clock = FixedClock(datetime(2022, 12, 31, 18, 0, tzinfo=UTC))
    assert clock.now() == datetime(2022, 12, 31, 18, 0, tzinfo=UTC)
    assert clock.now() == clock.now()
    assert clock.today() == date(2022, 12, 31)


def test_a_fixed_clock_set_to_a_day_stands_at_midnight_utc() -> None:
    clock = FixedClock(date(2026, 11, 30))
    assert clock.now() == datetime(2026, 11, 30, tzinfo=UTC)
    assert clock.today() == date(2026, 11, 30)


def test_a_clock_always_answers_in_utc() -> None:
    """X-2: 31 Dec 2022 20:00 in New York is 1 January 2023 01:00 UTC."""
    new_york = timezone(timedelta(hours=-5))
    clock = FixedClock(datetime(2022, 12, 31, 20, 0, tzinfo=new_york))
    assert clock.now().tzinfo is UTC
    assert clock.now() == datetime(2023, 1, 1, 1, 0, tzinfo=UTC)
    assert clock.today() == date(2023, 1, 1)


def test_a_clock_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2022, 12, 31, 18, 0))
    clock = FixedClock(date(2022, 12, 31))
    with pytest.raises(ValueError):
        clock.set(datetime(2023, 1, 1))


def test_a_fixed_clock_can_be_set_and_advanced() -> None:
    """A reward accrued at the end of December 2021 is gone a year later (OSR-14)."""
    clock = FixedClock(date(2021, 12, 31))
    assert days_left_before_expiry(clock, date(2021, 12, 31)) == 365
    clock.advance(days=365)
    assert clock.today() == date(2022, 12, 31)
    assert days_left_before_expiry(clock, date(2021, 12, 31)) == 0
    assert clock.advance(timedelta(hours=1), hours=1) == datetime(2022, 12, 31, 2, tzinfo=UTC)
    clock.set(date(2026, 11, 30))
    assert clock.today() == date(2026, 11, 30)


def test_a_clock_may_count_days_in_another_stated_zone() -> None:
    clock = FixedClock(datetime(2022, 12, 31, 23, 30, tzinfo=UTC), time_zone="Pacific/Auckland")
    assert clock.today() == date(2023, 1, 1)


def test_a_clock_in_an_unknown_zone_is_refused_at_once() -> None:
    with pytest.raises(InvalidInput):
        SystemClock(time_zone="Nowhere/Special")
    with pytest.raises(InvalidInput):
        FixedClock(date(2026, 1, 1), time_zone="Nowhere/Special")


def test_the_system_clock_tells_the_real_utc_time() -> None:
    clock = SystemClock()
    before = datetime.now(UTC)
    now = clock.now()
    after = datetime.now(UTC)
    assert now.tzinfo is UTC
    assert before <= now <= after
    assert clock.today() in {before.date(), after.date()}


def test_both_clocks_serve_as_a_clock() -> None:
    clocks: list[Clock] = [SystemClock(), FixedClock(date(2022, 1, 1))]
    assert all(isinstance(days_left_before_expiry(c, date(2022, 1, 1)), int) for c in clocks)
