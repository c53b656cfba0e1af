"""CRD-2: which associate policy applies — the associate's own, else the principal's
default for its associates, else the principal's enrolment answer (OPN-9), else the
program's default (principal orders only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from alliance.domain.credits import AssociatePolicy
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import AssociateOrdering, RewardPayout
from alliance.domain.membership.answers import RewardPreferences
from alliance.domain.organizations import Hierarchy
from alliance.services.credits.policies import PolicySource, effective_policy
from alliance.services.credits.ports import PolicyRecord
from alliance.services.ports import UnitOfWork

P, A, B = OrganizationId("org_p"), OrganizationId("org_a"), OrganizationId("org_b")
HIERARCHY = Hierarchy({P: None, A: P, B: P})
AT = datetime(2025, 3, 14, tzinfo=UTC)


@dataclass
class Credits:
    records: dict[str, PolicyRecord] = field(default_factory=dict)

    def policy(self, organization_id: str) -> PolicyRecord | None:
        return self.records.get(organization_id)


@dataclass
class Memberships:
    preferences: RewardPreferences | None = None

    def reward_preferences(self, organization_id: str) -> RewardPreferences | None:
        return self.preferences if organization_id == P else None


def uow(credits: Credits, memberships: Memberships) -> UnitOfWork:
    fake: Any = type("FakeUow", (), {})()
    fake.credits, fake.memberships = credits, memberships
    return cast(UnitOfWork, fake)


def record(org: OrganizationId, policy: AssociatePolicy, pct: str | None = None) -> PolicyRecord:
    return PolicyRecord(org, P, policy, Decimal(pct) if pct else None, "ada", AT)


def test_without_any_choice_the_program_default_applies() -> None:
    found = effective_policy(uow(Credits(), Memberships()), A, HIERARCHY)
    assert found.settings.policy is AssociatePolicy.PRINCIPAL_ONLY
    assert found.source == PolicySource.PROGRAM


def test_the_enrolment_answer_applies_with_the_default_percentage() -> None:
    answer = RewardPreferences(
        RewardPayout.PARTNER_CREDITS, AssociateOrdering.PREAPPROVED_PERCENTAGE
    )
    found = effective_policy(uow(Credits(), Memberships(answer)), A, HIERARCHY)
    assert found.settings.policy is AssociatePolicy.PREAPPROVED_PERCENTAGE
    assert found.settings.percentage == Decimal("0.5")  # the program's 50 %
    assert found.source == PolicySource.ENROLMENT


def test_the_principal_s_default_overrides_enrolment_and_an_associate_s_own_overrides_both() -> (
    None
):
    answer = RewardPreferences(RewardPayout.PARTNER_CREDITS, AssociateOrdering.APPROVAL_REQUIRED)
    credits = Credits(
        {
            P: record(P, AssociatePolicy.PREAPPROVED_WHOLE_BALANCE),
            B: record(B, AssociatePolicy.PREAPPROVED_PERCENTAGE, "0.4"),
        }
    )
    store = uow(credits, Memberships(answer))
    a, b = effective_policy(store, A, HIERARCHY), effective_policy(store, B, HIERARCHY)
    assert (a.settings.policy, a.source) == (
        AssociatePolicy.PREAPPROVED_WHOLE_BALANCE,
        PolicySource.PRINCIPAL,
    )
    assert (b.settings.policy, b.settings.percentage, b.source) == (
        AssociatePolicy.PREAPPROVED_PERCENTAGE,
        Decimal("0.4"),
        PolicySource.ASSOCIATE,
    )
    assert "40 %" in b.describe


def test_the_principal_itself_orders_on_its_own_balance() -> None:
    found = effective_policy(uow(Credits(), Memberships()), P, HIERARCHY)
    assert found.source == PolicySource.PRINCIPAL_ITSELF
