"""Associates: an active principal, inherited level and end date, the principal's
approval, the principal's tracks (OPN-1, OPN-2, OPN-8, OPN-13)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from membership_fixtures import (
    ACME,
    ACME_FR,
    ADA,
    BASTIEN,
    JAN_15,
    TERMS,
    active,
    answer_all,
    associate_answers,
    associate_of,
    draft,
)

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    ApplicationStatus,
    Approver,
    AssociateCannotJoinTrack,
    AssociateNeedsApproval,
    EnrolmentApplication,
    IllegalTransition,
    Membership,
    MembershipStatus,
    NotPrincipalAdministrator,
    PrincipalNotActive,
    Step,
    SubscriptionId,
    activate,
    approve,
    complete_step,
    follow_principal,
    reject,
    steps,
    submit,
    subscribe,
)
from alliance.domain.money import usd
from alliance.domain.people import PartnerRole

MAR_2 = date(2026, 3, 2)
PRINCIPAL = active("l2", start=JAN_15, tracks=["healthcare"])  # ends 2027-01-15
ACME_ADMIN = Approver(ADA, ACME, frozenset({PartnerRole.PARTNER_ADMINISTRATOR}))
FR_SUB = SubscriptionId("sub_acme_fr")


def associate_draft() -> EnrolmentApplication:
    return draft(org=ACME_FR, applicant=BASTIEN, today=MAR_2)


def applied(principal: Membership = PRINCIPAL) -> EnrolmentApplication:
    answers = associate_answers(principal.subscription_id)
    application = answer_all(associate_draft(), answers, today=MAR_2, principal=principal)
    return submit(application, TERMS, MAR_2, by=BASTIEN, principal=principal)


def test_an_associate_cannot_apply_while_its_principal_is_expired() -> None:
    """OPN-2: an associate applies only while its principal's membership is active."""
    expired = replace(PRINCIPAL, status=MembershipStatus.EXPIRED)
    answer = associate_answers(PRINCIPAL.subscription_id)[Step.PARTNERSHIP_TYPE_AND_LEVEL]
    with pytest.raises(PrincipalNotActive) as refused:
        complete_step(
            associate_draft(),
            Step.PARTNERSHIP_TYPE_AND_LEVEL,
            answer,
            TERMS,
            MAR_2,
            by=BASTIEN,
            principal=expired,
        )
    assert (refused.value.rule, refused.value.field) == ("OPN-2", "principal_subscription")


def test_a_principal_past_its_end_date_is_not_active_either() -> None:
    """OPN-2 / OPN-15: dates count, not only the status the daily job last wrote."""
    answer = associate_answers(PRINCIPAL.subscription_id)[Step.PARTNERSHIP_TYPE_AND_LEVEL]
    with pytest.raises(PrincipalNotActive):
        complete_step(
            associate_draft(),
            Step.PARTNERSHIP_TYPE_AND_LEVEL,
            answer,
            TERMS,
            date(2027, 1, 16),
            by=BASTIEN,
            principal=PRINCIPAL,
        )


def test_an_associate_inherits_its_principals_level_and_end_date() -> None:
    """OPN-8: the level is the principal's, and so is the end date."""
    application = complete_step(
        associate_draft(),
        Step.PARTNERSHIP_TYPE_AND_LEVEL,
        {"member_type": "associate", "principal_subscription": "sub_acme"},
        TERMS,
        MAR_2,
        by=BASTIEN,
        principal=PRINCIPAL,
    )
    partnership = application.partnership
    assert partnership is not None
    assert (partnership.level, partnership.principal_end) == ("l2", date(2027, 1, 15))


def test_an_associate_cannot_pick_another_level_than_its_principals() -> None:
    """OPN-8."""
    with pytest.raises(InvalidInput) as refused:
        complete_step(
            associate_draft(),
            Step.PARTNERSHIP_TYPE_AND_LEVEL,
            {"member_type": "associate", "principal_subscription": "sub_acme", "level": "l3"},
            TERMS,
            MAR_2,
            by=BASTIEN,
            principal=PRINCIPAL,
        )
    assert (refused.value.field, refused.value.rule) == ("level", "OPN-8")


def test_an_associate_attaches_to_a_principal_not_to_another_associate() -> None:
    """OPN-1."""
    other = associate_of(PRINCIPAL, subscription="sub_acme_de")
    with pytest.raises(InvalidInput) as refused:
        complete_step(
            associate_draft(),
            Step.PARTNERSHIP_TYPE_AND_LEVEL,
            {"member_type": "associate", "principal_subscription": "sub_acme_de"},
            TERMS,
            MAR_2,
            by=BASTIEN,
            principal=other,
        )
    assert refused.value.rule == "OPN-1"


def test_an_associate_skips_the_reward_questionnaire_and_accepts_its_principals_terms() -> None:
    """OPN-9 / OPN-2: rewards are the principal's; the associate is bound by its
    principal's agreement."""
    application = answer_all(
        associate_draft(),
        associate_answers(PRINCIPAL.subscription_id),
        today=MAR_2,
        principal=PRINCIPAL,
    )
    assert Step.REWARD_QUESTIONNAIRE not in steps(application, TERMS)
    with pytest.raises(InvalidInput) as refused:
        complete_step(
            application, Step.AGREEMENT, {"method": "online_click"}, TERMS, MAR_2, by=BASTIEN
        )
    assert (refused.value.field, refused.value.rule) == ("method", "OPN-2")


