"""Organisations: create principals and associates, read them, walk the company tree.

Every read is scoped by the tenancy policy (X-6): a partner's people see their own
company — principal and associates (OPN-3) — and vendor staff see every organisation.
Every change appends an audit record in the same unit of work (X-4).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from alliance.domain import audit
from alliance.domain.access import (
    Actor,
    Permission,
    require,
    require_create_organization,
    tenancy_scope,
)
from alliance.domain.clock import Clock
from alliance.domain.errors import BusinessRuleViolation, Conflict, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, new_organization_id
from alliance.domain.organizations import (
    EntityRole,
    Organization,
    OrganizationKind,
    PartnerType,
)
from alliance.services.ports import UnitOfWork

T = TypeVar("T")

PERCENT_PLACES = Decimal("0.01")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class ParentNotPrincipal(BusinessRuleViolation):
    """OPN-3: a partner's associates attach to its principal, not to another associate."""

    code = "parent_not_principal"


@dataclass(frozen=True)
class CreateOrganization:
    name: str
    country: str
    kind: OrganizationKind = OrganizationKind.PARTNER
    partner_type: PartnerType | None = None
    parent_id: OrganizationId | None = None
    ownership_percent: Decimal | None = None
    sector: str = "commercial"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; ``next_offset`` is None on the last page."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None


@dataclass(frozen=True)
class TreeNode:
    """One organisation of a company tree; the principal has depth 0."""

    organization: Organization
    depth: int

    @property
    def entity_role(self) -> EntityRole:
        return self.organization.entity_role


@dataclass(frozen=True)
class CompanyTree:
    """OPN-3: a whole company, principal first, then each associate under its parent."""

    principal_id: OrganizationId
    nodes: list[TreeNode]


SECTORS = frozenset({"commercial", "public"})


def organization_record(organization: Organization) -> dict[str, object]:
    """An organisation as the audit journal keeps it: plain JSON values."""
    ownership = organization.ownership_percent
    return {
        "name": organization.name,
        "country": organization.country,
        "kind": organization.kind.value,
        "partner_type": organization.partner_type.value if organization.partner_type else None,
        "parent_id": organization.parent_id,
        "ownership_percent": str(ownership) if ownership is not None else None,
        "sector": organization.sector,
    }


def require_organization(
    uow: UnitOfWork, actor: Actor, permission: Permission, organization_id: OrganizationId
) -> Organization:
    """Load ``organization_id`` for ``actor`` under ``permission``, inside an open unit of work.

    A member is refused (403) alike whether the organisation belongs to another company
    or does not exist at all (X-6); vendor staff are told it does not exist (404).
    """
    require(actor, permission)
    organization = uow.organizations.get(organization_id)
    company = (
        uow.organizations.company_hierarchy(organization_id) if organization is not None else None
    )
    require(actor, permission, organization=organization_id, hierarchy=company)
    if organization is None:
        raise NotFound(f"no organisation {organization_id}", field="organization_id")
    return organization


def _check_parent(uow: UnitOfWork, actor: Actor, command: CreateOrganization) -> None:
    """OPN-1/OPN-3: the parent exists, the actor manages it, and it is a principal."""
    parent_id = command.parent_id
    if parent_id is None:
        require_create_organization(actor, parent=None, hierarchy=None)
        return
    parent = uow.organizations.get(parent_id)
    company = uow.organizations.company_hierarchy(parent_id) if parent is not None else None
    require_create_organization(actor, parent=parent_id, hierarchy=company)
    if parent is None:
        raise InvalidInput(f"no organisation {parent_id}", field="parent_id", rule="OPN-1")
    if parent.kind is not command.kind:
        raise InvalidInput(
            f"a {command.kind.value} cannot belong to a {parent.kind.value}",
            field="parent_id",
            rule="OPN-1",
        )
    if parent.kind is OrganizationKind.PARTNER and parent.parent_id is not None:
        raise ParentNotPrincipal(
            f"{parent.name} is itself an associate; attach the new associate to its "
            f"principal {parent.parent_id}",
            field="parent_id",
            rule="OPN-3",
        )


def _check_unique(uow: UnitOfWork, organization: Organization) -> None:
    """Two organisations of one kind do not share a name (ignoring case) in one country."""
    wanted = organization.name.casefold()
    offset = 0
    while True:
        similar = uow.organizations.list(
            kind=organization.kind,
            name_contains=organization.name,
            limit=MAX_PAGE_SIZE,
            offset=offset,
        )
        for other in similar:
            if other.country == organization.country and other.name.casefold() == wanted:
                raise Conflict(
                    f"{other.name} ({other.country}) already exists as {other.id}", field="name"
                )
        if len(similar) < MAX_PAGE_SIZE:
            return
        offset += MAX_PAGE_SIZE


