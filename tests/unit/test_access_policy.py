"""The tenancy and permission policy, pure (X-6, OPN-1, OPN-3, OPN-18)."""

from __future__ import annotations

import pytest

from alliance.domain.access import (
    Actor,
    ActorKind,
    Permission,
    can_manage_organization,
    can_see_organization,
    require,
    require_create_organization,
    require_everywhere,
    tenancy_scope,
)
from alliance.domain.errors import Forbidden, NotAuthenticated
from alliance.domain.ids import OrganizationId, UserId
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import PartnerRole, VendorRole

A = OrganizationId("org_a")
A1 = OrganizationId("org_a1")
A2 = OrganizationId("org_a2")
B = OrganizationId("org_b")
B1 = OrganizationId("org_b1")

EVERYTHING = Hierarchy({A: None, A1: A, A2: A, B: None, B1: B})
COMPANY_A = Hierarchy({A: None, A1: A, A2: A})
COMPANY_B = Hierarchy({B: None, B1: B})


def member_of(org: OrganizationId, *roles: PartnerRole) -> Actor:
    return Actor(
        ActorKind.MEMBER,
        user_id=UserId(f"usr_{org}"),
        organization_id=org,
        partner_roles=frozenset(roles),
        label=f"someone@{org}.example",
    )


def staff(*roles: VendorRole) -> Actor:
    return Actor(ActorKind.VENDOR_STAFF, user_id=UserId("usr_staff"), vendor_roles=frozenset(roles))


ADMIN_A = member_of(A, PartnerRole.PARTNER_ADMINISTRATOR)
ADMIN_A1 = member_of(A1, PartnerRole.PARTNER_ADMINISTRATOR)


def test_a_member_of_partner_a_cannot_see_partner_b() -> None:
    assert not can_see_organization(member_of(A), B, EVERYTHING)
    assert not can_see_organization(member_of(A), B1, EVERYTHING)
    with pytest.raises(Forbidden) as refused:
        require(member_of(A), Permission.VIEW_ORGANIZATION, organization=B, hierarchy=EVERYTHING)
    assert refused.value.rule == "X-6"
    assert refused.value.field == "organization_id"


def test_a_member_is_refused_when_the_hierarchy_holds_only_the_other_company() -> None:
    # The store answers with the target's company only: A is not in it.
    assert not can_see_organization(member_of(A), B, COMPANY_B)
    with pytest.raises(Forbidden):
        require(member_of(A), Permission.VIEW_ORGANIZATION, organization=B, hierarchy=COMPANY_B)


def test_an_unknown_organisation_is_refused_to_a_member_like_another_companys() -> None:
    with pytest.raises(Forbidden) as unknown:
        require(member_of(A), Permission.VIEW_ORGANIZATION, organization=B, hierarchy=None)
    with pytest.raises(Forbidden) as other:
        require(member_of(A), Permission.VIEW_ORGANIZATION, organization=B, hierarchy=COMPANY_B)
    assert unknown.value.to_dict() == other.value.to_dict()


def test_a_member_sees_its_own_associates_and_itself() -> None:
    for org in (A, A1, A2):
        assert can_see_organization(member_of(A), org, COMPANY_A)
        require(member_of(A), Permission.VIEW_ORGANIZATION, organization=org, hierarchy=COMPANY_A)


def test_an_associate_sees_its_principal_and_siblings_as_one_company() -> None:
    # OPN-3: "the company" follows the hierarchy.
    assert can_see_organization(member_of(A1), A, COMPANY_A)
    assert can_see_organization(member_of(A1), A2, COMPANY_A)
    assert not can_see_organization(member_of(A1), B, EVERYTHING)


def test_the_principals_administrator_manages_its_associates() -> None:
    assert can_manage_organization(ADMIN_A, A1, COMPANY_A)
    require(ADMIN_A, Permission.MANAGE_USERS, organization=A1, hierarchy=COMPANY_A)


