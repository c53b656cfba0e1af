"""A member's status on a day (OIP-2 … OIP-4), computed from its revenue facts.

The status a partner holds on ``on`` is the one assigned at the last evaluation date
before it (1 January / 1 July, or from the membership start: OIP-3) from the counted
revenue of the 6 full months before that date — :func:`alliance.domain.statuses.assign_status`
over the ``REVENUE`` facts of the store, explained (X-3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.facts import RevenueLine
from alliance.domain.statuses import EarnedStatusTerms, StatusOutcome, assign_status
from alliance.services.status_incentives.facts import StatusMember, member, revenue_lines
from alliance.services.tier_facts.ports import TierFactsStore


@dataclass(frozen=True)
class Standing:
    """A member, its revenue lines, and the status they give it on a day."""

    member: StatusMember
    revenue: tuple[RevenueLine, ...]
    outcome: StatusOutcome


def standing(
    facts: TierFactsStore, partner_id: str, on: date, terms: EarnedStatusTerms
) -> Standing:
    """``partner_id``'s status on ``on`` with the facts that decided it (OIP-2 … OIP-4)."""
    found = member(facts, partner_id, terms.program)
    lines = revenue_lines(facts, partner_id)
    outcome = assign_status(partner_id, found.member_type, lines, on, terms, found.member_since)
    return Standing(found, lines, outcome)
