"""Log in, log out, and reset a forgotten password by an e-mailed link (issue 6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import Response

from alliance.domain.errors import InvalidInput, NotAuthenticated
from alliance.services.password_resets import ResetEmail, request_reset, reset_password
from alliance.services.portal_sessions import log_in
from alliance.web.pages import PageDep, PageRoute, safe_next

router = APIRouter(route_class=PageRoute)


@router.get("/login", name="login")
def login_form(page: PageDep, next: str = "") -> Response:
    if page.logged_in:
        return page.redirect(safe_next(next))
    return page.render("login.html", {"next": safe_next(next, ""), "email": ""})


@router.post("/login")
def login(
    page: PageDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    application = page.application
    try:
        found = log_in(application.uow_factory(), email, password, application.passwords)
    except NotAuthenticated:
        return page.render(
            "login.html",
            {
                "next": safe_next(next, ""),
                "email": email,
                "error": page.gettext("The e-mail or the password is wrong."),
            },
            status=401,
        )
    page.session.log_in(found.user_id, found.stamp)
    return page.redirect(safe_next(next))


@router.post("/logout", name="logout")
def logout(page: PageDep) -> Response:
    page.session.log_out()
    return page.redirect("/login?out=1")


@router.get("/password/forgot", name="forgot_password")
def forgot_form(page: PageDep) -> Response:
    return page.render("forgot.html", {"email": ""})


@router.post("/password/forgot")
def forgot(page: PageDep, email: Annotated[str, Form()] = "") -> Response:
    """The same answer whether or not the e-mail has an account."""
    application = page.application
    base = str(page.request.base_url).rstrip("/")
    words = ResetEmail(
        subject=page.gettext("Reset your Alliance password"),
        text=lambda link: page.gettext(
            "Someone asked to reset the password of your Alliance account.\n\n"
            "To choose a new password, open this link within the hour:\n%(link)s\n\n"
            "If it was not you, ignore this e-mail: your password stays the same.\n",
            link=link,
        ),
    )
    request_reset(
        application.uow_factory(),
        email,
        lambda secret: f"{base}/password/reset/{secret}",
        words,
        application.clock,
    )
    return page.render(
        "message.html",
        {
            "title": page.gettext("Check your e-mail"),
            "message": page.gettext(
                "If an account uses this address, we sent it a link to choose a new password. "
                "The link works once, for one hour."
            ),
        },
    )


def _no_referrer(response: Response) -> Response:
    """The reset link's secret is in the path: never send it on as a Referer."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/password/reset/{token}", name="reset_password")
def reset_form(page: PageDep, token: str) -> Response:
    return _no_referrer(page.render("reset.html", {"token": token}))


@router.post("/password/reset/{token}")
def reset(
    page: PageDep,
    token: str,
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    application = page.application
    if password != confirm:
        error = InvalidInput(page.gettext("The two passwords differ."), field="confirm")
        return _no_referrer(page.render("reset.html", {"token": token, "error": error}, status=422))
    try:
        reset_password(
            application.uow_factory(), token, password, application.passwords, application.clock
        )
    except InvalidInput as error:
        return _no_referrer(page.render("reset.html", {"token": token, "error": error}, status=422))
    page.session.log_out()
    return _no_referrer(
        page.render(
            "message.html",
            {
                "title": page.gettext("Password changed"),
                "message": page.gettext("Your new password is set. Log in with it."),
                "link": ("/login", page.gettext("Log in")),
            },
        )
    )
