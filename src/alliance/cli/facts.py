"""``alliance facts``: the facts of earned tiers — import a file of one kind, count them.

``alliance facts import certifications certs.csv`` checks every row first and stores all
or nothing (X-7): each bad row is printed with its line, field and rule
(``certs.csv:7: earned_on: is not a date written YYYY-MM-DD [X-2]``) and the command
exits with 2, without a stack trace. Importing the same file again adds nothing and says
so (X-5). The columns of each kind are listed in ``docs/facts.md``. Commands run as the
system operator, or as the person ``--as EMAIL`` names (only program administrators may
import).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliance.cli.acting import As, actor_for
from alliance.cli.imports import application, problems_reported, say
from alliance.services.imports.usage_sources import UsageFormat
from alliance.services.tier_facts.ports import FactKind

app = typer.Typer(
    help="Facts of earned tiers: certifications, customers, usage, deals, revenue…",
    no_args_is_help=True,
)

FileArgument = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="The file to import."),
]


@app.command("import")
def import_(
    kind: Annotated[FactKind, typer.Argument(help="The kind of facts the file holds.")],
    file: FileArgument,
    file_format: Annotated[
        UsageFormat | None,
        typer.Option("--format", help="csv or parquet; by default, from the file name."),
    ] = None,
    batch_key: Annotated[
        str | None,
        typer.Option("--batch-key", help="The batch's key; by default the file's SHA-256."),
    ] = None,
    program: Annotated[
        str, typer.Option(help="The capability-score program whose areas are valid.")
    ] = "mcpp",
    as_: As = None,
) -> None:
    """Import one file of facts (CSV or Parquet): all rows or none."""
    from alliance.services.tier_facts.imports import import_fact_file, mcpp_areas

    with problems_reported():
        app_ = application()
        try:
            actor = actor_for(app_, as_)
            result = import_fact_file(
                app_.uow_factory(),
                actor,
                kind,
                file,
                clock=app_.clock,
                fmt=file_format or UsageFormat.of(file.name),
                areas=mcpp_areas(app_.programs, program),
                batch_key=batch_key,
            )
        finally:
            app_.close()
    say(result.summary)


@app.command("count")
def count(as_: As = None) -> None:
    """How many facts of each kind are stored."""
    from alliance.services.tier_facts.imports import fact_counts

    with problems_reported():
        app_ = application()
        try:
            counts = fact_counts(app_.uow_factory(), actor_for(app_, as_))
        finally:
            app_.close()
    width = max(len(kind.value) for kind in counts)
    for kind, number in counts.items():
        say(f"{kind.value:<{width}}  {number:>9,}")
