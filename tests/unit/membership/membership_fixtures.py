"""Builders for the membership tests: SPEC §1's OPN terms, a company, applications and
memberships in a few words (``active("l2", start=JAN_15)``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from alliance.domain.calendar import add_years
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    EnrolmentApplication,
    Membership,
    MembershipStatus,
    MembershipTerms,
    PaymentChoice,
    PaymentMethod,
    PaymentPlan,
    Step,
    SubscriptionId,
    Term,
    TrackMembership,
    complete_step,
    opn_terms,
    start_application,
    steps,
    submit,
)
from alliance.domain.organizations import EntityRole

TERMS: MembershipTerms = opn_terms()

ACME = OrganizationId("org_acme")
ACME_FR = OrganizationId("org_acme_fr")  # Acme's French subsidiary, an associate
ADA = PersonId("per_ada")  # Acme's applicant, then partner administrator
BASTIEN = PersonId("per_bastien")  # the French subsidiary's applicant

JAN_15 = date(2026, 1, 15)  # a Thursday


def company(country: str = "US", *, store_terms: bool = True) -> dict[str, object]:
    """OPN-9's company step, with OPN-18's two key executives and a billing contact."""
    return {
        "legal_name": "Acme Corporation",
        "address": {
            "line1": "1 Main Street",
            "city": "Springfield",
            "postal_code": "12345",
            "country": country,
        },
        "administrator": {"name": "Ada Admin", "email": "ada@acme.example"},
        "backup_administrator": None,
        "contacts": [
            {"role": "key_executive", "name": "Kim Exec", "email": "kim@acme.example"},
            {"role": "key_executive", "name": "Lee Exec", "email": "lee@acme.example"},
            {"role": "accounts_payable", "name": "Bo Billing", "email": "billing@acme.example"},
        ],
        "partner_store_terms_accepted": store_terms,
    }


def principal_answers(
    level: str,
    *,
    plan: str = "annual",
    method: str = "wire",
    tracks: Iterable[str] = (),
    country: str = "US",
) -> dict[Step, dict[str, object]]:
    """Every answer a principal gives, by step (the steps that do not apply are skipped)."""
    return {
        Step.PARTNERSHIP_TYPE_AND_LEVEL: {"member_type": "principal", "level": level},
        Step.ADMINISTRATOR_CONFIRMATION: {"accepts_administrator_role": True},
        Step.COMPANY_AND_CONTACTS: company(country),
        Step.REVIEW_CONTACTS: {"confirmed": True},
        Step.REWARD_QUESTIONNAIRE: {"payout": "partner_credits"},
        Step.PROGRAM_QUESTIONNAIRE: {"tracks": list(tracks)},
        Step.AGREEMENT: {"method": "online_click"},
        Step.PAYMENT: {"plan": plan, "method": method},
        Step.FINAL_REVIEW: {"confirmed": True},
    }


def associate_answers(principal: SubscriptionId) -> dict[Step, dict[str, object]]:
    return {
        Step.PARTNERSHIP_TYPE_AND_LEVEL: {
            "member_type": "associate",
            "principal_subscription": principal,
        },
        Step.ADMINISTRATOR_CONFIRMATION: {"accepts_administrator_role": True},
        Step.COMPANY_AND_CONTACTS: company("FR", store_terms=False),
        Step.REVIEW_CONTACTS: {"confirmed": True},
        Step.PROGRAM_QUESTIONNAIRE: {"tracks": []},
        Step.AGREEMENT: {"method": "principal_terms"},
        Step.PAYMENT: {"plan": "annual", "method": "wire"},
        Step.FINAL_REVIEW: {"confirmed": True},
    }


def draft(
    org: OrganizationId = ACME, applicant: PersonId = ADA, today: date = JAN_15
) -> EnrolmentApplication:
    return start_application(org, applicant, "US", today)


def answer_all(
    application: EnrolmentApplication,
    answers: dict[Step, dict[str, object]],
    *,
    today: date = JAN_15,
    principal: Membership | None = None,
) -> EnrolmentApplication:
    """Answer the steps the application shows, in order, from ``answers`` (stopping at
    the first step ``answers`` leaves out)."""
    done: set[Step] = set()
    while True:
        pending = [s for s in steps(application, TERMS) if s not in done]
        if not pending or pending[0] not in answers:
            return application
        step = pending[0]
        application = complete_step(
            application,
            step,
            answers[step],
            TERMS,
            today,
            by=application.applicant,
            principal=principal,
        )
        done.add(step)


def submitted(
    level: str,
    *,
    plan: str = "annual",
    method: str = "wire",
    tracks: Iterable[str] = (),
    country: str = "US",
) -> EnrolmentApplication:
    """A principal's complete application, submitted on 15 January 2026."""
    answers = principal_answers(level, plan=plan, method=method, tracks=tracks, country=country)
    return submit(answer_all(draft(), answers), TERMS, JAN_15, by=ADA)


def active(
    level: str = "l1",
    *,
    start: date = JAN_15,
    end: date | None = None,
    subscription: str = "sub_acme",
    org: OrganizationId = ACME,
    status: MembershipStatus = MembershipStatus.ACTIVE,
    tracks: Iterable[str] = (),
) -> Membership:
    """A principal's membership, active from ``start`` for a year (or until ``end``)."""
    return Membership(
        subscription_id=SubscriptionId(subscription),
        organization_id=org,
        member_type=EntityRole.PRINCIPAL,
        level=level,
        status=status,
        subscribed_on=start,
        payment=PaymentChoice(PaymentPlan.ANNUAL, PaymentMethod.WIRE),
        term=Term(start, end or add_years(start, 1)),
        tracks=tuple(TrackMembership(t, start) for t in tracks),
    )


def associate_of(
    principal: Membership,
    *,
    start: date | None = None,
    subscription: str = "sub_acme_fr",
    status: MembershipStatus = MembershipStatus.ACTIVE,
) -> Membership:
    """An associate active from ``start`` until its principal's end date (OPN-8)."""
    assert principal.term is not None
    return Membership(
        subscription_id=SubscriptionId(subscription),
        organization_id=ACME_FR,
        member_type=EntityRole.ASSOCIATE,
        level=principal.level,
        status=status,
        subscribed_on=start or principal.term.start,
        term=Term(start or principal.term.start, principal.term.end),
        principal=principal.subscription_id,
        tracks=principal.tracks,
    )
