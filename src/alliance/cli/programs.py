"""``alliance programs``: list, show and validate program definitions; export the schema.

The registry holds the built-in programs plus a vendor folder: ``--programs DIR``,
defaulting to the ``ALLIANCE_PROGRAMS`` environment variable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from alliance.cli.console import console, handles_user_errors
from alliance.domain.errors import Problem
from alliance.programs.loader import LoadedProgram, validate_program_file
from alliance.programs.registry import ProgramRegistry, program_files
from alliance.programs.schema import ProgramDefinition, program_json_schema

app = typer.Typer(
    help="Program definitions: list, show, validate, and export their JSON Schema.",
    no_args_is_help=True,
)

ProgramsDir = Annotated[
    Path | None,
    typer.Option(
        "--programs",
        envvar="ALLIANCE_PROGRAMS",
        help="A folder of vendor program definitions (*.yaml); overrides built-ins by code.",
        show_default=False,
    ),
]


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command("list")
@handles_user_errors
def list_programs(programs: ProgramsDir = None) -> None:
    """List every known program: code, name, version, effective date, source."""
    table = Table("code", "name", "version", "effective", "source", "origin")
    for entry in ProgramRegistry.load(programs).list():
        d = entry.definition
        table.add_row(
            d.code, d.name, d.version, d.effective_date.isoformat(), d.source, entry.origin
        )
    console.print(table)


@app.command("show")
@handles_user_errors
def show(
    code: Annotated[str, typer.Argument(help="The program's code, e.g. opn.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole definition as JSON.")
    ] = False,
    programs: ProgramsDir = None,
) -> None:
    """Summarise one program (or dump it with --json)."""
    entry = ProgramRegistry.load(programs).entry(code)
    if as_json:
        data = entry.definition.model_dump(mode="json", by_alias=True)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in summary(entry):
        _say(line)


@app.command("validate")
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Program files, or folders of *.yaml files.")],
) -> None:
    """Check program files: "ok" for each valid one, else every problem as
    file:line: field: message. Exits with 1 when any file is invalid."""
    invalid = 0
    for path in _expand(paths):
        problems = validate_program_file(path) if path.is_file() else _missing(path)
        if not problems:
            _say(f"{path}: ok")
            continue
        invalid += 1
        for problem in problems:
            _say(_located(problem, path))
    if invalid:
        raise typer.Exit(code=1)


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of a program definition (for editors and tooling)."""
    typer.echo(json.dumps(program_json_schema(), indent=2, ensure_ascii=False))


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = program_files(path)
            files += found if found else [path]
        else:
            files.append(path)
    return files


def _missing(path: Path) -> list[Problem]:
    what = "a folder without *.yaml files" if path.is_dir() else "no such file"
    return [Problem(f"expected a program file, got {what}", location=str(path))]


def _located(problem: Problem, path: Path) -> str:
    """``file:line: field: message``, naming the file as the user gave it."""
    location = problem.location or str(path)
    if location.startswith(f"{path.name}:"):
        location = f"{path}{location[len(path.name) :]}"
    field = f" {problem.field}:" if problem.field else ""
    return f"{location}:{field} {problem.message}"


def summary(entry: LoadedProgram) -> list[str]:
    """A readable outline of a program, one line each."""
    d = entry.definition
    lines = [
        f"{d.name} ({d.code}) — version {d.version}, effective {d.effective_date.isoformat()}",
        f"kind: {d.kind}   currency: {d.currency}",
        f"source: {d.source}",
        f"file: {entry.source} ({entry.origin}, {entry.content_hash[:19]}…)",
        f"sections: {', '.join(d.sections()) or 'none'}",
    ]
    lines += _membership_lines(d) + _scoring_lines(d) + _value_lines(d)
    if d.configurable:
        lines.append(f"configurable defaults ({len(d.configurable)}):")
        lines += [f"  - {path}" for path in d.configurable]
    return lines


def _membership_lines(d: ProgramDefinition) -> list[str]:
    m = d.membership
    if m is None:
        return []
    lines = ["member types: " + ", ".join(t.name for t in m.member_types)]
    for level in m.levels:
        fee = f", fee {level.fee}" if level.fee else ""
        plans = ""
        if level.payment:
            plans = "; " + "; ".join(
                f"{p.plan} ({', '.join(p.methods)})" for p in level.payment.default
            )
        lines.append(f"  level {level.rank} {level.name} [{level.attainment}]{fee}{plans}")
    if m.tracks:
        lines.append("tracks: " + ", ".join(f"{t.name} (level ≥ {t.min_level})" for t in m.tracks))
    if m.modules:
        lines.append("modules: " + ", ".join(mod.name for mod in m.modules))
    if m.renewal:
        r = m.renewal
        lines.append(f"renewal: term {r.term}, window opens {r.window_days} days before the end")
    if d.engagements:
        e = d.engagements
        cats = ", ".join(f"{c.name} → {c.workflow}" for c in e.categories)
        lines.append(f"engagements: {cats}; at most {e.max_active_users} active users")
    return lines


def _scoring_lines(d: ProgramDefinition) -> list[str]:
    lines: list[str] = []
    if d.scorecards:
        s = d.scorecards
        lines.append(f"scorecards: threshold {s.threshold} of {s.total}, {len(s.areas)} areas")
        for area in s.areas:
            tracks = ", ".join(t.name for t in area.tracks)
            lines.append(f"  {area.name}: {area.track_mode} ({tracks})")
    if d.statuses:
        lines.append("statuses: " + " < ".join(s.name for s in d.statuses.statuses))
        lines.append(f"  re-evaluated every {d.statuses.reevaluation.every}")
    if d.promotions:
        lines.append(f"promotions: {len(d.promotions.promotions)}")
    return lines


def _value_lines(d: ProgramDefinition) -> list[str]:
    lines = [f"incentive {i.id}: {i.kind} — {i.name}" for i in d.incentives]
    for w in d.wallets:
        lines.append(
            f"wallet {w.id}: {w.unit}, expiry {w.expiry.kind}, spends {w.redemption.order}"
        )
    for wf in d.workflows:
        lines.append(f"workflow {wf.id}: {' / '.join(wf.state_ids())}")
    return lines
