"""RWD-1 / RWD-3: what the vendor's reward offers say about an opportunity, and the
partner's public-sector pool.

* :func:`payout_method` — how the partner is paid, chosen at subscription (RWD-3): the
  reward preferences of the registering organisation, else of its principal (an
  associate follows its principal, OPN-8); money when none was recorded.
* :func:`assess` — on acceptance: a commercial deal is eligible or not (collaboration
  goes on either way); a public-sector deal enters the partner's pool or not (configured
  countries, new sales and extensions of the configured families, and only for partners
  paid in credits). The pool row follows the deal; the partner is e-mailed the outcome,
  and told when its pool reaches the thresholds.
* :func:`leave_pool` — a lost or refused deal leaves the pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alliance.domain.engagement_rewards import (
    Deal,
    OfferAssessment,
    PayoutMethod,
    PoolStatus,
    Sector,
    assess_deal,
    pool_status,
)
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import RewardPayout
from alliance.services.engagements.notices import engagement_recipients, send
from alliance.services.engagements.ports import EngagementRecord
from alliance.services.engagements.program import EngagementProgram
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class MethodChoice:
    method: PayoutMethod
    reason: str


def payout_method(uow: UnitOfWork, partner_id: OrganizationId) -> MethodChoice:
    """RWD-3: the payout method chosen at subscription (see the module doc)."""
    organization = uow.organizations.get(partner_id)
    candidates = [partner_id]
    if organization is not None and organization.parent_id is not None:
        candidates.append(organization.parent_id)
    for candidate in candidates:
        preferences = uow.memberships.reward_preferences(candidate)
        if preferences is not None:
            method = (
                PayoutMethod.PARTNER_CREDITS
                if preferences.payout is RewardPayout.PARTNER_CREDITS
                else PayoutMethod.MONEY
            )
            whose = "its" if candidate == partner_id else f"its principal {candidate}'s"
            return MethodChoice(method, f"paid in {method.value}: {whose} choice at subscription")
    return MethodChoice(
        PayoutMethod.MONEY, "paid in money: no payout method chosen at subscription"
    )


def latest_deal(uow: UnitOfWork, engagement_id: str) -> Deal | None:
    deals = uow.engagements.deals(engagement_id)
    return deals[-1].deal if deals else None


@dataclass(frozen=True)
class Assessment:
    """The offers' verdict on the deal, and the pool after it (public sector)."""

    offer: OfferAssessment
    method: MethodChoice
    pool: PoolStatus | None = None
    pool_reached: bool = False

    @property
    def explanation(self) -> tuple[str, ...]:
        lines = [f"{self.method.reason} [RWD-3]", *self.offer.explanation]
        if self.pool is not None:
            lines += self.pool.explanation
        return tuple(lines)


def refresh_pool(
    uow: UnitOfWork,
    deal: Deal,
    offer: OfferAssessment,
    program: EngagementProgram,
    at: datetime,
) -> tuple[PoolStatus, bool]:
    """Put the deal in (or take it out of) its partner's pool; the pool's status after,
    and whether this change made it reach its thresholds."""
    partner = OrganizationId(deal.partner_id)
    thresholds = program.offers.public_pool.thresholds
    before = pool_status(uow.engagements.pool(partner, deal.currency), thresholds)
    if offer.pooled:
        uow.engagements.put_in_pool(partner, deal.engagement_id, offer.qualifying_value, at)
    else:
        uow.engagements.remove_from_pool(partner, deal.engagement_id)
    after = pool_status(uow.engagements.pool(partner, deal.currency), thresholds)
    return after, after.eligible and not before.eligible


def assess(
    uow: UnitOfWork, record: EngagementRecord, program: EngagementProgram, at: datetime
) -> Assessment | None:
    """RWD-1 on acceptance (see the module doc); None for account planning."""
    deal = latest_deal(uow, record.id)
    if deal is None:
        return None
    method = payout_method(uow, record.partner_id)
    offer = assess_deal(deal, method.method, program.offers)
    status: PoolStatus | None = None
    reached = False
    if deal.sector is Sector.PUBLIC:
        status, reached = refresh_pool(uow, deal, offer, program, at)
    found = Assessment(offer, method, status, reached)
    _tell_partner(uow, record, found, at)
    return found


def leave_pool(uow: UnitOfWork, record: EngagementRecord) -> None:
    """A refused or lost deal is no longer in the partner's pool (RWD-1)."""
    uow.engagements.remove_from_pool(record.partner_id, record.id)


def _tell_partner(
    uow: UnitOfWork, record: EngagementRecord, found: Assessment, at: datetime
) -> None:
    e = record.engagement
    outcome = found.offer.outcome.value
    if found.offer.sector is Sector.COMMERCIAL:
        subject = f"Opportunity {e.reference}: {outcome.replace('_', ' ')} for rewards"
    else:
        verdict = "enters" if found.offer.pooled else "does not enter"
        subject = f"Opportunity {e.reference} {verdict} your public-sector pool"
    recipients = engagement_recipients(uow, e, record.submitted_by)
    send(
        uow,
        event_type="engagement.assessed",
        event_id=f"engagement.assessed:{e.id}:{at.isoformat()}",
        organization_id=e.partner_id,
        payload={"engagement_id": e.id, "outcome": outcome, "sector": found.offer.sector.value},
        recipients=recipients,
        subject=subject,
        lines=[*found.explanation, "[RWD-1]"],
        template="engagement_assessed",
        at=at,
    )
    if found.pool_reached and found.pool is not None:
        send(
            uow,
            event_type="reward_pool.reached",
            event_id=f"reward_pool.reached:{e.partner_id}:{e.id}",
            organization_id=e.partner_id,
            payload={"partner_id": e.partner_id, "total": found.pool.total.to_json()},
            recipients=recipients,
            subject="Your public-sector pool reached its thresholds",
            lines=[
                *found.pool.explanation,
                "Your pooled public-sector deals are now eligible for rewards. [RWD-1]",
            ],
            template="reward_pool_reached",
            at=at,
        )
