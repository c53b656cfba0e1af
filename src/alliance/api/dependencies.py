"""What a route may ask for: the application, a unit of work, and the actor.

``CurrentActor`` reads ``Authorization: Bearer alk_…`` and is anonymous when the header
is absent; a header that is present but not a valid bearer token is refused (401).
``RequireActor`` refuses the anonymous too. Authorisation beyond "who is it" is the
use cases' business (``alliance.domain.access``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from alliance.bootstrap import Application
from alliance.domain.access import Actor, require_authenticated
from alliance.domain.errors import NotAuthenticated
from alliance.services.auth import resolve_token
from alliance.services.ports import UnitOfWork

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiToken",
    description="An API token from POST /api/v1/auth/tokens, sent as 'Bearer alk_…'.",
)


def get_application(request: Request) -> Application:
    application: Application = request.app.state.application
    return application


AppDep = Annotated[Application, Depends(get_application)]


def get_uow(application: AppDep) -> UnitOfWork:
    return application.uow_factory()


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def get_actor(
    request: Request,
    application: AppDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None:
        if request.headers.get("Authorization") is not None:
            raise NotAuthenticated("send the token as 'Authorization: Bearer alk_…'")
        return Actor.anonymous()
    return resolve_token(application.uow_factory(), credentials.credentials)


CurrentActor = Annotated[Actor, Depends(get_actor)]


def require_actor(actor: CurrentActor) -> Actor:
    require_authenticated(actor)
    return actor


RequireActor = Annotated[Actor, Depends(require_actor)]
