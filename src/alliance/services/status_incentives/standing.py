"""A member's status on a day (OIP-2 … OIP-4): the one its last evaluation assigned.

The status a partner holds on ``on`` is the one assigned at the last evaluation date
before it (1 January / 1 July, or from the membership start: OIP-3) from the counted
revenue of the 6 full months before that date. When an evaluation run of that period is
stored (``uow.tier_outcomes``, the evaluation use case's outcomes), its status is the
one held — a revenue fact imported later does not change a status mid-period; otherwise
the status is computed with :func:`alliance.domain.statuses.assign_status` from the
``REVENUE`` facts, explained (X-3) either way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from alliance.domain.errors import InvalidInput
from alliance.domain.explanations import Explanation, Reason
from alliance.domain.facts import RevenueLine
from alliance.domain.outcomes import Outcome, Subject
from alliance.domain.statuses import EarnedStatusTerms, StatusOutcome, assign_status
from alliance.services.evaluation.ports import OutcomeStore
from alliance.services.status_incentives.facts import StatusMember, member, revenue_lines
from alliance.services.tier_facts.ports import TierFactsStore


@dataclass(frozen=True)
class Standing:
    """A member, its revenue lines, and the status it holds on a day; ``run`` names the
    stored evaluation run it comes from (None: computed from the facts)."""

    member: StatusMember
    revenue: tuple[RevenueLine, ...]
    outcome: StatusOutcome
    run: str | None = None


def standing(
    facts: TierFactsStore,
    partner_id: str,
    on: date,
    terms: EarnedStatusTerms,
    outcomes: OutcomeStore | None = None,
) -> Standing:
    """``partner_id``'s status on ``on`` with the facts that decided it (OIP-2 … OIP-4)."""
    found = member(facts, partner_id, terms.program)
    lines = revenue_lines(facts, partner_id)
    outcome = assign_status(partner_id, found.member_type, lines, on, terms, found.member_since)
    saved = (
        _stored(outcomes, terms.program, partner_id, on, outcome) if outcomes is not None else None
    )
    if saved is None:
        return Standing(found, lines, outcome)
    try:
        status = terms.status(saved.result)
    except InvalidInput:  # a run under a definition whose statuses differ: not used
        return Standing(found, lines, outcome)
    member_type = found.member_type
    above = [s for s in terms.statuses if member_type in s.thresholds and s.rank > status.rank]
    run = f"{saved.program_code} {saved.definition_version} run of {saved.as_of}"
    explanation = Explanation(
        saved.explanation.summary,
        (
            Reason("OIP-3", f"assigned by the evaluation {run}"),
            *saved.explanation.reasons,
        ),
        saved.explanation.gap,
        saved.explanation.next_threshold,
        saved.explanation.steps,
    )
    held = replace(
        outcome,
        status=status,
        next_status=above[0] if above else None,
        explanation=explanation,
    )
    return Standing(found, lines, held, run)


def _stored(
    outcomes: OutcomeStore, program: str, partner_id: str, on: date, computed: StatusOutcome
) -> Outcome | None:
    """The stored status outcome of the evaluation period ``on`` falls in, if any."""
    for saved in outcomes.latest(program, [partner_id], on_or_before=on):
        if saved.subject is not Subject.STATUS or saved.subject_id != computed.member_type:
            continue
        evaluated = saved.details.get("evaluated_on")
        if evaluated == computed.evaluated_on.isoformat() and (
            saved.until is None or saved.until >= on
        ):
            return saved
    return None