def create_organization(
    uow: UnitOfWork, actor: Actor, command: CreateOrganization, clock: Clock
) -> Organization:
    """Create a principal or an associate (OPN-1), audited (X-4).

    An associate needs a parent that exists, that the actor manages, that is a
    principal (OPN-3) of the same kind, and a majority ownership (more than 50 %).
    """
    require(actor, Permission.CREATE_ORGANIZATION)
    if command.sector not in SECTORS:
        raise InvalidInput(
            f"sector must be one of {', '.join(sorted(SECTORS))}, got {command.sector!r}",
            field="sector",
            rule="RWD-1",
        )
    ownership = command.ownership_percent
    if ownership is not None and ownership != ownership.quantize(PERCENT_PLACES):
        raise InvalidInput(
            f"ownership_percent has at most two decimal places, got {ownership}",
            field="ownership_percent",
            rule="OPN-1",
        )
    organization = Organization(
        id=new_organization_id(),
        name=command.name.strip(),
        country=command.country,
        kind=command.kind,
        partner_type=command.partner_type,
        parent_id=command.parent_id,
        ownership_percent=command.ownership_percent,
        sector=command.sector,
    )
    with uow:
        _check_parent(uow, actor, command)
        _check_unique(uow, organization)
        uow.organizations.add(organization)
        uow.audit.append(
            audit.created(
                actor,
                "organization",
                organization.id,
                organization_record(organization),
                clock.now(),
                organization_id=organization.id,
            )
        )
        uow.commit()
    return organization


def get_organization(
    uow: UnitOfWork, actor: Actor, organization_id: OrganizationId
) -> Organization:
    """One organisation, for those who may see it (X-6)."""
    with uow:
        return require_organization(uow, actor, Permission.VIEW_ORGANIZATION, organization_id)


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(
            f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}", field="limit", rule="X-7"
        )
    if offset < 0:
        raise InvalidInput(f"offset cannot be negative, got {offset}", field="offset", rule="X-7")


def list_organizations(
    uow: UnitOfWork,
    actor: Actor,
    *,
    kind: OrganizationKind | None = None,
    name_contains: str | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page[Organization]:
    """The organisations ``actor`` may see, a page at a time (X-6, OPN-3).

    A member sees its own company only; vendor staff see every organisation.
    """
    _check_page(limit, offset)
    with uow:
        require(actor, Permission.VIEW_ORGANIZATION)
        own = actor.organization_id
        company = uow.organizations.company_hierarchy(own) if own is not None else None
        scope = tenancy_scope(actor, company)
        if scope == []:
            return Page(items=[], limit=limit, offset=offset, next_offset=None)
        found = uow.organizations.list(
            within=scope,
            kind=kind,
            name_contains=name_contains or None,
            limit=limit + 1,
            offset=offset,
        )
    more = len(found) > limit
    return Page(
        items=found[:limit],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if more else None,
    )


def _tree(principal: OrganizationId, members: dict[OrganizationId, Organization]) -> list[TreeNode]:
    """Depth first from the principal; siblings by name."""
    children: dict[OrganizationId | None, list[Organization]] = {}
    for organization in members.values():
        children.setdefault(organization.parent_id, []).append(organization)
    for siblings in children.values():
        siblings.sort(key=lambda o: (o.name.casefold(), o.id), reverse=True)
    nodes: list[TreeNode] = []
    stack = [(members[principal], 0)]
    while stack:
        organization, depth = stack.pop()
        nodes.append(TreeNode(organization, depth))
        stack.extend((child, depth + 1) for child in children.get(organization.id, []))
    return nodes


def organization_hierarchy(
    uow: UnitOfWork, actor: Actor, organization_id: OrganizationId
) -> CompanyTree:
    """OPN-3: the company ``organization_id`` belongs to, as a tree with depths (X-6)."""
    with uow:
        require_organization(uow, actor, Permission.VIEW_ORGANIZATION, organization_id)
        company = uow.organizations.company_hierarchy(organization_id)
        ids = company.company_of(organization_id)
        found = uow.organizations.list(within=ids, limit=max(len(ids), 1))
    members = {o.id: o for o in found}
    principal = company.principal_of(organization_id)
    return CompanyTree(principal_id=principal, nodes=_tree(principal, members))
