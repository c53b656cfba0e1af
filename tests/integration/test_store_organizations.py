"""Organisations round-trip through the store; the company tree is read in one query (OPN-3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select, text

from alliance.domain.clock import FixedClock
from alliance.domain.errors import Conflict, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import (
    HierarchyCycle,
    Organization,
    OrganizationKind,
    PartnerType,
)
from alliance.store.tables import organizations
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]


def org(
    key: str,
    name: str | None = None,
    *,
    parent: str | None = None,
    kind: OrganizationKind = OrganizationKind.PARTNER,
    owned: str = "100",
) -> Organization:
    return Organization(
        id=OrganizationId(f"org_{key}"),
        name=name or key.title(),
        country="FR",
        kind=kind,
        partner_type=PartnerType.RESELLER if kind is OrganizationKind.PARTNER else None,
        parent_id=OrganizationId(f"org_{parent}") if parent else None,
        ownership_percent=Decimal(owned) if parent else None,
    )


def save(uow_factory: UowFactory, *organizations: Organization) -> None:
    with uow_factory() as uow:
        for organization in organizations:
            uow.organizations.add(organization)
        uow.commit()


def test_an_organization_comes_back_as_it_was_saved(uow_factory: UowFactory) -> None:
    principal = org("acme", "Acme Holding")
    associate = Organization(
        id=OrganizationId("org_acme_de"),
        name="Acme GmbH",
        country="DE",
        kind=OrganizationKind.PARTNER,
        partner_type=PartnerType.CLOUD_SERVICE_PROVIDER,
        parent_id=principal.id,
        ownership_percent=Decimal("50.01"),
        sector="public",
    )
    save(uow_factory, principal, associate)
    with uow_factory() as uow:
        assert uow.organizations.get(principal.id) == principal
        loaded = uow.organizations.get(associate.id)
    assert loaded == associate
    assert loaded is not None
    assert loaded.ownership_percent == Decimal("50.01")
    assert isinstance(loaded.ownership_percent, Decimal)


def test_an_unknown_organization_is_none(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        assert uow.organizations.get(OrganizationId("org_nobody")) is None


def test_timestamps_are_stamped_by_the_clock(
    uow_factory: UowFactory, engine: Engine, clock: FixedClock
) -> None:
    created = clock.now()
    save(uow_factory, org("acme"))
    clock.advance(days=2)
    with uow_factory() as uow:
        uow.organizations.update(org("acme", "Acme Renamed"))
        uow.commit()
    with engine.connect() as connection:
        row = connection.execute(
            select(organizations.c.created_at, organizations.c.updated_at).where(
                organizations.c.id == "org_acme"
            )
        ).one()
    assert row.created_at == created
    assert row.updated_at == created + timedelta(days=2)
    assert row.updated_at.tzinfo is not None


def test_an_update_replaces_every_field(uow_factory: UowFactory) -> None:
    save(uow_factory, org("acme"), org("beta"))
    moved = org("beta", "Beta Services", parent="acme", owned="75.5")
    with uow_factory() as uow:
        uow.organizations.update(moved)
        uow.commit()
    with uow_factory() as uow:
        assert uow.organizations.get(moved.id) == moved


def test_updating_an_unknown_organization_is_not_found(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFound) as raised:
        uow.organizations.update(org("ghost"))
    assert raised.value.field == "organization_id"


def test_a_duplicate_id_is_a_conflict_naming_the_field(uow_factory: UowFactory) -> None:
    save(uow_factory, org("acme"))
    with uow_factory() as uow, pytest.raises(Conflict) as raised:
        uow.organizations.add(org("acme", "Another Acme"))
    assert raised.value.field == "id"


def test_a_missing_parent_is_invalid_input_naming_the_field(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(InvalidInput) as raised:
        uow.organizations.add(org("orphan", parent="nobody"))
    assert raised.value.field == "parent_id"


def test_a_missing_parent_on_update_is_invalid_input(uow_factory: UowFactory) -> None:
    save(uow_factory, org("acme"))
    with uow_factory() as uow, pytest.raises(InvalidInput) as raised:
        uow.organizations.update(org("acme", parent="nobody"))
    assert raised.value.field == "parent_id"


def test_too_many_decimal_places_of_ownership_are_refused(uow_factory: UowFactory) -> None:
    save(uow_factory, org("acme"))
    with uow_factory() as uow, pytest.raises(InvalidInput):
        uow.organizations.add(org("beta", parent="acme", owned="66.666"))


def test_the_list_is_ordered_by_name_then_id_and_pages(uow_factory: UowFactory) -> None:
    save(
        uow_factory,
        org("c", "charlie"),
        org("a2", "Alpha"),
        org("a1", "alpha"),
        org("b", "Bravo"),
    )
    with uow_factory() as uow:
        everything = [o.id for o in uow.organizations.list()]
        first_page = [o.id for o in uow.organizations.list(limit=2)]
        second_page = [o.id for o in uow.organizations.list(limit=2, offset=2)]
        assert uow.organizations.count() == 4
    assert everything == ["org_a1", "org_a2", "org_b", "org_c"]
    assert first_page == ["org_a1", "org_a2"]
    assert second_page == ["org_b", "org_c"]


def test_the_list_filters_by_ids_kind_and_name(uow_factory: UowFactory) -> None:
    save(
        uow_factory,
        org("acme", "Acme Corp"),
        org("acme_sub", "ACME Services", parent="acme"),
        org("shop", "Shop 100% Acme_ish", kind=OrganizationKind.CUSTOMER),
        org("other", "Other"),
    )
    with uow_factory() as uow:
        repo = uow.organizations
        within = [o.id for o in repo.list(within=[OrganizationId("org_acme_sub")])]
        customers = [o.id for o in repo.list(kind=OrganizationKind.CUSTOMER)]
        named = [o.id for o in repo.list(name_contains="acme")]
        literal_percent = [o.id for o in repo.list(name_contains="100%")]
        literal_underscore = [o.id for o in repo.list(name_contains="e_i")]
        combined = [
            o.id
            for o in repo.list(
                within=[OrganizationId("org_acme"), OrganizationId("org_shop")],
                kind=OrganizationKind.PARTNER,
                name_contains="ACME",
            )
        ]
        nothing = repo.list(within=[])
    assert within == ["org_acme_sub"]
    assert customers == ["org_shop"]
    assert named == ["org_acme", "org_acme_sub", "org_shop"]
    assert literal_percent == ["org_shop"]
    assert literal_underscore == ["org_shop"]
    assert combined == ["org_acme"]
    assert nothing == []


def test_the_company_hierarchy_spans_several_levels_from_any_member(
    uow_factory: UowFactory,
) -> None:
    #   holding ─┬─ europe ─┬─ france ── paris
    #            │          └─ germany
    #            └─ americas
    #   unrelated (another company)
    save(
        uow_factory,
        org("holding"),
        org("europe", parent="holding"),
        org("americas", parent="holding", owned="51"),
        org("france", parent="europe"),
        org("germany", parent="europe", owned="80"),
        org("paris", parent="france"),
        org("unrelated"),
        org("unrelated_sub", parent="unrelated"),
    )
    company = {
        "org_holding",
        "org_europe",
        "org_americas",
        "org_france",
        "org_germany",
        "org_paris",
    }
    with uow_factory() as uow:
        for member in company:
            hierarchy = uow.organizations.company_hierarchy(OrganizationId(member))
            assert set(hierarchy.parents) == company
            assert hierarchy.principal_of(OrganizationId(member)) == "org_holding"
        from_paris = uow.organizations.company_hierarchy(OrganizationId("org_paris"))
    assert from_paris.chain(OrganizationId("org_paris")) == [
        "org_paris",
        "org_france",
        "org_europe",
        "org_holding",
    ]
    assert from_paris.parents[OrganizationId("org_germany")] == "org_europe"
    assert from_paris.parents[OrganizationId("org_holding")] is None
    assert set(from_paris.descendants(OrganizationId("org_europe"))) == {
        "org_france",
        "org_germany",
        "org_paris",
    }


def test_a_lone_principal_is_a_company_of_one(uow_factory: UowFactory) -> None:
    save(uow_factory, org("solo"))
    with uow_factory() as uow:
        hierarchy = uow.organizations.company_hierarchy(OrganizationId("org_solo"))
    assert dict(hierarchy.parents) == {"org_solo": None}


def test_the_hierarchy_of_an_unknown_organization_is_empty(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        hierarchy = uow.organizations.company_hierarchy(OrganizationId("org_nobody"))
    assert dict(hierarchy.parents) == {}
    with pytest.raises(NotFound):
        hierarchy.principal_of(OrganizationId("org_nobody"))


def test_a_cycle_written_behind_the_domain_s_back_is_refused(
    uow_factory: UowFactory, engine: Engine
) -> None:
    save(uow_factory, org("a"), org("b", parent="a"))
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE organizations SET parent_id = 'org_b', ownership_percent = 60"
                " WHERE id = 'org_a'"
            )
        )
    with uow_factory() as uow, pytest.raises(HierarchyCycle):
        uow.organizations.company_hierarchy(OrganizationId("org_b"))
