"""Partner roles and who may do what to a membership (OPN-10, OPN-18).

What each role allows is data (:class:`RoleTerms`, from the program definition); which
permission each membership action needs is the table :data:`ACTION_PERMISSIONS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership.errors import (
    RoleNotPermitted,
    TooFewRoleHolders,
    TooManyRoleHolders,
)
from alliance.domain.people import PartnerRole

if TYPE_CHECKING:
    from alliance.domain.membership.terms import MembershipTerms


class PartnerPermission(StrEnum):
    """What a partner role allows (the vocabulary of the program definitions, OPN-18)."""

    MANAGE_MEMBERSHIP = "manage_membership"
    APPROVE_ASSOCIATES = "approve_associates"
    ASSIGN_ROLES = "assign_roles"
    RECEIVE_PROGRAM_NOTICES = "receive_program_notices"
    ORDER_WITH_CREDITS = "order_with_credits"
    VIEW_CREDIT_STATEMENT = "view_credit_statement"
    MANAGE_ENGAGEMENT_USERS = "manage_engagement_users"
    USE_ENGAGEMENTS = "use_engagements"
    MAKE_BUSINESS_DECISIONS = "make_business_decisions"
    MANAGE_AGREEMENTS = "manage_agreements"
    MANAGE_TECHNICAL_READINESS = "manage_technical_readiness"
    PUBLISH_MARKETPLACE_LISTINGS = "publish_marketplace_listings"
    RECEIVE_INVOICES = "receive_invoices"
    USE_MARKETING_RESOURCES = "use_marketing_resources"
    USE_SALES_RESOURCES = "use_sales_resources"


class MembershipAction(StrEnum):
    """What a partner's person does to its membership."""

    ENROL = "enrol"
    RENEW = "renew"
    JOIN_TRACK = "join_track"
    PUBLISH_EXPERTISE = "publish_expertise"
    APPROVE_ASSOCIATE = "approve_associate"
    ASSIGN_ROLES = "assign_roles"


#: OPN-18: the permission each action needs. The administrator has them all.
ACTION_PERMISSIONS: Mapping[MembershipAction, PartnerPermission] = MappingProxyType(
    {
        MembershipAction.ENROL: PartnerPermission.MANAGE_MEMBERSHIP,
        MembershipAction.RENEW: PartnerPermission.MANAGE_MEMBERSHIP,
        MembershipAction.JOIN_TRACK: PartnerPermission.MANAGE_MEMBERSHIP,
        MembershipAction.PUBLISH_EXPERTISE: PartnerPermission.MANAGE_MEMBERSHIP,
        MembershipAction.APPROVE_ASSOCIATE: PartnerPermission.APPROVE_ASSOCIATES,
        MembershipAction.ASSIGN_ROLES: PartnerPermission.ASSIGN_ROLES,
    }
)


@dataclass(frozen=True)
class RoleTerms:
    """One partner role: what it allows and how many people hold it (OPN-18)."""

    role: PartnerRole
    permissions: frozenset[PartnerPermission] = field(default_factory=frozenset)
    named_at_enrolment: bool = False
    min_holders: int = 0
    max_holders: int | None = None
    validated_by: PartnerRole | None = None


@dataclass(frozen=True)
class RoleGrant:
    """A role given to a person, and the rule that gives it (OPN-10: the applicant)."""

    person_id: PersonId
    organization_id: OrganizationId
    role: PartnerRole
    rule: str


def role_terms(terms: MembershipTerms, role: PartnerRole) -> RoleTerms:
    """The terms of ``role``; a role the program does not describe allows nothing."""
    return next((r for r in terms.roles if r.role is role), RoleTerms(role))


def permissions_of(
    roles: Iterable[PartnerRole], terms: MembershipTerms
) -> frozenset[PartnerPermission]:
    """Everything the holder of ``roles`` may do."""
    granted: set[PartnerPermission] = set()
    for role in roles:
        granted |= role_terms(terms, role).permissions
    return frozenset(granted)


def may(roles: Iterable[PartnerRole], action: MembershipAction, terms: MembershipTerms) -> bool:
    """Whether someone holding ``roles`` may do ``action`` (OPN-18)."""
    return ACTION_PERMISSIONS[action] in permissions_of(roles, terms)


def require_allowed(
    roles: Iterable[PartnerRole], action: MembershipAction, terms: MembershipTerms
) -> None:
    """Refuse ``action`` to someone whose roles do not allow it (OPN-18)."""
    held = frozenset(roles)
    if not may(held, action, terms):
        needed = ACTION_PERMISSIONS[action]
        allowed = sorted(r.role.value for r in terms.roles if needed in r.permissions)
        raise RoleNotPermitted(
            f"to {action.value.replace('_', ' ')} needs the {needed.value} permission, held by "
            f"{', '.join(allowed) or 'no role'}; roles held: "
            f"{', '.join(sorted(r.value for r in held)) or 'none'}"
        )


def check_assignment(role: PartnerRole, holders_now: int, terms: MembershipTerms) -> None:
    """Refuse giving ``role`` to one more person beyond its maximum (OPN-18)."""
    limit = role_terms(terms, role).max_holders
    if limit is not None and holders_now + 1 > limit:
        raise TooManyRoleHolders(
            f"{role.value} is held by at most {limit} people; {holders_now} already hold it"
        )


def check_removal(role: PartnerRole, holders_now: int, terms: MembershipTerms) -> None:
    """Refuse taking ``role`` from a person below its minimum (OPN-10: an administrator)."""
    floor = role_terms(terms, role).min_holders
    if holders_now - 1 < floor:
        rule = "OPN-10" if role is PartnerRole.PARTNER_ADMINISTRATOR else "OPN-18"
        raise TooFewRoleHolders(
            f"{role.value} is held by at least {floor} people; {holders_now} hold it now",
            rule=rule,
        )
