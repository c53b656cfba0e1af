"""``alliance``: the command line. Each sub-command lives in its own module of this package."""

from __future__ import annotations

import typer

from alliance import __version__


def _build() -> typer.Typer:
    from alliance.cli import db, demo, programs, serve

    app = typer.Typer(
        name="alliance",
        help="Alliance: run partner programs and customer reward programs.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    app.add_typer(programs.app, name="programs", help="List, show and validate programs.")
    app.add_typer(db.app, name="db", help="Create or migrate the database.")
    app.command("demo")(demo.demo)
    app.command("serve")(serve.serve)

    @app.command("version")
    def version() -> None:
        """Print Alliance's version."""
        typer.echo(__version__)

    return app


def main() -> None:
    _build()()


if __name__ == "__main__":
    main()
