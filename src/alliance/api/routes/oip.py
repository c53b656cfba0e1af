"""OIP (SPEC §4) beyond the status: duties with compliance (OIP-5), benefits (OIP-6),
Ambassador commissions (OIP-1) and the semiannual back-margin (OIP-7).

* ``GET /oip/members/{id}/duties?on=`` — the status held, its duties with what is done,
  the compliance and the benefits;
* ``PUT /oip/members/{id}/duties/{item_key}`` ``{done}`` and ``PUT /oip/members/{id}/profile``
  ``{product_lines, flags}`` — the vendor's channel staff record progress;
* ``GET /oip/members/{id}/commissions?month=`` and ``/back-margin?semester=&on=``.

A member's people read their own organisation only (403, X-6).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.oip import (
    DutiesPublic,
    DutyRecord,
    PayoutPublic,
    ProfilePublic,
    ProfileUpdate,
)
from alliance.domain.calendar import Month, Period
from alliance.services.status_incentives.commissions import (
    back_margin_statement,
    commission_statement,
)
from alliance.services.status_incentives.duties import duties_report, record_duty, set_profile
from alliance.services.status_terms import status_program

router = APIRouter(prefix="/oip", tags=["oip"])
Program = Annotated[str, Query(max_length=40)]
On = Annotated[date | None, Query(description="The day; default today.")]


@router.get(
    "/members/{partner_id}/duties",
    response_model=DutiesPublic,
    responses=error_responses(401, 403, 404),
)
def get_duties(
    partner_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    on: On = None,
    program: Program = "oip",
) -> DutiesPublic:
    """The duties of the status held, with compliance, and its benefits (OIP-5, OIP-6)."""
    report = duties_report(
        uow,
        actor,
        partner_id,
        on=on or application.clock.today(),
        program=status_program(application.programs, program),
    )
    return DutiesPublic.of(report)


@router.put(
    "/members/{partner_id}/duties/{item_key}",
    response_model=DutiesPublic,
    responses=error_responses(401, 403, 404, 422),
)
def put_duty(
    partner_id: str,
    item_key: str,
    body: DutyRecord,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> DutiesPublic:
    """Record how many of one duty item the member has done (OIP-5)."""
    report = record_duty(
        uow,
        actor,
        partner_id,
        item_key,
        body.done,
        on=body.on or application.clock.today(),
        program=status_program(application.programs, body.program),
        clock=application.clock,
    )
    return DutiesPublic.of(report)


@router.put(
    "/members/{partner_id}/profile",
    response_model=ProfilePublic,
    responses=error_responses(401, 403, 422),
)
def put_profile(
    partner_id: str,
    body: ProfileUpdate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> ProfilePublic:
    """The product lines the member sells and its flags (OIP-5)."""
    profile = set_profile(
        uow,
        actor,
        partner_id,
        body.product_lines,
        body.flags,
        program=status_program(application.programs, body.program),
        clock=application.clock,
    )
    return ProfilePublic.of(profile)


@router.get(
    "/members/{partner_id}/commissions",
    response_model=PayoutPublic,
    responses=error_responses(401, 403, 404, 422),
)
def get_commission(
    partner_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-04"])],
    program: Program = "oip",
) -> PayoutPublic:
    """An Ambassador's commission on every service billed in the month (OIP-1)."""
    payout = commission_statement(
        uow,
        actor,
        partner_id,
        Month.parse(month),
        program=status_program(application.programs, program),
    )
    return PayoutPublic.of(payout)


@router.get(
    "/members/{partner_id}/back-margin",
    response_model=PayoutPublic,
    responses=error_responses(401, 403, 404, 422),
)
def get_back_margin(
    partner_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    semester: Annotated[str, Query(pattern=r"^\d{4}-S[12]$", examples=["2026-S1"])],
    on: On = None,
    program: Program = "oip",
) -> PayoutPublic:
    """A Premium operator's back-margin on the semester's VoIP revenue (OIP-7)."""
    payout = back_margin_statement(
        uow,
        actor,
        partner_id,
        Period.parse(semester, field="semester"),
        on=on or application.clock.today(),
        program=status_program(application.programs, program),
    )
    return PayoutPublic.of(payout)
