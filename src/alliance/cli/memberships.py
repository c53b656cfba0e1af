"""``alliance memberships …``: paid memberships of the OPN program (OPN-1 … OPN-18, CRD-1).

The commands act as the system operator (``cli``); where a rule is about a person —
the applicant who resumes a draft (OPN-9), the principal's administrator who approves an
associate (OPN-2), whoever renews or assigns roles (OPN-18) — the person is named with
``--by PERSON_ID`` (``--applicant`` when starting). Forms are JSON files:

* ``apply ORG --applicant P [--answers FILE]`` starts an enrolment application; FILE is
  ``{"step": {answer}, …}`` (or a list of ``[step, answer]``) saved step by step, as the
  portal would; ``step APP STEP --answers FILE`` saves one step; ``submit APP``.
* ``approve APP --by P`` / ``reject APP --by P`` — the principal's administrator (OPN-2).
* ``pay SUB --amount X [--on DATE] [--method M]`` records a payment (OPN-6, OPN-7).
* ``show ID [--json]`` (a subscription ``sub_…`` or an application ``app_…``), ``list``.
* ``renew SUB --by P [--answers FILE] [--submit]``, ``renewal approve|decline SUB``.
* ``tick [--as-of DATE]`` — the daily job, idempotent for a date.
* ``tracks join|leave SUB TRACK``, ``expertise publish SUB --product X``, ``expertise
  list SUB``, ``roles assign PERSON ROLE [--remove]``.

``alliance memberships --today DATE …`` runs a command as of that day (replays, tests).
Errors print one line naming the field and the rule, and exit with 2 (X-7).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from alliance.bootstrap import Application
from alliance.cli.imports import application, problems_reported, say
from alliance.domain.access import Actor
from alliance.domain.clock import Clock, FixedClock
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    ApplicationId,
    ApplicationStatus,
    LegacyHoldings,
    MembershipStatus,
    SaasEnvironment,
    SubscriptionId,
    TrainingSubscription,
)
from alliance.domain.money import Money
from alliance.services.membership_terms import (
    DEFAULT_PROGRAM,
    MembershipProgram,
    membership_program,
)
from alliance.services.memberships.applications import ApplicationView, SubmitOutcome
from alliance.services.memberships.views import MembershipView
from alliance.services.ports import UnitOfWork

app = typer.Typer(
    help="Paid memberships: applications, fees, renewal, tracks.", no_args_is_help=True
)
tracks_app = typer.Typer(help="Optional tracks (OPN-12, OPN-13).", no_args_is_help=True)
expertise_app = typer.Typer(help="Published expertise (OPN-17).", no_args_is_help=True)
roles_app = typer.Typer(help="Partner roles (OPN-18).", no_args_is_help=True)
renewal_app = typer.Typer(
    help="Decide on a requested renewal (OPN-14, OPN-15).", no_args_is_help=True
)
app.add_typer(tracks_app, name="tracks")
app.add_typer(expertise_app, name="expertise")
app.add_typer(roles_app, name="roles")
app.add_typer(renewal_app, name="renewal")

CLI_ACTOR = Actor.system("cli")
By = Annotated[str | None, typer.Option("--by", help="The person who acts (a person id).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Program = Annotated[str, typer.Option("--program", help="The membership program.")]


@dataclass
class _State:
    today: date | None = None


STATE = _State()


@app.callback()
def _options(
    today: Annotated[
        str | None, typer.Option("--today", help="Act as of this day, YYYY-MM-DD.")
    ] = None,
) -> None:
    STATE.today = _day(today, "today") if today else None


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"a date is written YYYY-MM-DD, got {text!r}", field=field, rule="X-2"
        ) from None


@dataclass(frozen=True)
class _Context:
    uow: UnitOfWork
    clock: Clock
    program: MembershipProgram
    app: Application

    def fresh(self) -> UnitOfWork:
        return self.app.uow_factory()


@contextmanager
def _context(program: str = DEFAULT_PROGRAM) -> Iterator[_Context]:
    app_ = application()
    try:
        clock: Clock = app_.clock
        if STATE.today is not None:
            clock = FixedClock(datetime.combine(STATE.today, time(12), tzinfo=UTC))
        yield _Context(app_.uow_factory(), clock, membership_program(app_.programs, program), app_)
    finally:
        app_.close()


def _answers(path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(f"cannot read {path}: {error}", field="answers", rule="X-7") from None
    if isinstance(data, dict):
        pairs = list(data.items())
    elif isinstance(data, list) and all(isinstance(p, list) and len(p) == 2 for p in data):
        pairs = [(p[0], p[1]) for p in data]
    else:
        raise InvalidInput(
            "answers are {step: answer} or [[step, answer], …]", field="answers", rule="OPN-9"
        )
    for step, answer in pairs:
        if not isinstance(step, str) or not isinstance(answer, dict):
            raise InvalidInput(
                f"the answer to {step!r} is a JSON object", field="answers", rule="OPN-9"
            )
    return pairs


def _person(text: str | None) -> PersonId | None:
    return PersonId(text) if text else None


# -- printing -----------------------------------------------------------------------------


def application_json(view: ApplicationView) -> dict[str, Any]:
    a = view.application
    return {
        "id": a.id,
        "organization_id": a.organization_id,
        "applicant": a.applicant,
        "kind": a.kind.value,
        "status": a.status.value,
        "renewing": a.renewing,
        "member_type": a.member_type.value if a.member_type else None,
        "level": a.level,
        "principal_subscription": a.principal_subscription,
        "steps": [s.value for s in view.steps],
        "completed": [s.value for s in view.steps if s in a.answers],
        "next_step": view.next_step.value if view.next_step else None,
    }


def _money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def membership_json(view: MembershipView) -> dict[str, Any]:
    m = view.membership
    return {
        "subscription_id": m.subscription_id,
        "organization_id": m.organization_id,
        "member_type": m.member_type.value,
        "principal": m.principal,
        "level": m.level,
        "status": m.status.value,
        "start": m.term.start.isoformat() if m.term else None,
        "end": m.term.end.isoformat() if m.term else None,
        "payment": {"plan": m.payment.plan.value, "method": m.payment.method.value}
        if m.payment
        else None,
        "as_of": view.as_of.isoformat(),
        "benefits": view.standing.benefits,
        "standing": {"reason": view.standing.reason, "rule": view.standing.rule},
        "tracks": list(view.tracks),
        "renewal": {
            "route": view.renewal.route.value,
            "reason": view.renewal.reason,
            "rule": view.renewal.rule,
            "window_opens": view.window_opens.isoformat() if view.window_opens else None,
            "status": m.renewal.status.value if m.renewal else None,
        },
        "invoices": [
            {
                "id": i.id,
                "reference": i.reference,
                "amount": _money(i.amount),
                "issued_on": i.issued_on.isoformat(),
                "timing": i.timing.value,
                "instalments": [
                    {
                        "number": n.number,
                        "amount": _money(n.amount),
                        "due_on": n.due_on.isoformat(),
                        "paid_on": n.paid_on.isoformat() if n.paid_on else None,
                    }
                    for n in i.instalments
                ],
            }
            for i in view.invoices
        ],
        "expertise": [e.product for e in view.expertise],
    }


def _say_application(view: ApplicationView) -> None:
    a = view.application
    following = view.next_step.value if view.next_step else "none (ready to submit)"
    if a.status is not ApplicationStatus.DRAFT:
        following = "none"
    say(f"application {a.id} ({a.kind.value}) for {a.organization_id}: {a.status.value}")
    say(f"next step: {following}")


def _say_outcome(outcome: SubmitOutcome) -> None:
    a = outcome.application
    say(f"application {a.id}: {a.status.value}")
    m = outcome.membership
    if m is not None:
        dates = f" from {m.term.start} to {m.term.end}" if m.term else ""
        say(f"membership {m.subscription_id}: {m.level} {m.status.value}{dates}")
        if m.renewal is not None:
            say(f"renewal: {m.renewal.status.value}")
    if outcome.invoice is not None:
        inv = outcome.invoice
        say(f"invoice {inv.id} for {inv.reference}: {inv.amount}, issued {inv.issued_on}")
        for i in inv.instalments:
            say(f"  instalment {i.number}: {i.amount} due {i.due_on}")


def _say_membership(view: MembershipView) -> None:
    body = membership_json(view)
    dates = f" {body['start']} → {body['end']}" if body["start"] else ""
    say(
        f"{body['subscription_id']} {body['organization_id']} {body['member_type']} "
        f"{body['level']} {body['status']}{dates}"
    )


# -- commands -----------------------------------------------------------------------------


@app.command("apply")
def apply(
    organization: Annotated[str, typer.Argument(help="The applying organisation's id.")],
    applicant: Annotated[str, typer.Option("--applicant", help="The applicant (person id).")],
    answers: Annotated[
        Path | None, typer.Option("--answers", help="JSON answers to save, step by step.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country")] = None,
    submit: Annotated[bool, typer.Option("--submit", help="Submit once answered.")] = False,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Start an enrolment application (OPN-9); the applicant becomes administrator (OPN-10)."""
    from alliance.services.memberships import applications

    with problems_reported(), _context(program) as ctx:
        pairs = _answers(answers) if answers else []
        view = applications.start_application(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            OrganizationId(organization),
            applicant=PersonId(applicant),
            country=country,
        )
        _save_all(ctx, view, pairs, submit)


