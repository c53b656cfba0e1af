"""The enrolment wizard (OPN-9): one page per step, each step saved as it is answered.

``/enrol`` resumes the company's draft at the step it left — in another session, after
logging out and in again — or offers to start one. A step's refusal (OPN-5/OPN-6: a
payment plan the level does not offer; OPN-9: a missing field…) is shown next to the
input it names, with the rule, and nothing is saved. Once every step is answered the
applicant submits (a principal subscribes, an associate waits for approval, OPN-2).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from alliance.domain.access import Actor
from alliance.domain.errors import AllianceError, Forbidden
from alliance.domain.membership import ApplicationId, ApplicationKind, ApplicationStatus, Step
from alliance.services.membership_terms import MembershipProgram, membership_program
from alliance.services.memberships import applications
from alliance.services.memberships.applications import ApplicationView
from alliance.web import enrolment_form
from alliance.web.pages import Page, PageDep, PageRoute

router = APIRouter(route_class=PageRoute)


def _member(page: Page) -> Actor:
    actor = page.require_login()
    if actor.organization_id is None:
        raise Forbidden("a partner's own people enrol their company", rule="OPN-9")
    return actor


def _program(page: Page) -> MembershipProgram:
    return membership_program(page.application.programs)


def _draft(page: Page, actor: Actor) -> ApplicationView | None:
    """The company's enrolment draft, if one was saved (OPN-9)."""
    found = applications.list_applications(
        page.application.uow_factory(), actor, _program(page), status=ApplicationStatus.DRAFT
    )
    return next(
        (
            v
            for v in found
            if v.application.organization_id == actor.organization_id
            and v.application.kind is ApplicationKind.ENROLMENT
        ),
        None,
    )


@router.get("/enrol", name="enrol")
def enrol(page: PageDep) -> Response:
    actor = _member(page)
    draft = _draft(page, actor)
    if draft is not None:
        return page.redirect(f"/enrol/{draft.application.id}")
    return page.render("enrolment_start.html")


@router.post("/enrol", name="enrol_start")
def start(page: PageDep) -> Response:
    actor = _member(page)
    application = page.application
    assert actor.organization_id is not None
    view = applications.start_application(
        application.uow_factory(), actor, _program(page), application.clock, actor.organization_id
    )
    return page.redirect(f"/enrol/{view.application.id}")


def _step_page(
    page: Page,
    view: ApplicationView,
    step: Step | None,
    *,
    values: dict[str, object] | None = None,
    error: AllianceError | None = None,
) -> Response:
    terms = _program(page).terms
    application = view.application
    if step is None:
        return page.render("enrolment_review.html", {"view": view, "titles": enrolment_form.TITLES})
    shown = enrolment_form.inputs(step, terms)
    if values is None:
        values = enrolment_form.flatten(application.answers.get(step, {}))
    names = {field.name for field in shown}
    at = enrolment_form.input_name(error.field) if error else None
    return page.render(
        "enrolment_step.html",
        {
            "view": view,
            "step": step,
            "number": view.steps.index(step) + 1 if step in view.steps else 1,
            "titles": enrolment_form.TITLES,
            "inputs": shown,
            "values": values,
            "error": error,
            "error_at": at if at in names else None,
            "checked": enrolment_form.checked,
            "contact_count": len(enrolment_form.contact_rows(terms)),
        },
        status=422 if error else 200,
    )


@router.get("/enrol/{application_id}", name="enrol_step")
def show(page: PageDep, application_id: str, step: str = "") -> Response:
    """The step to answer: the one asked for if it is already open, else the next one."""
    actor = _member(page)
    view = applications.get_application(
        page.application.uow_factory(), actor, _program(page), ApplicationId(application_id)
    )
    if view.application.status is not ApplicationStatus.DRAFT:
        return page.render(
            "enrolment_done.html", {"application": view.application, "outcome": None}
        )
    wanted = next((s for s in view.steps if s.value == step), None)
    reachable = wanted is not None and (
        wanted in view.application.answers or wanted == view.next_step
    )
    return _step_page(page, view, wanted if reachable else view.next_step)


@router.post("/enrol/{application_id}/steps/{step}", name="enrol_save")
async def save(page: PageDep, application_id: str, step: str) -> Response:
    """OPN-9: save one step; a refusal is shown next to its field, nothing saved."""
    actor = _member(page)
    application = page.application
    program = _program(page)
    chosen = Step(step) if step in set(Step) else None
    if chosen is None:
        return page.redirect(f"/enrol/{application_id}")
    form = await page.request.form()
    shown = enrolment_form.inputs(chosen, program.terms)
    flat = {k: str(v) for k, v in form.items()}
    lists = {k: [str(v) for v in form.getlist(k)] for k in form}
    data = enrolment_form.read(shown, flat, lists)
    try:
        applications.save_step(
            application.uow_factory(),
            actor,
            program,
            application.clock,
            ApplicationId(application_id),
            chosen.value,
            data,
        )
    except AllianceError as refused:
        view = applications.get_application(
            application.uow_factory(), actor, program, ApplicationId(application_id)
        )
        values: dict[str, object] = {**flat}
        for field in shown:
            if field.kind == "checkboxes":
                values[field.name] = lists.get(field.name, [])
        return _step_page(page, view, chosen, values=values, error=refused)
    return page.redirect(f"/enrol/{application_id}")


@router.post("/enrol/{application_id}/submit", name="enrol_submit")
def submit(page: PageDep, application_id: str) -> Response:
    actor = _member(page)
    application = page.application
    outcome = applications.submit_application(
        application.uow_factory(),
        actor,
        _program(page),
        application.clock,
        ApplicationId(application_id),
    )
    return page.render(
        "enrolment_done.html", {"application": outcome.application, "outcome": outcome}
    )


# -- the company's applications, and the principal's approval of an associate (OPN-2) --


def _company_page(
    page: Page,
    organization_id: str,
    *,
    decided: ApplicationView | None = None,
    error: AllianceError | None = None,
    refused_id: str = "",
) -> Response:
    views = applications.list_applications(
        page.application.uow_factory(), page.actor, _program(page), limit=200
    )
    return page.render(
        "enrolment_company.html",
        {
            "organization_id": organization_id,
            "views": views,
            "decided": decided,
            "error": error,
            "refused_id": refused_id,
        },
        status=(error.status if error.status in (403, 409, 422) else 422) if error else 200,
    )


@router.get("/partners/{organization_id}/applications", name="company_applications")
def company_applications(page: PageDep, organization_id: str) -> Response:
    """The applications of the user's company (X-6: its own only)."""
    _member(page)
    return _company_page(page, organization_id)


@router.post(
    "/partners/{organization_id}/applications/{application_id}/decision",
    name="company_decide",
)
async def company_decide(page: PageDep, organization_id: str, application_id: str) -> Response:
    """OPN-2: a partner administrator of the principal approves or rejects an associate;
    anyone else is refused, the refusal shown on the application's row."""
    actor = _member(page)
    application = page.application
    form = await page.request.form()
    try:
        outcome = applications.decide_associate(
            application.uow_factory(),
            actor,
            _program(page),
            application.clock,
            ApplicationId(application_id),
            approved=form.get("decision") == "approve",
            note=str(form.get("note", ""))[:500],
        )
    except AllianceError as refused:
        if refused.rule == "X-6":
            raise
        return _company_page(page, organization_id, error=refused, refused_id=application_id)
    decided = applications.view_of(outcome.application, _program(page))
    return _company_page(page, organization_id, decided=decided)
