"""Engagements to review (CCE-4, CCE-6), as the vendor's staff see them.

The list filters by status; an engagement's page shows its facts, the duplicate check's
verdict with its explanation (CCE-4: which engagement it matched and why), its history,
and one button per move its category's lifecycle allows from where it stands (CCE-6).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from starlette.responses import Response

from alliance.domain.engagements import Status
from alliance.services.engagements import lifecycle, queries, submissions
from alliance.services.engagements.program import EngagementProgram, engagement_program
from alliance.web import labels
from alliance.web.pages import Page, PageDep, PageRoute
from alliance.web.vendor import require_vendor

router = APIRouter(route_class=PageRoute)


def _program(page: Page) -> EngagementProgram:
    application = page.application
    return engagement_program(
        application.programs, attachments_dir=application.settings.attachments_dir
    )


@router.get("/vendor/engagements", name="vendor_engagements")
def list_engagements(
    page: PageDep,
    status: Annotated[str, Query(max_length=40)] = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    actor = require_vendor(page)
    chosen = Status(status) if status in set(Status) else None
    found = queries.list_engagements(
        page.application.uow_factory(), actor, status=chosen, limit=50, offset=offset
    )
    return page.render(
        "vendor_engagements.html",
        {"records": found, "status": chosen, "statuses": list(Status), "offset": offset},
    )


def _show(page: Page, engagement_id: str, notice: str | None = None) -> Response:
    found = queries.get_engagement(page.application.uow_factory(), page.actor, engagement_id)
    return page.render("vendor_engagement.html", {"detail": found, "notice": notice})


@router.get("/vendor/engagements/{engagement_id}", name="vendor_engagement")
def show_engagement(page: PageDep, engagement_id: str) -> Response:
    require_vendor(page)
    return _show(page, engagement_id)


@router.post("/vendor/engagements/{engagement_id}/move", name="vendor_engagement_move")
def move(
    page: PageDep, engagement_id: str, to: Annotated[str, Form(max_length=60)] = ""
) -> Response:
    """CCE-6: a move the lifecycle table does not hold is refused by the use case."""
    actor = require_vendor(page)
    application = page.application
    result = lifecycle.move_engagement(
        application.uow_factory(),
        actor,
        engagement_id,
        to,
        program=_program(page),
        clock=application.clock,
    )
    status = result.engagement.record.engagement.status
    moved = page.gettext("Moved to %(status)s.", status=page.gettext(labels.engagement[status]))
    return _show(page, engagement_id, moved)


@router.post("/vendor/engagements/{engagement_id}/duplicates", name="vendor_engagement_recheck")
def recheck(page: PageDep, engagement_id: str) -> Response:
    """CCE-4: check again for duplicates now; the verdict replaces the stored one."""
    actor = require_vendor(page)
    submissions.recheck_duplicates(
        page.application.uow_factory(),
        actor,
        engagement_id,
        program=_program(page),
        clock=page.application.clock,
    )
    return _show(page, engagement_id, page.gettext("Duplicates checked again."))
