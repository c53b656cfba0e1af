"""SPEC §1's numbers for OPN, as :class:`MembershipTerms` — the same terms the built-in
``opn.yaml`` maps onto (a test checks the two agree), for rules tested without a file."""

from __future__ import annotations

from alliance.domain.membership.roles import PartnerPermission as P
from alliance.domain.membership.roles import RoleTerms
from alliance.domain.membership.steps import Step, StepRule
from alliance.domain.membership.terms import (
    LevelTerms,
    MembershipTerms,
    PaymentMethod,
    PaymentOption,
    PaymentPlan,
    PaymentTiming,
    TrackTerms,
)
from alliance.domain.money import usd
from alliance.domain.organizations import EntityRole
from alliance.domain.people import PartnerRole as R

CARD, WIRE, PO = PaymentMethod.CARD, PaymentMethod.WIRE, PaymentMethod.PURCHASE_ORDER
BEFORE, FROM = PaymentTiming.BEFORE_ACTIVATION, PaymentTiming.FROM_ACTIVATION
ANNUAL, QUARTERLY = PaymentPlan.ANNUAL, PaymentPlan.QUARTERLY

#: OPN-4 fees and OPN-5 / OPN-6 plans and methods (the default country set).
OPN_LEVELS = (
    LevelTerms("l0", "Level 0", 0, usd("500"), (PaymentOption(ANNUAL, (CARD, WIRE)),)),
    LevelTerms("l1", "Level 1", 1, usd("5000"), (PaymentOption(ANNUAL, (CARD, WIRE, PO)),)),
    LevelTerms(
        "l2",
        "Level 2",
        2,
        usd("100000"),
        (
            PaymentOption(ANNUAL, (WIRE, PO), BEFORE),
            PaymentOption(QUARTERLY, (CARD, WIRE, PO), FROM),
        ),
    ),
    LevelTerms(
        "l3",
        "Level 3",
        3,
        usd("500000"),
        (PaymentOption(ANNUAL, (WIRE, PO), BEFORE), PaymentOption(QUARTERLY, (WIRE, PO), FROM)),
    ),
)

#: OPN-12: the default optional tracks, open from level 1, at no extra cost.
OPN_TRACKS = (
    TrackTerms("healthcare", "Healthcare", 1),
    TrackTerms("license_and_hardware", "License & Hardware", 1),
)

#: OPN-9: the application's steps; rewards for principals at levels 1–3, tracks from 1.
OPN_STEPS = (
    StepRule(Step.PARTNERSHIP_TYPE_AND_LEVEL),
    StepRule(Step.ADMINISTRATOR_CONFIRMATION),
    StepRule(Step.COMPANY_AND_CONTACTS),
    StepRule(Step.REVIEW_CONTACTS),
    StepRule(Step.REWARD_QUESTIONNAIRE, 1, frozenset({EntityRole.PRINCIPAL})),
    StepRule(Step.PROGRAM_QUESTIONNAIRE, 1),
    StepRule(Step.AGREEMENT),
    StepRule(Step.PAYMENT),
    StepRule(Step.FINAL_REVIEW),
)

_ADMIN = frozenset(
    {
        P.MANAGE_MEMBERSHIP,
        P.APPROVE_ASSOCIATES,
        P.ASSIGN_ROLES,
        P.RECEIVE_PROGRAM_NOTICES,
        P.ORDER_WITH_CREDITS,
        P.VIEW_CREDIT_STATEMENT,
        P.MANAGE_ENGAGEMENT_USERS,
        P.USE_ENGAGEMENTS,
    }
)

#: OPN-18: partner roles, what they allow, and who is named at enrolment.
OPN_ROLES = (
    RoleTerms(R.PARTNER_ADMINISTRATOR, _ADMIN, True, min_holders=1),
    RoleTerms(R.KEY_EXECUTIVE, frozenset(), True, min_holders=2, max_holders=2),
    RoleTerms(R.BUSINESS_DEVELOPMENT, frozenset({P.MAKE_BUSINESS_DECISIONS}), True),
    RoleTerms(R.LEGAL_CONTACT, frozenset({P.MANAGE_AGREEMENTS}), True),
    RoleTerms(R.PARTNER_CREDIT_MANAGER, frozenset({P.ORDER_WITH_CREDITS, P.VIEW_CREDIT_STATEMENT})),
    RoleTerms(R.TECHNICAL_READINESS, frozenset({P.MANAGE_TECHNICAL_READINESS}), True),
    RoleTerms(R.MARKETPLACE_PUBLISHER, frozenset({P.PUBLISH_MARKETPLACE_LISTINGS})),
    RoleTerms(R.ACCOUNTS_PAYABLE, frozenset({P.RECEIVE_INVOICES}), True),
    RoleTerms(
        R.ENGAGEMENT_USER,
        frozenset({P.USE_ENGAGEMENTS}),
        validated_by=R.PARTNER_ADMINISTRATOR,
    ),
    RoleTerms(R.MARKETING_CONTACT, frozenset({P.USE_MARKETING_RESOURCES}), True),
    RoleTerms(R.SALES_ENGAGEMENT_CONTACT, frozenset({P.USE_SALES_RESOURCES}), True),
)


def opn_terms() -> MembershipTerms:
    """OPN's terms as SPEC §1 states them: 500 / 5,000 / 100,000 / 500,000 USD, quarterly
    for levels 2–3, one-year terms, a 90-day renewal window, late renewal within a year,
    invoices within 3–5 business days, tracks and expertise from level 1."""
    return MembershipTerms(levels=OPN_LEVELS, tracks=OPN_TRACKS, steps=OPN_STEPS, roles=OPN_ROLES)
