"""Memberships, months, quarters, semesters and expiries are calendar arithmetic on dates,
in one stated time zone (X-2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.domain.calendar import (
    PROGRAM_TIME_ZONE,
    DateRange,
    Month,
    Period,
    PeriodKind,
    add_months,
    add_years,
    days_after,
    days_before,
    end_of_month,
    expiry_end_of_month_after,
    months_between,
    period_containing,
    start_of_month,
    today_in,
    trailing_months,
)
from alliance.domain.errors import InvalidInput

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2400, 12, 31))
shifts = st.integers(min_value=-1200, max_value=1200)
kinds = st.sampled_from(list(PeriodKind))
months = st.builds(
    Month, st.integers(min_value=1900, max_value=2400), st.integers(min_value=1, max_value=12)
)


# -- months and days ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: clamped to the 29th
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),  # across the year end
        (date(2026, 1, 15), -2, date(2025, 11, 15)),
        (date(2026, 5, 31), 12, date(2027, 5, 31)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
    ],
)
def test_adding_months_clamps_to_the_end_of_a_shorter_month(
    day: date, n: int, expected: date
) -> None:
    """X-2: one month after 31 January is the last day of February."""
    assert add_months(day, n) == expected


def test_a_leap_day_anniversary_falls_on_28_february_in_a_common_year() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2026, 11, 30), -1) == date(2025, 11, 30)


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2024, 2, 10), date(2024, 2, 29)),
        (date(2023, 2, 10), date(2023, 2, 28)),
        (date(2000, 2, 1), date(2000, 2, 29)),  # divisible by 400: leap
        (date(1900, 2, 1), date(1900, 2, 28)),  # divisible by 100: common
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_the_end_of_a_month_knows_leap_years(day: date, last: date) -> None:
    assert end_of_month(day) == last
    assert start_of_month(day) == last.replace(day=1)


def test_days_before_and_after_count_calendar_days() -> None:
    """MCPP-8: a partner that qualifies has 30 days to enrol."""
    assert days_after(date(2026, 12, 15), 30) == date(2027, 1, 14)
    assert days_before(date(2024, 3, 1), 1) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("accrued", "expires"),
    [
        (date(2021, 12, 31), date(2022, 12, 31)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2024, 1, 31), date(2025, 1, 31)),
        (date(2026, 11, 3), date(2027, 11, 30)),
    ],
)
def test_rewards_expire_at_the_end_of_the_month_twelve_months_later(
    accrued: date, expires: date
) -> None:
    """OSR-14: accrued at the end of December 2021, they expire at the end of December 2022."""
    assert expiry_end_of_month_after(accrued, 12) == expires


# -- the program's time zone --------------------------------------------------------------


def test_the_program_counts_days_in_utc() -> None:
    assert PROGRAM_TIME_ZONE == "UTC"


def test_a_moment_is_a_different_day_in_different_zones() -> None:
    """X-2: 31 Dec 2022 23:30 UTC is already 1 January in Auckland."""
    moment = datetime(2022, 12, 31, 23, 30, tzinfo=UTC)
    assert today_in(PROGRAM_TIME_ZONE, moment) == date(2022, 12, 31)
    assert today_in("Pacific/Auckland", moment) == date(2023, 1, 1)
    new_york = datetime(2022, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert today_in("UTC", new_york) == date(2023, 1, 1)


def test_today_without_a_moment_reads_the_system_time() -> None:
    assert today_in() in {datetime.now(UTC).date(), (datetime.now(UTC) - timedelta(1)).date()}


def test_a_naive_moment_has_no_day() -> None:
    with pytest.raises(ValueError, match="aware"):
        today_in("UTC", datetime(2022, 12, 31, 23, 30))


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused_naming_the_field(zone: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        today_in(zone, datetime(2022, 12, 31, tzinfo=UTC))
    assert refused.value.field == "time_zone"
    assert refused.value.rule == "X-2"


# -- Month --------------------------------------------------------------------------------


def test_a_month_is_read_from_its_label() -> None:
    """`alliance accrue --month 2026-11`."""
    november = Month.parse("2026-11")
    assert november == Month(2026, 11)
    assert november.label == str(november) == "2026-11"
    assert (november.start, november.end) == (date(2026, 11, 1), date(2026, 11, 30))


@pytest.mark.parametrize("label", ["2026-13", "2026-00", "2026/11", "26-11", "2026-1", "", "x"])
def test_a_malformed_month_is_refused_naming_the_field(label: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Month.parse(label)
    assert refused.value.field == "month"
    assert refused.value.rule == "X-2"


def test_the_caller_names_the_field_a_month_came_from() -> None:
    with pytest.raises(InvalidInput) as refused:
        Month.parse("soon", field="accrual_month")
    assert refused.value.field == "accrual_month"


def test_an_impossible_month_cannot_be_built() -> None:
    with pytest.raises(InvalidInput):
        Month(2026, 13)


def test_months_step_across_year_ends_and_are_ordered() -> None:
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2027, 1).previous() == Month(2026, 12)
    assert Month(2026, 11).shift(-11) == Month(2025, 12)
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)


def test_a_month_contains_its_days_only() -> None:
    february = Month(2024, 2)
    assert february.contains(date(2024, 2, 29))
    assert not february.contains(date(2024, 3, 1))
    assert not february.contains(date(2023, 2, 15))
    assert february.range.days == 29


def test_months_between_counts_forward_and_back() -> None:
    assert months_between(Month(2026, 1), Month(2026, 11)) == 10
    assert months_between(Month(2025, 11), Month(2026, 2)) == 3
    assert months_between(Month(2026, 2), Month(2025, 11)) == -3


def test_the_qualification_window_is_the_month_and_the_five_before() -> None:
    """MCPP-8: the current month plus the 5 previous full months."""
    window = trailing_months(Month(2026, 3), 6)
    assert [m.label for m in window] == [
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
    ]


def test_an_empty_window_is_refused() -> None:
    with pytest.raises(InvalidInput):
        trailing_months(Month(2026, 3), 0)


# -- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "start", "end"),
    [
        (PeriodKind.MONTH, "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        (PeriodKind.QUARTER, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        (PeriodKind.SEMESTER, "2026-S2", date(2026, 7, 1), date(2026, 12, 31)),
        (PeriodKind.YEAR, "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_a_day_falls_in_a_month_quarter_semester_and_year(
    kind: PeriodKind, label: str, start: date, end: date
) -> None:
    period = period_containing(kind, date(2026, 11, 15))
    assert (period.kind, period.label, period.start, period.end) == (kind, label, start, end)
    assert Period.parse(label) == period


def test_the_first_quarter_of_a_leap_year_ends_on_31_march() -> None:
    q1 = Period.parse("2024-Q1")
    assert q1.range.days == 31 + 29 + 31
    assert q1.months() == (Month(2024, 1), Month(2024, 2), Month(2024, 3))


def test_periods_step_across_year_ends() -> None:
    assert Period.parse("2026-Q4").next() == Period.parse("2027-Q1")
    assert Period.parse("2027-S1").previous() == Period.parse("2026-S2")
    assert Period.parse("2026").next().label == "2027"
    assert Period.parse("2026-12").next().label == "2027-01"


def test_a_semester_holds_six_months() -> None:
    """Back-margin on VoIP revenue is computed per semester."""
    assert [m.label for m in Period.parse("2026-S1").months()] == [
        f"2026-0{i}" for i in range(1, 7)
    ]


@pytest.mark.parametrize("label", ["2026-Q5", "2026-Q0", "2026-S3", "2026-13", "Q4-2026", "20"])
def test_a_malformed_period_is_refused_naming_the_field(label: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Period.parse(label)
    assert refused.value.field == "period"


def test_a_period_label_may_be_written_in_lower_case() -> None:
    assert Period.parse("2026-q4") == Period.parse("2026-Q4")


def test_a_period_must_start_on_the_first_day_of_its_kind() -> None:
    with pytest.raises(InvalidInput) as refused:
        Period(PeriodKind.QUARTER, date(2026, 11, 1))
    assert refused.value.field == "start"


def test_a_period_kind_may_be_given_by_name() -> None:
    assert Period("quarter", date(2026, 10, 1)).kind is PeriodKind.QUARTER  # type: ignore[arg-type]


def test_a_month_and_its_period_agree() -> None:
    assert Month(2026, 11).period == Period.parse("2026-11")
    assert Month(2026, 11).period.months() == (Month(2026, 11),)


# -- date ranges --------------------------------------------------------------------------


def test_a_date_range_includes_both_ends() -> None:
    membership = DateRange(date(2026, 1, 15), date(2027, 1, 14))
    assert membership.contains(date(2026, 1, 15))
    assert membership.contains(date(2027, 1, 14))
    assert not membership.contains(date(2027, 1, 15))
    assert membership.days == 365
    assert DateRange(date(2026, 1, 1), date(2026, 1, 1)).days == 1


def test_ranges_that_share_a_day_overlap() -> None:
    first = DateRange(date(2026, 1, 1), date(2026, 3, 31))
    assert first.overlaps(DateRange(date(2026, 3, 31), date(2026, 6, 30)))
    assert not first.overlaps(DateRange(date(2026, 4, 1), date(2026, 6, 30)))
    assert first.overlaps(DateRange(date(2026, 2, 1), date(2026, 2, 2)))


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        DateRange(date(2026, 2, 1), date(2026, 1, 31))
    assert refused.value.field == "end"


def test_a_range_lists_its_days() -> None:
    leap = list(DateRange(date(2024, 2, 28), date(2024, 3, 1)).dates())
    assert leap == [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]


# -- properties ---------------------------------------------------------------------------


@given(days, shifts)
def test_adding_months_lands_in_the_right_month_on_the_clamped_day(d: date, n: int) -> None:
    moved = add_months(d, n)
    assert months_between(Month.containing(d), Month.containing(moved)) == n
    assert moved.day == min(d.day, end_of_month(moved).day)


@given(days, shifts)
def test_adding_then_removing_months_returns_any_day_up_to_the_28th(d: date, n: int) -> None:
    early = d.replace(day=min(d.day, 28))
    assert add_months(add_months(early, n), -n) == early
    assert add_months(add_months(d, n), -n) <= d


@given(days, days, shifts)
def test_adding_months_keeps_dates_in_order(a: date, b: date, n: int) -> None:
    earlier, later = sorted((a, b))
    assert add_months(earlier, n) <= add_months(later, n)


@given(days, st.integers(min_value=-100, max_value=100))
def test_adding_years_is_adding_twelve_months(d: date, n: int) -> None:
    assert add_years(d, n) == add_months(d, 12 * n)
    assert add_years(d, n).month == d.month


@given(days)
def test_the_end_of_a_month_is_the_day_before_the_next_first(d: date) -> None:
    last = end_of_month(d)
    assert start_of_month(d) <= d <= last
    assert (last.year, last.month) == (d.year, d.month)
    assert days_after(last, 1).day == 1
    assert end_of_month(last) == last


@given(days, st.integers(min_value=0, max_value=120))
def test_an_expiry_is_the_last_day_of_a_month_after_the_accrual(d: date, n: int) -> None:
    """OSR-14."""
    expiry = expiry_end_of_month_after(d, n)
    assert expiry == end_of_month(expiry) >= d
    assert months_between(Month.containing(d), Month.containing(expiry)) == n


@given(kinds, days)
def test_every_day_is_in_exactly_one_period_of_each_kind(kind: PeriodKind, d: date) -> None:
    period = period_containing(kind, d)
    assert period.contains(d)
    assert not period.previous().contains(d)
    assert not period.next().contains(d)
    assert days_after(period.previous().end, 1) == period.start
    assert days_after(period.end, 1) == period.next().start


@given(kinds, days)
def test_next_and_previous_are_inverse(kind: PeriodKind, d: date) -> None:
    period = period_containing(kind, d)
    assert period.next().previous() == period
    assert period.previous().next() == period


@given(kinds, days)
def test_a_period_label_reads_back_as_the_same_period(kind: PeriodKind, d: date) -> None:
    period = period_containing(kind, d)
    assert Period.parse(period.label) == period


@given(kinds, days)
def test_the_months_of_a_period_cover_it_without_gaps(kind: PeriodKind, d: date) -> None:
    period = period_containing(kind, d)
    covered = period.months()
    assert len(covered) == kind.months
    assert covered[0].start == period.start and covered[-1].end == period.end
    assert sum(m.range.days for m in covered) == period.range.days


@given(months, st.integers(min_value=1, max_value=24))
def test_a_trailing_window_ends_at_its_month(month: Month, n: int) -> None:
    window = trailing_months(month, n)
    assert len(window) == n and window[-1] == month
    assert months_between(window[0], month) == n - 1
    assert list(window) == sorted(window)


@given(months)
def test_a_month_label_reads_back_as_the_same_month(month: Month) -> None:
    assert Month.parse(month.label) == month
    assert month.next().previous() == month
