"""The qualification window and the days on which an area qualifies (MCPP-8).

The window is the current month plus the ``previous_full_months`` before it — from the
first day of the month five months back to the evaluation day (2026-06-17 → 2026-01-01
… 2026-06-17). For an enrolled partner it is anchored on the anniversary month instead:
the anniversary month plus the five before it, up to the anniversary (and never past
the evaluation day). An area qualifies in the window when, on **at least one day** of
it, the score is at least the threshold and every metric is above zero.

Scores only change on the days :func:`~.metrics.change_days` lists, so those are the
days checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.calendar import DateRange, Month, days_before
from alliance.domain.scoring.facts import PartnerFacts
from alliance.domain.scoring.metrics import change_days
from alliance.domain.scoring.points import AreaScore, score_area
from alliance.domain.scoring.terms import AreaTerms, ScorecardTerms


def qualification_window(
    as_of: date, terms: ScorecardTerms, anniversary: date | None = None
) -> DateRange | None:
    """The days whose scores count on ``as_of``; ``None`` when the anchored window of an
    enrolled partner has not opened yet (MCPP-8)."""
    if anniversary is not None and terms.anchor_enrolled_on_anniversary:
        first = Month.containing(anniversary).shift(-terms.previous_full_months).start
        last = min(anniversary, as_of)
        return DateRange(first, last) if first <= last else None
    first = Month.containing(as_of).shift(-terms.previous_full_months).start
    return DateRange(first, as_of)


@dataclass(frozen=True)
class Qualification:
    """The area's scores over ``window``: the days it qualified and its best day."""

    area: str
    window: DateRange | None
    qualifying_days: tuple[date, ...]
    best: AreaScore | None
    last_day: date | None = None

    @property
    def qualifies(self) -> bool:
        return bool(self.qualifying_days)

    @property
    def first_day(self) -> date | None:
        return self.qualifying_days[0] if self.qualifying_days else None


def qualify(
    area: AreaTerms, terms: ScorecardTerms, facts: PartnerFacts, window: DateRange | None
) -> Qualification:
    """Score ``area`` on every day of ``window`` where a score can change (MCPP-8).

    ``qualifying_days`` are the change days on which the area qualified (each stands for
    the run of days up to the next change day); ``last_day`` is the last day of the last
    such run; ``best`` is the best score seen — the first qualifying one at the highest
    total, else the highest total.
    """
    if window is None:
        return Qualification(area.id, None, (), None)
    retirements = (
        c.retires_on
        for track in area.tracks
        for rule in track.rules
        for c in terms.metric(rule.metric).certifications
        if c.retires_on is not None
    )
    days = change_days(facts, window, retirements)
    scores = [score_area(area, terms, facts, day) for day in days]
    qualifying = tuple(s.day for s in scores if s.qualifies)
    best = max(scores, key=lambda s: (s.qualifies, s.total), default=None)
    last_day = None
    for i in range(len(scores) - 1, -1, -1):
        if scores[i].qualifies:
            last_day = window.end if i == len(scores) - 1 else days_before(days[i + 1], 1)
            break
    return Qualification(area.id, window, qualifying, best, last_day)
