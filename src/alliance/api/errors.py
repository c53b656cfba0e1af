"""Every error answers in one shape, without a stack trace (X-7).

``{"error": {"code", "message", "field", "rule", "problems"}}`` with the status of the
error: an :class:`AllianceError` brings its own; a request that does not match its
schema is a 422 naming the field (``body.country``) and rule X-7; an unknown path is a
404; anything unexpected is a 500 that says nothing about the code.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from alliance.domain.errors import AllianceError, NotAuthenticated, Problem

logger = logging.getLogger(__name__)

VALIDATION_RULE = "X-7"


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    rule: str | None = None,
    problems: Sequence[Problem] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {
        "error": {
            "code": code,
            "message": message,
            "field": field,
            "rule": rule,
            "problems": [
                {"message": p.message, "field": p.field, "rule": p.rule, "location": p.location}
                for p in problems
            ],
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _location(loc: Sequence[int | str]) -> str:
    """``("body", "country")`` → ``"body.country"``; list indexes become ``[2]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validation_problems(errors: Sequence[Any]) -> list[Problem]:
    """pydantic's error list as problems naming each field and rule X-7."""
    return [
        Problem(
            message=str(error.get("msg", "invalid")),
            field=_location(error.get("loc", ())) or None,
            rule=VALIDATION_RULE,
        )
        for error in errors
    ]


# Starlette types every handler as taking ``Exception``; each is registered for one class.


async def on_alliance_error(request: Request, exc: Exception) -> JSONResponse:
    error = cast(AllianceError, exc)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, NotAuthenticated) else None
    return error_response(
        error.status,
        error.code,
        error.message,
        field=error.field,
        rule=error.rule,
        problems=error.problems,
        headers=headers,
    )


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    problems = validation_problems(cast(RequestValidationError, exc).errors())
    first = problems[0] if problems else Problem("the request is not valid")
    message = f"{first.field}: {first.message}" if first.field else first.message
    if len(problems) > 1:
        message = f"{message} (and {len(problems) - 1} more problem(s))"
    return error_response(
        422,
        "invalid_input",
        message,
        field=first.field,
        rule=VALIDATION_RULE,
        problems=problems,
    )


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    error = cast(StarletteHTTPException, exc)
    code = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated"}.get(
        error.status_code, "http_error"
    )
    message = error.detail if isinstance(error.detail, str) else "the request was refused"
    return error_response(error.status_code, code, message, headers=error.headers)


async def on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "something went wrong on our side")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AllianceError, on_alliance_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
