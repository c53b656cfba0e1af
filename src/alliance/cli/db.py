"""``alliance db``: migrate the operational database and tell which revision it is at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from alliance.cli.console import console, err_console
from alliance.settings import Settings
from alliance.store import migrate

app = typer.Typer(help="The operational database: migrations.", no_args_is_help=True)

T = TypeVar("T")

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of the database; defaults to ALLIANCE_DATABASE_URL, "
        "then sqlite:///./alliance.db.",
        show_default=False,
    ),
]


def _url(database_url: str | None) -> str:
    return database_url or Settings().database_url


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _talking_to(url: str, action: Callable[[], T]) -> T:
    """Run ``action``; a database that cannot be reached is a message and exit code 1."""
    try:
        return action()
    except SQLAlchemyError as error:
        err_console.print(
            f"[bold red]error:[/] {_shown(url)}: {error}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(code=1) from None


@app.command()
def upgrade(
    database_url: DatabaseUrl = None,
    revision: Annotated[str, typer.Option(help="The revision to reach.")] = "head",
) -> None:
    """Apply every migration up to REVISION (the newest by default)."""
    url = _url(database_url)
    reached = _talking_to(url, lambda: migrate.upgrade(url, revision))
    console.print(
        f"{_shown(url)}: at revision {reached or 'none'}", highlight=False, soft_wrap=True
    )


@app.command()
def current(database_url: DatabaseUrl = None) -> None:
    """Print the revision the database is at, and whether it is the newest."""
    url = _url(database_url)
    revision = _talking_to(url, lambda: migrate.current_revision(url))
    head = migrate.head_revision()
    if revision is None:
        state = f"none (never migrated; run `alliance db upgrade` to reach {head})"
    elif revision == head:
        state = f"{revision} (head)"
    else:
        state = f"{revision} (behind head {head})"
    console.print(f"{_shown(url)}: {state}", highlight=False, soft_wrap=True)
