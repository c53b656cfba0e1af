"""How the CLI speaks to people: one console, and user errors without stack traces (X-7)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from alliance.domain.errors import AllianceError

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def report(error: AllianceError) -> None:
    """Print a user error: the message, then every located problem, one a line."""
    rule = f" [{error.rule}]" if error.rule else ""
    field = f" (field: {error.field})" if error.field else ""
    err_console.print(f"[bold red]error:[/] {error.message}{field}{rule}", highlight=False)
    for problem in error.problems:
        err_console.print(f"  - {problem}", highlight=False, markup=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn an :class:`AllianceError` into a clean message and exit code 2."""
    try:
        yield
    except AllianceError as error:
        report(error)
        raise typer.Exit(code=2) from None


def handles_user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of :func:`user_errors` for Typer commands."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper


def is_interactive() -> bool:
    return sys.stderr.isatty()
