"""placeholder"""

from fastapi import APIRouter

from alliance.web.pages import PageRoute

router = APIRouter(route_class=PageRoute)
