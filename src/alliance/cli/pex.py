"""``alliance pex …``: PEX enrolments, points, proof-of-concept budgets and margins.

* ``pex enrol PARTNER --type T --module M [--module M…] [--on DATE]`` — partner type
  (PEX-7) and modules (PEX-2);
* ``pex points post --month YYYY-MM`` — a month's Sell With and certification points to
  the ledger (PEX-3, PEX-4, PEX-6); a rerun says "0 new lot(s), N already posted" (X-5);
* ``pex points statement PARTNER [--on DATE] [--json]`` — wallet, tier, budgets;
* ``pex poc request PARTNER --points N --ref REF`` / ``pex poc approve|reject ID`` —
  proof-of-concept budgets paid with points, held until decided (PEX-4);
* ``pex margins PARTNER --year YYYY [--json]`` — the Resell tranche margin (PEX-5);
* ``pex availability TYPE [--on DATE]`` — whether a partner type may join (PEX-7; exit 1
  when not).

``--as EMAIL`` acts as a partner's person (own organisation only, X-6); user errors
print without a stack trace and exit with 2 (X-7).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

import typer

from alliance.bootstrap import Application
from alliance.cli.acting import As, actor_for
from alliance.cli.imports import application, problems_reported, say
from alliance.cli.quotes import day_of
from alliance.domain.access import Actor
from alliance.domain.calendar import Month, Period
from alliance.domain.errors import InvalidInput
from alliance.services.modular_tier_terms import ModularTierProgram, modular_tier_program
from alliance.services.modular_tiers.budgets import (
    BudgetResult,
    decide_budget,
    points_statement,
    request_budget,
)
from alliance.services.modular_tiers.enrolment import enrol as enrol_partner
from alliance.services.modular_tiers.enrolment import partner_availability
from alliance.services.modular_tiers.margins import margin_statement
from alliance.services.modular_tiers.points import post_points

app = typer.Typer(help="PEX: enrolments, points, proof-of-concept budgets, margins.")
points_app = typer.Typer(help="Points: post a month, read a statement.", no_args_is_help=True)
poc_app = typer.Typer(help="Proof-of-concept budgets paid with points.", no_args_is_help=True)
app.add_typer(points_app, name="points")
app.add_typer(poc_app, name="poc")

T = TypeVar("T")
Program = Annotated[str, typer.Option("--program", help="The modular-tier program.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
On = Annotated[str | None, typer.Option("--on", help="The day, YYYY-MM-DD; today.")]


def _run(
    email: str | None,
    program: str,
    call: Callable[[Application, ModularTierProgram, Actor], T],
) -> T:
    with problems_reported():
        app_ = application()
        try:
            return call(app_, modular_tier_program(app_.programs, program), actor_for(app_, email))
        finally:
            app_.close()


@app.command("enrol")
def enrol(
    partner: Annotated[str, typer.Argument(help="The partner (organisation id).")],
    partner_type: Annotated[str, typer.Option("--type", help="solution_provider, …")],
    module: Annotated[list[str], typer.Option("--module", help="A module, once per module.")],
    on: On = None,
    program: Program = "pex",
) -> None:
    """Enrol a partner with its type and modules, or change its modules (PEX-2, PEX-7)."""
    result = _run(
        None,
        program,
        lambda a, p, actor: enrol_partner(
            a.uow_factory(),
            actor,
            partner,
            partner_type,
            module,
            on=day_of(on) or a.clock.today(),
            program=p,
            clock=a.clock,
        ),
    )
    e = result.enrolment
    say(
        f"{e.partner_id}: {e.partner_type}, modules {', '.join(sorted(e.modules))} "
        f"(enrolled {e.enrolled_on}); {result.tier.explanation.summary}"
    )


@app.command("availability")
def availability(
    partner_type: Annotated[str, typer.Argument(help="solution_provider, distributor, …")],
    on: On = None,
    program: Program = "pex",
) -> None:
    """Whether partners of a type may join the program on a day (PEX-7)."""
    found = _run(
        None,
        program,
        lambda a, p, actor: partner_availability(
            partner_type, day_of(on) or a.clock.today(), program=p
        ),
    )
    say(f"{found.on}: {found.explanation.summary}")
    for reason in found.explanation.reasons:
        say(f"  - {reason}")
    if not found.admitted:
        raise typer.Exit(code=1)


@points_app.command("post")
def post(
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    program: Program = "pex",
) -> None:
    """Post a month's points to the ledger; a rerun posts nothing new (X-5)."""
    run = _run(
        None,
        program,
        lambda a, p, actor: post_points(
            a.uow_factory(), actor, Month.parse(month), program=p, clock=a.clock
        ),
    )
    say(run.summary)
    for award in run.awards:
        say(f"  {award.partner_id} {award.source}: {award.points} points ({award.idempotency_key})")


