"""Mount the portal on the FastAPI application (issue 6).

``install_portal(app, application)`` adds the pages at ``/`` (the API stays under
``/api/v1``) and the static files at ``/static``. The session cookie is signed with
the settings' secret key, read once here: a random one in development makes every
restart log everyone out, and production refuses to start without one.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from alliance.bootstrap import Application
from alliance.web.pages import Portal
from alliance.web.routes import (
    auth,
    credit_orders,
    customers,
    directory,
    engagements,
    enrolment,
    home,
    partners,
    standing,
    vendor_applications,
    vendor_audit,
    vendor_batch,
    vendor_engagements,
    vendor_evaluations,
    vendor_home,
    vendor_programs,
)
from alliance.web.sessions import SessionCodec

STATIC = Path(__file__).parent / "static"


def install_portal(app: FastAPI, application: Application) -> None:
    app.state.portal = Portal(
        application, SessionCodec(application.settings.effective_secret_key())
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        home,
        auth,
        partners,
        credit_orders,
        directory,
        customers,
        enrolment,
        engagements,
        vendor_home,
        vendor_applications,
        vendor_engagements,
        vendor_programs,
        vendor_audit,
        vendor_batch,
        standing,
        vendor_evaluations,
    ):
        app.include_router(module.router, include_in_schema=False)
