"""Who may see and do what: the one tenancy and permission policy (X-6).

Every use case asks this module before it reads or writes. A partner's people see
their own company — the organisations of their hierarchy (OPN-3) — and never another
partner's; vendor staff see what their role allows; the public sees only public
directory data (designations and statuses, never scores: MCPP-6).

Two scopes apply to a partner's people:

* **viewing** covers the whole company, principal and associates (OPN-3);
* **managing** (changing an organisation, creating associates, managing people) covers
  the actor's own organisation and the associates below it: a principal's
  administrator manages its associates (OPN-2), an associate's administrator does not
  manage its principal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from alliance.domain.errors import Forbidden, NotAuthenticated
from alliance.domain.ids import OrganizationId, UserId
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import PartnerRole, VendorRole


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    MEMBER = "member"  # a partner's or a customer's person
    VENDOR_STAFF = "vendor_staff"
    SYSTEM = "system"  # batch jobs and the CLI run by an operator


class Permission(StrEnum):
    VIEW_ORGANIZATION = "view_organization"
    MANAGE_ORGANIZATION = "manage_organization"
    CREATE_ORGANIZATION = "create_organization"
    VIEW_ALL_ORGANIZATIONS = "view_all_organizations"
    MANAGE_PROGRAMS = "manage_programs"
    VIEW_AUDIT = "view_audit"
    MANAGE_FINANCE = "manage_finance"
    MANAGE_USERS = "manage_users"
    MANAGE_VENDOR_STAFF = "manage_vendor_staff"


#: Permissions that change a partner's data; for a member they reach only its own
#: organisation and the associates below it (see the module docstring).
MANAGEMENT_PERMISSIONS = frozenset(
    {
        Permission.MANAGE_ORGANIZATION,
        Permission.CREATE_ORGANIZATION,
        Permission.MANAGE_USERS,
        Permission.MANAGE_FINANCE,
    }
)


#: What each vendor role may do across every organisation.
VENDOR_PERMISSIONS: dict[VendorRole, frozenset[Permission]] = {
    VendorRole.PROGRAM_ADMIN: frozenset(Permission),
    VendorRole.CHANNEL_MANAGER: frozenset(
        {
            Permission.VIEW_ORGANIZATION,
            Permission.MANAGE_ORGANIZATION,
            Permission.CREATE_ORGANIZATION,
            Permission.VIEW_ALL_ORGANIZATIONS,
            Permission.VIEW_AUDIT,
        }
    ),
    VendorRole.FINANCE: frozenset(
        {
            Permission.VIEW_ORGANIZATION,
            Permission.VIEW_ALL_ORGANIZATIONS,
            Permission.MANAGE_FINANCE,
            Permission.VIEW_AUDIT,
        }
    ),
    VendorRole.VIEWER: frozenset(
        {Permission.VIEW_ORGANIZATION, Permission.VIEW_ALL_ORGANIZATIONS, Permission.VIEW_AUDIT}
    ),
}

#: What each partner role may do inside its own company (OPN-18).
MEMBER_PERMISSIONS: dict[PartnerRole, frozenset[Permission]] = {
    PartnerRole.PARTNER_ADMINISTRATOR: frozenset(
        {
            Permission.VIEW_ORGANIZATION,
            Permission.MANAGE_ORGANIZATION,
            Permission.CREATE_ORGANIZATION,
            Permission.MANAGE_USERS,
        }
    ),
}
DEFAULT_MEMBER_PERMISSIONS = frozenset({Permission.VIEW_ORGANIZATION})


@dataclass(frozen=True)
class Actor:
    """The one on whose behalf a use case runs."""

    kind: ActorKind
    user_id: UserId | None = None
    organization_id: OrganizationId | None = None
    partner_roles: frozenset[PartnerRole] = field(default_factory=frozenset)
    vendor_roles: frozenset[VendorRole] = field(default_factory=frozenset)
    label: str = ""  # for the audit journal: an e-mail, "cli", "batch"

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(ActorKind.ANONYMOUS, label="anonymous")

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(ActorKind.SYSTEM, label=label)

    @property
    def name(self) -> str:
        return self.label or str(self.user_id or self.kind.value)

    def permissions(self) -> frozenset[Permission]:
        if self.kind is ActorKind.SYSTEM:
            return frozenset(Permission)
        if self.kind is ActorKind.VENDOR_STAFF:
            granted: set[Permission] = set()
            for role in self.vendor_roles:
                granted |= VENDOR_PERMISSIONS[role]
            return frozenset(granted)
        if self.kind is ActorKind.MEMBER:
            member: set[Permission] = set(DEFAULT_MEMBER_PERMISSIONS)
            for prole in self.partner_roles:
                member |= MEMBER_PERMISSIONS.get(prole, frozenset())
            return frozenset(member)
        return frozenset()


def require_authenticated(actor: Actor) -> None:
    if actor.kind is ActorKind.ANONYMOUS:
        raise NotAuthenticated("log in or send a bearer token", rule="X-6")


def sees_everything(actor: Actor) -> bool:
    """Vendor staff with a viewing role, and the system, see every organisation."""
    return Permission.VIEW_ALL_ORGANIZATIONS in actor.permissions()


def _knows(hierarchy: Hierarchy, *orgs: OrganizationId) -> bool:
    return all(org in hierarchy.parents for org in orgs)


def can_see_organization(actor: Actor, org: OrganizationId, hierarchy: Hierarchy) -> bool:
    """X-6: a member sees its own company (its hierarchy, OPN-3); staff per role.

    ``hierarchy`` may hold only one company (the one ``org`` belongs to): an actor whose
    organisation is not in it belongs to another company and sees nothing of it.
    """
    if sees_everything(actor):
        return True
    if actor.kind is not ActorKind.MEMBER or actor.organization_id is None:
        return False
    if not _knows(hierarchy, actor.organization_id, org):
        return False
    return hierarchy.same_company(actor.organization_id, org)


def can_manage_organization(actor: Actor, org: OrganizationId, hierarchy: Hierarchy) -> bool:
    """A member manages its own organisation and the associates below it (OPN-2, OPN-18)."""
    if sees_everything(actor):
        return True
    if actor.kind is not ActorKind.MEMBER or actor.organization_id is None:
        return False
    if not _knows(hierarchy, actor.organization_id, org):
        return False
    own = actor.organization_id
    return org == own or org in hierarchy.descendants(own)


def tenancy_scope(actor: Actor, company: Hierarchy | None) -> list[OrganizationId] | None:
    """X-6: the organisations a listing may show ``actor``, or None for "every one".

    ``company`` is the hierarchy of the actor's own company (None when it has none).
    Anonymous callers and members without an organisation see nothing.
    """
    require_authenticated(actor)
    if sees_everything(actor):
        return None
    if actor.kind is not ActorKind.MEMBER or actor.organization_id is None or company is None:
        return []
    if not _knows(company, actor.organization_id):
        return []
    return company.company_of(actor.organization_id)


def require(
    actor: Actor,
    permission: Permission,
    *,
    organization: OrganizationId | None = None,
    hierarchy: Hierarchy | None = None,
) -> None:
    """Refuse unless ``actor`` holds ``permission`` (on ``organization``, when given).

    A member asking about another company's organisation is told it does not have
    access, without learning whether that organisation exists: pass ``hierarchy=None``
    for an organisation that could not be found, and a member is refused exactly as for
    another company's. Management permissions reach only the actor's own organisation
    and the associates below it (:func:`can_manage_organization`).
    """
    require_authenticated(actor)
    if permission not in actor.permissions():
        raise Forbidden(f"{actor.name} may not {permission.value.replace('_', ' ')}", rule="X-6")
    if organization is not None and not sees_everything(actor):
        allowed = (
            can_manage_organization
            if permission in MANAGEMENT_PERMISSIONS
            else can_see_organization
        )
        if hierarchy is None or not allowed(actor, organization, hierarchy):
            raise _not_yours()


def _not_yours() -> Forbidden:
    return Forbidden("this organisation is not yours", field="organization_id", rule="X-6")


def require_everywhere(actor: Actor, permission: Permission) -> None:
    """Refuse unless ``actor`` holds ``permission`` over every organisation (staff, system).

    For what lies outside every partner's company (vendor staff records) and for ids that
    could not be found: a member is refused exactly as for another company's data.
    """
    require(actor, permission)
    if not sees_everything(actor):
        raise _not_yours()


def require_create_organization(
    actor: Actor,
    *,
    parent: OrganizationId | None,
    hierarchy: Hierarchy | None,
) -> None:
    """OPN-1: who may create an organisation.

    Vendor staff (and the system) create principals and associates. A partner
    administrator creates associates under an organisation it manages; a new principal
    joins through enrolment (OPN-9), never by a member of another company creating it.
    """
    if parent is not None:
        require(actor, Permission.CREATE_ORGANIZATION, organization=parent, hierarchy=hierarchy)
        return
    require(actor, Permission.CREATE_ORGANIZATION)
    if actor.kind is ActorKind.MEMBER:
        raise Forbidden(
            "a partner's people add associates to their own company only; "
            "a new principal joins by enrolment",
            field="parent_id",
            rule="OPN-1",
        )
