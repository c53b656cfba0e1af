"""Evaluations and what-if simulations of earned tiers from the portal (issues 5 and 6).

* ``/vendor/evaluations`` — pick a program with earned tiers (MCPP, OIP, PEX) and a day,
  and run :func:`~alliance.services.evaluation.runs.evaluate`: checked here (who, which
  program, which day), then run on a thread (:mod:`alliance.web.batch_runs`) whose page
  follows the stages by htmx polling until the summary — outcomes per result. Rerunning
  writes nothing new (X-5). The stored runs of each program are listed.
* ``/vendor/what-if`` — a changed definition (pasted or uploaded YAML, or the built-in
  scorecard with another threshold, MCPP-2) evaluated by
  :func:`~alliance.services.evaluation.runs.simulate` against the same facts, nothing
  saved: who would gain or lose which designation, status or tier (a table and a chart of
  gains and losses per subject), and the cost change of the incentives. An invalid
  definition is shown with every problem located by line (X-7). It runs synchronously.

Both are the program administrators' (``manage_programs``): other staff get 403 from the
use cases, a partner's or customer's people from :func:`require_vendor` (X-6).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.responses import Response

from alliance.domain.access import Actor, Permission, require_everywhere
from alliance.domain.errors import AllianceError, InvalidInput, NotFound, Problem
from alliance.domain.ids import OrganizationId
from alliance.domain.outcomes import Movement
from alliance.programs.loader import LoadedProgram, check_program_text, content_hash
from alliance.programs.registry import ProgramRegistry
from alliance.services.evaluation.evaluators import tier_kind
from alliance.services.evaluation.runs import EvaluationSummary, Simulation, evaluate, simulate
from alliance.services.evaluation.stored_runs import stored_runs
from alliance.services.organizations import get_organization
from alliance.web.batch_runs import BOARD, RunState
from alliance.web.pages import Page, PageDep, PageRoute
from alliance.web.vendor import require_vendor

router = APIRouter(route_class=PageRoute)

DEFINITION_NAME = "definition.yaml"
MOVERS_SHOWN = 200  # rows of the movers table; the counts cover them all
CHART_WIDTH = 600
CHART_ROW = 28


def tier_programs(programs: ProgramRegistry) -> list[tuple[str, str]]:
    """``(code, name)`` of every program with earned tiers."""
    return [
        (loaded.code, str(loaded.definition.name))
        for loaded in programs.list()
        if tier_kind(loaded.definition)
    ]


def _program(programs: ProgramRegistry, code: str) -> str:
    known = dict(tier_programs(programs))
    if code not in known:
        raise InvalidInput(
            f"choose a program with earned tiers ({', '.join(known)}), got {code!r}",
            field="program",
            rule="X-7",
        )
    return code


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"a date is written YYYY-MM-DD, got {text!r}", field="as_of", rule="X-2"
        ) from None


# -- evaluations ----------------------------------------------------------------------------


@dataclass
class _Follow:
    """What the portal shows of a run beyond :class:`RunState`: its stage and summary."""

    program: str
    as_of: date
    stage: str = ""
    summary: EvaluationSummary | None = None


_FOLLOWED: dict[str, _Follow] = {}
_FOLLOWED_LOCK = threading.Lock()


def _follow(run_id: str, follow: _Follow) -> None:
    """Keep ``follow`` beside its run; forget those the board no longer keeps."""
    with _FOLLOWED_LOCK:
        _FOLLOWED[run_id] = follow
        for gone in [key for key in _FOLLOWED if BOARD.get(key) is None]:
            del _FOLLOWED[gone]


def _evaluations(page: Page, actor: Actor, status: int = 200, **context: object) -> Response:
    application = page.application
    programs = tier_programs(application.programs)
    runs = {
        code: stored_runs(application.uow_factory(), actor, application.programs, code)
        for code, _ in programs
    }
    defaults: dict[str, object] = {
        "programs": programs,
        "program": programs[0][0] if programs else "",
        "as_of": application.clock.today().isoformat(),
        "error": None,
        "runs": runs,
    }
    return page.render("vendor_evaluations.html", {**defaults, **context}, status=status)


@router.get("/vendor/evaluations", name="vendor_evaluations")
def evaluations(page: PageDep) -> Response:
    actor = require_vendor(page)
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    return _evaluations(page, actor)


@router.post("/vendor/evaluations", name="vendor_evaluations_run")
def run_evaluation(
    page: PageDep,
    program: Annotated[str, Form()] = "",
    as_of: Annotated[str, Form()] = "",
) -> Response:
    """Checked here, then :func:`evaluate` on a thread; its page follows it."""
    actor = require_vendor(page)
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    application = page.application
    try:
        code = _program(application.programs, program)
        day = _day(as_of)
    except InvalidInput as refused:  # shown next to its field
        return _evaluations(page, actor, 422, program=program, as_of=as_of, error=refused)
    follow = _Follow(code, day)

    def work(progress: Callable[[int, int], None]) -> str:
        def staged(stage: str, done: int, total: int) -> None:
            follow.stage = stage
            progress(done, total)

        summary = evaluate(
            application.uow_factory(),
            actor,
            application.programs,
            code,
            day,
            progress=staged,
            clock=application.clock,
        )
        follow.summary = summary
        return f"{summary.run.key}: {summary.run.outcomes} outcomes"

    run = BOARD.start("evaluation", f"{code} {day.isoformat()}", application.clock.now(), work)
    _follow(run.id, follow)
    return page.redirect(f"/vendor/evaluations/runs/{run.id}")


def _followed(run_id: str) -> tuple[RunState, _Follow]:
    state, follow = BOARD.get(run_id), _FOLLOWED.get(run_id)
    if state is None or follow is None:
        raise NotFound(f"no run {run_id} (runs are kept until a restart)", field="run_id")
    return state, follow


@router.get("/vendor/evaluations/runs/{run_id}", name="vendor_evaluation_run")
def show_evaluation(page: PageDep, run_id: str) -> Response:
    actor = require_vendor(page)
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    state, follow = _followed(run_id)
    return page.render("vendor_evaluations_run.html", {"run": state, "follow": follow})


@router.get("/vendor/evaluations/runs/{run_id}/progress", name="vendor_evaluation_progress")
def evaluation_progress(page: PageDep, run_id: str) -> Response:
    """The run's stage and progress as a fragment, polled by htmx until the summary."""
    actor = require_vendor(page)
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    state, follow = _followed(run_id)
    return page.render("vendor_evaluations_progress.html", {"run": state, "follow": follow})


