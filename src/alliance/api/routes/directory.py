"""The public partner directory: ``GET /directory?name=&country=&designation=&status=``
(MCPP-6, X-6).

No login: anyone — and a partner's people alike — sees the same public view: names,
countries, membership levels and statuses, the earned designations, statuses and tiers
held. Never a score: the response model has no field that could carry one.
``designation`` is a level id (``l2``) or an earned designation (``mcpp:security``);
``status`` a public membership status (``active``) or an earned status or tier
(``oip:business``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from alliance.api.dependencies import AppDep, UowDep
from alliance.api.schemas.directory import DirectoryChoice, DirectoryEntryOut, DirectoryPage
from alliance.api.schemas.errors import error_responses
from alliance.services.directory import (
    MAX_RESULTS,
    PUBLIC_STATUSES,
    DirectoryQuery,
    designations,
    earned_programs,
    earned_statuses,
    search_directory,
)
from alliance.services.membership_terms import membership_program

router = APIRouter(prefix="/directory", tags=["public directory"])


@router.get("", response_model=DirectoryPage, responses=error_responses(422))
def directory(
    uow: UowDep,
    application: AppDep,
    name: Annotated[str, Query(max_length=200)] = "",
    country: Annotated[str, Query(max_length=2, examples=["FR"])] = "",
    designation: Annotated[str, Query(max_length=80, examples=["mcpp:security"])] = "",
    status: Annotated[str, Query(max_length=80, examples=["oip:business"])] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = 50,
) -> DirectoryPage:
    """MCPP-6: partners matching every criterion, with what they hold — never a score."""
    program = membership_program(application.programs)
    earned = earned_programs(application.programs)
    query = DirectoryQuery(
        name=name, country=country, designation=designation, status=status, limit=limit
    )
    entries = search_directory(uow, program, query, earned)
    statuses = [(s.value, s.value.capitalize()) for s in PUBLIC_STATUSES]
    return DirectoryPage(
        partners=[DirectoryEntryOut.of(e) for e in entries],
        designations=[DirectoryChoice(id=i, name=n) for i, n in designations(program, earned)],
        statuses=[DirectoryChoice(id=i, name=n) for i, n in [*statuses, *earned_statuses(earned)]],
    )
