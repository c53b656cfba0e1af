"""The program definitions browser (issue 6): every program the registry loaded, and one
with its facts, the sections it defines and its YAML as read (hash included, X-3)."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi import APIRouter
from pydantic import BaseModel
from starlette.responses import Response

from alliance.programs.loader import LoadedProgram
from alliance.web.pages import PageDep, PageRoute
from alliance.web.vendor import require_vendor

router = APIRouter(route_class=PageRoute)


def definition_text(program: LoadedProgram) -> str:
    """The YAML file as read, or the validated definition dumped when the file is gone."""
    try:
        return Path(program.source).read_text(encoding="utf-8")
    except OSError:
        dumped = program.definition.model_dump(mode="json", exclude_none=True)
        return str(yaml.safe_dump(dumped, sort_keys=False, allow_unicode=True))


def sections(program: LoadedProgram) -> list[tuple[str, int]]:
    """Each section the definition fills, with how many entries it holds."""
    found: list[tuple[str, int]] = []
    for name, value in program.definition:
        if isinstance(value, tuple) and value:
            found.append((name, len(value)))
        elif isinstance(value, BaseModel):
            found.append((name, 1))
    return found


@router.get("/vendor/programs", name="vendor_programs")
def programs(page: PageDep) -> Response:
    require_vendor(page)
    return page.render("vendor_programs.html", {"programs": page.application.programs.list()})


@router.get("/vendor/programs/{code}", name="vendor_program")
def program(page: PageDep, code: str) -> Response:
    require_vendor(page)
    found = page.application.programs.entry(code)
    return page.render(
        "vendor_program.html",
        {"program": found, "sections": sections(found), "text": definition_text(found)},
    )
