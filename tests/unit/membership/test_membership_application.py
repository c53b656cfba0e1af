"""The enrolment application: ordered steps, skipped steps, refusals, save and resume
(OPN-9, OPN-10)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from membership_fixtures import (
    ACME,
    ADA,
    BASTIEN,
    JAN_15,
    TERMS,
    answer_all,
    draft,
    principal_answers,
)

from alliance.domain.errors import InvalidInput
from alliance.domain.membership import (
    ApplicationIncomplete,
    ApplicationKind,
    ApplicationNotEditable,
    ApplicationStatus,
    EnrolmentApplication,
    MethodNotAllowed,
    NotTheApplicant,
    PlanNotAllowed,
    Step,
    StepNotApplicable,
    StepOutOfOrder,
    SubscriptionId,
    TrackNotOpenAtLevel,
    TrackTerms,
    administrator_grant,
    can_submit,
    complete_step,
    missing_steps,
    next_step,
    resume,
    start_application,
    steps,
    submit,
)
from alliance.domain.people import PartnerRole

S = Step


def answered(
    application: EnrolmentApplication, *upto: Step, level: str = "l1"
) -> EnrolmentApplication:
    answers = principal_answers(level, plan="annual", method="wire")
    for step in upto:
        application = complete_step(application, step, answers[step], TERMS, JAN_15, by=ADA)
    return application


def test_a_level_1_principal_sees_every_step_in_the_seed_order() -> None:
    """OPN-9: type & level → administrator → company → review → rewards → tracks →
    agreement → payment → final review."""
    application = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL)
    assert steps(application, TERMS) == tuple(Step)


def test_level_0_skips_the_reward_questionnaire_and_the_tracks() -> None:
    """OPN-9: the reward questionnaire is for levels 1–3, the tracks for levels ≥ 1."""
    application = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL, level="l0")
    shown = steps(application, TERMS)
    assert S.REWARD_QUESTIONNAIRE not in shown and S.PROGRAM_QUESTIONNAIRE not in shown
    application = answer_all(application, principal_answers("l0", method="card"))
    assert S.REWARD_QUESTIONNAIRE not in application.answers
    assert can_submit(application, TERMS)


def test_a_level_0_applicant_cannot_answer_the_reward_questionnaire() -> None:
    application = answered(
        draft(), S.PARTNERSHIP_TYPE_AND_LEVEL, S.ADMINISTRATOR_CONFIRMATION, level="l0"
    )
    with pytest.raises(StepNotApplicable) as refused:
        complete_step(
            application, S.REWARD_QUESTIONNAIRE, {"payout": "money"}, TERMS, JAN_15, by=ADA
        )
    assert (refused.value.field, refused.value.rule) == ("step", "OPN-9")
    assert "rank 1 and above" in refused.value.message


def test_steps_are_completed_in_order() -> None:
    """OPN-9: the company details come after the administrator's confirmation."""
    application = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL)
    with pytest.raises(StepOutOfOrder) as refused:
        complete_step(application, S.COMPANY_AND_CONTACTS, {}, TERMS, JAN_15, by=ADA)
    assert refused.value.rule == "OPN-9"
    assert "administrator_confirmation" in refused.value.message
    with pytest.raises(StepOutOfOrder):
        complete_step(
            draft(), S.PAYMENT, {"plan": "annual", "method": "wire"}, TERMS, JAN_15, by=ADA
        )


def test_the_applicant_must_accept_the_administrator_role() -> None:
    """OPN-10: whoever completes the subscription becomes partner administrator."""
    application = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL)
    with pytest.raises(InvalidInput) as refused:
        complete_step(
            application,
            S.ADMINISTRATOR_CONFIRMATION,
            {"accepts_administrator_role": False},
            TERMS,
            JAN_15,
            by=ADA,
        )
    assert (refused.value.field, refused.value.rule) == ("accepts_administrator_role", "OPN-10")


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        (
            lambda c: c.update(partner_store_terms_accepted=False),
            "partner_store_terms_accepted",
            "OPN-9",
        ),
        (lambda c: c["contacts"].pop(0), "contacts", "OPN-18"),
        (lambda c: c["contacts"].pop(2), "contacts", "OPN-7"),
        (lambda c: c["address"].update(country="France"), "address.country", "OPN-9"),
        (
            lambda c: c["administrator"].update(email="not-an-address"),
            "administrator.email",
            "OPN-9",
        ),
        (lambda c: c["contacts"][0].update(role="chief"), "contacts[0].role", "OPN-18"),
        (lambda c: c.pop("legal_name"), "legal_name", "OPN-9"),
    ],
)
def test_company_details_are_refused_naming_the_field_and_rule(
    change: object, field: str, rule: str
) -> None:
    """OPN-9 / OPN-18 / OPN-7 / X-7: the partner-store terms, two key executives, a
    billing contact, a country code, an e-mail address, a known role, a legal name."""
    application = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL, S.ADMINISTRATOR_CONFIRMATION)
    details = json.loads(json.dumps(principal_answers("l1")[S.COMPANY_AND_CONTACTS]))
    change(details)  # type: ignore[operator]
    with pytest.raises(InvalidInput) as refused:
        complete_step(application, S.COMPANY_AND_CONTACTS, details, TERMS, JAN_15, by=ADA)
    assert (refused.value.field, refused.value.rule) == (field, rule)


