"""What the membership feature added to the pure domain: leaving a track (OPN-12,
OPN-13) and the saved form of OPN-16 transition effects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import (
    EnvironmentBilledPayAsYouGo,
    EnvironmentKeptUntil,
    Membership,
    MembershipStatus,
    SubscriptionId,
    Term,
    TrackMembership,
    TrainingKeptUntil,
    TrainingLapses,
    UniversalCreditsLapse,
    leave_track,
    opn_terms,
)
from alliance.domain.membership.legacy import effect_from_json, effect_json
from alliance.domain.organizations import EntityRole

TERMS = opn_terms()
DAY = date(2025, 6, 1)


def principal(*tracks: str) -> Membership:
    return Membership(
        SubscriptionId("sub_p"),
        OrganizationId("org_p"),
        EntityRole.PRINCIPAL,
        "l2",
        MembershipStatus.ACTIVE,
        date(2025, 1, 1),
        term=Term(date(2025, 1, 1), date(2026, 1, 1)),
        tracks=tuple(TrackMembership(t, date(2025, 1, 1)) for t in tracks),
    )


def test_a_principal_leaves_a_track_it_joined() -> None:
    left = leave_track(principal("healthcare", "license_and_hardware"), "healthcare", TERMS, DAY)
    assert [t.track for t in left.tracks] == ["license_and_hardware"]


def test_leaving_a_track_not_held_names_the_track_and_opn_12() -> None:
    with pytest.raises(AllianceError) as refused:
        leave_track(principal(), "healthcare", TERMS, DAY)
    assert (refused.value.field, refused.value.rule) == ("track", "OPN-12")


def test_an_associate_does_not_leave_its_principal_track() -> None:
    associate = Membership(
        SubscriptionId("sub_a"),
        OrganizationId("org_a"),
        EntityRole.ASSOCIATE,
        "l2",
        MembershipStatus.ACTIVE,
        date(2025, 2, 1),
        term=Term(date(2025, 2, 1), date(2026, 1, 1)),
        principal=SubscriptionId("sub_p"),
        tracks=(TrackMembership("healthcare", date(2025, 1, 1)),),
    )
    with pytest.raises(AllianceError) as refused:
        leave_track(associate, "healthcare", TERMS, DAY)
    assert refused.value.rule == "OPN-13"


@pytest.mark.parametrize(
    "effect",
    [
        UniversalCreditsLapse(Decimal("1250.75")),
        EnvironmentBilledPayAsYouGo("oci-1"),
        EnvironmentKeptUntil("saas-1", date(2026, 4, 30)),
        TrainingKeptUntil("ucls-1", date(2026, 1, 1)),
        TrainingLapses("ucls-2"),
    ],
)
def test_transition_effects_read_back_as_saved(effect: object) -> None:
    """OPN-16: effects recorded on a renewal come back equal from their JSON form."""
    saved = effect_json(effect)  # type: ignore[arg-type]
    assert saved["rule"] == "OPN-16"
    assert effect_from_json(saved) == effect
