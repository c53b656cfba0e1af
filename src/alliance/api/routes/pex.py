"""PEX (SPEC §2): enrolments, points runs and statements, proof-of-concept budgets,
tranche margins.

* ``POST /pex/enrolments`` — partner type and modules (PEX-2, PEX-7); the vendor's.
* ``POST /pex/points/runs`` ``{month}`` — post a month's points to the ledger (PEX-3,
  PEX-4, PEX-6); a rerun posts nothing new (X-5); program admins and finance staff.
* ``GET /pex/partners/{id}/points?on=`` — wallet, tier (PEX-6) and budgets.
* ``POST /pex/partners/{id}/poc-budgets`` — hold points for a proof-of-concept budget
  (PEX-4): 201, or 200 when the same ``budget_ref`` was asked before (X-5).
* ``POST /pex/poc-budgets/{id}/decision`` ``{approve}`` — capture or release the hold.
* ``GET /pex/partners/{id}/margins?year=`` — the Resell tranche margin (PEX-5).
* ``GET /pex/availability?partner_type=&on=`` — whether a type may join on a day (PEX-7).

A partner's people read and ask for their own organisation only (403, X-6).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.pex import (
    AvailabilityPublic,
    BudgetCreate,
    BudgetDecision,
    BudgetResultPublic,
    EnrolmentCreate,
    EnrolmentPublic,
    MarginPublic,
    PointsRunCreate,
    PointsRunPublic,
    PointsStatementPublic,
)
from alliance.domain.calendar import Month, Period
from alliance.services.modular_tier_terms import modular_tier_program
from alliance.services.modular_tiers.budgets import (
    decide_budget,
    points_statement,
    request_budget,
)
from alliance.services.modular_tiers.enrolment import enrol, partner_availability
from alliance.services.modular_tiers.margins import margin_statement
from alliance.services.modular_tiers.points import post_points

router = APIRouter(prefix="/pex", tags=["pex"])
Program = Annotated[str, Query(max_length=40)]


@router.post(
    "/enrolments",
    response_model=EnrolmentPublic,
    responses=error_responses(401, 403, 422),
)
def create_enrolment(
    body: EnrolmentCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> EnrolmentPublic:
    """Enrol a partner with its type and modules, or change its modules (PEX-2, PEX-7)."""
    result = enrol(
        uow,
        actor,
        body.partner_id,
        body.partner_type,
        body.modules,
        on=body.on or application.clock.today(),
        program=modular_tier_program(application.programs, body.program),
        clock=application.clock,
    )
    return EnrolmentPublic.of(result)


@router.post(
    "/points/runs", response_model=PointsRunPublic, responses=error_responses(401, 403, 422)
)
def run_points(
    body: PointsRunCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> PointsRunPublic:
    """Post a month's points to the ledger; a rerun posts nothing new (X-5)."""
    run = post_points(
        uow,
        actor,
        Month.parse(body.month),
        program=modular_tier_program(application.programs, body.program),
        clock=application.clock,
    )
    return PointsRunPublic.of(run)


@router.get(
    "/partners/{partner_id}/points",
    response_model=PointsStatementPublic,
    responses=error_responses(401, 403),
)
def get_points(
    partner_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    on: Annotated[date | None, Query(description="The day; default today.")] = None,
    program: Program = "pex",
) -> PointsStatementPublic:
    """The points wallet, the tier its points give (PEX-6) and the budget requests."""
    found = points_statement(
        uow,
        actor,
        partner_id,
        on=on or application.clock.today(),
        program=modular_tier_program(application.programs, program),
    )
    return PointsStatementPublic.of(found)


@router.post(
    "/partners/{partner_id}/poc-budgets",
    response_model=BudgetResultPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 409, 422),
)
def create_budget(
    partner_id: str,
    body: BudgetCreate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    response: Response,
) -> BudgetResultPublic:
    """Hold points for a proof-of-concept budget (PEX-4)."""
    result = request_budget(
        uow,
        actor,
        partner_id,
        Decimal(body.points),
        body.budget_ref,
        description=body.description,
        program=modular_tier_program(application.programs, body.program),
        clock=application.clock,
    )
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    return BudgetResultPublic.of(result)


@router.post(
    "/poc-budgets/{request_id}/decision",
    response_model=BudgetResultPublic,
    responses=error_responses(401, 403, 404, 409),
)
def decide(
    request_id: str,
    body: BudgetDecision,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
) -> BudgetResultPublic:
    """Approve (spend the held points) or reject (give them back) a budget request."""
    result = decide_budget(
        uow,
        actor,
        request_id,
        approve=body.approve,
        program=modular_tier_program(application.programs, body.program),
        clock=application.clock,
    )
    return BudgetResultPublic.of(result)


@router.get(
    "/partners/{partner_id}/margins",
    response_model=MarginPublic,
    responses=error_responses(401, 403, 422),
)
def get_margin(
    partner_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    year: Annotated[str, Query(pattern=r"^\d{4}$", examples=["2025"])],
    program: Program = "pex",
) -> MarginPublic:
    """The Resell margin per 25,000 USD tranche on the year's licence bookings (PEX-5)."""
    found = margin_statement(
        uow,
        actor,
        partner_id,
        Period.parse(year, field="year"),
        program=modular_tier_program(application.programs, program),
    )
    return MarginPublic.of(found)


@router.get("/availability", response_model=AvailabilityPublic, responses=error_responses(422))
def get_availability(
    application: AppDep,
    partner_type: Annotated[str, Query(max_length=40, examples=["cloud_service_provider"])],
    on: Annotated[date | None, Query(description="The day; default today.")] = None,
    program: Program = "pex",
) -> AvailabilityPublic:
    """Whether a partner type may join the program on a day (PEX-7); public."""
    found = partner_availability(
        partner_type,
        on or application.clock.today(),
        program=modular_tier_program(application.programs, program),
    )
    return AvailabilityPublic.of(found)