# -- what-if --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mover:
    movement: Movement
    partner_name: str


@dataclass(frozen=True)
class ChartRow:
    """Gains and losses of one subject (an area, a member type, the tier)."""

    subject: str
    gains: int
    losses: int
    gain_width: int
    loss_width: int
    y: int


@dataclass
class WhatIf:
    program: str
    as_of: str
    mode: str = "threshold"  # or "yaml"
    threshold: str = ""
    definition: str = ""
    problems: list[Problem] = field(default_factory=list)
    error: AllianceError | None = None


def with_threshold(live: LoadedProgram, text: str) -> LoadedProgram:
    """MCPP-2: the live scorecard with every area's threshold set to ``text``."""
    scorecards = live.definition.scorecards
    if scorecards is None:
        raise InvalidInput(
            f"program {live.code} has no scorecard threshold: paste a changed definition",
            field="threshold",
            rule="X-7",
        )
    try:
        threshold = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(
            f"a threshold is a number, got {text!r}", field="threshold", rule="MCPP-2"
        ) from None
    if not Decimal(0) <= threshold <= scorecards.total:
        raise InvalidInput(
            f"a threshold is between 0 and the total {scorecards.total}, got {threshold}",
            field="threshold",
            rule="MCPP-2",
        )
    areas = tuple(
        a.model_copy(update={"threshold": threshold}) if a.threshold is not None else a
        for a in scorecards.areas
    )
    changed = live.definition.model_copy(
        update={
            "version": f"{live.definition.version}-threshold-{threshold}",
            "scorecards": scorecards.model_copy(update={"threshold": threshold, "areas": areas}),
        }
    )
    marker = f"{live.content_hash}|threshold={threshold}".encode()
    return LoadedProgram(changed, f"{live.source} (threshold {threshold})", content_hash(marker))


def _from_yaml(text: str) -> tuple[LoadedProgram | None, list[Problem]]:
    """The pasted or uploaded definition, or every problem with its line (X-7)."""
    if not text.strip():
        return None, [Problem("paste or upload a program definition", field="definition")]
    definition, problems = check_program_text(text, DEFINITION_NAME)
    if definition is None:
        return None, problems
    content = text.encode("utf-8")
    return LoadedProgram(definition, DEFINITION_NAME, content_hash(content), "portal"), []


