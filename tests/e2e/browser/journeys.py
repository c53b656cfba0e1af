"""Steps the browser tests share: log in as a portal user."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from portal_world import PortalUser


def log_in(page: Page, user: PortalUser, password: str | None = None) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password or user.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(user.organization_name)
