"""The tier points earn (PEX-1, PEX-6): the highest tier whose threshold the points
earned over the trailing window reach (12 months: this month and the 11 before it).

A partner with many certifications and modest sales progresses too: certification
points count like influence points. The explanation gives the gap to the next tier and
the two ways to close it — certifications, or influenced deal value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from alliance.domain.calendar import Month
from alliance.domain.explanations import Explanation, Reason, Step, plain
from alliance.domain.modular_tiers.points import PointsAward
from alliance.domain.modular_tiers.terms import ModularTierTerms, TierTerms


@dataclass(frozen=True)
class TierOutcome:
    partner_id: str
    as_of: date
    tier: TierTerms | None
    points: Decimal
    next_tier: TierTerms | None
    explanation: Explanation


def tier_for(
    partner_id: str, awards: Iterable[PointsAward], as_of: date, terms: ModularTierTerms
) -> TierOutcome:
    """The tier ``partner_id``'s points earned in the window give on ``as_of`` (PEX-6)."""
    last = Month.containing(as_of)
    first = last.shift(-(terms.points_window_months - 1))
    counted = [a for a in awards if a.partner_id == partner_id and first <= a.month <= last]
    points = sum((a.points for a in counted), Decimal(0))
    reached = [t for t in terms.tiers if points >= t.points_needed]
    tier = reached[-1] if reached else None
    above = [t for t in terms.tiers if t.points_needed > points]
    next_tier = above[0] if above else None
    reasons = [
        Reason("PEX-6", f"{plain(a.points)} {a.source} points in {a.month}") for a in counted
    ]
    reasons.append(Reason("PEX-6", f"{plain(points)} points earned from {first} to {last}"))
    summary = f"tier {tier.name if tier else 'none'} with {plain(points)} points"
    if next_tier is None:
        return TierOutcome(
            partner_id, as_of, tier, points, None, Explanation(summary, tuple(reasons))
        )
    gap = next_tier.points_needed - points
    steps = _steps(gap, terms)
    explanation = Explanation(
        summary,
        tuple(reasons),
        gap,
        f"{next_tier.name} ({plain(next_tier.points_needed)} points)",
        steps,
    )
    return TierOutcome(partner_id, as_of, tier, points, next_tier, explanation)


def _steps(gap: Decimal, terms: ModularTierTerms) -> tuple[Step, ...]:
    steps = []
    award = terms.certification_points
    if award is not None:
        count = (gap * award.per / award.points).to_integral_value(rounding=ROUND_CEILING)
        gain = count * award.points / award.per
        steps.append(
            Step(
                "certifications",
                count,
                gain,
                f"{plain(count)} more certifications: +{plain(gain)} points",
                "PEX-6",
            )
        )
    award = terms.influence_points
    if award is not None:
        amount = (gap * award.per / award.points).to_integral_value(rounding=ROUND_CEILING)
        steps.append(
            Step(
                "influenced_deals",
                amount,
                gap,
                f"{plain(amount)} {terms.currency} more influenced deals: +{plain(gap)} points",
                "PEX-4",
            )
        )
    return tuple(steps)
