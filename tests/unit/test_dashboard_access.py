"""Who sees a partner's standing (X-6, OPN-2, OPN-3, OPN-18), the gap in words (X-3), and
what the public directory may name of the earned-tier programs (MCPP-6, OIP-6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from alliance.domain.access import Actor, ActorKind
from alliance.domain.explanations import Explanation
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import PartnerRole, VendorRole
from alliance.programs.registry import ProgramRegistry
from alliance.services.dashboard import gap_message, may_see_standing
from alliance.services.directory import EarnedKind, earned_programs

P, A, B, OTHER = (OrganizationId(x) for x in ("org_p", "org_a", "org_b", "org_other"))
#: P is the principal; A an associate of P; B an associate of A (OPN-3: several levels).
COMPANY = Hierarchy({P: None, A: P, B: A})


def member(org: OrganizationId, *roles: PartnerRole) -> Actor:
    return Actor(ActorKind.MEMBER, organization_id=org, partner_roles=frozenset(roles))


ADMIN = PartnerRole.PARTNER_ADMINISTRATOR


@pytest.mark.parametrize(
    ("actor", "org", "sees"),
    [
        (member(P), P, True),  # its own people
        (member(A), A, True),
        (member(P, ADMIN), A, True),  # the principal's administrator (OPN-2)
        (member(P, ADMIN), B, True),  # ... down the hierarchy (OPN-3)
        (member(A, ADMIN), B, True),
        (member(P), A, False),  # not an administrator
        (member(A, ADMIN), P, False),  # an associate's administrator: not its principal
        (member(B, ADMIN), A, False),
        (member(OTHER, ADMIN), P, False),  # another company
        (Actor(ActorKind.VENDOR_STAFF, vendor_roles=frozenset({VendorRole.VIEWER})), B, True),
        (Actor.system(), P, True),
        (Actor.anonymous(), P, False),
        (Actor(ActorKind.MEMBER), P, False),  # a member without an organisation
    ],
)
def test_who_sees_a_standing(actor: Actor, org: OrganizationId, sees: bool) -> None:
    assert may_see_standing(actor, org, COMPANY) is sees


def test_without_a_hierarchy_only_the_organisations_own_people_and_staff_see_it() -> None:
    assert may_see_standing(member(P), P, None)
    assert not may_see_standing(member(P, ADMIN), A, None)


def test_the_gap_in_words() -> None:
    """X-3: "needs 5 more to reach 70 points"; nothing without a next threshold."""
    assert gap_message(Explanation("s", gap=Decimal("5.00"), next_threshold="70 points")) == (
        "needs 5 more to reach 70 points"
    )
    assert gap_message(Explanation("s", gap=Decimal("0.5"), next_threshold="Premium")) == (
        "needs 0.5 more to reach Premium"
    )
    assert gap_message(Explanation("s")) is None


def test_the_directory_names_designations_per_area_and_listed_statuses_only() -> None:
    """MCPP-6: a designation per area; OIP-6: statuses from Business (the first whose
    benefits list the partner in the directory); PEX-1: the three tiers."""
    earned = {p.code: p for p in earned_programs(ProgramRegistry.load(None))}
    assert sorted(earned) == ["mcpp", "oip", "pex"]
    mcpp, oip, pex = earned["mcpp"], earned["oip"], earned["pex"]
    assert mcpp.kind is EarnedKind.DESIGNATION
    assert mcpp.titles["security"] == "Solutions Partner for Security"
    assert len(mcpp.titles) == 6  # MCPP-1
    assert (oip.kind, dict(oip.titles)) == (
        EarnedKind.STATUS,
        {"business": "Business", "premium": "Premium"},
    )
    assert (pex.kind, list(pex.titles)) == (EarnedKind.TIER, ["ready", "advanced", "premier"])
    assert mcpp.key("security") == "mcpp:security"
