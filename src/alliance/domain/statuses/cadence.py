"""When statuses are re-evaluated (OIP-3): every 6 months on fixed dates.

With the calendar anchor the dates are the first day of each 6-month period — 1 January
and 1 July; anchored on the membership start they are that day and every 6 months after
(end-of-month days clamp: 31 August → 28/29 February). A status assigned on an
evaluation date holds until the day before the next one.
"""

from __future__ import annotations

from datetime import date

from alliance.domain.calendar import add_months, days_before
from alliance.domain.errors import InvalidInput
from alliance.domain.statuses.terms import CadenceAnchor, EarnedStatusTerms


def last_evaluation(
    as_of: date, terms: EarnedStatusTerms, member_since: date | None = None
) -> date:
    """The latest evaluation date on or before ``as_of`` (OIP-3)."""
    every = terms.every_months
    if terms.anchor is CadenceAnchor.CALENDAR:
        month = (as_of.month - 1) // every * every + 1
        return date(as_of.year, month, 1)
    if member_since is None:
        raise InvalidInput(
            "a cadence anchored on the membership start needs the start date",
            field="member_since",
            rule="OIP-3",
        )
    if as_of < member_since:
        raise InvalidInput(
            f"{as_of} is before the membership started ({member_since})",
            field="as_of",
            rule="OIP-3",
        )
    months = (as_of.year - member_since.year) * 12 + as_of.month - member_since.month
    step = months // every
    while add_months(member_since, step * every) > as_of:
        step -= 1
    return add_months(member_since, step * every)


def next_evaluation(
    as_of: date, terms: EarnedStatusTerms, member_since: date | None = None
) -> date:
    """The first evaluation date after ``as_of``."""
    last = last_evaluation(as_of, terms, member_since)
    if terms.anchor is CadenceAnchor.CALENDAR:
        return add_months(last, terms.every_months)
    if member_since is None:  # refused by last_evaluation already; for the type checker
        raise InvalidInput("no membership start", field="member_since", rule="OIP-3")
    months = (last.year - member_since.year) * 12 + last.month - member_since.month
    return add_months(member_since, months + terms.every_months)


def valid_until(as_of: date, terms: EarnedStatusTerms, member_since: date | None = None) -> date:
    """The last day of the status assigned at the last evaluation."""
    return days_before(next_evaluation(as_of, terms, member_since), 1)
