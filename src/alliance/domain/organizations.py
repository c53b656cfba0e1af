"""Organisations and their hierarchy: principals, associates, corporate groups.

A partner joins either as a **principal** entity (a single company, or a parent whose
subsidiaries may join under its agreement) or as an **associate** entity, a wholly- or
majority-owned subsidiary of an existing principal (OPN-1). Hierarchies may be several
levels deep, but every question about "the company" follows the hierarchy to its
principal (OPN-3). Customers of a reward program form corporate hierarchies the same
way (OSR-18).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from alliance.domain.errors import BusinessRuleViolation, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId

MAJORITY = Decimal("50")


class OrganizationKind(StrEnum):
    """What the organisation is to the vendor."""

    PARTNER = "partner"
    CUSTOMER = "customer"


class EntityRole(StrEnum):
    """OPN-1: how a partner joins."""

    PRINCIPAL = "principal"
    ASSOCIATE = "associate"


class PartnerType(StrEnum):
    """Business models, used by availability rules (PEX-7, MCPP-7) and OIP-1."""

    RESELLER = "reseller"
    DISTRIBUTOR = "distributor"
    SERVICES = "services"
    SOFTWARE = "software"
    DEVICES = "devices"
    CLOUD_SERVICE_PROVIDER = "cloud_service_provider"
    AMBASSADOR = "ambassador"
    OPERATOR = "operator"
    CUSTOMER = "customer"


class AssociateNotOwned(BusinessRuleViolation):
    """OPN-1: an associate must be wholly- or majority-owned by its principal."""

    code = "associate_not_majority_owned"


class HierarchyCycle(BusinessRuleViolation):
    code = "hierarchy_cycle"


@dataclass(frozen=True)
class Organization:
    """A company known to the vendor: a partner entity or a customer entity."""

    id: OrganizationId
    name: str
    country: str  # ISO 3166-1 alpha-2
    kind: OrganizationKind = OrganizationKind.PARTNER
    partner_type: PartnerType | None = None
    parent_id: OrganizationId | None = None
    ownership_percent: Decimal | None = None  # the parent's share, for associates
    sector: str = "commercial"  # "commercial" or "public" (RWD-1, OSR-3)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("an organisation needs a name", field="name", rule="OPN-1")
        if len(self.country) != 2 or not self.country.isalpha() or not self.country.isupper():
            raise InvalidInput(
                f"country must be an ISO 3166-1 alpha-2 code such as 'FR', got {self.country!r}",
                field="country",
            )
        if self.parent_id is not None:
            if self.parent_id == self.id:
                raise HierarchyCycle("an organisation cannot be its own parent", field="parent_id")
            if self.ownership_percent is None or self.ownership_percent <= MAJORITY:
                raise AssociateNotOwned(
                    "an associate must be wholly- or majority-owned (more than 50 %) by its "
                    f"principal; ownership given: {self.ownership_percent}",
                    field="ownership_percent",
                    rule="OPN-1",
                )
            if self.ownership_percent > Decimal("100"):
                raise InvalidInput(
                    "ownership_percent cannot exceed 100", field="ownership_percent", rule="OPN-1"
                )

    @property
    def entity_role(self) -> EntityRole:
        """OPN-1: an organisation with a parent is an associate; without one, a principal."""
        return EntityRole.ASSOCIATE if self.parent_id is not None else EntityRole.PRINCIPAL


@dataclass(frozen=True)
class Hierarchy:
    """A read-only view of parent links, answering "who is the company" (OPN-3).

    Built from any mapping of id → parent id; it refuses cycles.
    """

    parents: Mapping[OrganizationId, OrganizationId | None]
    _children: dict[OrganizationId, list[OrganizationId]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for child, parent in self.parents.items():
            if parent is not None:
                self._children.setdefault(parent, []).append(child)
        for org in self.parents:
            self.chain(org)  # raises on a cycle

    @classmethod
    def of(cls, organizations: Iterable[Organization]) -> Hierarchy:
        return cls({o.id: o.parent_id for o in organizations})

    def _require(self, org: OrganizationId) -> None:
        if org not in self.parents:
            raise NotFound(f"organisation {org} is not known", field="organization_id")

    def chain(self, org: OrganizationId) -> list[OrganizationId]:
        """``org`` then its parent, grand-parent… up to the principal."""
        self._require(org)
        seen: list[OrganizationId] = [org]
        current = self.parents.get(org)
        while current is not None:
            if current in seen:
                raise HierarchyCycle(
                    f"the parent links of {org} form a cycle", field="parent_id", rule="OPN-3"
                )
            seen.append(current)
            current = self.parents.get(current)
        return seen

    def principal_of(self, org: OrganizationId) -> OrganizationId:
        """OPN-3: the root of ``org``'s hierarchy (itself for a principal)."""
        return self.chain(org)[-1]

    def descendants(self, org: OrganizationId) -> list[OrganizationId]:
        """Every organisation below ``org``, breadth first, excluding ``org``."""
        self._require(org)
        out: list[OrganizationId] = []
        queue = list(self._children.get(org, []))
        while queue:
            current = queue.pop(0)
            out.append(current)
            queue.extend(self._children.get(current, []))
        return out

    def company_of(self, org: OrganizationId) -> list[OrganizationId]:
        """OPN-3 / OSR-18: the whole company ``org`` belongs to, principal first."""
        principal = self.principal_of(org)
        return [principal, *self.descendants(principal)]

    def same_company(self, a: OrganizationId, b: OrganizationId) -> bool:
        """True when both belong to one company; False when either is not in this view."""
        if a not in self.parents or b not in self.parents:
            return False
        return self.principal_of(a) == self.principal_of(b)

    def would_cycle(self, org: OrganizationId, new_parent: OrganizationId) -> bool:
        """True when making ``new_parent`` the parent of ``org`` would close a loop."""
        return new_parent == org or new_parent in self.descendants(org)
