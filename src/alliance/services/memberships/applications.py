"""The enrolment application (OPN-1, OPN-2, OPN-8, OPN-9, OPN-10): start, answer a step,
resume, submit, and the principal's decision on an associate.

* **Saved after every step.** Each answer is checked by the domain's form for the step
  and the draft is stored at once, in its own transaction; the same applicant resumes it
  later — in another session, after a restart — at the step it left (OPN-9). Anyone else
  is refused (``not_the_applicant``, OPN-9).
* **Principal or associate** (OPN-1). An associate picks its principal's subscription:
  the principal must be active (OPN-2), be the parent organisation of the associate's
  (OPN-3), and the associate gets its level and end date (OPN-8); it accepts the
  principal's terms (``principal_terms``, OPN-2) and, once submitted, waits for a partner
  administrator of the principal to approve it (``pending_approval``).
* **Submitting.** A principal's complete application subscribes at once (the seed has no
  review between submission and the invoice); an associate's on approval. Submitting a
  renewal application requests the renewal (:mod:`.renewals`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from alliance.domain.access import Actor, ActorKind, Permission, require_everywhere, sees_everything
from alliance.domain.clock import Clock
from alliance.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    ApplicationId,
    ApplicationKind,
    ApplicationStatus,
    Approver,
    EnrolmentApplication,
    Membership,
    MembershipAction,
    MembershipStatus,
    RenewalRoute,
    Step,
    SubscriptionId,
    approve,
    complete_step,
    missing_steps,
    next_step,
    reject,
    renewal_option,
    start_renewal,
    steps,
    submit,
    withdraw,
)
from alliance.domain.membership import (
    start_application as new_application,
)
from alliance.domain.organizations import EntityRole
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.access import (
    acting_person,
    company_scope,
    require_partner_action,
    require_viewer,
    visible_membership,
)
from alliance.services.memberships.ports import FeeInvoice
from alliance.services.memberships.records import audit_application, send_notice
from alliance.services.memberships.renewals import request_from_application
from alliance.services.memberships.subscriptions import open_subscription
from alliance.services.organizations import require_organization
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class ApplicationView:
    """An application with where it stands: its steps, what is missing, where to resume."""

    application: EnrolmentApplication
    steps: tuple[Step, ...]
    missing: tuple[Step, ...]
    next_step: Step | None


@dataclass(frozen=True)
class SubmitOutcome:
    """What submitting (or approving) did: the application, and the membership and
    invoice it created or changed (None while an associate waits for approval)."""

    application: EnrolmentApplication
    membership: Membership | None = None
    invoice: FeeInvoice | None = None


def view_of(application: EnrolmentApplication, program: MembershipProgram) -> ApplicationView:
    terms = program.terms
    shown = (
        steps(application, terms)
        if application.partnership
        else tuple(rule.step for rule in terms.steps)
    )
    return ApplicationView(
        application, shown, missing_steps(application, terms), next_step(application, terms)
    )


def _not_yours(application_id: str) -> Forbidden:
    return Forbidden(
        f"application {application_id} is not yours", field="application_id", rule="X-6"
    )


def load_application(
    uow: UnitOfWork, actor: Actor, application_id: ApplicationId, *, for_update: bool = False
) -> EnrolmentApplication:
    """The application, if ``actor`` may see it (its company's people, staff); members get
    403 alike for another company's and an unknown id (X-6)."""
    application = uow.memberships.application(application_id, for_update=for_update)
    if application is None:
        if sees_everything(actor):
            raise NotFound(f"no application {application_id}", field="application_id")
        raise _not_yours(application_id)
    try:
        require_viewer(uow, actor, application.organization_id)
    except Forbidden:
        raise _not_yours(application_id) from None
    return application


def _refuse_second_membership(
    uow: UnitOfWork, organization_id: OrganizationId, program: MembershipProgram, clock: Clock
) -> None:
    current = uow.memberships.current(organization_id)
    if current is None or current.status in {MembershipStatus.LAPSED, MembershipStatus.CANCELLED}:
        return
    if current.status is MembershipStatus.EXPIRED:
        option = renewal_option(current, clock.today(), program.terms)
        if option.route is RenewalRoute.ENROL_ANEW:
            return  # OPN-15: declined, or expired more than a year ago
        raise Conflict(
            f"{organization_id}'s membership {current.subscription_id} expired "
            f"{current.end}; it may still renew ({option.reason}) rather than enrol anew",
            field="organization_id",
            rule="OPN-15",
        )
    raise Conflict(
        f"{organization_id} already has the {current.status.value} membership "
        f"{current.subscription_id}; renew it rather than enrol again",
        field="organization_id",
        rule="OPN-14",
    )


def start_application(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    organization_id: OrganizationId,
    *,
    applicant: PersonId | None = None,
    country: str | None = None,
) -> ApplicationView:
    """OPN-9: a new draft for ``organization_id``; its applicant completes it (OPN-10).

    A partner's person applies for its own organisation; vendor staff and the system
    name the applicant, one of the organisation's people.
    """
    with uow:
        organization = require_organization(
            uow, actor, Permission.VIEW_ORGANIZATION, organization_id
        )
        if actor.kind is not ActorKind.MEMBER:
            require_everywhere(actor, Permission.MANAGE_ORGANIZATION)
        elif actor.organization_id != organization_id:
            raise Forbidden(
                "an organisation's own people apply for it", field="organization_id", rule="OPN-9"
            )
        person = acting_person(uow, actor, applicant)
        if person.organization_id != organization_id:
            raise InvalidInput(
                f"the applicant {person.id} is not one of {organization_id}'s people",
                field="applicant",
                rule="OPN-10",
            )
        _refuse_second_membership(uow, organization_id, program, clock)
        application = new_application(
            organization_id, person.id, country or organization.country, clock.today()
        )
        uow.memberships.add_application(application)
        audit_application(uow, actor, None, application, clock.now(), "started", {"rule": "OPN-9"})
        uow.commit()
    return view_of(application, program)


def _step(name: str) -> Step:
    try:
        return Step(name)
    except ValueError:
        offered = ", ".join(s.value for s in Step)
        raise InvalidInput(
            f"unknown step {name!r}; the steps are {offered}", field="step", rule="OPN-9"
        ) from None


def _principal_for(
    uow: UnitOfWork,
    application: EnrolmentApplication,
    step: Step,
    data: Mapping[str, object],
) -> Membership | None:
    """The principal's membership an associate names (in this step's answer, or before)."""
    wanted = application.principal_subscription
    if step is Step.PARTNERSHIP_TYPE_AND_LEVEL:
        given = data.get("principal_subscription")
        wanted = SubscriptionId(given) if isinstance(given, str) and given else None
    if wanted is None:
        return None
    principal = uow.memberships.get(wanted)
    if principal is not None and step is Step.PARTNERSHIP_TYPE_AND_LEVEL:
        _require_parent(uow, application.organization_id, principal)
    return principal


def _require_parent(
    uow: UnitOfWork, organization_id: OrganizationId, principal: Membership
) -> None:
    """OPN-1 / OPN-3: an associate is a subsidiary of the principal it attaches to."""
    organization = uow.organizations.get(organization_id)
    if organization is None or organization.parent_id != principal.organization_id:
        raise InvalidInput(
            f"{organization_id} is not a subsidiary of {principal.organization_id}, the "
            f"organisation of {principal.subscription_id}; an associate attaches to its "
            "own principal",
            field="principal_subscription",
            rule="OPN-1",
        )


def save_step(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    application_id: ApplicationId,
    step: str,
    data: Mapping[str, object],
    *,
    by: PersonId | None = None,
) -> ApplicationView:
    """OPN-9: answer one step; the draft is saved at once. Refusals name field and rule."""
    chosen = _step(step)
    with uow:
        application = load_application(uow, actor, application_id, for_update=True)
        person = acting_person(uow, actor, by or _default_person(actor, application))
        principal = _principal_for(uow, application, chosen, data)
        if (
            chosen is Step.PARTNERSHIP_TYPE_AND_LEVEL
            and data.get("member_type") == EntityRole.ASSOCIATE.value
            and application.kind is ApplicationKind.RENEWAL
        ):
            raise InvalidInput(
                "an associate does not renew on its own; it follows its principal",
                field="member_type",
                rule="OPN-8",
            )
        updated = complete_step(
            application,
            chosen,
            data,
            program.terms,
            clock.today(),
            by=person.id,
            principal=principal,
        )
        uow.memberships.save_application(updated)
        audit_application(
            uow,
            actor,
            application,
            updated,
            clock.now(),
            "step_saved",
            {"step": chosen.value, "rule": "OPN-9"},
        )
        uow.commit()
    return view_of(updated, program)


def _default_person(actor: Actor, application: EnrolmentApplication) -> PersonId | None:
    """The system and staff act for the applicant unless they name someone else."""
    return None if actor.kind is ActorKind.MEMBER else application.applicant


def get_application(
    uow: UnitOfWork, actor: Actor, program: MembershipProgram, application_id: ApplicationId
) -> ApplicationView:
    """OPN-9: an application and where to resume it."""
    with uow:
        application = load_application(uow, actor, application_id)
    return view_of(application, program)


def list_applications(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    *,
    status: ApplicationStatus | None = None,
    limit: int = 100,
) -> list[ApplicationView]:
    """The applications ``actor`` may see: its company's (X-6), or every one for staff."""
    with uow:
        scope = company_scope(uow, actor)
        found = uow.memberships.applications(organizations=scope, limit=1000)
    chosen = [a for a in found if status is None or a.status is status]
    return [view_of(a, program) for a in chosen[:limit]]


def submit_application(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    application_id: ApplicationId,
    *,
    by: PersonId | None = None,
) -> SubmitOutcome:
    """OPN-9: submit a complete application.

    A principal subscribes at once (membership, invoice, administrator role); an
    associate waits for its principal's administrator (OPN-2), who is told; a renewal is
    requested (OPN-14).
    """
    terms, today, at = program.terms, clock.today(), clock.now()
    with uow:
        application = load_application(uow, actor, application_id, for_update=True)
        person = acting_person(uow, actor, by or _default_person(actor, application))
        principal = (
            uow.memberships.get(application.principal_subscription)
            if application.principal_subscription
            else None
        )
        submitted = submit(application, terms, today, by=person.id, principal=principal)
        uow.memberships.save_application(submitted)
        audit_application(uow, actor, application, submitted, at, "submitted", {"rule": "OPN-9"})
        outcome = SubmitOutcome(submitted)
        if submitted.kind is ApplicationKind.RENEWAL:
            membership, invoice = request_from_application(uow, actor, program, clock, submitted)
            outcome = SubmitOutcome(submitted, membership, invoice)
        elif submitted.status is ApplicationStatus.PENDING_APPROVAL and principal is not None:
            send_notice(
                uow,
                principal.organization_id,
                "membership.associate_awaiting_approval",
                f"An associate asks to join under {principal.subscription_id}",
                f"Application {submitted.id} of {submitted.organization_id} waits for a "
                "partner administrator's approval (OPN-2).",
                {
                    "application_id": submitted.id,
                    "organization_id": submitted.organization_id,
                    "rule": "OPN-2",
                },
                at,
                key=f"{submitted.id}:awaiting_approval",
            )
        else:
            subscribed = open_subscription(uow, actor, submitted, terms, today, at)
            outcome = SubmitOutcome(submitted, subscribed.membership, subscribed.invoice)
        uow.commit()
    return outcome


def decide_associate(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    application_id: ApplicationId,
    *,
    approved: bool,
    by: PersonId | None = None,
    note: str = "",
) -> SubmitOutcome:
    """OPN-2: a partner administrator of the principal approves (the associate subscribes,
    with its principal's level and end date, OPN-8) or rejects an associate's application.

    Vendor staff and the system name the administrator who decides (``by``).
    """
    terms, today, at = program.terms, clock.today(), clock.now()
    with uow:
        application = load_application(uow, actor, application_id, for_update=True)
        if application.principal_subscription is None:
            raise InvalidInput(
                f"application {application_id} is not an associate's; a principal's subscribes "
                "when submitted",
                field="application_id",
                rule="OPN-2",
            )
        principal = uow.memberships.get(application.principal_subscription)
        if principal is None:
            raise NotFound(
                f"no principal membership {application.principal_subscription}",
                field="principal_subscription",
            )
        if actor.kind is not ActorKind.MEMBER and by is None:
            raise InvalidInput(
                "name the principal's partner administrator who decides",
                field="by",
                rule="OPN-2",
            )
        person = acting_person(uow, actor, by)
        approver = Approver(
            person.id,
            person.organization_id or OrganizationId(""),
            person.partner_roles,
        )
        if approved:
            decided = approve(application, approver, principal, terms, today)
        else:
            decided = reject(application, approver, principal, terms, today, note)
        uow.memberships.save_application(decided)
        audit_application(
            uow,
            actor,
            application,
            decided,
            at,
            "approved" if approved else "rejected",
            {"rule": "OPN-2", "by": person.id, "note": note},
        )
        outcome = SubmitOutcome(decided)
        if approved:
            subscribed = open_subscription(
                uow, actor, decided, terms, today, at, principal=principal
            )
            outcome = SubmitOutcome(decided, subscribed.membership, subscribed.invoice)
        uow.commit()
    return outcome


def withdraw_application(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    application_id: ApplicationId,
    *,
    by: PersonId | None = None,
) -> ApplicationView:
    """OPN-9: the applicant withdraws a draft or a pending application."""
    with uow:
        application = load_application(uow, actor, application_id, for_update=True)
        person = acting_person(uow, actor, by or _default_person(actor, application))
        withdrawn = withdraw(application, person.id, clock.today())
        uow.memberships.save_application(withdrawn)
        audit_application(uow, actor, application, withdrawn, clock.now(), "withdrawn")
        uow.commit()
    return view_of(withdrawn, program)


def start_renewal_application(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
    *,
    applicant: PersonId | None = None,
) -> ApplicationView:
    """OPN-14 / OPN-15: a renewal application, if the membership may renew today.

    Refused before the window (day 91 before the end date: ``renewal_window_not_open``,
    OPN-14), after a declined renewal or more than a year after expiry
    (``must_enrol_anew``, OPN-15), and for an associate (OPN-8). The applicant needs a
    role that may renew (OPN-18).
    """
    terms = program.terms
    with uow:
        membership = visible_membership(uow, actor, subscription_id)
        person = acting_person(uow, actor, applicant)
        require_partner_action(
            uow,
            actor,
            membership.organization_id,
            MembershipAction.RENEW,
            terms,
            person=person if actor.kind is not ActorKind.MEMBER else None,
        )
        organization = uow.organizations.get(membership.organization_id)
        country = organization.country if organization else ""
        application = start_renewal(membership, person.id, country, clock.today(), terms)
        uow.memberships.add_application(application)
        audit_application(uow, actor, None, application, clock.now(), "started", {"rule": "OPN-14"})
        uow.commit()
    return view_of(application, program)
