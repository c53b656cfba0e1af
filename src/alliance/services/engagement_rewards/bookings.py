"""RWD-2: when the order is booked, the vendor records the deal as booked; if it changed
since submission, the thresholds are checked again and the payout recomputed.

The booking is a new version of the deal (v2, v3…), with its own lines, sector and order
kind (the vendor's, which may differ from what the partner declared); without lines, the
opportunity's products as they are now — so a partner's product edits since submission
(CCE-5, routed to the sales team) are what the re-check compares. The pool row of a
public-sector deal follows the booked value. The result explains the difference: deal
value at submission and at booking, the pool thresholds before and after, the payout
before → after. A deal whose payout was released is not booked again.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.engagement_rewards import (
    BookingRecheck,
    Deal,
    DealLine,
    OrderKind,
    Sector,
    assess_deal,
    recheck_at_booking,
)
from alliance.domain.engagements import Status
from alliance.domain.errors import BusinessRuleViolation, InvalidInput
from alliance.services.engagement_rewards.assessments import payout_method, refresh_pool
from alliance.services.engagements.access import require_reviewer, visible_engagement
from alliance.services.engagements.ports import DealRecord
from alliance.services.engagements.program import EngagementProgram
from alliance.services.ports import UnitOfWork

BOOKABLE = frozenset({Status.ACCEPTED, Status.ELIGIBLE})


@dataclass(frozen=True)
class Booking:
    """What the vendor booked: the lines (None: the opportunity's products now), sector,
    kind, country (None: the last version's)."""

    lines: tuple[DealLine, ...] | None = None
    sector: Sector | None = None
    order_kind: OrderKind | None = None
    country: str | None = None


def record_booking(
    uow: UnitOfWork,
    actor: Actor,
    engagement_id: str,
    booking: Booking,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> BookingRecheck:
    """Record the booked deal and re-check it (RWD-2)."""
    require_reviewer(actor)
    now = clock.now()
    with uow:
        record = visible_engagement(uow, actor, engagement_id, for_update=True)
        status = record.engagement.status
        if status not in BOOKABLE:
            raise BusinessRuleViolation(
                f"{record.id} is {status}: an order is booked on an accepted or won "
                "opportunity, before its payout is released",
                field="status",
                rule="RWD-2",
            )
        deals = uow.engagements.deals(record.id)
        if not deals:
            raise InvalidInput(f"{record.id} has no deal to book", field="engagement_id")
        submitted = deals[0].deal
        last = deals[-1].deal
        current = Deal.of_engagement(
            record.engagement, sector=last.sector, order_kind=last.order_kind
        )
        booked = Deal(
            engagement_id=record.id,
            partner_id=record.partner_id,
            sector=booking.sector or last.sector,
            country=(booking.country or last.country).upper(),
            order_kind=booking.order_kind or last.order_kind,
            lines=booking.lines if booking.lines is not None else current.lines,
            version=last.version + 1,
        )
        method = payout_method(uow, record.partner_id)
        pool = uow.engagements.pool(record.partner_id, booked.currency)
        recheck = recheck_at_booking(
            submitted,
            booked,
            method.method,
            offers=program.offers,
            rules=program.payout_rules,
            pool=pool,
        )
        uow.engagements.add_deal(DealRecord(booked, actor.name, now))
        if booked.sector is Sector.PUBLIC or last.sector is Sector.PUBLIC:
            offer = assess_deal(booked, method.method, program.offers)
            refresh_pool(uow, booked, offer, program, now)
        uow.audit.append(
            audit.created(
                actor,
                "engagement_deal",
                f"{record.id}:v{booked.version}",
                {
                    "engagement_id": record.id,
                    "version": booked.version,
                    "value": booked.value.to_json(),
                    "sector": booked.sector.value,
                    "order_kind": booked.order_kind.value,
                    "payout_before": recheck.submitted.amount.to_json(),
                    "payout_after": recheck.booked.amount.to_json(),
                },
                now,
                organization_id=record.partner_id,
            )
        )
        uow.commit()
    return recheck
