"""``alliance``: the command line. Each sub-command lives in its own module of this package."""

from __future__ import annotations

import typer

from alliance import __version__


def _build() -> typer.Typer:
    from alliance.cli import (
        credits,
        db,
        demo,
        engagements,
        evaluation,
        facts,
        imports,
        memberships,
        notifications,
        oip,
        pex,
        programs,
        quotes,
        rewards,
        serve,
    )

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
    app.add_typer(
        imports.app, name="import", help="Import usage, customers, subscriptions, invoices."
    )
    app.add_typer(
        facts.app, name="facts", help="Facts of earned tiers: import (CSV, Parquet), count."
    )
    app.command("accrue")(rewards.accrue)
    app.command("expire")(rewards.expire)
    app.add_typer(rewards.app, name="rewards", help="Customer reward statements, redemptions.")
    app.add_typer(
        credits.app, name="credits", help="Partner credits: statements, orders, policies."
    )
    app.add_typer(
        engagements.app,
        name="engagements",
        help="Deal registration: engagement users, engagements, reviews, rewards.",
    )
    app.add_typer(
        memberships.app,
        name="memberships",
        help="Paid memberships: applications, fees, renewal, tracks, roles.",
    )
    app.command("quote")(quotes.quote)
    app.command("evaluate")(evaluation.evaluate)
    app.command("simulate")(evaluation.simulate)
    app.add_typer(pex.app, name="pex", help="PEX: enrolments, points, PoC budgets, margins.")
    app.add_typer(oip.app, name="oip", help="OIP: duties, benefits, commissions, back-margin.")
    app.add_typer(notifications.app, name="notifications", help="Deliver e-mails, webhooks.")
    app.add_typer(notifications.webhooks_app, name="webhooks", help="Webhook endpoints.")

    @app.command("version")
    def version() -> None:
        """Print Alliance's version."""
        typer.echo(__version__)

    return app


def main() -> None:
    _build()()


if __name__ == "__main__":
    main()