@points_app.command("statement")
def statement(
    partner: Annotated[str, typer.Argument(help="The partner (organisation id).")],
    on: On = None,
    as_json: AsJson = False,
    program: Program = "pex",
    email: As = None,
) -> None:
    """A partner's points: earned, available, held, spent; its tier and budgets (PEX-6)."""
    found = _run(
        email,
        program,
        lambda a, p, actor: points_statement(
            a.uow_factory(), actor, partner, on=day_of(on) or a.clock.today(), program=p
        ),
    )
    s = found.statement
    if as_json:
        body: dict[str, Any] = {
            "partner_id": partner,
            "as_of": s.as_of.isoformat(),
            "accrued": f"{s.accrued:f}",
            "available": f"{s.available:f}",
            "held": f"{s.held:f}",
            "spent": f"{s.spent:f}",
            "tier": found.tier.tier.id if found.tier.tier else None,
            "budgets": [
                {
                    "id": r.id,
                    "budget_ref": r.budget_ref,
                    "points": f"{r.points:f}",
                    "status": r.status.value,
                }
                for r in found.requests
            ],
        }
        typer.echo(json.dumps(body, indent=2))
        return
    say(
        f"{partner} on {s.as_of}: {s.accrued:f} points earned, {s.available:f} available, "
        f"{s.held:f} held, {s.spent:f} spent"
    )
    for line in found.tier.explanation.lines():
        say(f"  {line}")
    for r in found.requests:
        say(f"  budget {r.budget_ref} ({r.id}): {r.points:f} points {r.status}")


def _points(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InvalidInput(
            f"not a number of points: {text!r}", field="points", rule="PEX-4"
        ) from None


def _said(result: BudgetResult) -> None:
    say(result.summary)
    say(f"  request {result.request.id}, hold {result.request.hold_id}")


@poc_app.command("request")
def request(
    partner: Annotated[str, typer.Argument(help="The partner (organisation id).")],
    points: Annotated[str, typer.Option("--points", help="Whole points to spend.")],
    ref: Annotated[str, typer.Option("--ref", help="The budget's reference (unique).")],
    description: Annotated[str, typer.Option("--description")] = "",
    program: Program = "pex",
    email: As = None,
) -> None:
    """Hold points for a proof-of-concept budget until the vendor decides (PEX-4)."""
    _said(
        _run(
            email,
            program,
            lambda a, p, actor: request_budget(
                a.uow_factory(),
                actor,
                partner,
                _points(points),
                ref,
                description=description,
                program=p,
                clock=a.clock,
            ),
        )
    )


def _decide(request_id: str, approve: bool, program: str) -> None:
    _said(
        _run(
            None,
            program,
            lambda a, p, actor: decide_budget(
                a.uow_factory(), actor, request_id, approve=approve, program=p, clock=a.clock
            ),
        )
    )


@poc_app.command("approve")
def approve(request_id: str, program: Program = "pex") -> None:
    """Approve a budget request: the held points are spent (PEX-4)."""
    _decide(request_id, True, program)


@poc_app.command("reject")
def reject(request_id: str, program: Program = "pex") -> None:
    """Reject a budget request: the held points return to the wallet."""
    _decide(request_id, False, program)


@app.command("margins")
def margins(
    partner: Annotated[str, typer.Argument(help="The partner (organisation id).")],
    year: Annotated[str, typer.Option("--year", help="The year, YYYY.")],
    as_json: AsJson = False,
    program: Program = "pex",
    email: As = None,
) -> None:
    """The Resell margin per tranche of 25,000 USD of licence bookings (PEX-5)."""
    found = _run(
        email,
        program,
        lambda a, p, actor: margin_statement(
            a.uow_factory(), actor, partner, Period.parse(year, field="year"), program=p
        ),
    )
    m = found.margin
    if as_json:
        body = {
            "partner_id": partner,
            "period": found.period.label,
            "bookings": m.bookings.to_json(),
            "exact": m.exact.to_json(),
            "margin": m.margin.to_json(),
            "deals": list(found.deals),
            "tranches": [
                {
                    "rate": f"{line.rate:f}",
                    "base": line.base.to_json(),
                    "margin": line.margin.to_json(),
                }
                for line in m.lines
            ],
        }
        typer.echo(json.dumps(body, indent=2))
        return
    for line in m.explanation.lines():
        say(line)
