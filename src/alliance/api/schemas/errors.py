"""The one shape every error answer takes (X-7), for the OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProblemPublic(BaseModel):
    message: str
    field: str | None = None
    rule: str | None = None
    location: str | None = None


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable and machine-readable: 'not_found', 'invalid_input'…")
    message: str
    field: str | None = Field(default=None, description="The input at fault: 'body.country'.")
    rule: str | None = Field(default=None, description="The rule refused: 'OPN-1', 'X-7'.")
    problems: list[ProblemPublic] = Field(default_factory=list)


class ErrorBody(BaseModel):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses=`` entries documenting error answers in the shape above."""
    return {status: {"model": ErrorBody} for status in statuses}
