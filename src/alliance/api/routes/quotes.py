"""Quotes (OIP-7, OIP-8): ``POST /quotes`` prices a partner's basket with the promotions
it may use and says why each other one does not apply.

A partner's people quote for their own organisation only (403 otherwise, X-6); vendor
staff for any member. Nothing is written: the same request gives the same answer.
"""

from __future__ import annotations

from fastapi import APIRouter

from alliance.api.dependencies import AppDep, RequireActor, UowDep
from alliance.api.schemas.errors import error_responses
from alliance.api.schemas.quotes import QuoteCreate, QuotePublic
from alliance.services.quotes.pricing import quote
from alliance.services.status_terms import status_program

router = APIRouter(tags=["quotes"])


@router.post("/quotes", response_model=QuotePublic, responses=error_responses(401, 403, 404, 422))
def create_quote(
    body: QuoteCreate, actor: RequireActor, uow: UowDep, application: AppDep
) -> QuotePublic:
    """Every price of the basket with the promotions applied, and why or why not."""
    found = quote(
        uow,
        actor,
        body.partner_id,
        body.basket(),
        on=body.on or application.clock.today(),
        program=status_program(application.programs, body.program),
    )
    return QuotePublic.of(found)