def _movers(page: Page, actor: Actor, result: Simulation) -> list[Mover]:
    """The first :data:`MOVERS_SHOWN` movers with their partner's name (the use case's
    view of the organisation; a partner known only by its facts keeps its id)."""
    names: dict[str, str] = {}
    movers = []
    for movement in result.movements[:MOVERS_SHOWN]:
        if movement.partner_id not in names:
            try:
                found = get_organization(
                    page.application.uow_factory(), actor, OrganizationId(movement.partner_id)
                )
                names[movement.partner_id] = found.name
            except NotFound:
                names[movement.partner_id] = movement.partner_id
        movers.append(Mover(movement, names[movement.partner_id]))
    return movers


def subject_names(programs: ProgramRegistry, code: str) -> dict[str, str]:
    """MCPP-1: the areas by name; other subjects keep their ids."""
    scorecards = programs.get(code).scorecards
    if scorecards is None:
        return {}
    return {area.id: str(area.name) for area in scorecards.areas}


def chart_rows(
    movements: tuple[Movement, ...], names: dict[str, str] | None = None
) -> list[ChartRow]:
    """Gains and losses per subject, scaled to the largest count (half the width each)."""
    counts: dict[str, list[int]] = {}
    for m in movements:
        subject = (names or {}).get(m.subject_id, m.subject_id)
        pair = counts.setdefault(subject, [0, 0])
        if m.gains:
            pair[0] += 1
        elif m.loses:
            pair[1] += 1
    largest = max((max(p) for p in counts.values()), default=0) or 1
    half = CHART_WIDTH // 2 - 100
    return [
        ChartRow(
            subject,
            gains,
            losses,
            gains * half // largest,
            losses * half // largest,
            index * CHART_ROW,
        )
        for index, (subject, (gains, losses)) in enumerate(sorted(counts.items()))
    ]


def _what_if(
    page: Page, form: WhatIf, result: Simulation | None = None, actor: Actor | None = None
) -> Response:
    failed = bool(form.problems or form.error)
    # htmx swaps only 2xx answers: the located errors then come back with 200
    htmx = page.request.headers.get("HX-Request") == "true"
    names = subject_names(page.application.programs, result.program_code) if result else {}
    rows = chart_rows(result.movements, names) if result is not None else []
    return page.render(
        "vendor_whatif.html",
        {
            "programs": tier_programs(page.application.programs),
            "form": form,
            "result": result,
            "movers": _movers(page, actor, result) if result and actor else [],
            "chart": rows,
            "subject_names": names,
            "chart_width": CHART_WIDTH,
            "chart_height": max(len(rows), 1) * CHART_ROW + 8,
            "movers_shown": MOVERS_SHOWN,
        },
        status=422 if failed and not htmx else 200,
    )


@router.get("/vendor/what-if", name="vendor_what_if")
def what_if(page: PageDep) -> Response:
    actor = require_vendor(page)
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)
    today = page.application.clock.today().isoformat()
    live = page.application.programs.entry("mcpp") if "mcpp" in page.application.programs else None
    scorecards = live.definition.scorecards if live is not None else None
    threshold = str(scorecards.threshold) if scorecards is not None else ""
    return _what_if(page, WhatIf("mcpp", today, threshold=threshold))


@router.post("/vendor/what-if", name="vendor_what_if_run")
def run_what_if(
    page: PageDep,
    program: Annotated[str, Form()] = "",
    as_of: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "threshold",
    threshold: Annotated[str, Form()] = "",
    definition: Annotated[str, Form()] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    actor = require_vendor(page)
    require_everywhere(actor, Permission.MANAGE_PROGRAMS)  # before reading a definition
    if upload is not None and upload.filename:
        raw = upload.file.read()
        try:
            definition = raw.decode("utf-8")
        except UnicodeDecodeError:
            definition = ""
            form = WhatIf(program, as_of, "yaml", threshold, definition)
            form.problems = [Problem("the file is not UTF-8 text", field="definition")]
            return _what_if(page, form)
    form = WhatIf(program, as_of, "yaml" if mode == "yaml" else "threshold", threshold, definition)
    application = page.application
    try:
        code = _program(application.programs, program)
        day = _day(as_of)
        if form.mode == "yaml":
            changed, form.problems = _from_yaml(definition)
            if changed is None:
                return _what_if(page, form)
        else:
            changed = with_threshold(application.programs.entry(code), threshold)
        result = simulate(
            application.uow_factory(), actor, application.programs, code, changed, day
        )
    except InvalidInput as refused:
        form.error = refused
        form.problems = list(refused.problems)
        return _what_if(page, form)
    return _what_if(page, form, result, actor)
