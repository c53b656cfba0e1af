"""Evaluations and what-if simulations of earned tiers (issue 5), for vendor staff.

* ``POST /evaluations`` evaluates a program on a day against the stored facts and saves
  every partner's outcomes with the definition version (X-3); it runs synchronously for
  now and answers with the run's summary — 201 when outcomes were written, 200 when the
  same outcomes were stored already (X-5).
* ``POST /simulations`` evaluates a changed definition (its YAML text) against the same
  facts without saving anything, and answers with who would gain or lose which
  designation, status or tier, and the cost change of the incentives. An invalid
  definition is a 422 listing every problem with its line (``definition.yaml:298``).

Both need the ``manage_programs`` permission (a program administrator; 403 otherwise).
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.evaluations import (
    EvaluationCreate,
    EvaluationPublic,
    SimulationCreate,
    SimulationPublic,
)
from alliance.domain.access import Permission, require_everywhere
from alliance.programs.loader import LoadedProgram, content_hash, parse_program
from alliance.services.evaluation.runs import evaluate, simulate

router = APIRouter(tags=["evaluations"])

DEFINITION_NAME = "definition.yaml"


@router.post(
    "/evaluations",
    response_model=EvaluationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)
def create_evaluation(
    body: EvaluationCreate,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    response: Response,
) -> EvaluationPublic:
    """Evaluate ``program`` on ``as_of`` for every partner and save the outcomes."""
    summary = evaluate(
        uow, actor, application.programs, body.program, body.as_of, clock=application.clock
    )
    if not summary.written:
        response.status_code = status.HTTP_200_OK
    return EvaluationPublic.of(summary)


@router.post(
    "/simulations",
    response_model=SimulationPublic,
    responses=error_responses(401, 403, 404, 422),
)
def create_simulation(
    body: SimulationCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> SimulationPublic:
    """What if ``program`` had the changed ``definition`` on ``as_of``: the movers and the
    cost change; nothing is saved."""
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)  # before parsing the definition
    content = body.definition.encode("utf-8")
    changed = LoadedProgram(
        parse_program(content, DEFINITION_NAME), DEFINITION_NAME, content_hash(content), "api"
    )
    result = simulate(uow, actor, application.programs, body.program, changed, body.as_of)
    return SimulationPublic.of(result)
