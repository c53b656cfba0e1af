"""Designation status per area: in progress, qualified, enrolled, renewal due (MCPP-8).

* **in_progress** — the area has not qualified in the window, or qualified and the
  partner let 30 days pass without enrolling (counted from the last day it qualified).
* **qualified** — it qualified on at least one day of the window; the partner may enrol
  (pay) until ``enrol_by``. One fee covers every area, so an already enrolled partner
  adds a newly qualified area without paying again.
* **enrolled** — the partner enrolled with this area designated; the designation is kept
  until the anniversary even if the score drops.
* **enrolled_renewal_due** — the same, from the first day of the anniversary month; the
  renewal is judged on the window anchored on the anniversary month.

After the anniversary without a renewal (a new :class:`Enrolment`), the designation is
gone and the area is judged like a partner that never enrolled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from alliance.domain.calendar import days_after, start_of_month
from alliance.domain.errors import InvalidInput
from alliance.domain.explanations import Explanation, Reason
from alliance.domain.scoring.facts import PartnerFacts
from alliance.domain.scoring.points import AreaScore, score_area
from alliance.domain.scoring.qualification import Qualification, qualification_window, qualify
from alliance.domain.scoring.terms import AreaTerms, ScorecardTerms


class DesignationStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    QUALIFIED = "qualified"
    ENROLLED = "enrolled"
    ENROLLED_RENEWAL_DUE = "enrolled_renewal_due"


HELD = frozenset({DesignationStatus.ENROLLED, DesignationStatus.ENROLLED_RENEWAL_DUE})


@dataclass(frozen=True)
class Enrolment:
    """The partner paid on ``enrolled_on``; ``areas`` were designated until ``anniversary``."""

    enrolled_on: date
    anniversary: date
    areas: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "areas", frozenset(self.areas))
        if self.anniversary <= self.enrolled_on:
            raise InvalidInput(
                f"an anniversary ({self.anniversary}) comes after the enrolment "
                f"({self.enrolled_on})",
                field="anniversary",
                rule="MCPP-8",
            )

    def active_on(self, day: date) -> bool:
        return self.enrolled_on <= day <= self.anniversary


@dataclass(frozen=True)
class AreaOutcome:
    """Where a partner stands in one area on ``as_of``, with today's score and why."""

    area: str
    area_name: str
    as_of: date
    status: DesignationStatus
    score: AreaScore
    qualification: Qualification
    enrol_by: date | None
    designated_until: date | None
    explanation: Explanation

    @property
    def holds_designation(self) -> bool:
        return self.status in HELD


def designation_status(
    area: AreaTerms,
    terms: ScorecardTerms,
    facts: PartnerFacts,
    as_of: date,
    enrolment: Enrolment | None = None,
) -> AreaOutcome:
    """The status of ``facts`` in ``area`` on ``as_of`` (MCPP-2, MCPP-8), explained."""
    today = score_area(area, terms, facts, as_of)
    designated = enrolment is not None and area.id in enrolment.areas and enrolment.active_on(as_of)
    if designated and enrolment is not None:
        kept = terms.kept_until_anniversary or (
            qualify(area, terms, facts, qualification_window(as_of, terms)).qualifies
        )
        if kept:  # MCPP-8: kept until the anniversary, unless the program says otherwise
            return _designated(area, terms, facts, as_of, enrolment, today)
    window = qualification_window(as_of, terms)
    run = qualify(area, terms, facts, window)
    reasons = [*today.explanation.reasons]
    if not run.qualifies or run.last_day is None:
        reasons.append(Reason("MCPP-8", f"did not qualify on any day from {_span(run)}"))
        return _outcome(
            area,
            as_of,
            DesignationStatus.IN_PROGRESS,
            today,
            run,
            None,
            None,
            today.explanation,
            reasons,
        )
    enrol_by = days_after(run.last_day, terms.enrol_within_days)
    qualified_on = f"qualified on {run.first_day}" + (
        f" (last on {run.last_day})" if run.last_day != run.first_day else ""
    )
    if as_of > enrol_by:
        reasons.append(Reason("MCPP-8", f"{qualified_on} but did not enrol by {enrol_by}"))
        return _outcome(
            area,
            as_of,
            DesignationStatus.IN_PROGRESS,
            today,
            run,
            None,
            None,
            today.explanation,
            reasons,
        )
    if enrolment is not None and enrolment.active_on(as_of):
        fee = "already enrolled: no further fee"  # one fee covers every area
    elif terms.fee is not None:
        fee = f"enrol (fee {terms.fee} a year, every area)"
    else:
        fee = "enrol"
    reasons.append(Reason("MCPP-8", f"{qualified_on}; {fee} by {enrol_by}"))
    summary = Explanation(
        f"{area.name}: qualified for {terms.designation_name}; enrol by {enrol_by}"
    )
    return _outcome(
        area, as_of, DesignationStatus.QUALIFIED, today, run, enrol_by, None, summary, reasons
    )


