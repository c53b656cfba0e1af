"""Bearer tokens: log in for one (shown once), revoke one; and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.auth import MePublic, TokenCreate, TokenIssued
from alliance.api.schemas.errors import error_responses
from alliance.services import auth

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/tokens",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 422),
)
def issue_token(
    body: TokenCreate, uow: UowDep, application: AppDep, response: Response
) -> TokenIssued:
    """Exchange e-mail and password for an API token. The token is shown this once."""
    issued = auth.issue_token(uow, body.to_command(), application.clock, application.passwords)
    response.headers["Cache-Control"] = "no-store"
    return TokenIssued.of(issued)


@router.delete(
    "/auth/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
)
def revoke_token(token_id: str, actor: RequireActor, uow: UowDep, application: AppDep) -> Response:
    """Revoke a token (yours, or one of an account you manage); it is refused from now on."""
    auth.revoke_token(uow, actor, token_id, application.clock)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=MePublic, responses=error_responses(401))
def me(actor: RequireActor, uow: UowDep) -> MePublic:
    return MePublic.of(auth.profile(uow, actor))
