"""Who may use the engagement tool, and who may see or move which engagement (X-6).

* **Standing (CCE-1, CCE-2, OPN-15).** The partner needs an active membership —
  :func:`~alliance.services.memberships.access.active_membership` refuses an expired
  one naming OPN-15 — at level 1 or above (CCE-1). Checked at every use, so an expiry
  stops engagement access at once.
* **Users (CCE-2).** A partner's person acts in the tool only with an active access
  granted by an administrator; checked again against the person's current roles at
  every use. An administrator gets access automatically (CCE-1) the first time it uses
  the tool, if a place is free — a deactivated administrator stays deactivated.
* **Seeing.** A partner's people see the engagements of their own company (principal
  and associates, OPN-3) and nobody else's: another company's engagement is refused alike
  whether it exists or not. Vendor staff with a viewing role see every one.
* **Moving.** Review moves (acknowledge, review, accept, win, lose…) are the vendor's:
  staff who manage organisations, or the system (CCE-6). Payouts and supplier accounts
  are the vendor's finance operations (RWD-4).
"""

from __future__ import annotations

from datetime import date

from alliance.domain.access import (
    Actor,
    ActorKind,
    Permission,
    require_authenticated,
    require_everywhere,
    sees_everything,
    tenancy_scope,
)
from alliance.domain.engagements import (
    MembershipStanding,
    NoEngagementAccess,
    ToolAccess,
    automatic_access,
    check_standing,
    is_administrator,
    require_access,
)
from alliance.domain.errors import Forbidden, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.people import Person
from alliance.services.engagements.ports import EngagementRecord
from alliance.services.engagements.program import EngagementProgram
from alliance.services.memberships.access import active_membership
from alliance.services.ports import UnitOfWork


def standing(
    uow: UnitOfWork, organization_id: OrganizationId, program: EngagementProgram, today: date
) -> MembershipStanding:
    """CCE-1 / CCE-2: the partner's membership is active (OPN-15) at the tool's level."""
    membership = active_membership(uow, organization_id, today)
    rank = program.membership.rank_of(membership.level)
    found = MembershipStanding(organization_id, True, rank)
    check_standing(found, program.users)
    return found


def person_of(uow: UnitOfWork, actor: Actor) -> Person | None:
    """The person a member actor is: by its user account, else by its e-mail label (the
    CLI's ``--as``)."""
    if actor.kind is not ActorKind.MEMBER:
        return None
    if actor.user_id is not None:
        user = uow.users.get(actor.user_id)
        if user is not None:
            return uow.people.get(user.person_id)
    if actor.label and "@" in actor.label:
        return uow.people.by_email(actor.label)
    return None


def require_person(uow: UnitOfWork, actor: Actor) -> Person:
    require_authenticated(actor)
    person = person_of(uow, actor)
    if person is None or person.organization_id is None:
        raise NoEngagementAccess(
            f"{actor.name} is not a partner's person: the engagement tool is for partners' "
            "users (vendor staff review engagements instead)",
            field="actor",
        )
    return person


def require_tool_user(
    uow: UnitOfWork, actor: Actor, program: EngagementProgram, today: date
) -> tuple[Person, ToolAccess]:
    """CCE-2: the acting person, with an active access, in a partner in good standing."""
    person = require_person(uow, actor)
    assert person.organization_id is not None
    found = standing(uow, person.organization_id, program, today)
    accesses = uow.engagements.tool_users(person.organization_id)
    mine = next((a for a in accesses if a.person_id == person.id), None)
    if mine is None and is_administrator(person, person.organization_id):
        uow.engagements.lock_partner(person.organization_id)
        granted = automatic_access(person, membership=found, current=accesses, policy=program.users)
        uow.engagements.save_tool_user(granted)
        accesses = [*accesses, granted]
    return person, require_access(person, accesses, found, program.users)


def scope(uow: UnitOfWork, actor: Actor) -> list[OrganizationId] | None:
    """The partners whose engagements ``actor`` may list; None for every one (X-6)."""
    require_authenticated(actor)
    if sees_everything(actor):
        return None
    if actor.kind is not ActorKind.MEMBER or actor.organization_id is None:
        return []
    company = uow.organizations.company_hierarchy(actor.organization_id)
    return tenancy_scope(actor, company)


def _not_yours(engagement_id: str) -> Forbidden:
    return Forbidden(f"engagement {engagement_id} is not yours", field="engagement_id", rule="X-6")


def visible_engagement(
    uow: UnitOfWork, actor: Actor, engagement_id: str, *, for_update: bool = False
) -> EngagementRecord:
    """The engagement if ``actor`` may see it: members get 403 for another company's and
    for an unknown id alike, staff 404 for an unknown one (X-6)."""
    require_authenticated(actor)
    record = uow.engagements.get(engagement_id, for_update=for_update)
    allowed = scope(uow, actor)
    if record is None:
        if allowed is None:
            raise NotFound(f"no engagement {engagement_id}", field="engagement_id")
        raise _not_yours(engagement_id)
    if allowed is not None and record.partner_id not in allowed:
        raise _not_yours(engagement_id)
    return record


def require_own_engagement(person: Person, record: EngagementRecord) -> None:
    """A partner's users change their own organisation's engagements only."""
    if person.organization_id != record.partner_id:
        raise Forbidden(
            f"engagement {record.id} belongs to {record.partner_id}; its own users change it",
            field="engagement_id",
            rule="X-6",
        )


def require_reviewer(actor: Actor) -> None:
    """CCE-6: the vendor moves engagements through review (staff who manage partners)."""
    require_everywhere(actor, Permission.MANAGE_ORGANIZATION)


def require_finance(actor: Actor) -> None:
    """RWD-4 / RWD-5: the vendor determines and pays rewards (finance staff, the system)."""
    require_everywhere(actor, Permission.MANAGE_FINANCE)
