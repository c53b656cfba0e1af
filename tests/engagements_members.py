"""Memberships for the engagement tests, written through the memberships store
(``uow.memberships``) — the enrolment flow itself is tested by the membership tests.

:func:`enrol` records an approved application whose reward questionnaire chose the
payout method (RWD-3), and an active membership at a level from ``start`` for a year;
:func:`expire` moves it to expired (OPN-15).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from alliance.domain.engagement_rewards import PayoutMethod
from alliance.domain.ids import OrganizationId, PersonId, new_id
from alliance.domain.membership import (
    ApplicationId,
    ApplicationStatus,
    EnrolmentApplication,
    Membership,
    MembershipStatus,
    Step,
    SubscriptionId,
    Term,
)
from alliance.domain.organizations import EntityRole
from alliance.services.ports import UnitOfWork


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
) -> Membership:
    """An active membership at ``level``, paid in ``payout`` (RWD-3)."""
    application = EnrolmentApplication(
        id=ApplicationId(new_id("app")),
        organization_id=organization_id,
        applicant=applicant,
        country=country,
        started_on=start,
        status=ApplicationStatus.APPROVED,
        answers={Step.REWARD_QUESTIONNAIRE: {"payout": payout.value}},
        submitted_on=start,
        decided_on=start,
    )
    membership = Membership(
        subscription_id=SubscriptionId(new_id("sub")),
        organization_id=organization_id,
        member_type=EntityRole.ASSOCIATE if principal else EntityRole.PRINCIPAL,
        level=level,
        status=MembershipStatus.ACTIVE,
        subscribed_on=start,
        term=Term(start, start.replace(year=start.year + 1) - timedelta(days=1)),
        principal=principal,
    )
    with uow_factory() as uow:
        uow.memberships.add_application(application)
        uow.memberships.add(membership, application_id=application.id)
        uow.commit()
    return membership


def expire(uow_factory: Callable[[], UnitOfWork], membership: Membership) -> Membership:
    """OPN-15: the membership expired."""
    expired = replace(membership, status=MembershipStatus.EXPIRED)
    with uow_factory() as uow:
        uow.memberships.save(expired)
        uow.commit()
    return expired
