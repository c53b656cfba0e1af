"""``alliance oip …``: a member's duties with compliance (OIP-5) and benefits (OIP-6),
Ambassador commissions (OIP-1) and the semiannual back-margin (OIP-7).

* ``oip duties PARTNER [--on DATE] [--json]`` — the status held, each duty item with
  what is done, the compliance, the benefits;
* ``oip record-duty PARTNER ITEM_KEY --done N`` and ``oip profile PARTNER --line L
  [--flag F]`` — the vendor records progress and what the member sells;
* ``oip commissions PARTNER --month YYYY-MM`` and ``oip back-margin PARTNER --semester
  YYYY-S1 [--on DATE]`` — statements, rounded once (X-1).

``--as EMAIL`` reads as a member's person (own organisation only, X-6).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from alliance.bootstrap import Application
from alliance.cli.acting import As, actor_for
from alliance.cli.imports import application, problems_reported, say
from alliance.cli.quotes import day_of
from alliance.domain.access import Actor
from alliance.domain.calendar import Month, Period
from alliance.domain.statuses import Payout
from alliance.services.status_incentives.commissions import (
    back_margin_statement,
    commission_statement,
)
from alliance.services.status_incentives.duties import (
    DutiesReport,
    duties_report,
    record_duty,
    set_profile,
)
from alliance.services.status_terms import StatusProgram, status_program

app = typer.Typer(help="OIP: duties, benefits, commissions, back-margin.", no_args_is_help=True)

T = TypeVar("T")
Program = Annotated[str, typer.Option("--program", help="The earned-status program.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
On = Annotated[str | None, typer.Option("--on", help="The day, YYYY-MM-DD; today.")]
Partner = Annotated[str, typer.Argument(help="The member (organisation id).")]


def _run(
    email: str | None, program: str, call: Callable[[Application, StatusProgram, Actor], T]
) -> T:
    with problems_reported():
        app_ = application()
        try:
            return call(app_, status_program(app_.programs, program), actor_for(app_, email))
        finally:
            app_.close()


def _show(report: DutiesReport, as_json: bool) -> None:
    duties = report.duties
    if as_json:
        body: dict[str, Any] = {
            "partner_id": report.standing.outcome.partner_id,
            "status": report.standing.outcome.status.id,
            "member_type": report.standing.member.member_type,
            "duties": [
                {"key": i.key, "name": i.name, "needed": i.needed, "done": i.done, "met": i.met}
                for i in duties.items
            ],
            "met": len(duties.met),
            "due": len(duties.items),
            "compliance": f"{duties.rate:f}",
            "benefits": [b.id for b in report.benefits],
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    say(report.summary)
    for item in duties.items:
        mark = "x" if item.met else " "
        say(f"  [{mark}] {item.name} [{item.key}]: {item.done} of {item.needed}")
    say("benefits:")
    for benefit in report.benefits:
        value = f" ({benefit.value})" if benefit.value is not None else ""
        say(f"  - {benefit.name}{value}")


@app.command("duties")
def duties(
    partner: Partner,
    on: On = None,
    as_json: AsJson = False,
    program: Program = "oip",
    email: As = None,
) -> None:
    """The duties of the status held, with compliance, and its benefits (OIP-5, OIP-6)."""
    report = _run(
        email,
        program,
        lambda a, p, actor: duties_report(
            a.uow_factory(), actor, partner, on=day_of(on) or a.clock.today(), program=p
        ),
    )
    _show(report, as_json)


@app.command("record-duty")
def record(
    partner: Partner,
    item_key: Annotated[str, typer.Argument(help="duty_id[:profile][:product_line]")],
    done: Annotated[int, typer.Option("--done", help="How many are done.")],
    on: On = None,
    program: Program = "oip",
) -> None:
    """Record how many of one duty item the member has done (OIP-5)."""
    report = _run(
        None,
        program,
        lambda a, p, actor: record_duty(
            a.uow_factory(),
            actor,
            partner,
            item_key,
            done,
            on=day_of(on) or a.clock.today(),
            program=p,
            clock=a.clock,
        ),
    )
    _show(report, False)


@app.command("profile")
def profile(
    partner: Partner,
    line: Annotated[
        list[str] | None, typer.Option("--line", help="A product line sold, once per line.")
    ] = None,
    flag: Annotated[list[str] | None, typer.Option("--flag", help="e.g. uses_eshop.")] = None,
    program: Program = "oip",
) -> None:
    """Set the product lines the member sells and its flags (OIP-5)."""
    saved = _run(
        None,
        program,
        lambda a, p, actor: set_profile(
            a.uow_factory(), actor, partner, line or (), flag or (), program=p, clock=a.clock
        ),
    )
    say(
        f"{saved.partner_id}: product lines {', '.join(sorted(saved.product_lines)) or '-'}; "
        f"flags {', '.join(sorted(saved.flags)) or '-'}"
    )


def _payout(payout: Payout, as_json: bool) -> None:
    if as_json:
        body = {
            "partner_id": payout.partner_id,
            "period": payout.period,
            "base": payout.base.to_json(),
            "exact": payout.exact.to_json(),
            "amount": payout.amount.to_json(),
            "idempotency_key": payout.idempotency_key,
        }
        typer.echo(json.dumps(body, indent=2))
        return
    for text in payout.explanation.lines():
        say(text)


@app.command("commissions")
def commissions(
    partner: Partner,
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    as_json: AsJson = False,
    program: Program = "oip",
    email: As = None,
) -> None:
    """An Ambassador's commission on every service billed in the month (OIP-1)."""
    payout = _run(
        email,
        program,
        lambda a, p, actor: commission_statement(
            a.uow_factory(), actor, partner, Month.parse(month), program=p
        ),
    )
    _payout(payout, as_json)


@app.command("back-margin")
def back_margin(
    partner: Partner,
    semester: Annotated[str, typer.Option("--semester", help="The semester, YYYY-S1|S2.")],
    on: On = None,
    as_json: AsJson = False,
    program: Program = "oip",
    email: As = None,
) -> None:
    """A Premium operator's back-margin on the semester's VoIP revenue (OIP-7)."""
    payout = _run(
        email,
        program,
        lambda a, p, actor: back_margin_statement(
            a.uow_factory(),
            actor,
            partner,
            Period.parse(semester, field="semester"),
            on=day_of(on) or a.clock.today(),
            program=p,
        ),
    )
    _payout(payout, as_json)
