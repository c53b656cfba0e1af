"""Batch runs from the portal (issue 6): the monthly accrual of customer rewards (OSR-12)
and the expiry run (OSR-14), with the run's summary.

The run is synchronous: the page answers once the use case is done (a month of the demo
takes seconds). Both are idempotent (X-5): a rerun posts nothing new and says so.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import Response

from alliance.domain.calendar import Month
from alliance.domain.errors import AllianceError, InvalidInput
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.accrual import accrue
from alliance.services.rewards.expiry import expire
from alliance.web.pages import Page, PageDep, PageRoute
from alliance.web.vendor import require_vendor

router = APIRouter(route_class=PageRoute)


def _form(page: Page, **context: object) -> Response:
    today = page.application.clock.today()
    defaults = {
        "month": str(Month.containing(today).previous()),
        "as_of": today.isoformat(),
        "error": None,
        "error_field": None,
        "result": None,
    }
    status = 422 if context.get("error") else 200
    return page.render("vendor_batch.html", {**defaults, **context}, status=status)


@router.get("/vendor/batch", name="vendor_batch")
def batch(page: PageDep) -> Response:
    require_vendor(page)
    return _form(page)


@router.post("/vendor/batch/accrue", name="vendor_batch_accrue")
def run_accrual(page: PageDep, month: Annotated[str, Form()] = "") -> Response:
    actor = require_vendor(page)
    application = page.application
    try:
        report = accrue(
            application.uow_factory(),
            actor,
            Month.parse(month.strip(), "month"),
            program=reward_program(application.programs),
            data_dir=application.settings.data_dir,
            clock=application.clock,
        )
    except AllianceError as refused:
        if refused.field != "month":
            raise
        # OSR-12 (a month not ended) or a malformed month: shown next to the field
        return _form(page, month=month, error=refused, error_field="month")
    return _form(page, month=month, result=("accrual", report.summary))


@router.post("/vendor/batch/expire", name="vendor_batch_expire")
def run_expiry(page: PageDep, as_of: Annotated[str, Form()] = "") -> Response:
    actor = require_vendor(page)
    application = page.application
    try:
        day = date.fromisoformat(as_of.strip())
    except ValueError:
        refused = InvalidInput(
            f"a date is written YYYY-MM-DD, got {as_of!r}", field="as_of", rule="X-2"
        )
        return _form(page, as_of=as_of, error=refused, error_field="as_of")
    report = expire(application.uow_factory(), actor, day, clock=application.clock)
    return _form(page, as_of=as_of, result=("expiry", report.summary))
