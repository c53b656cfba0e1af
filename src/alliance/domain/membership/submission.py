"""Submitting an application and the principal's decision on an associate (OPN-2, OPN-9,
OPN-10).

A principal's complete application is ``submitted``; an associate's waits in
``pending_approval`` until a partner administrator of its principal approves or rejects
it, while the principal's membership is active (OPN-2). Whoever completed the
subscription becomes a partner administrator (OPN-10).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership.application import (
    APPLICATION_MOVES,
    ApplicationStatus,
    EnrolmentApplication,
    missing_steps,
    require_applicant,
)
from alliance.domain.membership.errors import (
    ApplicationIncomplete,
    NotPrincipalAdministrator,
    PrincipalNotActive,
)
from alliance.domain.membership.lifecycle import require_move
from alliance.domain.membership.membership import Membership
from alliance.domain.membership.roles import MembershipAction, RoleGrant, may
from alliance.domain.membership.terms import MembershipTerms
from alliance.domain.organizations import EntityRole
from alliance.domain.people import PartnerRole

_A = ApplicationStatus


@dataclass(frozen=True)
class Approver:
    """Who decides on an associate's application: a person, its organisation, its roles."""

    person_id: PersonId
    organization_id: OrganizationId
    roles: frozenset[PartnerRole]


def submit(
    application: EnrolmentApplication,
    terms: MembershipTerms,
    today: date,
    *,
    by: PersonId,
    principal: Membership | None = None,
) -> EnrolmentApplication:
    """OPN-9: submit a complete application; an associate's then waits for its
    principal's administrator (OPN-2), provided the principal is still active."""
    require_applicant(application, by)
    missing = missing_steps(application, terms)
    if application.status is _A.DRAFT and missing:
        raise ApplicationIncomplete(
            f"complete {', '.join(s.value for s in missing)} before submitting",
            field=missing[0].value,
        )
    target = _A.SUBMITTED
    if application.member_type is EntityRole.ASSOCIATE:
        if terms.parent_must_be_active:
            _require_active_principal(application, principal, today)
        if terms.approval_by_parent:
            target = _A.PENDING_APPROVAL
    require_move(APPLICATION_MOVES, application.status, target, entity="application", rule="OPN-9")
    return replace(application, status=target, submitted_on=today, updated_on=today)


def approve(
    application: EnrolmentApplication,
    approver: Approver,
    principal: Membership,
    terms: MembershipTerms,
    today: date,
) -> EnrolmentApplication:
    """OPN-2: the principal's partner administrator approves its associate, while the
    principal's membership is active."""
    _require_principal_administrator(application, approver, principal, terms)
    _require_active_principal(application, principal, today)
    return _decide(application, _A.APPROVED, approver, today, "")


def reject(
    application: EnrolmentApplication,
    approver: Approver,
    principal: Membership,
    terms: MembershipTerms,
    today: date,
    note: str = "",
) -> EnrolmentApplication:
    """OPN-2: the principal's partner administrator rejects its associate's application."""
    _require_principal_administrator(application, approver, principal, terms)
    return _decide(application, _A.REJECTED, approver, today, note)


def withdraw(application: EnrolmentApplication, by: PersonId, today: date) -> EnrolmentApplication:
    require_applicant(application, by)
    require_move(
        APPLICATION_MOVES, application.status, _A.WITHDRAWN, entity="application", rule="OPN-9"
    )
    return replace(application, status=_A.WITHDRAWN, updated_on=today)


def administrator_grant(application: EnrolmentApplication) -> RoleGrant:
    """OPN-10: whoever completes the subscription becomes a partner administrator."""
    if application.status is _A.DRAFT:
        raise ApplicationIncomplete(
            "the application is not submitted yet", field="status", rule="OPN-10"
        )
    return RoleGrant(
        application.applicant,
        application.organization_id,
        PartnerRole.PARTNER_ADMINISTRATOR,
        "OPN-10",
    )


def _decide(
    application: EnrolmentApplication,
    target: ApplicationStatus,
    approver: Approver,
    today: date,
    note: str,
) -> EnrolmentApplication:
    require_move(APPLICATION_MOVES, application.status, target, entity="application", rule="OPN-2")
    return replace(
        application,
        status=target,
        decided_on=today,
        decided_by=approver.person_id,
        decision_note=note,
        updated_on=today,
    )


def _require_active_principal(
    application: EnrolmentApplication, principal: Membership | None, today: date
) -> None:
    wanted = application.principal_subscription
    if principal is None or principal.subscription_id != wanted:
        raise InvalidInput(
            f"the principal's membership {wanted} is needed", field="principal", rule="OPN-2"
        )
    if not principal.is_active_on(today):
        raise PrincipalNotActive(
            f"the principal's membership {wanted} is {principal.status.value} on {today}"
        )


def _require_principal_administrator(
    application: EnrolmentApplication,
    approver: Approver,
    principal: Membership,
    terms: MembershipTerms,
) -> None:
    if application.principal_subscription != principal.subscription_id:
        raise InvalidInput(
            f"application {application.id} is not for principal {principal.subscription_id}",
            field="principal",
            rule="OPN-2",
        )
    if approver.organization_id != principal.organization_id or not may(
        approver.roles, MembershipAction.APPROVE_ASSOCIATE, terms
    ):
        raise NotPrincipalAdministrator(
            "only a partner administrator of the principal "
            f"{principal.organization_id} approves or rejects its associates"
        )
