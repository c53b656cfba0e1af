"""Organisations in SQL: rows ↔ :class:`~alliance.domain.organizations.Organization`.

:meth:`SqlOrganizationRepository.company_hierarchy` answers OPN-3 in one query: a
recursive CTE climbs from the organisation to its principal, a second one collects
every descendant of that principal. ``UNION`` (not ``UNION ALL``) makes both stop on a
cycle, which :class:`~alliance.domain.organizations.Hierarchy` then refuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.errors import NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import (
    Hierarchy,
    Organization,
    OrganizationKind,
    PartnerType,
)
from alliance.store.integrity import guarded
from alliance.store.tables import organizations

NOUN = "organisation"


def _values(organization: Organization) -> dict[str, Any]:
    return {
        "name": organization.name,
        "country": organization.country,
        "kind": organization.kind.value,
        "partner_type": organization.partner_type.value if organization.partner_type else None,
        "parent_id": organization.parent_id,
        "ownership_percent": organization.ownership_percent,
        "sector": organization.sector,
    }


def _organization(row: RowMapping) -> Organization:
    return Organization(
        id=OrganizationId(row["id"]),
        name=row["name"],
        country=row["country"],
        kind=OrganizationKind(row["kind"]),
        partner_type=PartnerType(row["partner_type"]) if row["partner_type"] else None,
        parent_id=OrganizationId(row["parent_id"]) if row["parent_id"] else None,
        ownership_percent=row["ownership_percent"],
        sector=row["sector"],
    )


class SqlOrganizationRepository:
    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def add(self, organization: Organization) -> None:
        now = self._clock.now()
        with guarded(self._session, organizations, NOUN):
            self._session.execute(
                insert(organizations).values(
                    id=organization.id, created_at=now, updated_at=now, **_values(organization)
                )
            )

    def add_many(self, batch: Sequence[Organization]) -> None:
        """Insert many organisations in one statement; parents must come first."""
        if not batch:
            return
        now = self._clock.now()
        with guarded(self._session, organizations, NOUN):
            self._session.execute(
                insert(organizations),
                [{"id": o.id, "created_at": now, "updated_at": now, **_values(o)} for o in batch],
            )

    def get(self, organization_id: OrganizationId) -> Organization | None:
        row = (
            self._session.execute(
                select(organizations).where(organizations.c.id == organization_id)
            )
            .mappings()
            .one_or_none()
        )
        return _organization(row) if row is not None else None

    def update(self, organization: Organization) -> None:
        with guarded(self._session, organizations, NOUN):
            found = self._session.execute(
                update(organizations)
                .where(organizations.c.id == organization.id)
                .values(updated_at=self._clock.now(), **_values(organization))
                .returning(organizations.c.id)
            ).scalar_one_or_none()
        if found is None:
            raise NotFound(f"no {NOUN} {organization.id}", field="organization_id")

    def list(
        self,
        *,
        within: Sequence[OrganizationId] | None = None,
        kind: OrganizationKind | None = None,
        name_contains: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Organization]:
        """A page ordered by name (case-insensitively), then id; ``within`` restricts the ids."""
        query = select(organizations)
        if within is not None:
            if not within:
                return []
            query = query.where(organizations.c.id.in_(list(within)))
        if kind is not None:
            query = query.where(organizations.c.kind == kind.value)
        if name_contains:
            query = query.where(
                func.lower(organizations.c.name).contains(name_contains.lower(), autoescape=True)
            )
        query = (
            query.order_by(func.lower(organizations.c.name), organizations.c.id)
            .limit(limit)
            .offset(offset)
        )
        return [_organization(row) for row in self._session.execute(query).mappings()]

    def count(self) -> int:
        return self._session.execute(select(func.count()).select_from(organizations)).scalar_one()

    def company_hierarchy(self, organization_id: OrganizationId) -> Hierarchy:
        """The parent links of the whole company ``organization_id`` belongs to (OPN-3).

        Empty when the organisation is unknown (every question to it then raises
        :class:`~alliance.domain.errors.NotFound`).
        """
        o = organizations
        climber = o.alias("climber")
        up = select(o.c.id, o.c.parent_id).where(o.c.id == organization_id).cte("up", True)
        up = up.union(
            select(climber.c.id, climber.c.parent_id).where(climber.c.id == up.c.parent_id)
        )
        below = o.alias("below")
        principal = select(up.c.id).where(up.c.parent_id.is_(None))
        down = select(o.c.id, o.c.parent_id).where(o.c.id.in_(principal)).cte("down", True)
        down = down.union(
            select(below.c.id, below.c.parent_id).where(below.c.parent_id == down.c.id)
        )
        links = self._session.execute(select(down.c.id, down.c.parent_id)).all()
        if not links:
            # Unknown, or a cycle with no principal: the climb alone tells which.
            links = self._session.execute(select(up.c.id, up.c.parent_id)).all()
        return Hierarchy(
            {
                OrganizationId(child): OrganizationId(parent) if parent is not None else None
                for child, parent in links
            }
        )