def test_offline_acceptance_needs_the_signed_agreement_uploaded() -> None:
    """OPN-9: offline acceptance is a signed upload; online is a click."""
    application = answered(
        draft(),
        S.PARTNERSHIP_TYPE_AND_LEVEL,
        S.ADMINISTRATOR_CONFIRMATION,
        S.COMPANY_AND_CONTACTS,
        S.REVIEW_CONTACTS,
        S.REWARD_QUESTIONNAIRE,
        S.PROGRAM_QUESTIONNAIRE,
    )
    with pytest.raises(InvalidInput) as refused:
        complete_step(application, S.AGREEMENT, {"method": "offline_upload"}, TERMS, JAN_15, by=ADA)
    assert (refused.value.field, refused.value.rule) == ("signed_agreement", "OPN-9")
    signed = {"method": "offline_upload", "signed_agreement": "upload_7f3a"}
    application = complete_step(application, S.AGREEMENT, signed, TERMS, JAN_15, by=ADA)
    assert application.answers[S.AGREEMENT]["signed_agreement"] == "upload_7f3a"
    with pytest.raises(InvalidInput) as refused:
        complete_step(
            application, S.AGREEMENT, {"method": "principal_terms"}, TERMS, JAN_15, by=ADA
        )
    assert refused.value.rule == "OPN-9"


def test_the_payment_step_refuses_a_plan_or_method_the_level_does_not_allow() -> None:
    """OPN-5 / OPN-6 at the payment step."""
    application = answered(draft(), *[s for s in Step if s not in (S.PAYMENT, S.FINAL_REVIEW)])
    with pytest.raises(PlanNotAllowed) as plan:
        complete_step(
            application, S.PAYMENT, {"plan": "quarterly", "method": "wire"}, TERMS, JAN_15, by=ADA
        )
    assert plan.value.rule == "OPN-6"
    with pytest.raises(InvalidInput) as unknown:
        complete_step(
            application, S.PAYMENT, {"plan": "weekly", "method": "wire"}, TERMS, JAN_15, by=ADA
        )
    assert (unknown.value.field, unknown.value.rule) == ("plan", "OPN-5")


def test_a_track_not_offered_is_refused_naming_opn_12() -> None:
    application = answered(
        draft(),
        S.PARTNERSHIP_TYPE_AND_LEVEL,
        S.ADMINISTRATOR_CONFIRMATION,
        S.COMPANY_AND_CONTACTS,
        S.REVIEW_CONTACTS,
        S.REWARD_QUESTIONNAIRE,
    )
    with pytest.raises(InvalidInput) as refused:
        complete_step(
            application, S.PROGRAM_QUESTIONNAIRE, {"tracks": ["aerospace"]}, TERMS, JAN_15, by=ADA
        )
    assert refused.value.rule == "OPN-12"
    chosen = complete_step(
        application, S.PROGRAM_QUESTIONNAIRE, {"tracks": ["healthcare"]}, TERMS, JAN_15, by=ADA
    )
    assert chosen.tracks == ("healthcare",)


def test_the_reward_questionnaire_records_the_crd_2_policy() -> None:
    """OPN-9 / CRD-2: who may order with credits, and with which approval."""
    application = answered(
        draft(),
        S.PARTNERSHIP_TYPE_AND_LEVEL,
        S.ADMINISTRATOR_CONFIRMATION,
        S.COMPANY_AND_CONTACTS,
        S.REVIEW_CONTACTS,
    )
    answer = {"payout": "money", "associate_ordering": "preapproved_percentage"}
    application = complete_step(application, S.REWARD_QUESTIONNAIRE, answer, TERMS, JAN_15, by=ADA)
    assert application.answers[S.REWARD_QUESTIONNAIRE] == {
        "payout": "money",
        "associate_ordering": "preapproved_percentage",
        "preapproved_percentage": "0.5",
    }
    with pytest.raises(InvalidInput) as refused:
        complete_step(
            application, S.REWARD_QUESTIONNAIRE, {"payout": "points"}, TERMS, JAN_15, by=ADA
        )
    assert (refused.value.field, refused.value.rule) == ("payout", "RWD-3")


def test_the_application_resumes_from_a_saved_json_draft_at_the_right_step() -> None:
    """OPN-9: saved after every step (as JSON text), resumed by the same applicant where
    it was left — drafts survive a restart."""
    application = answered(
        draft(),
        S.PARTNERSHIP_TYPE_AND_LEVEL,
        S.ADMINISTRATOR_CONFIRMATION,
        S.COMPANY_AND_CONTACTS,
    )
    saved = json.dumps(application.to_json())
    restored = EnrolmentApplication.from_json(json.loads(saved))
    assert restored == application
    assert resume(restored, ADA, TERMS) is S.REVIEW_CONTACTS
    finished = answer_all(restored, principal_answers("l1"))
    assert can_submit(finished, TERMS) and next_step(finished, TERMS) is None


