"""The portal's security at the HTTP level (issue 6), on SQLite and PostgreSQL: the
session cookie's flags and signature, CSRF on every POST, no open redirect after login,
tenancy (X-6) by URL, and a portal session that never authenticates the API."""

from __future__ import annotations

import re

import pytest
from api_world import PASSWORD, USERS, World
from fastapi.testclient import TestClient

from alliance.bootstrap import Application
from alliance.web.sessions import COOKIE


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def portal_login(client: TestClient, email: str, next: str = "") -> TestClient:
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": next, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def browser(application: Application, world: World) -> TestClient:
    """A second client with its own cookies (the ``client`` fixture holds the API's)."""
    from alliance.api.app import create_app

    return TestClient(create_app(application))


def test_the_session_cookie_is_signed_httponly_samesite_lax_and_secure_over_https(
    application: Application, world: World
) -> None:
    from alliance.api.app import create_app

    plain = TestClient(create_app(application))
    cookie = plain.get("/login").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    secure = TestClient(create_app(application), base_url="https://testserver")
    assert "Secure" in secure.get("/login").headers["set-cookie"]


def test_a_tampered_session_cookie_is_ignored(browser: TestClient, world: World) -> None:
    portal_login(browser, USERS["acme_admin"])
    home = f"/partners/{world.acme.id}"
    assert browser.get(home).status_code == 200
    value = browser.cookies[COOKIE]
    browser.cookies.set(COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    answer = browser.get(home, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?next={home}"


def test_every_post_needs_this_sessions_csrf_token(
    browser: TestClient, application: Application, world: World
) -> None:
    from alliance.api.app import create_app

    other = TestClient(create_app(application))
    stranger_token = csrf_of(other.get("/login").text)
    form = {"email": USERS["acme_admin"], "password": PASSWORD}
    browser.get("/login")
    assert browser.post("/login", data=form).status_code == 403
    refused = browser.post("/login", data={**form, "csrf_token": stranger_token})
    assert refused.status_code == 403
    assert "This form has expired" in refused.text
    assert browser.post("/locale", data={"locale": "fr"}).status_code == 403
    assert "alliance_locale" not in browser.cookies


def test_after_login_only_a_local_page_is_a_destination(browser: TestClient, world: World) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        token = csrf_of(browser.get("/login").text)
        answer = browser.post(
            "/login",
            data={
                "email": USERS["acme_admin"],
                "password": PASSWORD,
                "next": target,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/", target
        browser.cookies.clear()


def test_another_companys_dashboard_is_refused_and_vendor_staff_see_any(
    browser: TestClient, application: Application, world: World
) -> None:
    portal_login(browser, USERS["acme_admin"])
    refused = browser.get(f"/partners/{world.globex.id}")
    assert refused.status_code == 403
    assert "Globex" not in refused.text
    assert browser.get(f"/partners/{world.globex.id}/credits/statement.csv").status_code == 403
    assert browser.get(f"/partners/{world.acme.id}").status_code == 200

    from alliance.api.app import create_app

    staff = portal_login(TestClient(create_app(application)), USERS["viewer"])
    answer = staff.get(f"/partners/{world.globex.id}")
    assert answer.status_code == 200
    assert "<h1>Globex</h1>" in answer.text


def test_a_portal_session_does_not_authenticate_the_api(browser: TestClient, world: World) -> None:
    portal_login(browser, USERS["acme_admin"])
    assert browser.get("/api/v1/me").status_code == 401  # bearer tokens only
    assert browser.get(f"/partners/{world.acme.id}").status_code == 200


def test_pages_are_not_cached_framed_or_open_to_inline_scripts(
    browser: TestClient, world: World
) -> None:
    portal_login(browser, USERS["acme_admin"])
    for path in ("/login", f"/partners/{world.acme.id}", "/directory", "/password/forgot"):
        headers = browser.get(path).headers
        assert headers["Cache-Control"] == "no-store", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'self'
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
    reset = browser.get("/password/reset/not-a-real-secret").headers
    assert reset["Referrer-Policy"] == "no-referrer"  # the secret stays in the address bar
