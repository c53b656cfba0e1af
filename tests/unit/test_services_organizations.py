"""Organisation use cases on the in-memory unit of work (OPN-1, OPN-3, X-4, X-6, X-7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fake_uow import NOW, FakeUnitOfWork, seed_organization, staff

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import (
    AssociateNotOwned,
    Organization,
    OrganizationKind,
    PartnerType,
)
from alliance.domain.people import VendorRole
from alliance.services.organizations import (
    CreateOrganization,
    ParentNotPrincipal,
    create_organization,
    get_organization,
    list_organizations,
    organization_hierarchy,
)

MANAGER = staff(VendorRole.CHANNEL_MANAGER)


def test_staff_create_a_principal_and_the_journal_records_it(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    command = CreateOrganization(
        name="  Globex  ", country="DE", partner_type=PartnerType.RESELLER, sector="public"
    )
    created = create_organization(uow, MANAGER, command, clock)

    assert uow.organizations.get(created.id) == created
    assert created.name == "Globex"
    assert created.parent_id is None
    [record] = uow.records
    assert record.action == "organization.created"
    assert record.entity_id == created.id
    assert record.actor == "staff@vendor.example"
    assert record.at == NOW
    assert record.new == {
        "name": "Globex",
        "country": "DE",
        "kind": "partner",
        "partner_type": "reseller",
        "parent_id": None,
        "ownership_percent": None,
        "sector": "public",
    }


def test_a_partner_administrator_adds_a_majority_owned_associate(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    command = CreateOrganization(
        name="Acme Iberia", country="ES", parent_id=acme.id, ownership_percent=Decimal("51")
    )
    associate = create_organization(uow, acme_admin, command, clock)

    assert associate.parent_id == acme.id
    assert associate.ownership_percent == Decimal("51")
    assert uow.records[-1].new is not None
    assert uow.records[-1].new["ownership_percent"] == "51"


def test_an_associate_owned_50_percent_is_refused_and_nothing_is_saved(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    command = CreateOrganization(
        name="Acme Half", country="ES", parent_id=acme.id, ownership_percent=Decimal("50")
    )
    with pytest.raises(AssociateNotOwned) as refused:
        create_organization(uow, acme_admin, command, clock)
    assert refused.value.rule == "OPN-1"
    assert refused.value.field == "ownership_percent"
    assert uow.organizations.count() == 1
    assert uow.records == []


def test_an_associate_of_an_associate_is_refused(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization
) -> None:
    iberia = seed_organization(uow, "Acme Iberia", parent=acme)
    command = CreateOrganization(
        name="Acme Porto", country="PT", parent_id=iberia.id, ownership_percent=Decimal("100")
    )
    with pytest.raises(ParentNotPrincipal) as refused:
        create_organization(uow, MANAGER, command, clock)
    assert refused.value.rule == "OPN-3"
    assert acme.id in refused.value.message


def test_a_partner_cannot_belong_to_a_customer(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    buyer = seed_organization(uow, "Buyer Corp", kind=OrganizationKind.CUSTOMER)
    command = CreateOrganization(
        name="Buyer Partner", country="FR", parent_id=buyer.id, ownership_percent=Decimal("80")
    )
    with pytest.raises(InvalidInput) as refused:
        create_organization(uow, MANAGER, command, clock)
    assert refused.value.field == "parent_id"


def test_a_customer_hierarchy_may_be_several_levels_deep(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    # OSR-18: customers' corporate hierarchies follow reality.
    group = seed_organization(uow, "Group", kind=OrganizationKind.CUSTOMER)
    sub = seed_organization(uow, "Group Sub", parent=group, kind=OrganizationKind.CUSTOMER)
    command = CreateOrganization(
        name="Group Sub Sub",
        country="FR",
        kind=OrganizationKind.CUSTOMER,
        parent_id=sub.id,
        ownership_percent=Decimal("100"),
    )
    created = create_organization(uow, MANAGER, command, clock)
    tree = organization_hierarchy(uow, MANAGER, created.id)
    assert [(n.organization.name, n.depth) for n in tree.nodes] == [
        ("Group", 0),
        ("Group Sub", 1),
        ("Group Sub Sub", 2),
    ]


def test_an_unknown_parent_is_bad_input_for_staff(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    command = CreateOrganization(
        name="Orphan",
        country="FR",
        parent_id=OrganizationId("org_nope"),
        ownership_percent=Decimal("100"),
    )
    with pytest.raises(InvalidInput) as refused:
        create_organization(uow, MANAGER, command, clock)
    assert refused.value.field == "parent_id"


def test_an_unknown_parent_is_refused_to_a_member_without_saying_so(
    uow: FakeUnitOfWork, clock: FixedClock, acme_admin: Actor
) -> None:
    command = CreateOrganization(
        name="Orphan",
        country="FR",
        parent_id=OrganizationId("org_nope"),
        ownership_percent=Decimal("90"),
    )
    with pytest.raises(Forbidden):
        create_organization(uow, acme_admin, command, clock)


def test_a_partner_administrator_cannot_attach_an_associate_to_another_company(
    uow: FakeUnitOfWork, clock: FixedClock, acme_admin: Actor
) -> None:
    globex = seed_organization(uow, "Globex")
    command = CreateOrganization(
        name="Sneaky", country="FR", parent_id=globex.id, ownership_percent=Decimal("90")
    )
    with pytest.raises(Forbidden) as refused:
        create_organization(uow, acme_admin, command, clock)
    assert refused.value.rule == "X-6"
    assert uow.organizations.count() == 2


def test_a_duplicate_name_in_the_same_country_conflicts(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization
) -> None:
    with pytest.raises(Conflict) as refused:
        create_organization(uow, MANAGER, CreateOrganization(name="ACME", country="FR"), clock)
    assert refused.value.field == "name"
    assert acme.id in refused.value.message
    # The same name elsewhere is another company.
    create_organization(uow, MANAGER, CreateOrganization(name="Acme", country="BE"), clock)


def test_ownership_has_at_most_two_decimal_places(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization
) -> None:
    command = CreateOrganization(
        name="Acme Precise", country="FR", parent_id=acme.id, ownership_percent=Decimal("75.555")
    )
    with pytest.raises(InvalidInput) as refused:
        create_organization(uow, MANAGER, command, clock)
    assert refused.value.field == "ownership_percent"


def test_bad_country_and_sector_name_their_field(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput) as country:
        create_organization(uow, MANAGER, CreateOrganization(name="X", country="fr"), clock)
    assert country.value.field == "country"
    with pytest.raises(InvalidInput) as sector:
        create_organization(
            uow, MANAGER, CreateOrganization(name="X", country="FR", sector="govt"), clock
        )
    assert sector.value.field == "sector"


def test_a_member_sees_its_organisation_but_not_another_company(
    uow: FakeUnitOfWork, acme: Organization, acme_admin: Actor
) -> None:
    globex = seed_organization(uow, "Globex")
    assert get_organization(uow, acme_admin, acme.id) == acme
    with pytest.raises(Forbidden):
        get_organization(uow, acme_admin, globex.id)
    with pytest.raises(Forbidden) as unknown:
        get_organization(uow, acme_admin, OrganizationId("org_nope"))
    assert unknown.value.field == "organization_id"


def test_staff_are_told_an_unknown_organisation_does_not_exist(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):
        get_organization(uow, staff(VendorRole.VIEWER), OrganizationId("org_nope"))


def test_the_anonymous_caller_sees_nothing(
    uow: FakeUnitOfWork, acme: Organization, clock: FixedClock
) -> None:
    with pytest.raises(NotAuthenticated):
        get_organization(uow, Actor.anonymous(), acme.id)
    with pytest.raises(NotAuthenticated):  # before any validation of the input
        create_organization(uow, Actor.anonymous(), CreateOrganization("", "??"), clock)
    with pytest.raises(NotAuthenticated):
        list_organizations(uow, Actor.anonymous())


def test_a_members_list_holds_its_company_only(
    uow: FakeUnitOfWork, acme: Organization, acme_admin: Actor
) -> None:
    seed_organization(uow, "Acme Iberia", parent=acme)
    globex = seed_organization(uow, "Globex")
    seed_organization(uow, "Globex Asia", parent=globex)

    page = list_organizations(uow, acme_admin)
    assert [o.name for o in page.items] == ["Acme", "Acme Iberia"]
    assert page.next_offset is None


def test_staff_list_every_organisation_a_page_at_a_time(
    uow: FakeUnitOfWork, acme: Organization
) -> None:
    for name in ("Globex", "Initech", "Umbrella"):
        seed_organization(uow, name)
    viewer = staff(VendorRole.VIEWER)

    first = list_organizations(uow, viewer, limit=3)
    assert [o.name for o in first.items] == ["Acme", "Globex", "Initech"]
    assert first.next_offset == 3
    second = list_organizations(uow, viewer, limit=3, offset=3)
    assert [o.name for o in second.items] == ["Umbrella"]
    assert second.next_offset is None


def test_a_page_size_out_of_bounds_names_the_field(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidInput) as refused:
        list_organizations(uow, staff(VendorRole.VIEWER), limit=0)
    assert refused.value.field == "limit"
    with pytest.raises(InvalidInput) as negative:
        list_organizations(uow, staff(VendorRole.VIEWER), offset=-1)
    assert negative.value.field == "offset"


def test_the_hierarchy_lists_principal_then_associates_with_their_depth(
    uow: FakeUnitOfWork, acme: Organization, acme_admin: Actor
) -> None:
    iberia = seed_organization(uow, "Acme Iberia", parent=acme)
    seed_organization(uow, "Acme Benelux", parent=acme)
    seed_organization(uow, "Globex")

    tree = organization_hierarchy(uow, acme_admin, iberia.id)

    assert tree.principal_id == acme.id
    assert [(n.organization.name, n.depth, n.entity_role.value) for n in tree.nodes] == [
        ("Acme", 0, "principal"),
        ("Acme Benelux", 1, "associate"),
        ("Acme Iberia", 1, "associate"),
    ]


def test_another_companys_hierarchy_is_refused(uow: FakeUnitOfWork, acme_admin: Actor) -> None:
    globex = seed_organization(uow, "Globex")
    with pytest.raises(Forbidden):
        organization_hierarchy(uow, acme_admin, globex.id)