def test_only_the_applicant_resumes_a_draft() -> None:
    """OPN-9: the saved application is the applicant's."""
    application = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL)
    with pytest.raises(NotTheApplicant) as refused:
        resume(application, BASTIEN, TERMS)
    assert refused.value.status == 403
    with pytest.raises(NotTheApplicant):
        complete_step(application, S.ADMINISTRATOR_CONFIRMATION, {}, TERMS, JAN_15, by=BASTIEN)


def test_a_corrupt_draft_is_refused_naming_the_field() -> None:
    saved = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL).to_json()
    saved["answers"] = {"partnership_type_and_level": {"member_type": "reseller"}}
    with pytest.raises(InvalidInput) as refused:
        EnrolmentApplication.from_json(saved)
    assert refused.value.field == "answers.partnership_type_and_level.member_type"


def test_changing_the_level_reopens_the_answers_that_no_longer_hold() -> None:
    """OPN-9: « présélectionnés … mais peuvent être modifiés »: going from level 2
    quarterly to level 1 drops the quarterly plan (OPN-6) and the final review."""
    answers = principal_answers("l2", plan="quarterly", method="card", tracks=["healthcare"])
    application = answer_all(draft(), answers)
    assert can_submit(application, TERMS)
    lowered = complete_step(
        application,
        S.PARTNERSHIP_TYPE_AND_LEVEL,
        {"member_type": "principal", "level": "l1"},
        TERMS,
        JAN_15,
        by=ADA,
    )
    assert missing_steps(lowered, TERMS) == (S.PAYMENT, S.FINAL_REVIEW)
    assert lowered.tracks == ("healthcare",)
    to_zero = complete_step(
        lowered,
        S.PARTNERSHIP_TYPE_AND_LEVEL,
        {"member_type": "principal", "level": "l0"},
        TERMS,
        JAN_15,
        by=ADA,
    )
    assert S.PROGRAM_QUESTIONNAIRE not in to_zero.answers and to_zero.tracks == ()


def test_submitting_needs_every_applicable_step() -> None:
    application = answered(draft(), S.PARTNERSHIP_TYPE_AND_LEVEL, S.ADMINISTRATOR_CONFIRMATION)
    with pytest.raises(ApplicationIncomplete) as refused:
        submit(application, TERMS, JAN_15, by=ADA)
    assert (refused.value.field, refused.value.rule) == ("company_and_contacts", "OPN-9")


def test_a_submitted_application_is_no_longer_editable_and_its_applicant_is_administrator() -> None:
    """OPN-9 / OPN-10."""
    application = submit(answer_all(draft(), principal_answers("l1")), TERMS, JAN_15, by=ADA)
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.submitted_on == JAN_15
    with pytest.raises(ApplicationNotEditable):
        complete_step(application, S.FINAL_REVIEW, {"confirmed": True}, TERMS, JAN_15, by=ADA)
    grant = administrator_grant(application)
    assert (grant.person_id, grant.role, grant.rule) == (
        ADA,
        PartnerRole.PARTNER_ADMINISTRATOR,
        "OPN-10",
    )


def test_a_renewal_application_skips_the_company_details() -> None:
    """The seed: « Notez que cette étape n'apparaît pas pour le renouvellement »."""
    renewal = start_application(
        ACME,
        ADA,
        "US",
        date(2026, 11, 1),
        kind=ApplicationKind.RENEWAL,
        renewing=SubscriptionId("sub_acme"),
    )
    renewal = answered(renewal, S.PARTNERSHIP_TYPE_AND_LEVEL)
    assert S.COMPANY_AND_CONTACTS not in steps(renewal, TERMS)
    with pytest.raises(StepNotApplicable) as refused:
        answered(renewal, S.ADMINISTRATOR_CONFIRMATION, S.COMPANY_AND_CONTACTS)
    assert "skipped on renewal" in refused.value.message


def test_a_track_above_the_level_is_refused_even_when_the_step_shows() -> None:
    """OPN-12: a program may open a track at a higher level than its questionnaire."""
    terms = replace(
        TERMS, tracks=(*TERMS.tracks, TrackTerms("sovereign_cloud", "Sovereign cloud", 2))
    )
    application = draft()
    answers = principal_answers("l1")
    for step in list(Step)[:5]:
        application = complete_step(application, step, answers[step], terms, JAN_15, by=ADA)
    with pytest.raises(TrackNotOpenAtLevel) as refused:
        complete_step(
            application,
            S.PROGRAM_QUESTIONNAIRE,
            {"tracks": ["sovereign_cloud"]},
            terms,
            JAN_15,
            by=ADA,
        )
    assert refused.value.rule == "OPN-12"


def test_method_refusal_names_the_country_table() -> None:
    """OPN-5 at the payment step uses the company address's country."""
    application = answered(
        draft(), *[s for s in Step if s not in (S.PAYMENT, S.FINAL_REVIEW)], level="l3"
    )
    with pytest.raises(MethodNotAllowed) as refused:
        complete_step(
            application, S.PAYMENT, {"plan": "annual", "method": "card"}, TERMS, JAN_15, by=ADA
        )
    assert "Level 3" in refused.value.message
