"""Paid memberships (OPN-1 … OPN-18): applications, memberships, invoices, payments,
renewal, tracks, expertise, roles and the daily job.

* ``POST /applications`` starts a draft; ``PUT /applications/{id}/steps/{step}`` saves
  one step's answer (OPN-9), resumed later by the same applicant (``GET``:
  ``next_step``); ``POST /applications/{id}/submit``; ``…/approve`` and ``…/reject`` by a
  partner administrator of the principal (OPN-2); ``…/withdraw``.
* ``GET /memberships`` and ``GET /memberships/{sub}`` — standing, renewal route and
  invoices; ``GET /memberships/{sub}/invoices`` (OPN-7); ``POST …/payments`` — vendor
  finance staff record a payment (201, or 200 when its key was used before, X-5).
* ``POST /memberships/{sub}/renewal`` starts a renewal application (OPN-14, OPN-15);
  ``POST …/renewal/approve`` (OPN-16 legacy holdings) and ``…/renewal/decline`` — staff.
* ``PUT``/``DELETE /memberships/{sub}/tracks/{track}`` (OPN-12, OPN-13);
  ``GET``/``POST /memberships/{sub}/expertise`` (OPN-17);
  ``PUT``/``DELETE /memberships/roles/{person}/{role}`` (OPN-18).
* ``POST /memberships/tick`` ``{as_of}`` — the daily job, program staff only.

Tenancy (X-6): a partner's people see their own company — principal and associates —
and get 403 for another's (unknown ids alike); vendor staff see every one; anonymous
callers get 401.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response, status

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.memberships import (
    ApplicationCreate,
    ApplicationPublic,
    Decision,
    ExpertiseCreate,
    ExpertisePublic,
    InvoicePublic,
    MembershipPublic,
    PaymentCreate,
    PaymentPublic,
    PersonChoice,
    PersonRolesPublic,
    RenewalCreate,
    RenewalDecision,
    SubmitPublic,
    TickCreate,
    TickPublic,
    submit_public,
)
from alliance.bootstrap import Application
from alliance.domain.access import Actor
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    ApplicationId,
    ApplicationStatus,
    LegacyHoldings,
    MembershipStatus,
    SaasEnvironment,
    SubscriptionId,
    TrainingSubscription,
)
from alliance.domain.money import Money
from alliance.services.membership_terms import MembershipProgram, membership_program
from alliance.services.memberships import (
    applications,
    expertise,
    payments,
    renewals,
    roles,
    tick,
    tracks,
    views,
)

router = APIRouter(tags=["memberships"])
READ = error_responses(401, 403, 404)
WRITE = error_responses(401, 403, 404, 409, 422)


def _program(application: Application) -> MembershipProgram:
    return membership_program(application.programs)


def _person(text: str | None) -> PersonId | None:
    return PersonId(text) if text else None


def _submitted(
    application: Application, actor: Actor, outcome: applications.SubmitOutcome
) -> SubmitPublic:
    program = _program(application)
    membership = (
        views.get_membership(
            application.uow_factory(),
            actor,
            program,
            application.clock,
            outcome.membership.subscription_id,
        )
        if outcome.membership is not None
        else None
    )
    return submit_public(outcome, applications.view_of(outcome.application, program), membership)


# -- applications (OPN-9) -----------------------------------------------------------------


@router.post(
    "/applications",
    response_model=ApplicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
def start_application(
    body: ApplicationCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> ApplicationPublic:
    """Start an enrolment application; its applicant becomes administrator (OPN-10)."""
    view = applications.start_application(
        uow,
        actor,
        _program(application),
        application.clock,
        OrganizationId(body.organization_id),
        applicant=_person(body.applicant),
        country=body.country,
    )
    return ApplicationPublic.of(view)


@router.get("/applications", response_model=list[ApplicationPublic], responses=READ)
def list_applications(
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    status_: Annotated[ApplicationStatus | None, Query(alias="status")] = None,
) -> list[ApplicationPublic]:
    """The applications of the caller's company (X-6); every one for staff."""
    found = applications.list_applications(uow, actor, _program(application), status=status_)
    return [ApplicationPublic.of(v) for v in found]


