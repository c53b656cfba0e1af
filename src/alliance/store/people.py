"""People in SQL: a ``people`` row plus one ``person_roles`` row per role held."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import RowMapping, delete, func, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.errors import InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.people import PartnerRole, Person, VendorRole, normalise_email
from alliance.store.integrity import guarded
from alliance.store.tables import people, person_roles

NOUN = "person"
PARTNER = "partner"
VENDOR = "vendor"

_Roles = dict[str, set[str]]


def _role_rows(person: Person) -> list[dict[str, str]]:
    rows = [
        {"person_id": person.id, "role_kind": PARTNER, "role": role.value}
        for role in sorted(person.partner_roles)
    ]
    rows += [
        {"person_id": person.id, "role_kind": VENDOR, "role": role.value}
        for role in sorted(person.vendor_roles)
    ]
    return rows


def _person(row: RowMapping, roles: _Roles) -> Person:
    return Person(
        id=PersonId(row["id"]),
        name=row["name"],
        email=row["email"],
        organization_id=OrganizationId(row["organization_id"]) if row["organization_id"] else None,
        partner_roles=frozenset(PartnerRole(r) for r in roles.get(PARTNER, ())),
        vendor_roles=frozenset(VendorRole(r) for r in roles.get(VENDOR, ())),
    )


class SqlPersonRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, person: Person) -> None:
        with guarded(self._session, people, NOUN):
            self._session.execute(
                insert(people).values(
                    id=person.id,
                    name=person.name,
                    email=person.email,
                    organization_id=person.organization_id,
                )
            )
            self._insert_roles(person)

    def add_many(self, batch: Sequence[Person]) -> None:
        """Insert many people in two statements (bulk loads: demo, imports)."""
        if not batch:
            return
        with guarded(self._session, people, NOUN):
            self._session.execute(
                insert(people),
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "email": p.email,
                        "organization_id": p.organization_id,
                    }
                    for p in batch
                ],
            )
            roles = [row for p in batch for row in _role_rows(p)]
            if roles:
                self._session.execute(insert(person_roles), roles)

    def get(self, person_id: PersonId) -> Person | None:
        return self._one(select(people).where(people.c.id == person_id))

    def update(self, person: Person) -> None:
        with guarded(self._session, people, NOUN):
            found = self._session.execute(
                update(people)
                .where(people.c.id == person.id)
                .values(
                    name=person.name, email=person.email, organization_id=person.organization_id
                )
                .returning(people.c.id)
            ).scalar_one_or_none()
            if found is not None:
                self._session.execute(
                    delete(person_roles).where(person_roles.c.person_id == person.id)
                )
                self._insert_roles(person)
        if found is None:
            raise NotFound(f"no {NOUN} {person.id}", field="person_id")

    def by_email(self, email: str) -> Person | None:
        try:
            address = normalise_email(email)
        except InvalidInput:
            return None
        return self._one(select(people).where(people.c.email == address))

    def of_organization(self, organization_id: OrganizationId) -> list[Person]:
        """Everyone acting for ``organization_id``, by name (case-insensitively) then id."""
        rows = (
            self._session.execute(
                select(people)
                .where(people.c.organization_id == organization_id)
                .order_by(func.lower(people.c.name), people.c.id)
            )
            .mappings()
            .all()
        )
        roles = self._roles_of(row["id"] for row in rows)
        return [_person(row, roles[row["id"]]) for row in rows]

    def _one(self, query: Any) -> Person | None:
        row = self._session.execute(query).mappings().one_or_none()
        if row is None:
            return None
        return _person(row, self._roles_of([row["id"]])[row["id"]])

    def _roles_of(self, person_ids: Iterable[str]) -> defaultdict[str, _Roles]:
        ids = list(person_ids)
        roles: defaultdict[str, _Roles] = defaultdict(lambda: defaultdict(set))
        if not ids:
            return roles
        query = select(person_roles).where(person_roles.c.person_id.in_(ids))
        for row in self._session.execute(query).mappings():
            roles[row["person_id"]][row["role_kind"]].add(row["role"])
        return roles

    def _insert_roles(self, person: Person) -> None:
        rows = _role_rows(person)
        if rows:
            self._session.execute(insert(person_roles), rows)
