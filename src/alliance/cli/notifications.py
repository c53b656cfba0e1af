"""``alliance notifications deliver|list`` and ``alliance webhooks add|list|disable``.

* ``notifications deliver`` sends what the outbox holds that is due (e-mail over
  ``ALLIANCE_SMTP_URL`` or into the mailbox file, webhooks over HTTP) and exits;
  ``--loop`` keeps going, waiting ``--interval`` seconds whenever the outbox is drained
  (Ctrl-C stops it). Several workers may run at once.
* ``notifications list --status dead`` shows deliveries and their last error.
* ``webhooks add URL --event engagement.acknowledged [--event …]`` registers an endpoint
  (``--event '*'`` for every type) and prints its signing secret, once.

The commands act as the system operator; user errors print without a stack trace and
exit with 2 (X-7).
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from alliance.bootstrap import Application, bootstrap
from alliance.cli.console import console, handles_user_errors
from alliance.domain.access import Actor
from alliance.domain.notifications import DeliveryStatus
from alliance.services.notifications import (
    DeliveryReport,
    deactivate_webhook,
    deliver_due,
    list_webhooks,
    register_webhook,
)

app = typer.Typer(help="The notification outbox: deliver, inspect.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Webhook endpoints: add, list, disable.", no_args_is_help=True)

CLI_ACTOR = Actor.system("cli")


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _application() -> Application:
    return bootstrap(migrate=True)


def _summary(report: DeliveryReport) -> str:
    return f"{report.delivered} delivered, {report.retrying} to retry, {report.dead} dead"


@app.command("deliver")
@handles_user_errors
def deliver(
    loop: Annotated[bool, typer.Option("--loop", help="Keep delivering until stopped.")] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds to wait when drained.")
    ] = 5.0,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Deliveries per batch.")] = 100,
) -> None:
    """Deliver the due e-mails and webhooks (at least once, retried with back-off)."""
    application = _application()
    try:
        while True:
            report = deliver_due(
                application.uow_factory,
                application.clock,
                application.mailer,
                application.poster,
                limit,
            )
            if report.attempted or not loop:
                _say(_summary(report))
            if not loop:
                return
            if report.attempted < limit:
                time.sleep(interval)
    except KeyboardInterrupt:
        _say("stopped")
    finally:
        application.close()


@app.command("list")
@handles_user_errors
def list_deliveries(
    status: Annotated[
        DeliveryStatus | None, typer.Option("--status", help="Only deliveries in this state.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 50,
) -> None:
    """List outbox deliveries, oldest first: kind, event, target, status, attempts, error."""
    application = _application()
    try:
        with application.uow_factory() as uow:
            deliveries = uow.outbox.list(status=status, limit=limit)
    finally:
        application.close()
    table = Table("id", "kind", "event", "type", "target", "status", "attempts", "next", "error")
    for d in deliveries:
        table.add_row(
            d.id,
            d.kind.value,
            d.event_id,
            d.event_type,
            d.target,
            d.status.value,
            str(d.attempts),
            d.next_attempt_at.isoformat(timespec="seconds"),
            (d.last_error or "")[:80],
        )
    console.print(table)


@webhooks_app.command("add")
@handles_user_errors
def add(
    url: Annotated[str, typer.Argument(help="Where to POST events (http or https).")],
    events: Annotated[
        list[str],
        typer.Option("--event", help="An event type to send (repeat; '*' for all)."),
    ],
) -> None:
    """Register a webhook endpoint and print its signing secret (shown only now)."""
    application = _application()
    try:
        endpoint = register_webhook(
            application.uow_factory(), CLI_ACTOR, url, events, application.clock
        )
    finally:
        application.close()
    _say(f"webhook {endpoint.id} → {endpoint.url} for {', '.join(endpoint.event_types)}")
    _say(f"secret: {endpoint.secret}")
    _say("Keep the secret: it signs every request (Alliance-Signature) and is not shown again.")


@webhooks_app.command("list")
@handles_user_errors
def list_endpoints() -> None:
    """List webhook endpoints (never their secrets)."""
    application = _application()
    try:
        views = list_webhooks(application.uow_factory(), CLI_ACTOR)
    finally:
        application.close()
    table = Table("id", "url", "events", "active", "created")
    for view in views:
        table.add_row(
            view.id,
            view.url,
            ", ".join(view.event_types),
            "yes" if view.active else "no",
            view.created_at.isoformat(timespec="seconds"),
        )
    console.print(table)


@webhooks_app.command("disable")
@handles_user_errors
def disable(webhook_id: Annotated[str, typer.Argument(help="The endpoint's id (whk_…).")]) -> None:
    """Stop sending to an endpoint; what is still pending for it is given up."""
    application = _application()
    try:
        deactivate_webhook(application.uow_factory(), CLI_ACTOR, webhook_id, application.clock)
    finally:
        application.close()
    _say(f"webhook {webhook_id} disabled")
