"""The public partner directory (MCPP-6): no login; designations and statuses, never scores.

With htmx the search runs as one types (``hx-get`` with the ``HX-Request`` header): the
answer is only the results list. Without JavaScript the form submits as usual.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from alliance.services.directory import (
    PUBLIC_STATUSES,
    DirectoryQuery,
    designations,
    earned_programs,
    search_directory,
)
from alliance.services.membership_terms import membership_program
from alliance.web.pages import PageDep, PageRoute

router = APIRouter(route_class=PageRoute)


@router.get("/directory", name="directory")
def directory(
    page: PageDep, name: str = "", country: str = "", designation: str = "", status: str = ""
) -> Response:
    application = page.application
    program = membership_program(application.programs)
    query = DirectoryQuery(name=name, country=country, designation=designation, status=status)
    earned = earned_programs(application.programs)  # MCPP-6: titles held, never scores
    entries = search_directory(application.uow_factory(), program, query, earned)
    context = {
        "query": query,
        "entries": entries,
        "designations": designations(program, earned),
        "statuses": PUBLIC_STATUSES,
    }
    if page.request.headers.get("HX-Request") == "true":
        return page.render("_directory_results.html", context)
    return page.render("directory.html", context)
