"""Organisations: create, list (tenancy-scoped, X-6), read one, read its company tree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.organizations import (
    HierarchyPublic,
    OrganizationCreate,
    OrganizationPage,
    OrganizationPublic,
)
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import OrganizationKind
from alliance.services import organizations
from alliance.services.organizations import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.post(
    "",
    response_model=OrganizationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 409, 422),
)
def create_organization(
    body: OrganizationCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> OrganizationPublic:
    """Create a principal, or an associate of ``parent_id`` owned more than 50 % (OPN-1)."""
    created = organizations.create_organization(uow, actor, body.to_command(), application.clock)
    return OrganizationPublic.of(created)


@router.get("", response_model=OrganizationPage, responses=error_responses(401, 422))
def list_organizations(
    actor: RequireActor,
    uow: UowDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
    kind: OrganizationKind | None = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
) -> OrganizationPage:
    """The organisations you may see: your own company, or every one for vendor staff."""
    page = organizations.list_organizations(
        uow, actor, kind=kind, name_contains=name, limit=limit, offset=offset
    )
    return OrganizationPage.of(page)


@router.get(
    "/{organization_id}",
    response_model=OrganizationPublic,
    responses=error_responses(401, 403, 404),
)
def get_organization(organization_id: str, actor: RequireActor, uow: UowDep) -> OrganizationPublic:
    found = organizations.get_organization(uow, actor, OrganizationId(organization_id))
    return OrganizationPublic.of(found)


@router.get(
    "/{organization_id}/hierarchy",
    response_model=HierarchyPublic,
    responses=error_responses(401, 403, 404),
)
def organization_hierarchy(
    organization_id: str, actor: RequireActor, uow: UowDep
) -> HierarchyPublic:
    """OPN-3: the whole company, principal first, each associate with its depth."""
    tree = organizations.organization_hierarchy(uow, actor, OrganizationId(organization_id))
    return HierarchyPublic.of(tree)
