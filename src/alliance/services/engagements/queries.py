"""Reading engagements: one in detail, a page of them, its history — within tenancy (X-6).

A partner's people see their own company's engagements; vendor staff see every one. The
stored duplicate check (CCE-4) names the engagements it matched: a partner is shown its
own company's by id, and another partner's only as "an existing engagement" — the
vendor's verdict and reasons, without another partner's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.access import Actor
from alliance.domain.engagements import (
    Category,
    Customer,
    Move,
    Status,
    TransitionRecord,
    next_moves,
)
from alliance.domain.errors import Forbidden, InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.services.engagements.access import scope, visible_engagement
from alliance.services.engagements.ports import (
    AttachmentRecord,
    DealRecord,
    EngagementFilter,
    EngagementRecord,
    NoteRecord,
    PayoutRecord,
    StoredDuplicateCheck,
)
from alliance.services.ports import UnitOfWork

MAX_PAGE = 500
HIDDEN = "an existing engagement"


@dataclass(frozen=True)
class EngagementDetail:
    """An engagement with everything around it, as its viewer may see it."""

    record: EngagementRecord
    notes: tuple[NoteRecord, ...]
    attachments: tuple[AttachmentRecord, ...]
    transitions: tuple[TransitionRecord, ...]
    deals: tuple[DealRecord, ...]
    payouts: tuple[PayoutRecord, ...]
    moves: tuple[Move, ...]
    duplicate: StoredDuplicateCheck | None


def redacted(
    check: StoredDuplicateCheck | None, visible: list[OrganizationId] | None, owners: dict[str, str]
) -> StoredDuplicateCheck | None:
    """The check with other partners' engagement ids replaced by :data:`HIDDEN`."""
    if check is None or visible is None:
        return check
    hidden = [m for m in check.matches if owners.get(m) not in visible]
    if not hidden:
        return check
    lines = []
    for line in check.explanation:
        for engagement_id in hidden:
            line = line.replace(engagement_id, HIDDEN)
        lines.append(line)
    matches = tuple(HIDDEN if m in hidden else m for m in check.matches)
    return StoredDuplicateCheck(check.verdict, matches, tuple(lines))


def detail(uow: UnitOfWork, actor: Actor, record: EngagementRecord) -> EngagementDetail:
    """Inside an open unit of work: the detail of an engagement ``actor`` may see."""
    visible = scope(uow, actor)
    owners: dict[str, str] = {}
    if record.duplicate is not None:
        for match in record.duplicate.matches:
            found = uow.engagements.get(match)
            if found is not None:
                owners[match] = found.partner_id
    return EngagementDetail(
        record=record,
        notes=tuple(uow.engagements.notes(record.id)),
        attachments=tuple(uow.engagements.attachments(record.id)),
        transitions=tuple(uow.engagements.transitions(record.id)),
        deals=tuple(uow.engagements.deals(record.id)),
        payouts=tuple(uow.engagements.payouts(None, record.id)),
        moves=next_moves(record.engagement),
        duplicate=redacted(record.duplicate, visible, owners),
    )


def list_customers(
    uow: UnitOfWork, actor: Actor, partner_id: OrganizationId | None = None
) -> list[Customer]:
    """The customers a partner saved for reuse (CCE-3): a partner's people see their own
    organisation's; staff name the partner."""
    with uow:
        visible = scope(uow, actor)
        if partner_id is None:
            if actor.organization_id is None:
                raise InvalidInput("name the partner whose customers to list", field="partner_id")
            partner_id = actor.organization_id
        if visible is not None and partner_id not in visible:
            raise Forbidden(
                f"the customers of {partner_id} are not yours", field="partner_id", rule="X-6"
            )
        return uow.engagements.customers(partner_id)


def get_engagement(uow: UnitOfWork, actor: Actor, engagement_id: str) -> EngagementDetail:
    with uow:
        return detail(uow, actor, visible_engagement(uow, actor, engagement_id))


def list_engagements(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_id: OrganizationId | None = None,
    status: Status | None = None,
    category: Category | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[EngagementRecord]:
    """A page of the engagements ``actor`` may see, newest first (X-6)."""
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise InvalidInput(f"limit is 1 to {MAX_PAGE} and offset not negative", field="limit")
    with uow:
        visible = scope(uow, actor)
        partners: list[OrganizationId] | None = visible
        if partner_id is not None:
            partners = [partner_id] if visible is None or partner_id in visible else []
        if partners == []:
            return []
        return uow.engagements.search(
            EngagementFilter(partners, status, category, limit=limit, offset=offset)
        )
