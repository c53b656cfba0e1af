"""Organisations as the API receives and shows them (OPN-1, OPN-3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import EntityRole, Organization, OrganizationKind, PartnerType
from alliance.services.organizations import (
    PERCENT_PLACES,
    CompanyTree,
    CreateOrganization,
    Page,
)


def _percent(value: Decimal | None) -> Decimal | None:
    """Two decimal places, as stored; inputs carry at most two, so nothing is rounded."""
    return value.quantize(PERCENT_PLACES) if value is not None else None


class OrganizationCreate(BaseModel):
    """A principal (no ``parent_id``) or an associate of ``parent_id`` (OPN-1)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, examples=["Acme Consulting"])
    country: str = Field(
        pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, upper case", examples=["FR"]
    )
    kind: OrganizationKind = OrganizationKind.PARTNER
    partner_type: PartnerType | None = None
    parent_id: str | None = Field(
        default=None, max_length=64, description="The principal, for an associate."
    )
    ownership_percent: Decimal | None = Field(
        default=None,
        ge=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="The parent's share of an associate; more than 50 (OPN-1).",
    )
    sector: Literal["commercial", "public"] = "commercial"

    def to_command(self) -> CreateOrganization:
        return CreateOrganization(
            name=self.name,
            country=self.country,
            kind=self.kind,
            partner_type=self.partner_type,
            parent_id=OrganizationId(self.parent_id) if self.parent_id is not None else None,
            ownership_percent=self.ownership_percent,
            sector=self.sector,
        )


class OrganizationPublic(BaseModel):
    id: str
    name: str
    country: str
    kind: OrganizationKind
    entity_role: EntityRole
    partner_type: PartnerType | None
    parent_id: str | None
    ownership_percent: Decimal | None
    sector: str

    @classmethod
    def of(cls, organization: Organization) -> OrganizationPublic:
        return cls(
            id=organization.id,
            name=organization.name,
            country=organization.country,
            kind=organization.kind,
            entity_role=organization.entity_role,
            partner_type=organization.partner_type,
            parent_id=organization.parent_id,
            ownership_percent=_percent(organization.ownership_percent),
            sector=organization.sector,
        )


class OrganizationPage(BaseModel):
    items: list[OrganizationPublic]
    limit: int
    offset: int
    next_offset: int | None = Field(description="Where the next page starts; null on the last.")

    @classmethod
    def of(cls, page: Page[Organization]) -> OrganizationPage:
        return cls(
            items=[OrganizationPublic.of(o) for o in page.items],
            limit=page.limit,
            offset=page.offset,
            next_offset=page.next_offset,
        )


class HierarchyNodePublic(OrganizationPublic):
    depth: int = Field(description="0 for the principal, 1 for its associates…")


class HierarchyPublic(BaseModel):
    """OPN-3: the whole company, principal first, each associate after its parent."""

    principal_id: str
    nodes: list[HierarchyNodePublic]

    @classmethod
    def of(cls, tree: CompanyTree) -> HierarchyPublic:
        return cls(
            principal_id=tree.principal_id,
            nodes=[
                HierarchyNodePublic(
                    **OrganizationPublic.of(node.organization).model_dump(), depth=node.depth
                )
                for node in tree.nodes
            ],
        )
