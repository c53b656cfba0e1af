"""Moving an engagement through its lifecycle (CCE-6), by the vendor.

The allowed moves are the domain's table (:data:`~alliance.domain.engagements.LIFECYCLES`);
any other move is refused naming CCE-6 and saying where the engagement can go. A move is
named by its target state (``acknowledged``) or by its name (``acknowledge``).

Every move is recorded — from, to, who, when — in the engagement's transitions and the
audit journal (X-4). Effects:

* ``acknowledge`` e-mails the partner (CCE-6), through the outbox;
* ``accept`` assesses the opportunity against the reward offers (RWD-1): eligible or not
  (commercial), into the public-sector pool or not, and tells the partner;
* ``refuse`` and ``lose`` take a deal out of the pool;
* ``release_incentive`` is not a manual move: releasing the payout makes it (RWD-4);
* every move is an ``engagement.moved`` event for the webhooks that subscribe to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.engagements import LIFECYCLES, IllegalTransition, Status, transition
from alliance.domain.errors import InvalidInput
from alliance.services.engagement_rewards.assessments import Assessment, assess, leave_pool
from alliance.services.engagements import notices
from alliance.services.engagements.access import require_reviewer, visible_engagement
from alliance.services.engagements.ports import EngagementRecord
from alliance.services.engagements.program import EngagementProgram
from alliance.services.engagements.queries import EngagementDetail, detail
from alliance.services.engagements.submissions import ENTITY
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class MoveResult:
    engagement: EngagementDetail
    emails: int = 0
    assessment: Assessment | None = None


def target_of(record: EngagementRecord, to: str) -> Status:
    """``to`` as a state: a state's value, or the name of one of the category's moves."""
    cleaned = to.strip().lower().replace("-", "_")
    for move in LIFECYCLES[record.engagement.category]:
        if move.name == cleaned:
            return move.target
    try:
        return Status(cleaned)
    except ValueError:
        known = sorted({s.value for s in Status})
        raise InvalidInput(
            f"unknown state {to!r}; states are: {', '.join(known)}", field="to", rule="CCE-6"
        ) from None


def record_move(
    uow: UnitOfWork,
    actor: Actor,
    record: EngagementRecord,
    target: Status,
    clock: Clock,
) -> tuple[EngagementRecord, int]:
    """Make one move of the table, record it and send its e-mail; the record after, and
    how many e-mails were queued. Inside an open unit of work."""
    now = clock.now()
    moved, move = transition(record.engagement, target, actor.name, now)
    after = replace(record, engagement=moved, updated_at=now, version=record.version + 1)
    uow.engagements.update(after, author=actor.name, at=now)
    uow.engagements.add_transition(move)
    uow.audit.append(
        audit.changed(
            actor,
            ENTITY,
            record.id,
            {"status": move.source.value},
            {"status": move.target.value},
            now,
            action=f"engagement.{move.move}",
            organization_id=record.partner_id,
        )
    )
    notices.moved(uow, moved, move.source, after.version, now)
    emails = 0
    if move.effects:
        emails = notices.acknowledged(uow, moved, record.submitted_by, now).emails
    return after, emails


def move_engagement(
    uow: UnitOfWork,
    actor: Actor,
    engagement_id: str,
    to: str,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> MoveResult:
    """Move an engagement to ``to`` (see the module doc)."""
    require_reviewer(actor)
    with uow:
        record = visible_engagement(uow, actor, engagement_id, for_update=True)
        target = target_of(record, to)
        if target is Status.INCENTIVE_RELEASED:
            raise IllegalTransition(
                f"{record.id} moves to {target} when its payout is released "
                "(alliance engagements payout release), not by hand",
                field="status",
            )
        after, emails = record_move(uow, actor, record, target, clock)
        found: Assessment | None = None
        if target is Status.ACCEPTED:
            found = assess(uow, after, program, clock.now())
        elif target in (Status.NOT_ELIGIBLE, Status.INELIGIBLE):
            leave_pool(uow, after)
        result = MoveResult(detail(uow, actor, after), emails, found)
        uow.commit()
    return result