def _designated(
    area: AreaTerms,
    terms: ScorecardTerms,
    facts: PartnerFacts,
    as_of: date,
    enrolment: Enrolment,
    today: AreaScore,
) -> AreaOutcome:
    renewal = qualify(area, terms, facts, qualification_window(as_of, terms, enrolment.anniversary))
    due = as_of >= start_of_month(enrolment.anniversary)
    status = DesignationStatus.ENROLLED_RENEWAL_DUE if due else DesignationStatus.ENROLLED
    reasons = [
        *today.explanation.reasons,
        Reason(
            "MCPP-8",
            f"{terms.designation_name} held until the anniversary {enrolment.anniversary}, "
            "whatever the score meanwhile",
        ),
    ]
    if due:
        verdict = (
            f"requalified on {renewal.first_day}: renews"
            if renewal.qualifies
            else f"has not requalified from {_span(renewal)}: not renewable yet"
        )
        reasons.append(Reason("MCPP-8", f"renewal due; {verdict}"))
    summary = Explanation(
        f"{area.name}: {terms.designation_name} until {enrolment.anniversary}"
        + (" — renewal due" if due else "")
    )
    return _outcome(
        area, as_of, status, today, renewal, None, enrolment.anniversary, summary, reasons
    )


def _outcome(
    area: AreaTerms,
    as_of: date,
    status: DesignationStatus,
    today: AreaScore,
    run: Qualification,
    enrol_by: date | None,
    until: date | None,
    base: Explanation,
    reasons: list[Reason],
) -> AreaOutcome:
    explanation = Explanation(
        base.summary, tuple(reasons), base.gap, base.next_threshold, base.steps
    )
    return AreaOutcome(area.id, area.name, as_of, status, today, run, enrol_by, until, explanation)


def _span(run: Qualification) -> str:
    if run.window is None:
        return "a window not yet open"
    return f"{run.window.start} to {run.window.end}"


@dataclass(frozen=True)
class PartnerScorecard:
    """A partner's outcome in every area on ``as_of`` (MCPP-5 dashboard)."""

    partner_id: str
    as_of: date
    areas: tuple[AreaOutcome, ...]

    def area(self, area_id: str) -> AreaOutcome:
        for outcome in self.areas:
            if outcome.area == area_id:
                return outcome
        raise KeyError(area_id)

    @property
    def designations(self) -> tuple[str, ...]:
        return tuple(o.area for o in self.areas if o.holds_designation)


def evaluate_scorecard(
    terms: ScorecardTerms, facts: PartnerFacts, as_of: date, enrolment: Enrolment | None = None
) -> PartnerScorecard:
    """Every area of ``terms`` for ``facts`` on ``as_of`` (MCPP-1, MCPP-2, MCPP-8)."""
    outcomes = tuple(
        designation_status(area, terms, facts, as_of, enrolment) for area in terms.areas
    )
    return PartnerScorecard(facts.partner_id, as_of, outcomes)
