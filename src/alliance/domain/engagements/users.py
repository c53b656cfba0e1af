"""CCE-1 / CCE-2: who may use the engagement tool.

* The tool is for partners with an **active** membership at level 1 or above (CCE-1,
  CCE-2; the minimum level is configurable).
* A user belongs to the partner and holds a partner role (OPN-18). Administrators get
  access automatically; anybody else holding a partner role is added — and so
  validated — by one of the partner's administrators (CCE-2: « sous réserve de leur
  validation par l'administrateur »). Administrators add, edit and deactivate users.
* At most 10 **active** users per partner (configurable). Every active user counts,
  administrators included (the seed: « 10 utilisateurs au maximum peuvent être ajoutés
  à CCE »); to add an 11th, deactivate one first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from alliance.domain.engagements.errors import (
    EngagementToolUnavailable,
    NoEngagementAccess,
    NoPartnerRole,
    NotEngagementUserManager,
    TooManyEngagementUsers,
)
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.people import PartnerRole, Person

PARTNER_ROLES: frozenset[PartnerRole] = frozenset(PartnerRole) - {PartnerRole.CUSTOMER_CONTACT}
"""The OPN-18 roles; a customer's contact is not a partner role."""


@dataclass(frozen=True)
class UserPolicy:
    """CCE-1 as configuration: ``max_active_users`` (``None``: no limit), ``min_level``."""

    max_active_users: int | None = 10
    min_level: int = 1


DEFAULT_USER_POLICY = UserPolicy()


@dataclass(frozen=True)
class MembershipStanding:
    """What CCE-2 needs to know of the partner's membership: whether it is active, and
    its level rank (an associate's is its principal's, OPN-8)."""

    organization_id: OrganizationId
    active: bool
    level: int


@dataclass(frozen=True)
class ToolAccess:
    """One person's access to the engagement tool. ``granted_by`` is the administrator
    who added (validated) the user; ``None`` for an administrator's automatic access."""

    person_id: PersonId
    organization_id: OrganizationId
    active: bool = True
    granted_by: PersonId | None = None


def is_administrator(person: Person, organization_id: OrganizationId) -> bool:
    return (
        person.organization_id == organization_id
        and PartnerRole.PARTNER_ADMINISTRATOR in person.partner_roles
    )


def active_users(
    accesses: Iterable[ToolAccess], organization_id: OrganizationId
) -> list[ToolAccess]:
    """The partner's active users of the tool."""
    return [a for a in accesses if a.organization_id == organization_id and a.active]


def check_standing(
    membership: MembershipStanding, policy: UserPolicy = DEFAULT_USER_POLICY
) -> None:
    """Refuse the tool to a partner without an active membership at the minimum level."""
    if not membership.active:
        raise EngagementToolUnavailable(
            f"partner {membership.organization_id} has no active membership; the engagement "
            "tool needs one",
            field="membership",
        )
    if membership.level < policy.min_level:
        raise EngagementToolUnavailable(
            f"the engagement tool is for level {policy.min_level} and above; partner "
            f"{membership.organization_id} is at level {membership.level}",
            field="level",
        )


def _check_person(person: Person, membership: MembershipStanding) -> None:
    if person.organization_id != membership.organization_id:
        raise NoPartnerRole(
            f"{person.name} does not belong to partner {membership.organization_id}",
            field="organization_id",
        )
    if not person.partner_roles & PARTNER_ROLES:
        raise NoPartnerRole(f"{person.name} holds no partner role")


def grant_access(
    person: Person,
    *,
    by: Person | None,
    membership: MembershipStanding,
    current: Iterable[ToolAccess],
    policy: UserPolicy = DEFAULT_USER_POLICY,
) -> ToolAccess:
    """Give (or give back) ``person`` access to the tool; ``by`` is the administrator who
    adds the user, ``None`` for an administrator's automatic access (CCE-1, CCE-2)."""
    org = membership.organization_id
    check_standing(membership, policy)
    _check_person(person, membership)
    if by is None and not is_administrator(person, org):
        raise NotEngagementUserManager(
            f"{person.name} is not an administrator: a partner administrator must add them",
            field="granted_by",
        )
    if by is not None and not is_administrator(by, org):
        raise NotEngagementUserManager(
            f"{by.name} is not an administrator of partner {org}; only administrators "
            "manage the engagement tool's users"
        )
    accesses = list(current)
    mine = next((a for a in accesses if a.person_id == person.id), None)
    if mine is not None and mine.active:
        return mine
    _check_room(active_users(accesses, org), org, policy)
    granted_by = None if by is None else by.id
    if mine is not None:
        return replace(mine, active=True, granted_by=granted_by)
    return ToolAccess(person.id, org, active=True, granted_by=granted_by)


def automatic_access(
    administrator: Person,
    *,
    membership: MembershipStanding,
    current: Iterable[ToolAccess],
    policy: UserPolicy = DEFAULT_USER_POLICY,
) -> ToolAccess:
    """CCE-1: an administrator's access on enrolment, without anybody adding them."""
    return grant_access(
        administrator, by=None, membership=membership, current=current, policy=policy
    )


def deactivate(access: ToolAccess, *, by: Person) -> ToolAccess:
    """CCE-1: an administrator deactivates a user, which frees a place."""
    if not is_administrator(by, access.organization_id):
        raise NotEngagementUserManager(
            f"{by.name} is not an administrator of partner {access.organization_id}; only "
            "administrators deactivate the engagement tool's users"
        )
    return replace(access, active=False)


def require_access(
    person: Person,
    accesses: Iterable[ToolAccess],
    membership: MembershipStanding,
    policy: UserPolicy = DEFAULT_USER_POLICY,
) -> ToolAccess:
    """The person's active access, checked again at use time (CCE-2): membership still
    active at the level, person still in the partner with a partner role."""
    check_standing(membership, policy)
    _check_person(person, membership)
    mine = next((a for a in accesses if a.person_id == person.id and a.active), None)
    if mine is None or mine.organization_id != membership.organization_id:
        raise NoEngagementAccess(f"{person.name} has no active access to the engagement tool")
    return mine


def _check_room(active: list[ToolAccess], org: OrganizationId, policy: UserPolicy) -> None:
    limit = policy.max_active_users
    if limit is not None and len(active) >= limit:
        raise TooManyEngagementUsers(
            f"partner {org} already has {len(active)} active users of the engagement tool, "
            f"the most allowed is {limit}; deactivate one to add another"
        )
