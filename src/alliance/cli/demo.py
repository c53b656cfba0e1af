"""``alliance demo``: a database with the built-in programs and a demo data set, then serve."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from alliance.cli.console import console, handles_user_errors
from alliance.cli.serve import run_server
from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@handles_user_errors
def demo(
    partners: int = typer.Option(200, min=1, help="How many partner companies to generate."),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same data."),
    end_month: str = typer.Option(
        "", help="Last month of facts (YYYY-MM); default: the last full month."
    ),
    facts_dir: Path = typer.Option(
        Path("var/demo"), help="Where the demo's fact files (Parquet) are written."
    ),
    serve: bool = typer.Option(True, help="Serve the API once the data is loaded."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Create the database, load a deterministic demo data set, print the logins, serve."""
    from alliance.bootstrap import bootstrap
    from alliance.demo.dataset import DemoSpec, generate
    from alliance.demo.evaluations import load_evaluations
    from alliance.demo.loader import (
        DEMO_LOGINS,
        create_logins,
        load_credits,
        load_directory,
        load_engagements,
        load_memberships,
        load_rewards,
        load_tier_facts,
        write_facts,
    )
    from alliance.services.passwords import Passwords

    application = bootstrap(migrate=True)
    if partners > 1_000_000:
        raise InvalidInput("at most 1,000,000 partners", field="partners")
    month = Month.parse(end_month, field="end_month") if end_month else None
    last_full = Month.containing(application.clock.today()).previous()
    spec = DemoSpec(partners=partners, seed=seed, end_month=month or last_full)

    with application.uow_factory() as uow:
        existing = uow.organizations.count()
    if existing:
        console.print(
            f"The database already holds {existing:,} organisations: demo data not loaded again."
        )
        logins = None
    else:
        with console.status(f"Generating {partners:,} partners and their facts…"):
            dataset = generate(spec)
        with _progress() as progress:
            total = dataset.organizations.num_rows + dataset.people.num_rows
            task = progress.add_task("Loading organisations and people", total=total)
            load_directory(application.uow_factory, dataset, lambda n: progress.advance(task, n))
        written = write_facts(dataset, facts_dir)
        logins = create_logins(application.uow_factory, dataset, application.clock, Passwords())
        console.print(
            f"Loaded {dataset.organizations.num_rows:,} organisations, "
            f"{dataset.people.num_rows:,} people; facts in {facts_dir}/ "
            f"({', '.join(f'{n}: {dataset_rows(dataset, n):,} rows' for n in written)})."
        )
        with console.status("Customer rewards: importing usage, accruing, expiring…") as status:
            rewards = load_rewards(
                application, dataset, written["usage"], lambda step: status.update(step)
            )
        console.print(
            f"Customer rewards: {rewards.usage_lines:,} usage lines, {rewards.months_accrued} "
            f"months accrued into {rewards.lots:,} lots, {rewards.expired_lots:,} expired; "
            f"{rewards.invoices:,} support invoices (alliance rewards statement CUSTOMER)."
        )
        with console.status("Memberships: enrolling, paying, activating…") as status:
            memberships = load_memberships(application, lambda step: status.update(step))
        console.print(memberships.summary)
        with console.status("Tier facts: certifications, usage, deals, revenue…") as status:
            tier_facts = load_tier_facts(application, dataset, lambda step: status.update(step))
        console.print(tier_facts.summary)
        with console.status("Earned tiers: evaluating MCPP, OIP, PEX…") as status:
            evaluations = load_evaluations(
                application, spec.end_month, lambda step: status.update(step)
            )
        for line in evaluations.lines:
            console.print(line)
        with console.status("Engagements: submitting and reviewing…"):
            engagements = load_engagements(application)
        console.print(engagements.summary)
        with console.status("Partner credits: ordering, delivering, cancelling…"):
            credit_orders = load_credits(application)
        console.print(credit_orders.summary)

    lines = ["Demo logins (e-mail / password):"]
    lines += [f"  {lg.role:<24} {lg.email:<28} {lg.password}" for lg in logins or DEMO_LOGINS]
    lines.append("  Get an API token: POST /api/v1/auth/tokens with that e-mail and password.")
    banner = "\n".join(lines)
    if serve:
        run_server(host, port, banner=banner)
    else:
        console.print(banner)


def dataset_rows(dataset: object, name: str) -> int:
    table = getattr(dataset, name)
    return int(table.num_rows)
