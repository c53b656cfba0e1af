"""A partner's engagement pages (CCE-1…CCE-4): submit an engagement, see it with the
duplicate check's verdict, and manage who uses the tool.

* The form names every missing required field at once, each next to its input
  (CCE-3, X-7), with an error summary linking to them; nothing is saved on refusal.
* A submitted engagement shows its status and the duplicate check explained (CCE-4;
  another partner's engagement is never named, only "an existing engagement").
* The tool's users: the partner's administrators add people; the 11th active user is
  refused naming CCE-1, shown next to the choice of person.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId, PersonId
from alliance.services.engagements import forms, queries, submissions, users
from alliance.services.engagements.program import EngagementProgram, engagement_program
from alliance.services.people import list_people
from alliance.web import engagement_form
from alliance.web.pages import Page, PageDep, PageRoute

router = APIRouter(route_class=PageRoute)


def _program(page: Page) -> EngagementProgram:
    application = page.application
    return engagement_program(
        application.programs, attachments_dir=application.settings.attachments_dir
    )


def _form_page(
    page: Page,
    organization_id: str,
    values: dict[str, str],
    error: AllianceError | None = None,
) -> Response:
    problems = engagement_form.problems_by_input(error) if error else {}
    return page.render(
        "engagement_form.html",
        {
            "organization_id": organization_id,
            "values": values,
            "error": error,
            "problems": problems,
            "dom_id": engagement_form.dom_id,
            "groups": engagement_form.GROUPS,
        },
        status=422 if error else 200,
    )


@router.get("/partners/{organization_id}/engagements/new", name="engagement_new")
def new_engagement(page: PageDep, organization_id: str, category: str = "") -> Response:
    page.require_login()
    return _form_page(page, organization_id, {"category": category})


@router.post("/partners/{organization_id}/engagements", name="engagement_submit")
async def submit_engagement(page: PageDep, organization_id: str) -> Response:
    """CCE-3: every missing field named next to its input; CCE-4 checked on success."""
    actor = page.require_login()
    posted = await page.request.form()
    values = {k: str(v) for k, v in posted.items() if k != "csrf_token"}
    try:
        record = submissions.submit(
            page.application.uow_factory(),
            actor,
            forms.read_form(engagement_form.read(values)),
            program=_program(page),
            clock=page.application.clock,
        )
    except AllianceError as refused:
        if refused.status in (401, 403, 404):
            raise
        return _form_page(page, organization_id, values, refused)
    engagement_id = record.record.engagement.id
    return page.redirect(f"/partners/{organization_id}/engagements/{engagement_id}")


@router.get("/partners/{organization_id}/engagements/{engagement_id}", name="engagement_show")
def show_engagement(page: PageDep, organization_id: str, engagement_id: str) -> Response:
    actor = page.require_login()
    found = queries.get_engagement(page.application.uow_factory(), actor, engagement_id)
    return page.render(
        "engagement_detail.html", {"organization_id": organization_id, "detail": found}
    )


def _users_page(
    page: Page,
    organization_id: str,
    error: AllianceError | None = None,
    added: str = "",
    deactivated: str = "",
) -> Response:
    actor = page.actor
    org = OrganizationId(organization_id)
    found = users.list_users(page.application.uow_factory(), actor, org, program=_program(page))
    active = {u.person_id for u in found.users if u.active}
    people = [
        p for p in list_people(page.application.uow_factory(), actor, org) if p.id not in active
    ]
    return page.render(
        "engagement_users.html",
        {
            "organization_id": organization_id,
            "found": found,
            "people": people,
            "error": error,
            "added": added,
            "deactivated": deactivated,
        },
        status=422 if error else 200,
    )


@router.get("/partners/{organization_id}/engagement-users", name="engagement_users")
def tool_users(page: PageDep, organization_id: str) -> Response:
    page.require_login()
    return _users_page(page, organization_id)


@router.post("/partners/{organization_id}/engagement-users", name="engagement_user_add")
async def add_tool_user(page: PageDep, organization_id: str) -> Response:
    """CCE-1: the 11th active user is refused, next to the choice of person."""
    actor = page.require_login()
    posted = await page.request.form()
    person = str(posted.get("person_id", ""))
    try:
        view = users.add_user(
            page.application.uow_factory(),
            actor,
            PersonId(person),
            program=_program(page),
            clock=page.application.clock,
        )
    except AllianceError as refused:
        if refused.status in (401, 404) or refused.rule == "X-6":
            raise
        return _users_page(page, organization_id, refused)
    return _users_page(page, organization_id, added=view.name)


@router.post(
    "/partners/{organization_id}/engagement-users/{person_id}/deactivate",
    name="engagement_user_deactivate",
)
def deactivate_tool_user(page: PageDep, organization_id: str, person_id: str) -> Response:
    """CCE-1: an administrator deactivates a user, which frees a place."""
    actor = page.require_login()
    view = users.deactivate_user(
        page.application.uow_factory(), actor, PersonId(person_id), clock=page.application.clock
    )
    return _users_page(page, organization_id, deactivated=view.name)
