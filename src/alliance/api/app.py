"""The FastAPI application factory: ``create_app(bootstrap(...))``.

Nothing is built at import time; ``alliance serve`` (or a test) bootstraps an
:class:`~alliance.bootstrap.Application` and hands it here. The REST API lives under
``/api/v1``; the OpenAPI document is at ``/openapi.json`` and its reader at ``/docs``.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from alliance import __version__
from alliance.api.errors import install_error_handlers
from alliance.api.routes import (
    auth,
    credits,
    directory,
    engagements,
    evaluations,
    facts,
    health,
    memberships,
    oip,
    organizations,
    pex,
    programs,
    quotes,
    rewards,
    standing,
)
from alliance.bootstrap import Application
from alliance.web.app import install_portal

API_PREFIX = "/api/v1"

DESCRIPTION = """\
An engine for partner programs and customer reward programs.

Authenticate with `POST /api/v1/auth/tokens` (e-mail and password) and send the token
as `Authorization: Bearer alk_…`. Every error answers in one shape:
`{"error": {"code", "message", "field", "rule", "problems"}}`, where `rule` cites the
rule of the specification that refused the request (`OPN-1`, `X-7`…).
"""


def create_app(application: Application) -> FastAPI:
    app = FastAPI(
        title="Alliance",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.application = application
    install_error_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (
        health,
        programs,
        auth,
        organizations,
        rewards,
        credits,
        engagements,
        memberships,
        quotes,
        facts,
        pex,
        oip,
        standing,
        directory,
        evaluations,
    ):
        api.include_router(module.router)
    app.include_router(api)
    install_portal(app, application)  # the web portal at / (issue 6)
    return app
