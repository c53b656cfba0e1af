"""CCE-1 / CCE-2: who may use the engagement tool; at most 10 active users."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cce_builders import PARTNER, person

from alliance.domain.engagements import (
    EngagementToolUnavailable,
    MembershipStanding,
    NoEngagementAccess,
    NoPartnerRole,
    NotEngagementUserManager,
    ToolAccess,
    TooManyEngagementUsers,
    UserPolicy,
    active_users,
    automatic_access,
    deactivate,
    grant_access,
    require_access,
)
from alliance.domain.ids import OrganizationId
from alliance.domain.people import PartnerRole

ADMIN_ROLE = PartnerRole.PARTNER_ADMINISTRATOR
ACTIVE_L1 = MembershipStanding(PARTNER, active=True, level=1)
ADA = person("Ada Admin", ADMIN_ROLE)


def staff(n: int) -> list[ToolAccess]:
    """Ada (automatic) plus ``n - 1`` engagement users she added."""
    accesses = [automatic_access(ADA, membership=ACTIVE_L1, current=[])]
    for i in range(1, n):
        user = person(f"User {i}", PartnerRole.ENGAGEMENT_USER)
        accesses.append(grant_access(user, by=ADA, membership=ACTIVE_L1, current=accesses))
    return accesses


def test_an_administrator_gets_access_automatically() -> None:
    access = automatic_access(ADA, membership=ACTIVE_L1, current=[])

    assert (access.person_id, access.active, access.granted_by) == (ADA.id, True, None)


def test_another_role_gets_access_when_an_administrator_adds_it() -> None:
    marketer = person("Mia Marketing", PartnerRole.MARKETING_CONTACT)

    access = grant_access(marketer, by=ADA, membership=ACTIVE_L1, current=[])

    assert access.granted_by == ADA.id


def test_a_non_administrator_cannot_grant_itself_access() -> None:
    marketer = person("Mia Marketing", PartnerRole.MARKETING_CONTACT)

    with pytest.raises(NotEngagementUserManager) as refused:
        automatic_access(marketer, membership=ACTIVE_L1, current=[])

    assert refused.value.rule == "CCE-1"


def test_only_an_administrator_adds_users() -> None:
    lead = person("Sam Sales", PartnerRole.SALES_ENGAGEMENT_CONTACT)
    other = person("Otto Other", PartnerRole.ENGAGEMENT_USER)

    with pytest.raises(NotEngagementUserManager):
        grant_access(other, by=lead, membership=ACTIVE_L1, current=[])


def test_a_person_without_a_partner_role_is_refused() -> None:
    nobody = person("Nora Norole")

    with pytest.raises(NoPartnerRole) as refused:
        grant_access(nobody, by=ADA, membership=ACTIVE_L1, current=[])

    assert refused.value.rule == "CCE-2"


def test_a_person_of_another_partner_is_refused() -> None:
    outsider = person("Olga Outsider", ADMIN_ROLE, org=OrganizationId("org_other"))

    with pytest.raises(NoPartnerRole):
        grant_access(outsider, by=ADA, membership=ACTIVE_L1, current=[])


@pytest.mark.parametrize(
    ("membership", "field"),
    [
        (MembershipStanding(PARTNER, active=False, level=2), "membership"),
        (MembershipStanding(PARTNER, active=True, level=0), "level"),
    ],
)
def test_the_tool_needs_an_active_membership_at_level_1_or_above(
    membership: MembershipStanding, field: str
) -> None:
    with pytest.raises(EngagementToolUnavailable) as refused:
        automatic_access(ADA, membership=membership, current=[])

    assert refused.value.field == field


def test_the_eleventh_active_user_is_refused() -> None:
    ten = staff(10)
    eleventh = person("User 11", PartnerRole.ENGAGEMENT_USER)

    with pytest.raises(TooManyEngagementUsers) as refused:
        grant_access(eleventh, by=ADA, membership=ACTIVE_L1, current=ten)

    assert refused.value.rule == "CCE-1"
    assert "already has 10 active users" in refused.value.message


def test_the_eleventh_user_is_allowed_after_deactivating_one() -> None:
    ten = staff(10)
    ten[3] = deactivate(ten[3], by=ADA)
    eleventh = person("User 11", PartnerRole.ENGAGEMENT_USER)

    access = grant_access(eleventh, by=ADA, membership=ACTIVE_L1, current=ten)

    assert access.active
    assert len(active_users([*ten, access], PARTNER)) == 10


def test_reactivating_a_user_counts_against_the_limit() -> None:
    ten = staff(10)
    gone = deactivate(ten[5], by=ADA)
    eleventh = grant_access(
        person("User 11", PartnerRole.ENGAGEMENT_USER),
        by=ADA,
        membership=ACTIVE_L1,
        current=[*ten[:5], gone, *ten[6:]],
    )
    back = person("User 5", PartnerRole.ENGAGEMENT_USER)

    with pytest.raises(TooManyEngagementUsers):
        grant_access(
            back, by=ADA, membership=ACTIVE_L1, current=[*ten[:5], gone, *ten[6:], eleventh]
        )


def test_granting_an_active_user_again_changes_nothing() -> None:
    ten = staff(10)
    again = person("User 1", PartnerRole.ENGAGEMENT_USER)

    assert grant_access(again, by=ADA, membership=ACTIVE_L1, current=ten) == ten[1]


def test_the_limit_is_configurable() -> None:
    three = staff(3)

    with pytest.raises(TooManyEngagementUsers):
        grant_access(
            person("User 3", PartnerRole.ENGAGEMENT_USER),
            by=ADA,
            membership=ACTIVE_L1,
            current=three,
            policy=UserPolicy(max_active_users=3),
        )


def test_only_an_administrator_deactivates_a_user() -> None:
    user = staff(2)[1]

    with pytest.raises(NotEngagementUserManager):
        deactivate(user, by=person("User 1", PartnerRole.ENGAGEMENT_USER))


def test_access_is_checked_again_at_use_time() -> None:
    accesses = staff(2)
    user = person("User 1", PartnerRole.ENGAGEMENT_USER)

    assert require_access(user, accesses, ACTIVE_L1) == accesses[1]
    with pytest.raises(EngagementToolUnavailable):
        require_access(user, accesses, replace(ACTIVE_L1, active=False))
    with pytest.raises(NoEngagementAccess) as refused:
        require_access(user, [accesses[0], deactivate(accesses[1], by=ADA)], ACTIVE_L1)
    assert refused.value.rule == "CCE-2"
