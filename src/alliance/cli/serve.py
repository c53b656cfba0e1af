"""``alliance serve``: the API (and the portal) over HTTP with uvicorn."""

from __future__ import annotations

import typer

from alliance.cli.console import console, handles_user_errors


def run_server(host: str, port: int, *, banner: str = "") -> None:
    """Build the application from the environment and serve it until interrupted."""
    import uvicorn

    from alliance.api.app import create_app
    from alliance.bootstrap import bootstrap

    application = bootstrap(migrate=True)
    app = create_app(application)
    console.print(f"Alliance is serving on [bold]http://{host}:{port}[/] (Ctrl-C to stop)")
    console.print(f"  API documentation: http://{host}:{port}/docs")
    if banner:
        console.print(banner)
    uvicorn.run(app, host=host, port=port, log_level="info")


@handles_user_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Serve the API on the database named by ALLIANCE_DATABASE_URL (migrating it first)."""
    run_server(host, port)
