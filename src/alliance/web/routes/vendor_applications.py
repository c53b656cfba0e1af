"""Applications and associate approvals, as the vendor's staff see them (OPN-2, OPN-9).

Staff list every application by status and open one to read its answers. An associate's
application waits for a partner administrator of its principal (OPN-2); staff record
that administrator's decision naming them (``by``), as the API's approve/reject do.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from starlette.responses import Response

from alliance.domain.ids import PersonId
from alliance.domain.membership import ApplicationId, ApplicationStatus
from alliance.domain.people import PartnerRole, Person
from alliance.services.membership_terms import membership_program
from alliance.services.memberships import applications
from alliance.services.memberships.applications import ApplicationView
from alliance.services.memberships.views import get_membership
from alliance.services.people import list_people
from alliance.web.enrolment_form import flatten
from alliance.web.pages import Page, PageDep, PageRoute
from alliance.web.vendor import require_vendor

router = APIRouter(route_class=PageRoute)


def _approvers(page: Page, view: ApplicationView) -> list[Person]:
    """The principal's partner administrators, who may decide (OPN-2)."""
    subscription = view.application.principal_subscription
    if subscription is None or view.application.status is not ApplicationStatus.PENDING_APPROVAL:
        return []
    application = page.application
    principal = get_membership(
        application.uow_factory(),
        page.actor,
        membership_program(application.programs),
        application.clock,
        subscription,
    ).membership
    people = list_people(application.uow_factory(), page.actor, principal.organization_id)
    return [p for p in people if PartnerRole.PARTNER_ADMINISTRATOR in p.partner_roles]


@router.get("/vendor/applications", name="vendor_applications")
def list_applications(page: PageDep, status: Annotated[str, Query(max_length=40)] = "") -> Response:
    actor = require_vendor(page)
    chosen = ApplicationStatus(status) if status in set(ApplicationStatus) else None
    found = applications.list_applications(
        page.application.uow_factory(),
        actor,
        membership_program(page.application.programs),
        status=chosen,
        limit=200,
    )
    return page.render(
        "vendor_applications.html",
        {"views": found, "status": chosen, "statuses": list(ApplicationStatus)},
    )


def _show(page: Page, application_id: str, **context: object) -> Response:
    view = applications.get_application(
        page.application.uow_factory(),
        page.actor,
        membership_program(page.application.programs),
        ApplicationId(application_id),
    )
    return page.render(
        "vendor_application.html",
        {
            "view": view,
            "approvers": _approvers(page, view),
            "done": None,
            "flatten": flatten,
            **context,
        },
    )


@router.get("/vendor/applications/{application_id}", name="vendor_application")
def show_application(page: PageDep, application_id: str) -> Response:
    require_vendor(page)
    return _show(page, application_id)


@router.post("/vendor/applications/{application_id}/decision", name="vendor_decide")
def decide(
    page: PageDep,
    application_id: str,
    decision: Annotated[str, Form()] = "",
    by: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """OPN-2: the principal's administrator approves or rejects; staff record it."""
    actor = require_vendor(page)
    application = page.application
    outcome = applications.decide_associate(
        application.uow_factory(),
        actor,
        membership_program(application.programs),
        application.clock,
        ApplicationId(application_id),
        approved=decision == "approve",
        by=PersonId(by) if by else None,
        note=note,
    )
    return _show(page, application_id, done=outcome)
