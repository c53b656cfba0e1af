"""Database constraints are a backstop: what slips past the domain becomes a named refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from alliance.domain.errors import InvalidInput
from alliance.store.integrity import guarded
from alliance.store.tables import audit_log, organizations
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
NOW = datetime(2025, 3, 14, tzinfo=UTC)


def organization_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "org_x",
        "name": "X",
        "country": "FR",
        "kind": "partner",
        "sector": "commercial",
        "created_at": NOW,
        "updated_at": NOW,
    }
    return {**row, **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"parent_id": "org_x", "ownership_percent": Decimal("60")}, "parent_id"),
        ({"name": None}, "name"),
    ],
)
def test_a_broken_row_written_past_the_domain_is_invalid_input_naming_the_field(
    uow_factory: UowFactory, changes: dict[str, object], field: str
) -> None:
    with (
        uow_factory() as uow,
        pytest.raises(InvalidInput) as raised,
        guarded(uow.session, organizations, "organisation"),
    ):
        uow.session.execute(insert(organizations).values(**organization_row(**changes)))
    assert raised.value.field == field


def test_an_associate_without_ownership_breaks_a_named_rule(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.session.execute(insert(organizations).values(**organization_row(id="org_parent")))
        with (
            pytest.raises(InvalidInput, match="associate_has_ownership") as raised,
            guarded(uow.session, organizations, "organisation"),
        ):
            uow.session.execute(
                insert(organizations).values(**organization_row(parent_id="org_parent"))
            )
    assert raised.value.field == "ownership_percent"


def test_errors_that_are_not_constraint_violations_pass_through(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.session.execute(
            insert(audit_log).values(
                at=NOW, actor="a", action="x.created", entity_type="x", entity_id="1", context={}
            )
        )
        with pytest.raises(IntegrityError), guarded(uow.session, audit_log, "audit record"):
            uow.session.execute(audit_log.delete())
