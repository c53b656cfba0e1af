"""Memberships for the engagement tests, made through the membership use cases: the
enrolment application step by step (OPN-9), submission, the fee paid in full (OPN-6),
activation; an associate is approved by its principal's administrator (OPN-2, OPN-8).

:func:`enrol` answers the reward questionnaire with the payout method (RWD-3) and returns
the active membership; activation also allocates the level's partner credits (CRD-1), so
tests compare credit balances before and after a payout. :func:`expire` moves a
membership to expired (OPN-15) through the store, as the daily job would past its end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.engagement_rewards import PayoutMethod
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import Membership, MembershipStatus, SubscriptionId
from alliance.domain.money import Money
from alliance.programs.registry import ProgramRegistry
from alliance.services.membership_terms import membership_program
from alliance.services.memberships import applications, payments
from alliance.services.ports import UnitOfWork

SYSTEM = Actor.system("test")
ROLES_NAMED = (
    "key_executive",
    "key_executive",
    "business_development",
    "legal_contact",
    "technical_readiness",
    "accounts_payable",
    "marketing_contact",
    "sales_engagement_contact",
)


def _answers(
    organization_id: OrganizationId,
    country: str,
    level: str,
    payout: PayoutMethod,
    principal: SubscriptionId | None,
) -> list[tuple[str, dict[str, Any]]]:
    domain = f"{organization_id.replace('_', '-')}.test.example"
    first: dict[str, Any] = (
        {"member_type": "associate", "principal_subscription": principal}
        if principal
        else {"member_type": "principal", "level": level}
    )
    steps: list[tuple[str, dict[str, Any]]] = [
        ("partnership_type_and_level", first),
        ("administrator_confirmation", {"accepts_administrator_role": True}),
        (
            "company_and_contacts",
            {
                "legal_name": f"Company {organization_id}",
                "address": {
                    "line1": "1 Test Street",
                    "city": "Test City",
                    "postal_code": "10001",
                    "country": country,
                },
                "administrator": {"name": "Administrator", "email": f"admin@{domain}"},
                "contacts": [
                    {"name": f"{role} {i}", "email": f"{role}{i}@{domain}", "role": role}
                    for i, role in enumerate(ROLES_NAMED)
                ],
                "partner_store_terms_accepted": principal is None,
            },
        ),
        ("review_contacts", {"confirmed": True}),
    ]
    if principal is None and level != "l0":
        steps.append(("reward_questionnaire", {"payout": payout.value}))
    if level != "l0":
        steps.append(("program_questionnaire", {"tracks": []}))
    steps += [
        ("agreement", {"method": "principal_terms" if principal else "online_click"}),
        ("payment", {"plan": "annual", "method": "card" if level == "l0" else "wire"}),
        ("final_review", {"confirmed": True}),
    ]
    return steps


def enrol(
    uow_factory: Callable[[], UnitOfWork],
    organization_id: OrganizationId,
    applicant: PersonId,
    *,
    level: str = "l2",
    payout: PayoutMethod = PayoutMethod.MONEY,
    start: date = date(2025, 1, 1),
    country: str = "FR",
    principal: SubscriptionId | None = None,
    principal_admin: PersonId | None = None,
) -> Membership:
    """An active membership at ``level`` from ``start``, paid in ``payout`` (RWD-3)."""
    program = membership_program(ProgramRegistry.load(None))
    clock = FixedClock(datetime.combine(start, time(12), tzinfo=UTC))
    view = applications.start_application(
        uow_factory(), SYSTEM, program, clock, organization_id, applicant=applicant
    )
    for step, data in _answers(organization_id, country, level, payout, principal):
        view = applications.save_step(
            uow_factory(), SYSTEM, program, clock, view.application.id, step, data
        )
    outcome = applications.submit_application(
        uow_factory(), SYSTEM, program, clock, view.application.id
    )
    if principal is not None:
        outcome = applications.decide_associate(
            uow_factory(),
            SYSTEM,
            program,
            clock,
            view.application.id,
            approved=True,
            by=principal_admin or applicant,
        )
    membership = outcome.membership
    assert membership is not None, outcome
    if membership.status is MembershipStatus.PENDING_PAYMENT:
        fee = program.terms.level(level).fee
        paid = payments.record_payment(
            uow_factory(),
            SYSTEM,
            program,
            clock,
            membership.subscription_id,
            Money(fee.amount, fee.currency),
            method="card" if level == "l0" else "wire",
            idempotency_key=f"test:{membership.subscription_id}:fee",
        )
        membership = paid.membership
    assert membership.status is MembershipStatus.ACTIVE, membership
    return membership


def expire(uow_factory: Callable[[], UnitOfWork], membership: Membership) -> Membership:
    """OPN-15: the membership expired."""
    expired = replace(membership, status=MembershipStatus.EXPIRED)
    with uow_factory() as uow:
        uow.memberships.save(expired)
        uow.commit()
    return expired