@router.get("/applications/{application_id}", response_model=ApplicationPublic, responses=READ)
def get_application(
    application_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> ApplicationPublic:
    """An application and where to resume it (OPN-9)."""
    view = applications.get_application(
        uow, actor, _program(application), ApplicationId(application_id)
    )
    return ApplicationPublic.of(view)


@router.put(
    "/applications/{application_id}/steps/{step}",
    response_model=ApplicationPublic,
    responses=WRITE,
)
def save_step(
    application_id: str,
    step: str,
    answer: Annotated[dict[str, Any], Body(description="The step's answer (OPN-9).")],
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    by: Annotated[str | None, Query(description="Staff: the person acting.")] = None,
) -> ApplicationPublic:
    """Answer one step; the draft is saved at once. Refusals name field and rule."""
    view = applications.save_step(
        uow,
        actor,
        _program(application),
        application.clock,
        ApplicationId(application_id),
        step,
        answer,
        by=_person(by),
    )
    return ApplicationPublic.of(view)


@router.post("/applications/{application_id}/submit", response_model=SubmitPublic, responses=WRITE)
def submit_application(
    application_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    body: PersonChoice | None = None,
) -> SubmitPublic:
    """Submit: a principal subscribes (invoice, OPN-7); an associate waits (OPN-2)."""
    outcome = applications.submit_application(
        uow,
        actor,
        _program(application),
        application.clock,
        ApplicationId(application_id),
        by=_person(body.by if body else None),
    )
    return _submitted(application, actor, outcome)


def _decide(
    application_id: str,
    approved: bool,
    body: Decision | None,
    actor: Actor,
    application: Application,
) -> SubmitPublic:
    outcome = applications.decide_associate(
        application.uow_factory(),
        actor,
        _program(application),
        application.clock,
        ApplicationId(application_id),
        approved=approved,
        by=_person(body.by if body else None),
        note=body.note if body else "",
    )
    return _submitted(application, actor, outcome)


@router.post("/applications/{application_id}/approve", response_model=SubmitPublic, responses=WRITE)
def approve_application(
    application_id: str, actor: RequireActor, application: AppDep, body: Decision | None = None
) -> SubmitPublic:
    """OPN-2: a partner administrator of the principal approves its associate."""
    return _decide(application_id, True, body, actor, application)


@router.post("/applications/{application_id}/reject", response_model=SubmitPublic, responses=WRITE)
def reject_application(
    application_id: str, actor: RequireActor, application: AppDep, body: Decision | None = None
) -> SubmitPublic:
    """OPN-2: a partner administrator of the principal rejects its associate."""
    return _decide(application_id, False, body, actor, application)


@router.post(
    "/applications/{application_id}/withdraw", response_model=ApplicationPublic, responses=WRITE
)
def withdraw_application(
    application_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    body: PersonChoice | None = None,
) -> ApplicationPublic:
    view = applications.withdraw_application(
        uow,
        actor,
        _program(application),
        application.clock,
        ApplicationId(application_id),
        by=_person(body.by if body else None),
    )
    return ApplicationPublic.of(view)


# -- roles and the daily job (declared before /memberships/{id}) ---------------------------


@router.post("/memberships/tick", response_model=TickPublic, responses=WRITE)
def run_tick(
    actor: RequireActor, uow: UowDep, application: AppDep, body: TickCreate | None = None
) -> TickPublic:
    """The daily job for ``as_of`` (default today): idempotent for a date (X-5)."""
    report = tick.run_daily(
        uow, actor, _program(application), application.clock, body.as_of if body else None
    )
    return TickPublic.of(report)


def _role(
    person_id: str, role: str, remove: bool, actor: Actor, application: Application
) -> PersonRolesPublic:
    person = roles.assign_role(
        application.uow_factory(),
        actor,
        _program(application),
        application.clock,
        PersonId(person_id),
        roles.parse_role(role),
        remove=remove,
    )
    return PersonRolesPublic.of(person)


@router.put(
    "/memberships/roles/{person_id}/{role}", response_model=PersonRolesPublic, responses=WRITE
)
def assign_role(
    person_id: str, role: str, actor: RequireActor, application: AppDep
) -> PersonRolesPublic:
    """OPN-18: give a partner role (the administrator assigns the others)."""
    return _role(person_id, role, False, actor, application)


@router.delete(
    "/memberships/roles/{person_id}/{role}", response_model=PersonRolesPublic, responses=WRITE
)
def remove_role(
    person_id: str, role: str, actor: RequireActor, application: AppDep
) -> PersonRolesPublic:
    """OPN-10 / OPN-18: take a role back, keeping at least one administrator."""
    return _role(person_id, role, True, actor, application)


# -- memberships ----------------------------------------------------------------------------


@router.get("/memberships", response_model=list[MembershipPublic], responses=READ)
def list_memberships(
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    status_: Annotated[MembershipStatus | None, Query(alias="status")] = None,
    as_of: date | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[MembershipPublic]:
    """The memberships of the caller's company (X-6); every one for staff."""
    found = views.list_memberships(
        uow,
        actor,
        _program(application),
        application.clock,
        status=status_,
        as_of=as_of,
        limit=limit,
        offset=offset,
    )
    return [MembershipPublic.of(v) for v in found]


@router.get("/memberships/{subscription_id}", response_model=MembershipPublic, responses=READ)
def get_membership(
    subscription_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    as_of: date | None = None,
) -> MembershipPublic:
    """A membership: standing on a day (OPN-11, OPN-15), renewal route, invoices."""
    view = views.get_membership(
        uow,
        actor,
        _program(application),
        application.clock,
        SubscriptionId(subscription_id),
        as_of=as_of,
    )
    return MembershipPublic.of(view)


@router.get(
    "/memberships/{subscription_id}/invoices",
    response_model=list[InvoicePublic],
    responses=READ,
)
def list_invoices(subscription_id: str, actor: RequireActor, uow: UowDep) -> list[InvoicePublic]:
    """OPN-7: the fee invoices, each carrying the subscription id."""
    return [
        InvoicePublic.of(i) for i in views.invoices_of(uow, actor, SubscriptionId(subscription_id))
    ]


@router.post(
    "/memberships/{subscription_id}/payments",
    response_model=PaymentPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
def record_payment(
    subscription_id: str,
    body: PaymentCreate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    response: Response,
) -> PaymentPublic:
    """Record a fee payment (vendor finance): full payment activates (OPN-6, OPN-11)."""
    outcome = payments.record_payment(
        uow,
        actor,
        _program(application),
        application.clock,
        SubscriptionId(subscription_id),
        Money.of(body.amount.amount, body.amount.currency),
        paid_on=body.paid_on,
        method=body.method,
        reference=body.reference,
        idempotency_key=body.idempotency_key,
    )
    if outcome.replayed:
        response.status_code = status.HTTP_200_OK
    return PaymentPublic.of(outcome)


@router.post(
    "/memberships/{subscription_id}/renewal",
    response_model=ApplicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
def start_renewal(
    subscription_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    body: RenewalCreate | None = None,
) -> ApplicationPublic:
    """A renewal application: the window opens 90 days before the end date (OPN-14)."""
    view = applications.start_renewal_application(
        uow,
        actor,
        _program(application),
        application.clock,
        SubscriptionId(subscription_id),
        applicant=_person(body.applicant if body else None),
    )
    return ApplicationPublic.of(view)


def _legacy(body: RenewalDecision | None) -> LegacyHoldings | None:
    if body is None or body.legacy is None:
        return None
    held = body.legacy
    return LegacyHoldings(
        unused_universal_credits=Decimal(held.unused_universal_credits),
        cloud_environments=tuple(held.cloud_environments),
        saas_environments=tuple(
            SaasEnvironment(e.id, e.renewal_date) for e in held.saas_environments
        ),
        training_subscriptions=tuple(
            TrainingSubscription(t.id, t.activated) for t in held.training_subscriptions
        ),
    )


@router.post(
    "/memberships/{subscription_id}/renewal/approve",
    response_model=MembershipPublic,
    responses=WRITE,
)
def approve_renewal(
    subscription_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    body: RenewalDecision | None = None,
) -> MembershipPublic:
    """OPN-14: staff approve a requested renewal; OPN-16 effects recorded on it."""
    program = _program(application)
    sub = SubscriptionId(subscription_id)
    renewals.approve_renewal_request(
        uow, actor, program, application.clock, sub, legacy=_legacy(body)
    )
    return MembershipPublic.of(
        views.get_membership(application.uow_factory(), actor, program, application.clock, sub)
    )


@router.post(
    "/memberships/{subscription_id}/renewal/decline",
    response_model=MembershipPublic,
    responses=WRITE,
)
def decline_renewal(
    subscription_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> MembershipPublic:
    """OPN-15: a renewal requested but not paid is declined: enrol anew."""
    program = _program(application)
    sub = SubscriptionId(subscription_id)
    renewals.decline_renewal_request(uow, actor, program, application.clock, sub)
    return MembershipPublic.of(
        views.get_membership(application.uow_factory(), actor, program, application.clock, sub)
    )


def _track(
    subscription_id: str, track: str, join: bool, actor: Actor, application: Application
) -> MembershipPublic:
    program = _program(application)
    sub = SubscriptionId(subscription_id)
    tracks.change_track(
        application.uow_factory(), actor, program, application.clock, sub, track, join=join
    )
    return MembershipPublic.of(
        views.get_membership(application.uow_factory(), actor, program, application.clock, sub)
    )


@router.put(
    "/memberships/{subscription_id}/tracks/{track}",
    response_model=MembershipPublic,
    responses=WRITE,
)
def join_track(
    subscription_id: str, track: str, actor: RequireActor, application: AppDep
) -> MembershipPublic:
    """OPN-12: join an optional track (levels ≥ 1); associates follow (OPN-13)."""
    return _track(subscription_id, track, True, actor, application)


@router.delete(
    "/memberships/{subscription_id}/tracks/{track}",
    response_model=MembershipPublic,
    responses=WRITE,
)
def leave_track(
    subscription_id: str, track: str, actor: RequireActor, application: AppDep
) -> MembershipPublic:
    return _track(subscription_id, track, False, actor, application)


@router.post(
    "/memberships/{subscription_id}/expertise",
    response_model=ExpertisePublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
def publish_expertise(
    subscription_id: str,
    body: ExpertiseCreate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> ExpertisePublic:
    """OPN-17: publish an expertise; level 0 never can."""
    published = expertise.publish(
        uow,
        actor,
        _program(application),
        application.clock,
        SubscriptionId(subscription_id),
        body.product,
        qualifications=body.qualifications,
        contracts=body.contracts,
        required_qualifications=body.required_qualifications,
        required_contracts=body.required_contracts,
        by=_person(body.by),
    )
    return ExpertisePublic(
        subscription_id=published.subscription_id,
        product=published.product,
        published_on=published.published_on,
        valid=True,
    )


@router.get(
    "/memberships/{subscription_id}/expertise",
    response_model=list[ExpertisePublic],
    responses=READ,
)
def list_expertise(
    subscription_id: str, actor: RequireActor, uow: UowDep, application: AppDep
) -> list[ExpertisePublic]:
    found = expertise.list_expertise(
        uow, actor, _program(application), application.clock, SubscriptionId(subscription_id)
    )
    return [ExpertisePublic.of(v) for v in found]
