"""A partner's dashboard: ``GET /partners/{organization_id}/standing?on=`` (MCPP-5, X-3).

Per program with earned tiers (MCPP areas, OIP status, PEX tier) the latest outcome —
result, score, the date it holds until — with its explanation: reasons with rule ids,
the gap to the next threshold and the cheapest steps to close it. Only the partner's
own people, the administrators of an organisation above it, and vendor staff see it;
anyone else gets the 404 of an id that does not exist (X-6; see
:mod:`alliance.services.dashboard`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.standing import PartnerStandingOut
from alliance.services.dashboard import partner_standing

router = APIRouter(prefix="/partners", tags=["partner dashboard"])


@router.get(
    "/{organization_id}/standing",
    response_model=PartnerStandingOut,
    responses=error_responses(401, 404, 422),
)
def standing(
    organization_id: str,
    actor: RequireActor,
    uow: UowDep,
    application: AppDep,
    on: Annotated[
        date | None, Query(description="The latest runs on or before this day; default all.")
    ] = None,
) -> PartnerStandingOut:
    """MCPP-5, X-3: where the partner stands in every earned-tier program, and why."""
    result = partner_standing(
        uow, actor, application.programs, organization_id, on, clock=application.clock
    )
    return PartnerStandingOut.of(result)
