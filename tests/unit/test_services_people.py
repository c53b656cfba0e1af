"""People and partner roles on the in-memory unit of work (OPN-18, X-4, X-6)."""

from __future__ import annotations

import pytest
from fake_uow import FakeUnitOfWork, member, seed_organization, seed_person, staff

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from alliance.domain.ids import PersonId
from alliance.domain.organizations import Organization
from alliance.domain.people import MAX_KEY_EXECUTIVES, PartnerRole, VendorRole
from alliance.services.people import (
    AddPerson,
    ChangeRole,
    LastPartnerAdministrator,
    TooManyKeyExecutives,
    add_person,
    grant_role,
    list_people,
    revoke_role,
)

ADMIN = PartnerRole.PARTNER_ADMINISTRATOR
KEY = PartnerRole.KEY_EXECUTIVE


def test_a_partner_administrator_adds_a_colleague_with_roles(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    command = AddPerson(
        acme.id,
        "Carl Credit",
        " Carl@Acme.Example ",
        frozenset({PartnerRole.PARTNER_CREDIT_MANAGER}),
    )
    person = add_person(uow, acme_admin, command, clock)

    assert person.email == "carl@acme.example"
    assert uow.people.get(person.id) == person
    [record] = uow.records
    assert record.action == "person.created"
    assert record.organization_id == acme.id
    assert record.new is not None
    assert record.new["partner_roles"] == ["partner_credit_manager"]


def test_a_third_key_executive_is_refused(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    seed_person(uow, "Kim One", acme, KEY)
    seed_person(uow, "Kim Two", acme, KEY)
    assert MAX_KEY_EXECUTIVES == 2
    with pytest.raises(TooManyKeyExecutives) as refused:
        add_person(
            uow,
            acme_admin,
            AddPerson(acme.id, "Kim Three", "k3@acme.example", frozenset({KEY})),
            clock,
        )
    assert refused.value.rule == "OPN-18"
    assert refused.value.field == "partner_roles"
    assert "Kim One, Kim Two" in refused.value.message
    assert len(uow.people.of_organization(acme.id)) == 3


def test_key_executives_are_counted_per_organisation(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    iberia = seed_organization(uow, "Acme Iberia", parent=acme)
    seed_person(uow, "Kim One", acme, KEY)
    seed_person(uow, "Kim Two", acme, KEY)
    person = add_person(
        uow,
        acme_admin,
        AddPerson(iberia.id, "Kim Iberia", "ki@acme.example", frozenset({KEY})),
        clock,
    )
    assert person.organization_id == iberia.id


def test_an_e_mail_is_used_once(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    with pytest.raises(Conflict) as refused:
        add_person(uow, acme_admin, AddPerson(acme.id, "Ada Again", "ada.admin@example.com"), clock)
    assert refused.value.field == "email"


def test_a_partner_administrator_cannot_add_people_to_another_company(
    uow: FakeUnitOfWork, clock: FixedClock, acme_admin: Actor
) -> None:
    globex = seed_organization(uow, "Globex")
    with pytest.raises(Forbidden):
        add_person(uow, acme_admin, AddPerson(globex.id, "Spy", "spy@example.com"), clock)
    assert uow.people.of_organization(globex.id) == []


def test_a_plain_member_cannot_add_people(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization
) -> None:
    marketer = member(seed_person(uow, "Mo Marketing", acme, PartnerRole.MARKETING_CONTACT))
    with pytest.raises(Forbidden):
        add_person(uow, marketer, AddPerson(acme.id, "New", "new@acme.example"), clock)


def test_people_are_listed_by_name_within_the_company_only(
    uow: FakeUnitOfWork, acme: Organization, acme_admin: Actor
) -> None:
    seed_person(uow, "Bob Builder", acme)
    globex = seed_organization(uow, "Globex")
    seed_person(uow, "Gus Globex", globex)

    assert [p.name for p in list_people(uow, acme_admin, acme.id)] == ["Ada Admin", "Bob Builder"]
    with pytest.raises(Forbidden):
        list_people(uow, acme_admin, globex.id)
    assert [p.name for p in list_people(uow, staff(VendorRole.VIEWER), globex.id)] == ["Gus Globex"]


def test_granting_and_revoking_a_role_is_audited(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    bob = seed_person(uow, "Bob Builder", acme)
    granted = grant_role(uow, acme_admin, ChangeRole(bob.id, PartnerRole.LEGAL_CONTACT), clock)
    assert granted.partner_roles == {PartnerRole.LEGAL_CONTACT}
    revoked = revoke_role(uow, acme_admin, ChangeRole(bob.id, PartnerRole.LEGAL_CONTACT), clock)
    assert revoked.partner_roles == frozenset()

    actions = [(r.action, r.old, r.new) for r in uow.records]
    assert actions == [
        ("person.role_granted", {"partner_roles": []}, {"partner_roles": ["legal_contact"]}),
        ("person.role_revoked", {"partner_roles": ["legal_contact"]}, {"partner_roles": []}),
    ]


def test_granting_a_role_already_held_changes_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    bob = seed_person(uow, "Bob Builder", acme, PartnerRole.LEGAL_CONTACT)
    assert grant_role(uow, acme_admin, ChangeRole(bob.id, PartnerRole.LEGAL_CONTACT), clock) == bob
    assert uow.records == []


def test_granting_a_third_key_executive_is_refused(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    seed_person(uow, "Kim One", acme, KEY)
    seed_person(uow, "Kim Two", acme, KEY)
    bob = seed_person(uow, "Bob Builder", acme)
    with pytest.raises(TooManyKeyExecutives) as refused:
        grant_role(uow, acme_admin, ChangeRole(bob.id, KEY), clock)
    assert refused.value.field == "role"
    assert uow.people.get(bob.id) == bob


def test_the_last_partner_administrator_keeps_the_role(
    uow: FakeUnitOfWork, clock: FixedClock, acme: Organization, acme_admin: Actor
) -> None:
    ada = uow.people.by_email("ada.admin@example.com")
    assert ada is not None
    with pytest.raises(LastPartnerAdministrator) as refused:
        revoke_role(uow, acme_admin, ChangeRole(ada.id, ADMIN), clock)
    assert refused.value.rule == "OPN-18"
    seed_person(uow, "Second Admin", acme, ADMIN)
    assert ADMIN not in revoke_role(uow, acme_admin, ChangeRole(ada.id, ADMIN), clock).partner_roles


def test_another_companys_person_is_refused_like_an_unknown_one(
    uow: FakeUnitOfWork, clock: FixedClock, acme_admin: Actor
) -> None:
    globex = seed_organization(uow, "Globex")
    gus = seed_person(uow, "Gus Globex", globex)
    with pytest.raises(Forbidden) as other:
        grant_role(uow, acme_admin, ChangeRole(gus.id, ADMIN), clock)
    with pytest.raises(Forbidden) as unknown:
        grant_role(uow, acme_admin, ChangeRole(PersonId("per_nope"), ADMIN), clock)
    assert other.value.to_dict() == unknown.value.to_dict()
    with pytest.raises(NotFound):
        grant_role(
            uow, staff(VendorRole.PROGRAM_ADMIN), ChangeRole(PersonId("per_nope"), ADMIN), clock
        )


def test_vendor_staff_hold_no_partner_roles(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    vera = seed_person(uow, "Vera Vendor", None, VendorRole.VIEWER)
    with pytest.raises(InvalidInput) as refused:
        grant_role(uow, staff(VendorRole.PROGRAM_ADMIN), ChangeRole(vera.id, ADMIN), clock)
    assert refused.value.field == "role"
