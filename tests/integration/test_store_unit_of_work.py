"""The unit of work commits all or nothing, and rolls back unless told to commit (X-7)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.errors import Conflict
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.organizations import Organization
from alliance.domain.people import Person
from alliance.services.ports import UnitOfWork
from alliance.store.database import session_factory
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
ACME = Organization(id=OrganizationId("org_acme"), name="Acme", country="FR")
ACME_DE = Organization(
    id=OrganizationId("org_acme_de"),
    name="Acme GmbH",
    country="DE",
    parent_id=ACME.id,
    ownership_percent=Decimal("100"),
)
NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
ADA = Person(id=PersonId("per_ada"), name="Ada", email="ada@acme.example", organization_id=ACME.id)


class Refused(Exception):
    pass


def _nothing_saved(uow_factory: UowFactory) -> bool:
    with uow_factory() as uow:
        return (
            uow.organizations.count() == 0
            and uow.people.get(ADA.id) is None
            and uow.audit.search() == []
        )


def test_the_sql_unit_of_work_implements_the_port(engine: Engine, clock: FixedClock) -> None:
    uow: UnitOfWork = SqlUnitOfWork(session_factory(engine), clock=clock)
    with uow:
        assert uow.organizations.count() == 0


def test_leaving_without_commit_leaves_nothing(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.organizations.add(ACME)
        uow.people.add(ADA)
        uow.audit.append(audit.created(Actor.system(), "organization", ACME.id, {}, NOW))
        assert uow.organizations.get(ACME.id) == ACME  # visible inside the transaction
    assert _nothing_saved(uow_factory)


def test_an_exception_rolls_everything_back(uow_factory: UowFactory) -> None:
    with pytest.raises(Refused), uow_factory() as uow:
        uow.organizations.add(ACME)
        uow.people.add(ADA)
        raise Refused
    assert _nothing_saved(uow_factory)


def test_an_explicit_rollback_discards_the_work_so_far(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.organizations.add(ACME)
        uow.rollback()
        uow.organizations.add(Organization(id=OrganizationId("org_b"), name="B", country="FR"))
        uow.commit()
    with uow_factory() as uow:
        assert [o.id for o in uow.organizations.list()] == ["org_b"]


def test_commit_keeps_every_change_of_the_unit(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.organizations.add(ACME)
        uow.organizations.add(ACME_DE)
        uow.people.add(ADA)
        uow.commit()
    with uow_factory() as uow:
        assert uow.organizations.count() == 2
        assert uow.people.get(ADA.id) == ADA


def test_work_after_a_commit_is_rolled_back_unless_committed_again(
    uow_factory: UowFactory,
) -> None:
    with uow_factory() as uow:
        uow.organizations.add(ACME)
        uow.commit()
        uow.people.add(ADA)
    with uow_factory() as uow:
        assert uow.organizations.get(ACME.id) == ACME
        assert uow.people.get(ADA.id) is None


def test_a_refused_write_leaves_the_rest_of_the_unit_usable(uow_factory: UowFactory) -> None:
    """Each write runs in a savepoint, so a Conflict does not poison the transaction."""
    with uow_factory() as uow:
        uow.organizations.add(ACME)
        with pytest.raises(Conflict):
            uow.organizations.add(ACME)
        uow.people.add(ADA)
        uow.commit()
    with uow_factory() as uow:
        assert uow.organizations.count() == 1
        assert uow.people.get(ADA.id) == ADA


def test_a_unit_of_work_can_be_used_again_after_it_closes(uow_factory: UowFactory) -> None:
    uow = uow_factory()
    with uow:
        uow.organizations.add(ACME)
        uow.commit()
    with uow:
        assert uow.organizations.get(ACME.id) == ACME


def test_units_of_work_do_not_nest(uow_factory: UowFactory) -> None:
    uow = uow_factory()
    with uow, pytest.raises(RuntimeError, match="already open"), uow:
        pass


def test_a_unit_of_work_is_used_inside_a_with_block(uow_factory: UowFactory) -> None:
    with pytest.raises(RuntimeError, match="with"):
        uow_factory().commit()
