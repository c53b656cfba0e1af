"""Calendar arithmetic on dates, in one stated time zone (X-2).

Memberships, months, quarters, semesters and expiries are whole calendar days
(``datetime.date``), never durations: "one month after 31 January" is the last day of
February, and "12 months of validity" ends on the last day of a month (OSR-14).

Every date the engine reasons about is a day in :data:`PROGRAM_TIME_ZONE`. A moment (an
aware ``datetime``) becomes a day only through :func:`today_in`.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from alliance.domain.errors import InvalidInput

PROGRAM_TIME_ZONE = "UTC"
"""The one time zone in which a moment becomes a calendar day (X-2): a month closes, a
membership ends and a reward expires at midnight UTC."""


def zone_named(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``"UTC"``, ``"Europe/Paris"``), or InvalidInput."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        raise InvalidInput(
            f"unknown time zone {name!r}; use an IANA name such as 'Europe/Paris'",
            field="time_zone",
            rule="X-2",
        ) from None


def today_in(tz: str = PROGRAM_TIME_ZONE, now: datetime | None = None) -> date:
    """The calendar day in ``tz`` at the moment ``now`` (default: the system's now)."""
    moment = datetime.now(UTC) if now is None else now
    if moment.tzinfo is None:
        raise ValueError("a moment must be time-zone aware to become a calendar day (X-2)")
    return moment.astimezone(zone_named(tz)).date()


# -- days and months ----------------------------------------------------------------------


def start_of_month(d: date) -> date:
    return d.replace(day=1)


def end_of_month(d: date) -> date:
    return d.replace(day=_stdlib_calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months (negative goes back), the day clamped to the
    month's length: 2024-01-31 + 1 month = 2024-02-29; 2023-01-31 + 1 = 2023-02-28."""
    year, month_index = divmod(d.year * 12 + d.month - 1 + n, 12)
    first = date(year, month_index + 1, 1)
    return first.replace(day=min(d.day, end_of_month(first).day))


def add_years(d: date, n: int) -> date:
    """``d`` moved by ``n`` years; 29 February becomes 28 February in a common year."""
    return add_months(d, 12 * n)


def days_after(d: date, n: int) -> date:
    return d + timedelta(days=n)


def days_before(d: date, n: int) -> date:
    return d - timedelta(days=n)


def expiry_end_of_month_after(d: date, months: int) -> date:
    """The last day of the month ``months`` months after ``d``'s month (OSR-14).

    Accrued at the end of December 2021, valid 12 months: expires 2022-12-31. Accrued on
    2024-02-29: expires 2025-02-28.
    """
    return end_of_month(add_months(start_of_month(d), months))


@dataclass(frozen=True)
class DateRange:
    """The days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(
                f"a range ends ({self.end}) before it starts ({self.start})",
                field="end",
                rule="X-2",
            )

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def overlaps(self, other: DateRange) -> bool:
        """True when at least one day is in both ranges."""
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        """How many days the range holds: a range of one day has ``days == 1``."""
        return (self.end - self.start).days + 1

    def dates(self) -> Iterator[date]:
        return (days_after(self.start, i) for i in range(self.days))


# -- months -------------------------------------------------------------------------------

_MONTH_LABEL = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, ``Month(2026, 11)``, labelled ``"2026-11"``; ordered in time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1 <= self.year <= 9999):
            raise InvalidInput(
                f"no such month: {self.year}-{self.month}", field="month", rule="X-2"
            )

    @classmethod
    def containing(cls, d: date) -> Month:
        return cls(d.year, d.month)

    @classmethod
    def parse(cls, label: str, field: str = "month") -> Month:
        """``Month.parse("2026-11")``; anything else is InvalidInput naming ``field``."""
        match = _MONTH_LABEL.fullmatch(label.strip())
        if match is None or not 1 <= int(match[2]) <= 12:
            raise InvalidInput(
                f"a month is written YYYY-MM, such as 2026-11; got {label!r}",
                field=field,
                rule="X-2",
            )
        return cls(int(match[1]), int(match[2]))

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return end_of_month(self.start)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.label

    def shift(self, n: int) -> Month:
        """The month ``n`` months later (earlier when ``n`` is negative)."""
        return Month.containing(add_months(self.start, n))

    def next(self) -> Month:
        return self.shift(1)

    def previous(self) -> Month:
        return self.shift(-1)

    def contains(self, d: date) -> bool:
        return (d.year, d.month) == (self.year, self.month)

    @property
    def range(self) -> DateRange:
        return DateRange(self.start, self.end)

    @property
    def period(self) -> Period:
        return Period(PeriodKind.MONTH, self.start)


def months_between(first: Month, last: Month) -> int:
    """How many months ``last`` is after ``first``: 2026-01 → 2026-11 is 10 (negative if
    ``last`` comes first)."""
    return (last.year - first.year) * 12 + (last.month - first.month)


def trailing_months(month: Month, n: int) -> tuple[Month, ...]:
    """The ``n`` months ending with ``month``, oldest first.

    MCPP-8's qualification window is ``trailing_months(current, 6)``: the current month
    plus the 5 previous full months.
    """
    if n < 1:
        raise InvalidInput(f"a window holds at least 1 month, got {n}", field="n", rule="X-2")
    return tuple(month.shift(-back) for back in range(n - 1, -1, -1))


# -- periods ------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    """The calendar periods programs count in; each starts on 1 January, 1 April…"""

    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    YEAR = "year"

    @property
    def months(self) -> int:
        return _MONTHS_IN[self]


_MONTHS_IN: Mapping[PeriodKind, int] = MappingProxyType(
    {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.SEMESTER: 6, PeriodKind.YEAR: 12}
)
_MARKS: Mapping[PeriodKind, str] = MappingProxyType(
    {PeriodKind.MONTH: "", PeriodKind.QUARTER: "Q", PeriodKind.SEMESTER: "S"}
)
_KIND_OF_MARK = {mark: kind for kind, mark in _MARKS.items() if mark}
_PERIOD_LABEL = re.compile(r"(\d{4})(?:-([QS]\d|\d{2}))?")


def _kind_and_index(part: str | None) -> tuple[PeriodKind, int]:
    """What follows the year in a label: ``"Q4"`` → (QUARTER, 4), ``"11"`` → (MONTH, 11)."""
    if part is None:
        return PeriodKind.YEAR, 1
    return _KIND_OF_MARK.get(part[0], PeriodKind.MONTH), int(part.lstrip("QS"))


@dataclass(frozen=True)
class Period:
    """One month, quarter, semester or year, named by its ``kind`` and its first day.

    Labels: ``"2026-11"``, ``"2026-Q4"``, ``"2026-S2"``, ``"2026"``. Build one with
    :func:`period_containing` or :meth:`Period.parse`.
    """

    kind: PeriodKind
    start: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PeriodKind(self.kind))  # accepts "quarter" too
        if self.start.day != 1 or (self.start.month - 1) % self.kind.months:
            raise InvalidInput(
                f"{self.start} is not the first day of a {self.kind}", field="start", rule="X-2"
            )

    @classmethod
    def parse(cls, label: str, field: str = "period") -> Period:
        """Read ``"2026-11"``, ``"2026-Q4"``, ``"2026-S2"`` or ``"2026"``."""
        match = _PERIOD_LABEL.fullmatch(label.strip().upper())
        kind, index = _kind_and_index(match[2] if match else None)
        if match is None or not 1 <= index <= 12 // kind.months:
            raise InvalidInput(
                f"a period is written 2026-11, 2026-Q4, 2026-S2 or 2026; got {label!r}",
                field=field,
                rule="X-2",
            )
        return cls(kind, date(int(match[1]), (index - 1) * kind.months + 1, 1))

    @property
    def end(self) -> date:
        """The last day of the period, included."""
        return end_of_month(add_months(self.start, self.kind.months - 1))

    @property
    def index(self) -> int:
        """Which month, quarter, semester of its year (1-based); always 1 for a year."""
        return (self.start.month - 1) // self.kind.months + 1

    @property
    def label(self) -> str:
        year = f"{self.start.year:04d}"
        if self.kind is PeriodKind.YEAR:
            return year
        width = 2 if self.kind is PeriodKind.MONTH else 1
        return f"{year}-{_MARKS[self.kind]}{self.index:0{width}d}"

    def __str__(self) -> str:
        return self.label

    def next(self) -> Period:
        return Period(self.kind, add_months(self.start, self.kind.months))

    def previous(self) -> Period:
        return Period(self.kind, add_months(self.start, -self.kind.months))

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def range(self) -> DateRange:
        return DateRange(self.start, self.end)

    def months(self) -> tuple[Month, ...]:
        """The months of the period in order: a quarter has 3, a year 12."""
        first = Month.containing(self.start)
        return tuple(first.shift(i) for i in range(self.kind.months))


def period_containing(kind: PeriodKind, d: date) -> Period:
    """The month, quarter, semester or year that ``d`` falls in."""
    first_month = (d.month - 1) // kind.months * kind.months + 1
    return Period(kind, date(d.year, first_month, 1))
