"""An in-memory unit of work for unit tests of the use cases.

It keeps the contract of ``alliance.services.ports``: leaving the ``with`` block without
``commit()`` rolls every change back, so tests can prove that a refused command leaves
nothing half-applied (X-7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from types import TracebackType
from typing import Self

from alliance.domain.access import Actor, ActorKind
from alliance.domain.audit import AuditRecord
from alliance.domain.errors import NotFound
from alliance.domain.ids import OrganizationId, PersonId, UserId
from alliance.domain.organizations import Hierarchy, Organization, OrganizationKind
from alliance.domain.people import PartnerRole, Person, VendorRole
from alliance.services.ports import (
    ApiToken,
    AuditJournal,
    OrganizationRepository,
    PersonRepository,
    UserAccount,
    UserRepository,
)

#: The moment the service tests run at.
NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


class FakeOrganizations:
    def __init__(self) -> None:
        self.rows: dict[OrganizationId, Organization] = {}

    def add_many(self, batch: Sequence[Organization]) -> None:
        for organization in batch:
            self.add(organization)

    def add(self, organization: Organization) -> None:
        assert organization.id not in self.rows
        self.rows[organization.id] = organization

    def get(self, organization_id: OrganizationId) -> Organization | None:
        return self.rows.get(organization_id)

    def update(self, organization: Organization) -> None:
        assert organization.id in self.rows
        self.rows[organization.id] = organization

    def list(
        self,
        *,
        within: Sequence[OrganizationId] | None = None,
        kind: OrganizationKind | None = None,
        name_contains: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Organization]:
        rows = sorted(self.rows.values(), key=lambda o: (o.name.casefold(), o.id))
        if within is not None:
            rows = [o for o in rows if o.id in set(within)]
        if kind is not None:
            rows = [o for o in rows if o.kind is kind]
        if name_contains:
            rows = [o for o in rows if name_contains.casefold() in o.name.casefold()]
        return rows[offset : offset + limit]

    def count(self) -> int:
        return len(self.rows)

    def company_hierarchy(self, organization_id: OrganizationId) -> Hierarchy:
        everything = Hierarchy.of(self.rows.values())
        if organization_id not in self.rows:
            raise NotFound(f"no organisation {organization_id}")
        company = everything.company_of(organization_id)
        return Hierarchy({org: self.rows[org].parent_id for org in company})


class FakePeople:
    def __init__(self) -> None:
        self.rows: dict[PersonId, Person] = {}

    def add_many(self, batch: Sequence[Person]) -> None:
        for person in batch:
            self.add(person)

    def add(self, person: Person) -> None:
        assert person.id not in self.rows
        self.rows[person.id] = person

    def get(self, person_id: PersonId) -> Person | None:
        return self.rows.get(person_id)

    def update(self, person: Person) -> None:
        assert person.id in self.rows
        self.rows[person.id] = person

    def by_email(self, email: str) -> Person | None:
        return next((p for p in self.rows.values() if p.email == email), None)

    def of_organization(self, organization_id: OrganizationId) -> list[Person]:
        return [p for p in self.rows.values() if p.organization_id == organization_id]


class FakeUsers:
    def __init__(self) -> None:
        self.rows: dict[UserId, UserAccount] = {}
        self.tokens: dict[str, ApiToken] = {}

    def add(self, user: UserAccount) -> None:
        assert user.id not in self.rows
        self.rows[user.id] = user

    def get(self, user_id: UserId) -> UserAccount | None:
        return self.rows.get(user_id)

    def by_email(self, email: str) -> UserAccount | None:
        return next((u for u in self.rows.values() if u.email == email), None)

    def update(self, user: UserAccount) -> None:
        assert user.id in self.rows
        self.rows[user.id] = user

    def add_token(self, token: ApiToken) -> None:
        assert token.id not in self.tokens
        self.tokens[token.id] = token

    def token(self, token_id: str) -> ApiToken | None:
        return self.tokens.get(token_id)

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self.tokens.values() if t.token_hash == token_hash), None)

    def revoke_token(self, token_id: str, at: datetime) -> None:
        self.tokens[token_id] = replace(self.tokens[token_id], revoked_at=at)


class FakeAudit:
    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    def append(self, record: AuditRecord) -> None:
        self.records.append(record)

    def search(
        self,
        *,
        entity_type: str | None = None,
        entity_id: str | None = None,
        organization_ids: Sequence[str] | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        found = [
            r
            for r in self.records
            if (entity_type is None or r.entity_type == entity_type)
            and (entity_id is None or r.entity_id == entity_id)
            and (organization_ids is None or r.organization_id in organization_ids)
        ]
        return found[:limit]


@dataclass(frozen=True)
class _Snapshot:
    organizations: dict[OrganizationId, Organization]
    people: dict[PersonId, Person]
    users: dict[UserId, UserAccount]
    tokens: dict[str, ApiToken]
    records: list[AuditRecord]


class FakeUnitOfWork:
    """Committed state lives in the repositories; a rollback restores the snapshot."""

    organizations: OrganizationRepository
    people: PersonRepository
    users: UserRepository
    audit: AuditJournal

    def __init__(self) -> None:
        self._organizations = FakeOrganizations()
        self._people = FakePeople()
        self._users = FakeUsers()
        self._audit = FakeAudit()
        self.organizations = self._organizations
        self.people = self._people
        self.users = self._users
        self.audit = self._audit
        self.commits = 0
        self._snapshot: _Snapshot | None = None

    # What tests inspect, committed or not.
    @property
    def records(self) -> list[AuditRecord]:
        return self._audit.records

    @property
    def people_rows(self) -> dict[PersonId, Person]:
        return self._people.rows

    @property
    def user_rows(self) -> dict[UserId, UserAccount]:
        return self._users.rows

    @property
    def tokens(self) -> dict[str, ApiToken]:
        return self._users.tokens

    def _take(self) -> _Snapshot:
        return _Snapshot(
            dict(self._organizations.rows),
            dict(self._people.rows),
            dict(self._users.rows),
            dict(self._users.tokens),
            list(self._audit.records),
        )

    def __enter__(self) -> Self:
        assert self._snapshot is None, "the unit of work is not re-entrant"
        self._snapshot = self._take()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._snapshot = None

    def commit(self) -> None:
        assert self._snapshot is not None, "commit outside a unit of work"
        self.commits += 1
        self._snapshot = self._take()

    def rollback(self) -> None:
        if self._snapshot is None:
            return
        saved = self._snapshot
        self._organizations.rows = dict(saved.organizations)
        self._people.rows = dict(saved.people)
        self._users.rows = dict(saved.users)
        self._users.tokens = dict(saved.tokens)
        self._audit.records = list(saved.records)


def seed_organization(
    uow: FakeUnitOfWork,
    name: str,
    *,
    parent: Organization | None = None,
    country: str = "FR",
    kind: OrganizationKind = OrganizationKind.PARTNER,
) -> Organization:
    """Put an organisation straight into committed state (no use case, no audit)."""
    organization = Organization(
        id=OrganizationId(f"org_{name.lower().replace(' ', '_')}"),
        name=name,
        country=country,
        kind=kind,
        parent_id=parent.id if parent is not None else None,
        ownership_percent=Decimal("100") if parent is not None else None,
    )
    uow.organizations.add(organization)
    return organization


def seed_person(
    uow: FakeUnitOfWork,
    name: str,
    organization: Organization | None,
    *roles: PartnerRole | VendorRole,
) -> Person:
    """Put a person straight into committed state; vendor roles make vendor staff."""
    person = Person(
        id=PersonId(f"per_{name.lower().replace(' ', '_')}"),
        name=name,
        email=f"{name.lower().replace(' ', '.')}@example.com",
        organization_id=organization.id if organization is not None else None,
        partner_roles=frozenset(r for r in roles if isinstance(r, PartnerRole)),
        vendor_roles=frozenset(r for r in roles if isinstance(r, VendorRole)),
    )
    uow.people.add(person)
    return person


def member(person: Person) -> Actor:
    """The actor a partner's person acts as."""
    return Actor(
        ActorKind.MEMBER,
        user_id=UserId(f"usr_{person.id}"),
        organization_id=person.organization_id,
        partner_roles=person.partner_roles,
        label=person.email,
    )


def staff(*roles: VendorRole) -> Actor:
    return Actor(
        ActorKind.VENDOR_STAFF,
        user_id=UserId("usr_staff"),
        vendor_roles=frozenset(roles),
        label="staff@vendor.example",
    )
