"""Optional tracks (OPN-12, OPN-13) and expertise / resale (OPN-17)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from membership_fixtures import JAN_15, TERMS, active, associate_of

from alliance.domain.membership import (
    AssociateCannotJoinTrack,
    ExpertiseRequirement,
    LevelTooLowForExpertise,
    MembershipNotActive,
    MembershipStatus,
    MissingPrerequisiteContracts,
    MissingQualifications,
    ResaleNotAllowed,
    TrackNotOpenAtLevel,
    expertise_valid,
    join_track,
    may_resell,
    publish_expertise,
    require_resale,
    track_ends_on,
    tracks_on,
)

MAY_4 = date(2026, 5, 4)
DATABASE = ExpertiseRequirement(
    "database",
    qualifications=frozenset({"db_implementation_specialist"}),
    contracts=frozenset({"distribution_agreement"}),
)
HELD = {"db_implementation_specialist"}
SIGNED = {"distribution_agreement"}


def test_a_level_1_member_joins_a_track_any_time_and_it_ends_with_the_membership() -> None:
    """OPN-12: open from level 1, no extra cost, joined during the membership, coterminous."""
    member = join_track(active("l1"), "healthcare", TERMS, MAY_4)
    assert [(t.track, t.joined_on) for t in member.tracks] == [("healthcare", MAY_4)]
    assert track_ends_on(member) == date(2027, 1, 15)
    assert tracks_on(member, date(2027, 1, 15)) == ("healthcare",)
    expired = replace(member, status=MembershipStatus.EXPIRED)
    assert tracks_on(expired, date(2027, 1, 16)) == ()


def test_joining_a_track_twice_changes_nothing() -> None:
    member = join_track(active("l2"), "healthcare", TERMS, MAY_4)
    assert join_track(member, "healthcare", TERMS, date(2026, 6, 1)) == member


def test_a_level_0_member_cannot_join_a_track() -> None:
    """OPN-12."""
    with pytest.raises(TrackNotOpenAtLevel) as refused:
        join_track(active("l0"), "healthcare", TERMS, MAY_4)
    assert (refused.value.rule, refused.value.field) == ("OPN-12", "track")
    assert "Level 0 is rank 0" in refused.value.message


def test_an_associate_cannot_join_a_track_on_its_own_but_has_its_principals() -> None:
    """OPN-13: the principal must join it; the associate then benefits automatically."""
    principal = active("l2")
    associate = associate_of(principal)
    with pytest.raises(AssociateCannotJoinTrack) as refused:
        join_track(associate, "license_and_hardware", TERMS, MAY_4)
    assert refused.value.rule == "OPN-13"
    principal = join_track(principal, "license_and_hardware", TERMS, MAY_4)
    assert tracks_on(associate, MAY_4, principal=principal) == ("license_and_hardware",)


def test_a_track_is_joined_only_during_an_active_membership() -> None:
    with pytest.raises(MembershipNotActive) as refused:
        join_track(active("l1"), "healthcare", TERMS, date(2027, 2, 1))
    assert refused.value.rule == "OPN-12"


def test_level_0_can_never_publish_an_expertise() -> None:
    """OPN-17: even with every qualification and contract, level 0 is refused."""
    with pytest.raises(LevelTooLowForExpertise) as refused:
        publish_expertise(
            active("l0"), DATABASE, TERMS, MAY_4, qualifications=HELD, contracts=SIGNED
        )
    assert (refused.value.rule, refused.value.field, refused.value.code) == (
        "OPN-17",
        "level",
        "level_too_low_for_expertise",
    )


def test_level_0_is_refused_first_even_when_expired() -> None:
    expired = replace(active("l0"), status=MembershipStatus.EXPIRED)
    with pytest.raises(LevelTooLowForExpertise):
        publish_expertise(expired, DATABASE, TERMS, MAY_4, qualifications=(), contracts=())


def test_level_1_with_qualifications_and_contracts_publishes_and_may_resell() -> None:
    """OPN-17: an expertise published at level 1 lets the member resell that product."""
    member = active("l1")
    expertise = publish_expertise(
        member, DATABASE, TERMS, MAY_4, qualifications=HELD, contracts=SIGNED
    )
    assert (expertise.product, expertise.published_on) == ("database", MAY_4)
    assert may_resell(member, "database", [expertise], TERMS, MAY_4).allowed
    assert not may_resell(member, "middleware", [expertise], TERMS, MAY_4).allowed


def test_an_expertise_needs_the_qualifications_and_the_contracts() -> None:
    with pytest.raises(MissingQualifications) as qualifications:
        publish_expertise(active("l1"), DATABASE, TERMS, MAY_4, qualifications=(), contracts=SIGNED)
    assert "db_implementation_specialist" in qualifications.value.message
    with pytest.raises(MissingPrerequisiteContracts) as contracts:
        publish_expertise(active("l1"), DATABASE, TERMS, MAY_4, qualifications=HELD, contracts=())
    assert contracts.value.rule == "OPN-17"


def test_expiry_stops_expertise_validity_and_resale() -> None:
    """OPN-15: expertise validity depends on an active membership."""
    member = active("l1")
    expertise = publish_expertise(
        member, DATABASE, TERMS, JAN_15, qualifications=HELD, contracts=SIGNED
    )
    after_end = date(2027, 1, 16)
    assert not expertise_valid(expertise, member, TERMS, after_end)
    with pytest.raises(ResaleNotAllowed) as refused:
        require_resale(member, "database", [expertise], TERMS, after_end)
    assert refused.value.rule == "OPN-17"


def test_a_level_0_member_can_never_resell() -> None:
    """OPN-17: « ces partenaires ne sont pas autorisés à revendre »."""
    decision = may_resell(active("l0"), "database", [], TERMS, MAY_4)
    assert not decision.allowed and decision.rule == "OPN-17"
    assert "never" in decision.reason