def _save_all(
    ctx: _Context, view: ApplicationView, pairs: list[tuple[str, dict[str, Any]]], submit: bool
) -> None:
    from alliance.services.memberships import applications

    say(f"application {view.application.id} started")
    for step, data in pairs:
        view = applications.save_step(
            ctx.fresh(), CLI_ACTOR, ctx.program, ctx.clock, view.application.id, step, data
        )
        say(f"saved {step}")
    if submit:
        _say_outcome(
            applications.submit_application(
                ctx.fresh(), CLI_ACTOR, ctx.program, ctx.clock, view.application.id
            )
        )
        return
    _say_application(view)


@app.command("step")
def step(
    application_id: Annotated[str, typer.Argument(help="The application's id.")],
    step_name: Annotated[str, typer.Argument(metavar="STEP", help="The step answered.")],
    answers: Annotated[Path, typer.Option("--answers", help="The step's answer, JSON.")],
    by: By = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Answer one step of a draft; it is saved at once (OPN-9)."""
    from alliance.services.memberships import applications

    with problems_reported(), _context(program) as ctx:
        try:
            data = json.loads(answers.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InvalidInput(f"cannot read {answers}: {error}", field="answers") from None
        if not isinstance(data, dict):
            raise InvalidInput("the answer is a JSON object", field="answers", rule="OPN-9")
        view = applications.save_step(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            ApplicationId(application_id),
            step_name,
            data,
            by=_person(by),
        )
        say(f"saved {step_name}")
        _say_application(view)


@app.command("submit")
def submit(
    application_id: Annotated[str, typer.Argument(help="The application's id.")],
    by: By = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Submit a complete application: a principal subscribes; an associate waits (OPN-2)."""
    from alliance.services.memberships import applications

    with problems_reported(), _context(program) as ctx:
        outcome = applications.submit_application(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            ApplicationId(application_id),
            by=_person(by),
        )
        _say_outcome(outcome)


def _decide(application_id: str, by: str, approved: bool, note: str, program: str) -> None:
    from alliance.services.memberships import applications

    with problems_reported(), _context(program) as ctx:
        outcome = applications.decide_associate(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            ApplicationId(application_id),
            approved=approved,
            by=PersonId(by),
            note=note,
        )
        _say_outcome(outcome)


@app.command("approve")
def approve(
    application_id: Annotated[str, typer.Argument(help="The associate's application.")],
    by: Annotated[str, typer.Option("--by", help="The principal's partner administrator.")],
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Approve an associate's application (OPN-2); it subscribes at the principal's level."""
    _decide(application_id, by, True, "", program)


@app.command("reject")
def reject(
    application_id: Annotated[str, typer.Argument(help="The associate's application.")],
    by: Annotated[str, typer.Option("--by", help="The principal's partner administrator.")],
    note: Annotated[str, typer.Option("--note")] = "",
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Reject an associate's application (OPN-2)."""
    _decide(application_id, by, False, note, program)


@app.command("pay")
def pay(
    subscription: Annotated[str, typer.Argument(help="The subscription id (OPN-7).")],
    amount: Annotated[str, typer.Option("--amount", help="The amount received.")],
    currency: Annotated[str, typer.Option("--currency")] = "USD",
    on: Annotated[str | None, typer.Option("--on", help="Paid on, YYYY-MM-DD.")] = None,
    method: Annotated[str | None, typer.Option("--method", help="card, wire, …")] = None,
    reference: Annotated[str | None, typer.Option("--reference")] = None,
    key: Annotated[str | None, typer.Option("--key", help="Idempotency key.")] = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Record a fee payment; paid in full, a pending membership is activated (OPN-6)."""
    from alliance.services.memberships import payments

    with problems_reported(), _context(program) as ctx:
        outcome = payments.record_payment(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            SubscriptionId(subscription),
            Money.of(amount, currency),
            paid_on=_day(on, "on") if on else None,
            method=method,
            reference=reference,
            idempotency_key=key,
        )
        p, m = outcome.payment, outcome.membership
        already = " (already recorded)" if outcome.replayed else ""
        say(f"payment {p.id}: {p.amount} on {p.paid_on} for {p.reference}{already}")
        paid = [str(i.number) for i in outcome.invoice.instalments if i.paid_on]
        say(f"invoice {outcome.invoice.id}: instalments paid {', '.join(paid) or 'none'}")
        if outcome.activated and m.term:
            say(f"membership {m.subscription_id} activated: {m.term.start} → {m.term.end}")
        elif outcome.renewed and m.renewal and m.renewal.term:
            say(
                f"renewal of {m.subscription_id} approved: "
                f"{m.renewal.term.start} → {m.renewal.term.end}"
            )
        else:
            say(f"membership {m.subscription_id}: {m.status.value}")


@app.command("show")
def show(
    identifier: Annotated[str, typer.Argument(help="A subscription (sub_…) or application.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD.")] = None,
    as_json: AsJson = False,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """A membership with its standing, renewal route and invoices; or an application."""
    from alliance.services.memberships import applications, views

    with problems_reported(), _context(program) as ctx:
        if not identifier.startswith("sub_"):
            view = applications.get_application(
                ctx.uow, CLI_ACTOR, ctx.program, ApplicationId(identifier)
            )
            if as_json:
                say(json.dumps(application_json(view), indent=2))
            else:
                _say_application(view)
            return
        found = views.get_membership(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            SubscriptionId(identifier),
            as_of=_day(as_of, "as_of") if as_of else None,
        )
    body = membership_json(found)
    if as_json:
        say(json.dumps(body, indent=2))
        return
    _say_membership(found)
    say(f"standing: {body['standing']['reason']} [{body['standing']['rule']}]")
    renewal = body["renewal"]
    say(f"renewal: {renewal['route']} — {renewal['reason']} [{renewal['rule']}]")
    for invoice in body["invoices"]:
        amount = invoice["amount"]
        say(f"invoice {invoice['id']}: {amount['amount']} {amount['currency']}")
        for i in invoice["instalments"]:
            paid = f" paid {i['paid_on']}" if i["paid_on"] else ""
            say(f"  {i['number']}: {i['amount']['amount']} due {i['due_on']}{paid}")


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status")] = None,
    applications_only: Annotated[
        bool, typer.Option("--applications", help="List applications instead.")
    ] = False,
    as_json: AsJson = False,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Memberships (or applications), newest first."""
    from alliance.services.memberships import applications, views

    with problems_reported(), _context(program) as ctx:
        if applications_only:
            chosen = _status(ApplicationStatus, status)
            found_apps = applications.list_applications(
                ctx.uow, CLI_ACTOR, ctx.program, status=chosen
            )
            if as_json:
                say(json.dumps([application_json(v) for v in found_apps], indent=2))
                return
            for view in found_apps:
                a = view.application
                say(f"{a.id} {a.organization_id} {a.kind.value} {a.status.value} {a.level or ''}")
            return
        found = views.list_memberships(
            ctx.uow, CLI_ACTOR, ctx.program, ctx.clock, status=_status(MembershipStatus, status)
        )
    if as_json:
        say(json.dumps([membership_json(v) for v in found], indent=2))
        return
    for membership in found:
        _say_membership(membership)


def _status(kind: Any, text: str | None) -> Any:
    if text is None:
        return None
    try:
        return kind(text)
    except ValueError:
        offered = ", ".join(s.value for s in kind)
        raise InvalidInput(f"status is one of {offered}", field="status", rule="X-7") from None


@app.command("renew")
def renew(
    subscription: Annotated[str, typer.Argument(help="The subscription to renew.")],
    by: Annotated[str, typer.Option("--by", help="The person who renews.")],
    answers: Annotated[Path | None, typer.Option("--answers", help="JSON answers.")] = None,
    submit: Annotated[bool, typer.Option("--submit", help="Submit once answered.")] = False,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Start a renewal application (OPN-14: the window opens 90 days before the end)."""
    from alliance.services.memberships import applications

    with problems_reported(), _context(program) as ctx:
        pairs = _answers(answers) if answers else []
        view = applications.start_renewal_application(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            SubscriptionId(subscription),
            applicant=PersonId(by),
        )
        _save_all(ctx, view, pairs, submit)


def _legacy(path: Path | None) -> LegacyHoldings | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LegacyHoldings(
            unused_universal_credits=Decimal(str(data.get("unused_universal_credits", "0"))),
            cloud_environments=tuple(data.get("cloud_environments", ())),
            saas_environments=tuple(
                SaasEnvironment(e["id"], date.fromisoformat(e["renewal_date"]))
                for e in data.get("saas_environments", ())
            ),
            training_subscriptions=tuple(
                TrainingSubscription(t["id"], bool(t["activated"]))
                for t in data.get("training_subscriptions", ())
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, ArithmeticError) as error:
        raise InvalidInput(
            f"cannot read the legacy holdings {path}: {error}", field="legacy", rule="OPN-16"
        ) from None


@renewal_app.command("approve")
def renewal_approve(
    subscription: Annotated[str, typer.Argument(help="The subscription.")],
    legacy: Annotated[
        Path | None, typer.Option("--legacy", help="Legacy holdings, JSON (OPN-16).")
    ] = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Approve a requested renewal; OPN-16 transition effects are recorded on it."""
    from alliance.services.memberships import renewals

    with problems_reported(), _context(program) as ctx:
        outcome = renewals.approve_renewal_request(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            SubscriptionId(subscription),
            legacy=_legacy(legacy),
        )
    renewal = outcome.membership.renewal
    assert renewal is not None and renewal.term is not None
    say(f"renewal approved: {renewal.term.start} → {renewal.term.end} at {renewal.level}")
    for effect in renewal.effects:
        say(f"  effect: {effect}")


@renewal_app.command("decline")
def renewal_decline(
    subscription: Annotated[str, typer.Argument(help="The subscription.")],
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Decline a renewal requested but not paid; the partner must enrol anew (OPN-15)."""
    from alliance.services.memberships import renewals

    with problems_reported(), _context(program) as ctx:
        m = renewals.decline_renewal_request(
            ctx.uow, CLI_ACTOR, ctx.program, ctx.clock, SubscriptionId(subscription)
        )
    say(f"renewal of {m.subscription_id} declined; membership {m.status.value}")


@app.command("tick")
def tick(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day to run for, YYYY-MM-DD.")
    ] = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """The daily job: expire, lapse, start renewed terms, announce windows, remind."""
    from alliance.services.memberships import tick as job

    with problems_reported(), _context(program) as ctx:
        report = job.run_daily(
            ctx.uow, CLI_ACTOR, ctx.program, ctx.clock, _day(as_of, "as_of") if as_of else None
        )
    say(report.summary)


def _track(subscription: str, track: str, by: str | None, join: bool, program: str) -> None:
    from alliance.services.memberships import tracks

    with problems_reported(), _context(program) as ctx:
        m = tracks.change_track(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            SubscriptionId(subscription),
            track,
            join=join,
            by=_person(by),
        )
    say(f"{m.subscription_id} tracks: {', '.join(t.track for t in m.tracks) or 'none'}")


@tracks_app.command("join")
def track_join(
    subscription: Annotated[str, typer.Argument()],
    track: Annotated[str, typer.Argument()],
    by: By = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Join an optional track (levels ≥ 1, principals; associates follow, OPN-13)."""
    _track(subscription, track, by, True, program)


@tracks_app.command("leave")
def track_leave(
    subscription: Annotated[str, typer.Argument()],
    track: Annotated[str, typer.Argument()],
    by: By = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Leave an optional track."""
    _track(subscription, track, by, False, program)


@expertise_app.command("publish")
def expertise_publish(
    subscription: Annotated[str, typer.Argument()],
    product: Annotated[str, typer.Option("--product")],
    qualification: Annotated[
        list[str] | None, typer.Option("--qualification", help="A qualification held.")
    ] = None,
    contract: Annotated[
        list[str] | None, typer.Option("--contract", help="A prerequisite contract held.")
    ] = None,
    requires_qualification: Annotated[list[str] | None, typer.Option()] = None,
    requires_contract: Annotated[list[str] | None, typer.Option()] = None,
    by: By = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Publish an expertise for a product (OPN-17: never at level 0)."""
    from alliance.services.memberships import expertise

    with problems_reported(), _context(program) as ctx:
        published = expertise.publish(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            SubscriptionId(subscription),
            product,
            qualifications=qualification or (),
            contracts=contract or (),
            required_qualifications=requires_qualification or (),
            required_contracts=requires_contract or (),
            by=_person(by),
        )
    say(f"expertise for {published.product} published on {published.published_on}")


@expertise_app.command("list")
def expertise_list(
    subscription: Annotated[str, typer.Argument()],
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Published expertise and whether each is valid today (OPN-15)."""
    from alliance.services.memberships import expertise

    with problems_reported(), _context(program) as ctx:
        found = expertise.list_expertise(
            ctx.uow, CLI_ACTOR, ctx.program, ctx.clock, SubscriptionId(subscription)
        )
    for view in found:
        state = "valid" if view.valid else "not valid (membership not active)"
        say(f"{view.expertise.product}: published {view.expertise.published_on}, {state}")


@roles_app.command("assign")
def roles_assign(
    person: Annotated[str, typer.Argument(help="The person given the role.")],
    role: Annotated[str, typer.Argument(help="The partner role (OPN-18).")],
    remove: Annotated[bool, typer.Option("--remove", help="Take the role back.")] = False,
    by: By = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Give (or take back) a partner role, within the role's bounds (OPN-10, OPN-18)."""
    from alliance.services.memberships import roles

    with problems_reported(), _context(program) as ctx:
        updated = roles.assign_role(
            ctx.uow,
            CLI_ACTOR,
            ctx.program,
            ctx.clock,
            PersonId(person),
            roles.parse_role(role),
            remove=remove,
            by=_person(by),
        )
    say(f"{updated.id} roles: {', '.join(sorted(r.value for r in updated.partner_roles))}")
