"""Where "now" comes from: a clock is passed in, never read from a global (X-2).

The composition root gives services a :class:`SystemClock`; tests give them a
:class:`FixedClock` they can set and advance. ``now()`` is always an aware UTC moment;
``today()`` is the calendar day in the program's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from alliance.domain.calendar import PROGRAM_TIME_ZONE, today_in, zone_named


class Clock(Protocol):
    """Tells the current moment and the current calendar day."""

    def today(self) -> date: ...

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, read from the operating system."""

    def __init__(self, time_zone: str = PROGRAM_TIME_ZONE) -> None:
        zone_named(time_zone)  # refuse an unknown zone now, not at the first today()
        self.time_zone = time_zone

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return today_in(self.time_zone, self.now())


def _as_utc_moment(moment: datetime | date) -> datetime:
    """An aware UTC moment; a bare date means midnight UTC of that day."""
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time(0), tzinfo=UTC)
    if moment.tzinfo is None:
        raise ValueError(f"a clock needs a time-zone aware moment, got naive {moment}")
    return moment.astimezone(UTC)


class FixedClock:
    """A clock that stands still until told to move — for tests and replays.

    ``FixedClock(date(2022, 12, 31))`` stands at midnight UTC of that day;
    ``set(...)`` jumps, ``advance(days=30)`` moves forward (or back, if negative).
    """

    def __init__(self, moment: datetime | date, time_zone: str = PROGRAM_TIME_ZONE) -> None:
        zone_named(time_zone)
        self._moment = _as_utc_moment(moment)
        self.time_zone = time_zone

    def now(self) -> datetime:
        return self._moment

    def today(self) -> date:
        return today_in(self.time_zone, self._moment)

    def set(self, moment: datetime | date) -> None:
        self._moment = _as_utc_moment(moment)

    def advance(
        self, delta: timedelta = timedelta(0), *, days: int = 0, hours: int = 0
    ) -> datetime:
        """Move the clock by ``delta`` plus ``days`` and ``hours``; returns the new now."""
        self._moment += delta + timedelta(days=days, hours=hours)
        return self._moment

    def __repr__(self) -> str:
        return f"FixedClock({self._moment.isoformat()})"
