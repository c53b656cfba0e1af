"""The vendor's start page: where staff review, browse and run things (issue 6)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from alliance.web.pages import PageDep, PageRoute
from alliance.web.vendor import require_vendor

router = APIRouter(route_class=PageRoute)


@router.get("/vendor", name="vendor_home")
def vendor_home(page: PageDep) -> Response:
    require_vendor(page)
    return page.render("vendor_home.html")
