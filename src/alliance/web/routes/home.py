"""The start page, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import Response

from alliance.domain.access import ActorKind
from alliance.domain.people import PartnerRole
from alliance.web.i18n import LOCALE_COOKIE, LOCALES
from alliance.web.pages import PageDep, PageRoute, safe_next

router = APIRouter(route_class=PageRoute)
LOCALE_MAX_AGE = 365 * 24 * 60 * 60


@router.get("/", name="home")
def home(page: PageDep) -> Response:
    """A partner's people land on their dashboard; everyone else on the start page."""
    actor = page.actor
    partner_roles = set(actor.partner_roles) - {PartnerRole.CUSTOMER_CONTACT}
    if actor.kind is ActorKind.MEMBER and actor.organization_id and partner_roles:
        return page.redirect(f"/partners/{actor.organization_id}")
    return page.render("home.html")


@router.post("/locale", name="set_locale")
def set_locale(
    page: PageDep, locale: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"
) -> Response:
    response = page.redirect(safe_next(next))
    if locale in LOCALES:
        response.set_cookie(
            LOCALE_COOKIE,
            locale,
            max_age=LOCALE_MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=page.request.url.scheme == "https",
        )
    return response
