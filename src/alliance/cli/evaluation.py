"""``alliance evaluate`` and ``alliance simulate``: earned tiers on a date (issue 5).

* ``evaluate --program P --as-of DATE`` evaluates every partner against the stored facts
  and saves the outcomes with the definition version (X-3); a rerun changes nothing (X-5).
  A progress bar shows the stages of a long run; the summary counts outcomes per status.
* ``simulate --program P --definition changed.yaml --as-of DATE [--json]`` evaluates a
  changed definition against the same facts without saving anything, and lists who would
  gain or lose which designation, status or tier, and the cost change of the incentives.

The commands act as the system operator; user errors (an unknown program, an invalid
definition — every problem located by file and line —, no facts) print without a stack
trace and exit with 2 (X-7).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from alliance.cli.console import console
from alliance.cli.imports import CLI_ACTOR, application, problems_reported, progress_bar, say
from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money

ProgramOption = Annotated[str, typer.Option("--program", help="The program's code, e.g. mcpp.")]
AsOfOption = Annotated[str, typer.Option("--as-of", help="The day evaluated, YYYY-MM-DD.")]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"a date is written YYYY-MM-DD, got {text!r}", field="as_of", rule="X-2"
        ) from None


class _Stages:
    """Feeds ``progress(stage, done, total)`` to a rich progress bar, one task a stage."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._bar.add_task(stage.capitalize(), total=total)
        self._bar.update(task, completed=done, total=total)


def evaluate(program: ProgramOption, as_of: AsOfOption) -> None:
    """Evaluate a program's earned tiers for every partner on a day and save the outcomes."""
    from alliance.services.evaluation.runs import evaluate as evaluate_program

    with problems_reported():
        day = _day(as_of)
        app_ = application()
        try:
            with progress_bar() as bar:
                summary = evaluate_program(
                    app_.uow_factory(),
                    CLI_ACTOR,
                    app_.programs,
                    program,
                    day,
                    progress=_Stages(bar),
                    clock=app_.clock,
                )
        finally:
            app_.close()
    run = summary.run
    if summary.written:
        done = f"saved ({summary.replaced} outcomes replaced)" if summary.replaced else "saved"
    else:
        done = "already saved with the same outcomes; nothing changed"
    say(f"{run.key}: {run.outcomes} outcomes for {run.partners} partners, {done}")
    table = Table("result", "outcomes")
    for result, count in summary.results.items():
        table.add_row(result, str(count))
    console.print(table)


def _money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def simulate(
    program: ProgramOption,
    definition: Annotated[
        Path, typer.Option("--definition", help="The changed program definition (YAML).")
    ],
    as_of: AsOfOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What if the definition changed: who gains or loses what, and the cost change."""
    from alliance.programs.loader import read_program
    from alliance.services.evaluation.runs import simulate as simulate_program

    with problems_reported():
        day = _day(as_of)
        changed = read_program(definition)  # InvalidInput locates every problem
        app_ = application()
        try:
            with progress_bar() as bar:
                result = simulate_program(
                    app_.uow_factory(),
                    CLI_ACTOR,
                    app_.programs,
                    program,
                    changed,
                    day,
                    progress=_Stages(bar),
                )
        finally:
            app_.close()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "program": result.program_code,
                    "as_of": result.as_of.isoformat(),
                    "live_version": result.live_version,
                    "changed_version": result.changed_version,
                    "baseline": result.baseline,
                    "partners": result.partners,
                    "before": result.before,
                    "after": result.after,
                    "movements": [
                        {
                            "partner_id": m.partner_id,
                            "subject": m.subject.value,
                            "subject_id": m.subject_id,
                            "before": m.before,
                            "after": m.after,
                            "direction": m.direction,
                            "score_before": None if m.score_before is None else str(m.score_before),
                            "score_after": None if m.score_after is None else str(m.score_after),
                        }
                        for m in result.movements
                    ],
                    "costs": [
                        {
                            "incentive": c.incentive,
                            "period": c.period,
                            "before": _money(c.before),
                            "after": _money(c.after),
                            "change": _money(c.change),
                            "basis": c.basis,
                        }
                        for c in result.costs
                    ],
                    "not_costed": result.not_costed,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    say(
        f"{result.program_code} {result.changed_version} against {result.baseline}: "
        f"{len(result.gains)} gain(s), {len(result.losses)} loss(es) among "
        f"{result.partners} partners"
    )
    movers = Table("partner", "subject", "before", "after", "move")
    for m in result.movements:
        move = "gains" if m.gains else "loses" if m.loses else "changes"
        movers.add_row(m.partner_id, m.subject_id, m.before or "—", m.after or "—", move)
    console.print(movers)
    if result.costs:
        costs = Table("incentive", "period", "before", "after", "change")
        for c in result.costs:
            costs.add_row(c.incentive, c.period, str(c.before), str(c.after), str(c.change))
        console.print(costs)
        for c in result.costs:
            say(f"{c.incentive}: {c.basis}")
    if result.not_costed:
        say(f"Not costed: {result.not_costed}")