def test_an_associate_cannot_choose_tracks_on_its_own() -> None:
    """OPN-13: its principal's tracks apply to it; it asks its principal to join others."""
    application = answer_all(
        associate_draft(),
        {
            s: a
            for s, a in associate_answers(PRINCIPAL.subscription_id).items()
            if s in list(Step)[:4]
        },
        today=MAR_2,
        principal=PRINCIPAL,
    )
    with pytest.raises(AssociateCannotJoinTrack) as refused:
        complete_step(
            application,
            Step.PROGRAM_QUESTIONNAIRE,
            {"tracks": ["license_and_hardware"]},
            TERMS,
            MAR_2,
            by=BASTIEN,
        )
    assert refused.value.rule == "OPN-13"


def test_a_submitted_associate_waits_for_its_principals_administrator() -> None:
    """OPN-2: submitted, the application is pending approval, and cannot subscribe yet."""
    application = applied()
    assert application.status is ApplicationStatus.PENDING_APPROVAL
    with pytest.raises(AssociateNeedsApproval) as refused:
        subscribe(application, FR_SUB, TERMS, MAR_2, principal=PRINCIPAL)
    assert refused.value.rule == "OPN-2"


def test_the_principals_administrator_approves_and_the_associate_subscribes() -> None:
    """OPN-2 / OPN-8 / OPN-13: approved, the associate subscribes at its principal's level;
    paid, it is active until its principal's end date, with its principal's tracks."""
    approved = approve(applied(), ACME_ADMIN, PRINCIPAL, TERMS, date(2026, 3, 3))
    assert approved.status is ApplicationStatus.APPROVED
    assert (approved.decided_by, approved.decided_on) == (ADA, date(2026, 3, 3))
    membership = subscribe(approved, FR_SUB, TERMS, date(2026, 3, 3), principal=PRINCIPAL)
    assert membership.status is MembershipStatus.PENDING_PAYMENT
    assert (membership.level, membership.principal) == ("l2", PRINCIPAL.subscription_id)
    paid = activate(membership, usd("100000"), TERMS, date(2026, 3, 10), principal=PRINCIPAL)
    assert paid.term is not None
    assert (paid.term.start, paid.term.end) == (date(2026, 3, 10), date(2027, 1, 15))
    assert [t.track for t in paid.tracks] == ["healthcare"]


@pytest.mark.parametrize(
    "approver",
    [
        Approver(PersonId("per_kim"), ACME, frozenset({PartnerRole.KEY_EXECUTIVE})),
        Approver(BASTIEN, ACME_FR, frozenset({PartnerRole.PARTNER_ADMINISTRATOR})),
        Approver(PersonId("per_eve"), OrganizationId("org_other"), frozenset(PartnerRole)),
    ],
    ids=["a key executive", "the associate's own administrator", "another company"],
)
def test_only_the_principals_administrator_approves(approver: Approver) -> None:
    """OPN-2 / OPN-18: approving associates is the principal administrator's."""
    with pytest.raises(NotPrincipalAdministrator) as refused:
        approve(applied(), approver, PRINCIPAL, TERMS, MAR_2)
    assert (refused.value.rule, refused.value.status) == ("OPN-2", 403)


def test_a_rejected_associate_cannot_be_approved_later() -> None:
    rejected = reject(applied(), ACME_ADMIN, PRINCIPAL, TERMS, MAR_2, "not a subsidiary")
    assert rejected.status is ApplicationStatus.REJECTED
    assert rejected.decision_note == "not a subsidiary"
    with pytest.raises(IllegalTransition) as refused:
        approve(rejected, ACME_ADMIN, PRINCIPAL, TERMS, MAR_2)
    assert "from rejected to approved" in refused.value.message


def test_approval_needs_the_principal_still_active() -> None:
    """OPN-2: the principal lapsed while the application waited."""
    application = applied()
    expired = replace(PRINCIPAL, status=MembershipStatus.EXPIRED)
    with pytest.raises(PrincipalNotActive):
        approve(application, ACME_ADMIN, expired, TERMS, MAR_2)


def test_an_associate_follows_its_principals_renewal_at_a_new_level() -> None:
    """OPN-8: the principal's new level and end date become the associate's."""
    associate = associate_of(PRINCIPAL, start=MAR_2)
    renewed = replace(PRINCIPAL, level="l3", term=replace(PRINCIPAL.term, end=date(2028, 1, 15)))  # type: ignore[type-var]
    followed = follow_principal(associate, renewed, date(2027, 1, 15))
    assert followed.level == "l3" and followed.end == date(2028, 1, 15)
    assert followed.term is not None and followed.term.start == MAR_2


def test_an_associate_expires_with_its_principal() -> None:
    """OPN-8 / OPN-15: the associate's end date is its principal's."""
    associate = associate_of(PRINCIPAL, start=MAR_2)
    expired = replace(PRINCIPAL, status=MembershipStatus.EXPIRED)
    assert (
        follow_principal(associate, expired, date(2027, 1, 16)).status is MembershipStatus.EXPIRED
    )
