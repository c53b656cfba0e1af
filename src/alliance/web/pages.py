"""What every portal page handler gets: the request's session, locale, actor, and ways
to answer (a rendered template, a redirect) that send the session cookie when it
changed. :class:`PageRoute` turns refusals into pages: an anonymous visitor is sent
to the login page, a use case's error is shown with its status (404, 403, 422…), and
a POST without the CSRF token is refused with 403.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from alliance.bootstrap import Application
from alliance.domain.access import Actor, ActorKind
from alliance.domain.errors import AllianceError, NotAuthenticated
from alliance.services.portal_sessions import session_actor
from alliance.web import formatting, labels
from alliance.web.csrf import FIELD, CsrfRefused, check_csrf
from alliance.web.i18n import LANGUAGE_NAMES, LOCALE_COOKIE, LOCALES, choose_locale, translations
from alliance.web.sessions import Session, SessionCodec

log = logging.getLogger(__name__)

templates = Environment(
    loader=PackageLoader("alliance.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Portal:
    """The portal's state on the app: the application and the cookie codec."""

    application: Application
    codec: SessionCodec


#: Sent with every page. The templates have no inline script or style (htmx's own
#: indicator style is turned off in ``base.html``), so the policy can forbid them.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class LoginRequired(Exception):
    """The page needs a logged-in user."""


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything else (``//evil``, ``https://…``) is ``default``."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


class Page:
    """One request as a page handler sees it."""

    def __init__(
        self, request: Request, portal: Portal, session: Session, locale: str, actor: Actor
    ) -> None:
        self.request = request
        self.application = portal.application
        self.codec = portal.codec
        self.session = session
        self.locale = locale
        self.actor = actor
        self._translations = translations(locale)

    # -- words, numbers and dates in the reader's language --------------------------------

    def gettext(self, message: str, **values: object) -> str:
        text = self._translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text % {"num": n, **values}

    @property
    def logged_in(self) -> bool:
        return self.actor.kind is not ActorKind.ANONYMOUS

    def require_login(self) -> Actor:
        if not self.logged_in:
            raise LoginRequired
        return self.actor

    # -- answers ------------------------------------------------------------------------

    def render(
        self, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200
    ) -> Response:
        locale = self.locale
        body = templates.get_template(template).render(
            {
                "page": self,
                "_": self.gettext,
                "ngettext": self.ngettext,
                "money": lambda value: formatting.money(value, locale),
                "number": lambda value, places=2: formatting.number(value, locale, places),
                "day": lambda value, form="medium": formatting.day(value, locale, form),
                "moment": lambda value: formatting.moment(value, locale),
                "labels": labels,
                "csrf_field": FIELD,
                "csrf_token": self.session.csrf,
                "locales": [(code, LANGUAGE_NAMES[code]) for code in LOCALES],
                **(context or {}),
            }
        )
        response = HTMLResponse(body, status_code=status)
        response.headers["Content-Language"] = locale
        return self.finish(response)

    def redirect(self, url: str) -> Response:
        return self.finish(RedirectResponse(url, status_code=303))

    def finish(self, response: Response) -> Response:
        """Send the session cookie again when it changed; pages are never cached, never
        framed, and run no script or style but the site's own files."""
        if self.session.changed:
            self.codec.write(self.request, response, self.session)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


async def get_page(request: Request) -> Page:
    portal: Portal = request.app.state.portal
    session = portal.codec.read(request)
    locale = choose_locale(
        request.cookies.get(LOCALE_COOKIE), request.headers.get("Accept-Language")
    )
    actor = Actor.anonymous()
    if session.user_id is not None and session.stamp is not None:
        try:
            actor = session_actor(portal.application.uow_factory(), session.user_id, session.stamp)
        except NotAuthenticated:
            session.log_out()
    page = Page(request, portal, session, locale, actor)
    request.state.page = page
    await check_csrf(request, session.csrf)
    return page


PageDep = Annotated[Page, Depends(get_page)]

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _fallback_page(request: Request) -> Page:
    """The page to render a refusal with, when ``get_page`` never finished."""
    found = getattr(request.state, "page", None)
    if isinstance(found, Page):
        return found
    portal: Portal = request.app.state.portal
    locale = choose_locale(
        request.cookies.get(LOCALE_COOKIE), request.headers.get("Accept-Language")
    )
    return Page(request, portal, portal.codec.read(request), locale, Actor.anonymous())


def error_page(request: Request, status: int, message: str, field: str | None = None) -> Response:
    page = _fallback_page(request)
    return page.render(
        "error.html", {"status": status, "message": message, "field": field}, status=status
    )


class PageRoute(APIRoute):
    """A portal route: refusals become pages, not JSON."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
            except CsrfRefused:
                page = _fallback_page(request)
                return error_page(
                    request,
                    403,
                    page.gettext("This form has expired. Reload the page and try again."),
                )
            except AllianceError as error:
                if isinstance(error, NotAuthenticated):
                    return RedirectResponse("/login", status_code=303)
                return error_page(request, error.status, error.message, error.field)

        return route
