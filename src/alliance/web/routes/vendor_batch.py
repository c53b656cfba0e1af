"""Batch runs from the portal (issue 6): the monthly accrual of customer rewards (OSR-12)
and the expiry run (OSR-14), with the run's summary.

The accrual runs on a thread once its month is checked; its page follows the lots posted
(htmx polling, :mod:`alliance.web.batch_runs`) until the summary. The expiry run is
synchronous: the page answers with its summary. Both are idempotent (X-5): a rerun
posts nothing new and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import Response

from alliance.domain.calendar import Month
from alliance.domain.errors import AllianceError, InvalidInput, NotFound
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.access import require_operator
from alliance.services.rewards.accrual import MonthNotEnded, accrue
from alliance.services.rewards.expiry import expire
from alliance.web.batch_runs import BOARD, RunState
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
    """OSR-12: checked here (who, which month), then run on a thread and followed."""
    actor = require_vendor(page)
    require_operator(actor)
    application = page.application
    try:
        chosen = Month.parse(month.strip(), "month")
        if chosen >= Month.containing(application.clock.today()):
            raise MonthNotEnded(chosen)
    except AllianceError as refused:  # shown next to the month field
        return _form(page, month=month, error=refused, error_field="month")
    program = reward_program(application.programs)

    def work(progress: Callable[[int, int], None]) -> str:
        return accrue(
            application.uow_factory(),
            actor,
            chosen,
            program=program,
            data_dir=application.settings.data_dir,
            clock=application.clock,
            progress=progress,
        ).summary

    run = BOARD.start("accrual", str(chosen), application.clock.now(), work)
    return page.redirect(f"/vendor/batch/runs/{run.id}")


def _run(run_id: str) -> RunState:
    found = BOARD.get(run_id)
    if found is None:
        raise NotFound(f"no run {run_id} (runs are kept until a restart)", field="run_id")
    return found


@router.get("/vendor/batch/runs/{run_id}", name="vendor_batch_run")
def show_run(page: PageDep, run_id: str) -> Response:
    require_vendor(page)
    return page.render("vendor_batch_run.html", {"run": _run(run_id)})


@router.get("/vendor/batch/runs/{run_id}/progress", name="vendor_batch_progress")
def run_progress(page: PageDep, run_id: str) -> Response:
    """The run's progress as a fragment, polled by htmx until the summary is there."""
    require_vendor(page)
    return page.render("_vendor_batch_progress.html", {"run": _run(run_id)})


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
