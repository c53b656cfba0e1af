"""``alliance import``: load facts from files — usage lines, subscriptions, customers, invoices.

Each import validates every row first and applies all or nothing (X-7); the problems are
printed one a line, ``usage.csv:14: quantity: must be ≥ 0 [X-7]``, and the command exits
with 2, without a stack trace. Importing the same usage file again changes nothing and
says so (X-5). The commands run as the system operator (``Actor.system("cli")``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pyarrow.parquet as pq
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from alliance.bootstrap import Application, bootstrap
from alliance.cli.console import err_console
from alliance.domain.access import Actor
from alliance.domain.errors import AllianceError
from alliance.services.imports.summary import ImportSummary
from alliance.services.imports.usage_sources import UsageFormat

app = typer.Typer(
    help="Import facts from files: usage (CSV or Parquet), subscriptions, customers, invoices.",
    no_args_is_help=True,
)

CLI_ACTOR = Actor.system("cli")

FileArgument = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="The file to import."),
]


def say(text: str) -> None:
    """One line on standard output, never wrapped or marked up."""
    typer.echo(text)


def report_problems(error: AllianceError) -> None:
    """The error, then every problem on its own line: ``file:line: field: message [rule]``."""
    rule = f" [{error.rule}]" if error.rule else ""
    field = f" (field: {error.field})" if error.field and not error.problems else ""
    typer.echo(f"error: {error.message}{field}{rule}", err=True)
    for problem in error.problems:
        typer.echo(str(problem), err=True)


@contextmanager
def problems_reported() -> Iterator[None]:
    """A user error is printed (:func:`report_problems`) and exits with 2 (X-7)."""
    try:
        yield
    except AllianceError as error:
        report_problems(error)
        raise typer.Exit(code=2) from None


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


def application() -> Application:
    """The application, its database brought up to date first."""
    return bootstrap(migrate=True)


@app.command("usage")
def usage(
    file: FileArgument,
    file_format: Annotated[
        UsageFormat | None,
        typer.Option("--format", help="csv or parquet; by default, from the file name."),
    ] = None,
    program: Annotated[str, typer.Option(help="The reward program.")] = "osr",
) -> None:
    """Import usage lines (columns: the canonical usage schema, see the README)."""
    from alliance.services.imports.usage import import_usage

    with problems_reported():
        app_ = application()
        try:
            fmt = file_format or UsageFormat.of(file.name)
            total = pq.ParquetFile(file).metadata.num_rows if fmt is UsageFormat.PARQUET else None
            with progress_bar() as bar:
                task = bar.add_task(f"Checking {file.name}", total=total)
                result = import_usage(
                    app_.uow_factory(),
                    CLI_ACTOR,
                    file,
                    data_dir=app_.settings.data_dir,
                    clock=app_.clock,
                    fmt=fmt,
                    program=program,
                    progress=lambda n: bar.advance(task, n),
                )
        finally:
            app_.close()
    say(result.summary)


Importer = Callable[..., ImportSummary]


def _rows_import(importer: Importer, file: Path) -> None:
    with problems_reported():
        app_ = application()
        try:
            summary = importer(app_.uow_factory(), CLI_ACTOR, file, clock=app_.clock)
        finally:
            app_.close()
    say(summary.summary)


@app.command("customers")
def customers(file: FileArgument) -> None:
    """Import customer reward profiles (customer_id, has_on_premises_support, has_ula…)."""
    from alliance.services.imports.customers import import_customers

    _rows_import(import_customers, file)


@app.command("subscriptions")
def subscriptions(file: FileArgument) -> None:
    """Import subscriptions (subscription_id, customer_id, order_type, service period…)."""
    from alliance.services.imports.subscriptions import import_subscriptions

    _rows_import(import_subscriptions, file)


@app.command("invoices")
def invoices(file: FileArgument) -> None:
    """Import support invoices, one row per line (invoice_id, customer_id, due_on…)."""
    from alliance.services.imports.invoices import import_invoices

    _rows_import(import_invoices, file)
