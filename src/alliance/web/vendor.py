"""The vendor's pages are for vendor staff only (X-6): a partner's or a customer's people
are refused with 403 before any use case runs; each use case then checks the staff
member's role (program admin, channel manager, finance, viewer) as the API does."""

from __future__ import annotations

from alliance.domain.access import Actor, ActorKind
from alliance.domain.errors import Forbidden
from alliance.web.pages import Page


def require_vendor(page: Page) -> Actor:
    actor = page.require_login()
    if actor.kind is not ActorKind.VENDOR_STAFF:
        raise Forbidden("these pages are for the vendor's staff", rule="X-6")
    return actor
