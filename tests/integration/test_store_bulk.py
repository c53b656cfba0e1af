"""Bulk inserts (demo loads and imports) keep every rule of the one-by-one path."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from alliance.domain.errors import Conflict, InvalidInput
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, Person
from alliance.store.unit_of_work import SqlUnitOfWork

Factory = Callable[[], SqlUnitOfWork]


def _org(n: int, parent: int | None = None) -> Organization:
    return Organization(
        id=OrganizationId(f"org_bulk{n:04d}"),
        name=f"Bulk {n}",
        country="FR",
        parent_id=OrganizationId(f"org_bulk{parent:04d}") if parent is not None else None,
        ownership_percent=Decimal("75.50") if parent is not None else None,
    )


def test_many_organisations_and_people_in_one_statement(uow_factory: Factory) -> None:
    """OPN-3: a bulk load keeps hierarchies whole."""
    orgs = [_org(i) for i in range(50)] + [_org(100 + i, parent=i) for i in range(10)]
    people = [
        Person(
            id=PersonId(f"per_bulk{i:04d}"),
            name=f"Person {i}",
            email=f"p{i}@bulk.example",
            organization_id=orgs[i].id,
            partner_roles=frozenset({PartnerRole.PARTNER_ADMINISTRATOR}),
        )
        for i in range(60)
    ]
    with uow_factory() as uow:
        uow.organizations.add_many(orgs)
        uow.people.add_many(people)
        uow.commit()
    with uow_factory() as uow:
        assert uow.organizations.count() == 60
        assert uow.organizations.company_hierarchy(orgs[3].id).company_of(orgs[3].id) == [
            orgs[3].id,
            OrganizationId("org_bulk0103"),
        ]
        loaded = uow.people.get(PersonId("per_bulk0007"))
        assert loaded is not None and loaded.partner_roles == {PartnerRole.PARTNER_ADMINISTRATOR}
        child = uow.organizations.get(OrganizationId("org_bulk0101"))
        assert child is not None and child.ownership_percent == Decimal("75.50")


def test_a_bad_row_in_a_batch_applies_nothing(uow_factory: Factory) -> None:
    """X-7: all or nothing — a duplicate id rolls the whole batch back."""
    with pytest.raises((Conflict, InvalidInput)), uow_factory() as uow:
        uow.organizations.add_many([_org(1), _org(2), _org(1)])
        uow.commit()
    with uow_factory() as uow:
        assert uow.organizations.count() == 0
