"""People and their roles (OPN-18) round-trip through the store; e-mails are unique."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from alliance.domain.errors import Conflict, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, Person, VendorRole
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
ACME = OrganizationId("org_acme")
BETA = OrganizationId("org_beta")


@pytest.fixture
def uow_factory(uow_factory: UowFactory) -> UowFactory:
    """Units of work on a database that knows Acme and Beta."""
    with uow_factory() as uow:
        uow.organizations.add(Organization(id=ACME, name="Acme", country="FR"))
        uow.organizations.add(Organization(id=BETA, name="Beta", country="DE"))
        uow.commit()
    return uow_factory


def person(
    key: str,
    *,
    name: str | None = None,
    email: str | None = None,
    organization: OrganizationId | None = ACME,
    roles: frozenset[PartnerRole] = frozenset(),
    vendor_roles: frozenset[VendorRole] = frozenset(),
) -> Person:
    return Person(
        id=PersonId(f"per_{key}"),
        name=name or key.title(),
        email=email or f"{key}@example.com",
        organization_id=organization,
        partner_roles=roles,
        vendor_roles=vendor_roles,
    )


def save(uow_factory: UowFactory, *people: Person) -> None:
    with uow_factory() as uow:
        for someone in people:
            uow.people.add(someone)
        uow.commit()


def test_a_person_comes_back_with_every_role(uow_factory: UowFactory) -> None:
    ada = person(
        "ada",
        roles=frozenset({PartnerRole.PARTNER_ADMINISTRATOR, PartnerRole.KEY_EXECUTIVE}),
    )
    staff = person("vera", organization=None, vendor_roles=frozenset(VendorRole))
    plain = person("bob")
    save(uow_factory, ada, staff, plain)
    with uow_factory() as uow:
        assert uow.people.get(ada.id) == ada
        assert uow.people.get(staff.id) == staff
        assert uow.people.get(plain.id) == plain
        assert uow.people.get(PersonId("per_nobody")) is None


def test_a_person_is_found_by_email_whatever_its_case(uow_factory: UowFactory) -> None:
    ada = person("ada", email="Ada.Lovelace@Example.com")
    save(uow_factory, ada)
    with uow_factory() as uow:
        assert uow.people.by_email("  ADA.lovelace@example.COM ") == ada
        assert uow.people.by_email("nobody@example.com") is None
        assert uow.people.by_email("not an address") is None


def test_the_people_of_an_organization_are_listed_by_name(uow_factory: UowFactory) -> None:
    save(
        uow_factory,
        person("zed", name="zed", roles=frozenset({PartnerRole.LEGAL_CONTACT})),
        person("amy", name="Amy"),
        person("bea", name="bea", roles=frozenset({PartnerRole.MARKETING_CONTACT})),
        person("out", organization=BETA),
    )
    with uow_factory() as uow:
        acme_people = uow.people.of_organization(ACME)
        nobody = uow.people.of_organization(OrganizationId("org_nobody"))
    assert [p.id for p in acme_people] == ["per_amy", "per_bea", "per_zed"]
    assert acme_people[2].partner_roles == {PartnerRole.LEGAL_CONTACT}
    assert nobody == []


def test_an_update_replaces_name_email_organization_and_roles(uow_factory: UowFactory) -> None:
    save(uow_factory, person("ada", roles=frozenset({PartnerRole.PARTNER_ADMINISTRATOR})))
    changed = person(
        "ada",
        name="Ada King",
        email="ada.king@example.com",
        organization=BETA,
        roles=frozenset({PartnerRole.ACCOUNTS_PAYABLE, PartnerRole.ENGAGEMENT_USER}),
    )
    with uow_factory() as uow:
        uow.people.update(changed)
        uow.commit()
    with uow_factory() as uow:
        assert uow.people.get(changed.id) == changed
        assert uow.people.by_email("ada@example.com") is None


def test_updating_an_unknown_person_is_not_found(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFound) as raised:
        uow.people.update(person("ghost"))
    assert raised.value.field == "person_id"


def test_a_duplicate_email_is_a_conflict_naming_the_field(uow_factory: UowFactory) -> None:
    save(uow_factory, person("ada", email="ada@example.com"))
    with uow_factory() as uow, pytest.raises(Conflict) as raised:
        uow.people.add(person("impostor", email="ADA@example.com"))
    assert raised.value.field == "email"
    assert "email" in raised.value.message


def test_changing_an_email_to_a_taken_one_is_a_conflict(uow_factory: UowFactory) -> None:
    save(uow_factory, person("ada"), person("bob"))
    with uow_factory() as uow, pytest.raises(Conflict) as raised:
        uow.people.update(person("bob", email="ada@example.com"))
    assert raised.value.field == "email"


def test_a_duplicate_id_is_a_conflict_naming_the_field(uow_factory: UowFactory) -> None:
    save(uow_factory, person("ada"))
    with uow_factory() as uow, pytest.raises(Conflict) as raised:
        uow.people.add(person("ada", email="other@example.com"))
    assert raised.value.field == "id"


def test_an_unknown_organization_is_invalid_input_naming_the_field(
    uow_factory: UowFactory,
) -> None:
    with uow_factory() as uow, pytest.raises(InvalidInput) as raised:
        uow.people.add(person("ada", organization=OrganizationId("org_nobody")))
    assert raised.value.field == "organization_id"
