"""The audit journal (X-4): appended, searched, and never rewritten — not even by raw SQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.audit import AuditRecord
from alliance.store.audit import SqlAuditJournal
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
MONDAY = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
OPERATOR = Actor.system("cli")


def record(
    entity_id: str = "org_acme",
    *,
    at: datetime = MONDAY,
    entity_type: str = "organization",
    organization_id: str | None = "org_acme",
) -> AuditRecord:
    return audit.created(
        OPERATOR,
        entity_type,
        entity_id,
        {"name": "Acme", "country": "FR"},
        at,
        organization_id=organization_id,
    )


def append(uow_factory: UowFactory, *records: AuditRecord) -> None:
    with uow_factory() as uow:
        for entry in records:
            uow.audit.append(entry)
        uow.commit()


def test_a_record_comes_back_as_it_was_appended(uow_factory: UowFactory) -> None:
    change = audit.changed(
        OPERATOR,
        "organization",
        "org_acme",
        {"name": "Acme", "sector": "commercial", "tags": ["a"]},
        {"name": "Acme SA", "sector": "commercial", "tags": ["a", "b"]},
        MONDAY,
        organization_id="org_acme",
    )
    change = replace(change, context={"request_id": "r-1", "ip": None})
    append(uow_factory, change)
    with uow_factory() as uow:
        assert uow.audit.search() == [change]


def test_values_json_cannot_hold_are_stored_as_exact_text(uow_factory: UowFactory) -> None:
    entry = audit.created(
        OPERATOR,
        "organization",
        "org_acme",
        {"ownership_percent": Decimal("66.67"), "joined": MONDAY},
        MONDAY,
    )
    append(uow_factory, entry)
    with uow_factory() as uow:
        (found,) = uow.audit.search()
    assert found.new == {"ownership_percent": "66.67", "joined": "2025-03-10T09:00:00+00:00"}
    assert found.old is None
    assert found.organization_id is None


def test_search_filters_and_returns_the_newest_first(uow_factory: UowFactory) -> None:
    first = record("org_acme", at=MONDAY)
    second = record("org_beta", at=MONDAY + timedelta(hours=1), organization_id="org_beta")
    third = record("per_ada", at=MONDAY + timedelta(hours=2), entity_type="person")
    fourth = record("org_acme", at=MONDAY + timedelta(hours=3))
    append(uow_factory, first, second, third, fourth)
    with uow_factory() as uow:
        journal = uow.audit
        assert journal.search() == [fourth, third, second, first]
        assert journal.search(limit=2) == [fourth, third]
        assert journal.search(entity_type="organization") == [fourth, second, first]
        assert journal.search(entity_type="organization", entity_id="org_acme") == [
            fourth,
            first,
        ]
        assert journal.search(organization_ids=["org_beta"]) == [second]
        assert journal.search(organization_ids=[]) == []


def test_the_journal_offers_no_way_to_change_or_remove_a_record() -> None:
    public = {name for name in dir(SqlAuditJournal) if not name.startswith("_")}
    assert public == {"append", "search"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'mallory'",
        "UPDATE audit_log SET new = NULL WHERE entity_id = 'org_acme'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE entity_id = 'org_acme'",
    ],
)
def test_raw_sql_cannot_rewrite_the_journal(
    uow_factory: UowFactory, engine: Engine, statement: str
) -> None:
    append(uow_factory, record())
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    with uow_factory() as uow:
        assert uow.audit.search() == [record()]


@pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_truncating_the_journal_is_refused_on_postgresql(
    uow_factory: UowFactory, engine: Engine
) -> None:
    append(uow_factory, record())
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_log"))
    with uow_factory() as uow:
        assert len(uow.audit.search()) == 1


def test_appending_inside_a_unit_of_work_that_rolls_back_leaves_nothing(
    uow_factory: UowFactory,
) -> None:
    with uow_factory() as uow:
        uow.audit.append(record())
    with uow_factory() as uow:
        assert uow.audit.search() == []