def test_an_associates_administrator_does_not_manage_its_principal_or_siblings() -> None:
    assert can_manage_organization(ADMIN_A1, A1, COMPANY_A)
    assert not can_manage_organization(ADMIN_A1, A, COMPANY_A)
    assert not can_manage_organization(ADMIN_A1, A2, COMPANY_A)
    with pytest.raises(Forbidden):
        require(ADMIN_A1, Permission.MANAGE_ORGANIZATION, organization=A, hierarchy=COMPANY_A)


def test_a_member_without_the_administrator_role_only_views() -> None:
    plain = member_of(A, PartnerRole.MARKETING_CONTACT)
    assert plain.permissions() == frozenset({Permission.VIEW_ORGANIZATION})
    with pytest.raises(Forbidden) as refused:
        require(plain, Permission.MANAGE_USERS, organization=A, hierarchy=COMPANY_A)
    assert "manage users" in refused.value.message


def test_staff_with_a_viewing_role_see_every_organisation_but_change_nothing() -> None:
    viewer = staff(VendorRole.VIEWER)
    for org in (A, A1, B, B1):
        assert can_see_organization(viewer, org, EVERYTHING)
        require(viewer, Permission.VIEW_ORGANIZATION, organization=org, hierarchy=None)
    with pytest.raises(Forbidden):
        require(viewer, Permission.MANAGE_ORGANIZATION, organization=A, hierarchy=COMPANY_A)
    with pytest.raises(Forbidden):
        require_create_organization(viewer, parent=None, hierarchy=None)


def test_a_channel_manager_creates_principals_and_associates_of_any_company() -> None:
    manager = staff(VendorRole.CHANNEL_MANAGER)
    require_create_organization(manager, parent=None, hierarchy=None)
    require_create_organization(manager, parent=B, hierarchy=COMPANY_B)


def test_a_program_admin_holds_every_permission() -> None:
    assert staff(VendorRole.PROGRAM_ADMIN).permissions() == frozenset(Permission)
    require_everywhere(staff(VendorRole.PROGRAM_ADMIN), Permission.MANAGE_VENDOR_STAFF)


def test_a_partner_administrator_creates_associates_of_its_own_company_only() -> None:
    require_create_organization(ADMIN_A, parent=A, hierarchy=COMPANY_A)
    with pytest.raises(Forbidden):
        require_create_organization(ADMIN_A, parent=B, hierarchy=COMPANY_B)


def test_a_partner_administrator_cannot_create_a_principal() -> None:
    # OPN-1/OPN-9: a new principal joins by enrolment.
    with pytest.raises(Forbidden) as refused:
        require_create_organization(ADMIN_A, parent=None, hierarchy=None)
    assert refused.value.rule == "OPN-1"
    assert refused.value.field == "parent_id"


def test_a_member_is_refused_what_only_staff_may_see() -> None:
    with pytest.raises(Forbidden):
        require_everywhere(ADMIN_A, Permission.VIEW_ORGANIZATION)


def test_the_anonymous_caller_is_asked_to_authenticate() -> None:
    anonymous = Actor.anonymous()
    assert anonymous.permissions() == frozenset()
    assert not can_see_organization(anonymous, A, EVERYTHING)
    with pytest.raises(NotAuthenticated):
        require(anonymous, Permission.VIEW_ORGANIZATION)
    with pytest.raises(NotAuthenticated):
        tenancy_scope(anonymous, None)


def test_tenancy_scope_is_the_members_company_and_everything_for_staff() -> None:
    assert tenancy_scope(member_of(A1), COMPANY_A) == [A, A1, A2]
    assert tenancy_scope(member_of(A), None) == []
    assert tenancy_scope(member_of(A), COMPANY_B) == []
    assert tenancy_scope(staff(VendorRole.FINANCE), None) is None
    assert tenancy_scope(Actor.system("cli"), None) is None
