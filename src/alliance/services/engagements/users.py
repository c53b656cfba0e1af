"""The engagement tool's users: add, deactivate, list (CCE-1, CCE-2).

* A partner administrator adds a person of its own organisation holding a partner role
  (CCE-2: the administrator validates them); an administrator adding itself gets the
  automatic access of CCE-1. Vendor staff and the system add users only in the name of
  one of the partner's administrators (the CLI's ``--as``): the rule is the partner's.
* **At most 10 active users** per partner (CCE-1, configurable): the 11th is refused
  naming CCE-1 until one is deactivated. The count is taken under a lock on the partner
  (PostgreSQL row lock; SQLite's write lock), so two administrators adding at once
  cannot pass 10 together.
* Every change is audited (X-4).
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain import audit
from alliance.domain.access import Actor, Permission
from alliance.domain.clock import Clock
from alliance.domain.engagements import (
    NotEngagementUserManager,
    ToolAccess,
    active_users,
    deactivate,
    grant_access,
)
from alliance.domain.errors import NotFound
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.people import Person
from alliance.services.engagements.access import require_person, standing
from alliance.services.engagements.program import EngagementProgram
from alliance.services.organizations import require_organization
from alliance.services.ports import UnitOfWork

ENTITY = "engagement_user"


@dataclass(frozen=True)
class ToolUserView:
    person_id: PersonId
    name: str
    email: str
    organization_id: OrganizationId
    active: bool
    granted_by: PersonId | None


@dataclass(frozen=True)
class ToolUsers:
    """A partner's users of the tool, and how many places are left (CCE-1)."""

    organization_id: OrganizationId
    users: tuple[ToolUserView, ...]
    limit: int | None

    @property
    def active(self) -> int:
        return sum(u.active for u in self.users)

    @property
    def places_left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.active, 0)


def _view(uow: UnitOfWork, access: ToolAccess) -> ToolUserView:
    person = uow.people.get(access.person_id)
    name, email = (person.name, person.email) if person is not None else ("?", "")
    return ToolUserView(
        access.person_id, name, email, access.organization_id, access.active, access.granted_by
    )


def _record(access: ToolAccess) -> dict[str, object]:
    return {
        "person_id": access.person_id,
        "organization_id": access.organization_id,
        "active": access.active,
        "granted_by": access.granted_by,
    }


def _target(uow: UnitOfWork, person_id: PersonId) -> Person:
    person = uow.people.get(person_id)
    if person is None:
        raise NotFound(f"no person {person_id}", field="person_id")
    return person


def _administrator(uow: UnitOfWork, actor: Actor, organization_id: OrganizationId) -> Person:
    """The partner administrator acting (CCE-1): a member acts in its own name."""
    person = require_person(uow, actor)
    if person.organization_id != organization_id:
        raise NotEngagementUserManager(
            f"{person.name} is not one of {organization_id}'s people; its administrators "
            "manage its engagement users"
        )
    return person


def add_user(
    uow: UnitOfWork,
    actor: Actor,
    person_id: PersonId,
    *,
    program: EngagementProgram,
    clock: Clock,
) -> ToolUserView:
    """Give ``person_id`` access to the engagement tool (CCE-1, CCE-2)."""
    now = clock.now()
    with uow:
        person = _target(uow, person_id)
        if person.organization_id is None:
            raise NotFound(f"{person_id} is not a partner's person", field="person_id")
        org = person.organization_id
        require_organization(uow, actor, Permission.VIEW_ORGANIZATION, org)
        by = _administrator(uow, actor, org)
        uow.engagements.lock_partner(org)
        found = standing(uow, org, program, clock.today())
        current = uow.engagements.tool_users(org)
        before = next((a for a in current if a.person_id == person.id), None)
        automatic = by.id == person.id
        access = grant_access(
            person,
            by=None if automatic else by,
            membership=found,
            current=current,
            policy=program.users,
        )
        if before != access:
            uow.engagements.save_tool_user(access)
            if before is None:
                record = audit.created(
                    actor, ENTITY, person.id, _record(access), now, organization_id=org
                )
            else:
                record = audit.changed(
                    actor,
                    ENTITY,
                    person.id,
                    _record(before),
                    _record(access),
                    now,
                    organization_id=org,
                )
            uow.audit.append(record)
        view = _view(uow, access)
        uow.commit()
    return view


def deactivate_user(
    uow: UnitOfWork,
    actor: Actor,
    person_id: PersonId,
    *,
    clock: Clock,
) -> ToolUserView:
    """CCE-1: an administrator deactivates a user, which frees a place."""
    now = clock.now()
    with uow:
        access = uow.engagements.tool_user(person_id)
        if access is None:
            raise NotFound(f"{person_id} is not a user of the engagement tool", field="person_id")
        require_organization(uow, actor, Permission.VIEW_ORGANIZATION, access.organization_id)
        by = _administrator(uow, actor, access.organization_id)
        after = deactivate(access, by=by)
        if after != access:
            uow.engagements.save_tool_user(after)
            uow.audit.append(
                audit.changed(
                    actor,
                    ENTITY,
                    person_id,
                    _record(access),
                    _record(after),
                    now,
                    organization_id=access.organization_id,
                )
            )
        view = _view(uow, after)
        uow.commit()
    return view


def list_users(
    uow: UnitOfWork, actor: Actor, organization_id: OrganizationId, *, program: EngagementProgram
) -> ToolUsers:
    """The partner's users of the tool, active first (its company's people, or staff)."""
    with uow:
        require_organization(uow, actor, Permission.VIEW_ORGANIZATION, organization_id)
        accesses = uow.engagements.tool_users(organization_id)
        ordered = active_users(accesses, organization_id) + [a for a in accesses if not a.active]
        return ToolUsers(
            organization_id,
            tuple(_view(uow, a) for a in ordered),
            program.users.max_active_users,
        )
