"""Program definitions, readable by anyone: they are the published rules, not member data."""

from __future__ import annotations

from fastapi import APIRouter, Response

from alliance.api.dependencies import AppDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.programs import ProgramDetail, ProgramSummary

router = APIRouter(prefix="/programs", tags=["programs"])


@router.get("", response_model=list[ProgramSummary])
def list_programs(application: AppDep) -> list[ProgramSummary]:
    """Every program this Alliance runs, built-in or the vendor's, by code."""
    return [ProgramSummary.of(program) for program in application.programs.list()]


@router.get("/{code}", response_model=ProgramDetail, responses=error_responses(404))
def get_program(code: str, application: AppDep) -> Response:
    """One program with its whole definition (levels, metrics, wallets, workflows…)."""
    detail = ProgramDetail.of(application.programs.entry(code))
    # Serialised as is: the definition was validated when it was loaded.
    return Response(detail.model_dump_json(), media_type="application/json")
