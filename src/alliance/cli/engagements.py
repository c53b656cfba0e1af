"""``alliance engagements …``: deal registration and its rewards from the command line.

Partners' commands act **as** one of the partner's people: ``--as EMAIL`` (the CLI's
operator speaks in that person's name; the rules are checked for that person — CCE-1,
CCE-2). Vendor commands (``move``, ``book``, ``payout``, ``supplier``) act as the system
operator.

* ``users add|deactivate|list`` — the tool's users, at most 10 active (CCE-1, CCE-2);
* ``create --file FORM.json`` — submit an engagement (CCE-3; every missing field named
  at once), checked for duplicates (CCE-4); ``edit ID --file CHANGES.json`` (CCE-5);
  ``note ID TEXT`` and ``attach ID FILE --category C`` (CCE-5: at any time);
* ``move ID TO`` — the vendor's review moves (CCE-6; acknowledgement e-mails the
  partner); ``show ID``, ``list``, ``duplicates ID`` (re-check, CCE-4);
* ``book ID --line PRODUCT:FAMILY:AMOUNT:CURRENCY`` — the booked deal, re-checked (RWD-2);
* ``payout preview|release|list`` — rewards (RWD-1…RWD-5); ``supplier ORG --status``.

User errors print one line naming the rule (plus one per problem) and exit with 2 (X-7).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from alliance.bootstrap import Application
from alliance.cli.acting import actor_for
from alliance.cli.imports import application, problems_reported, say
from alliance.domain.access import Actor
from alliance.domain.engagement_rewards import DealLine, OrderKind, Sector, SupplierAccount
from alliance.domain.engagements import Category, Status
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.money import Money
from alliance.services.engagements.program import EngagementProgram, engagement_program
from alliance.services.engagements.queries import EngagementDetail
from alliance.services.membership_terms import DEFAULT_PROGRAM

app = typer.Typer(
    help="Deal registration: engagement users, engagements, reviews, rewards.",
    no_args_is_help=True,
)
users_app = typer.Typer(help="The engagement tool's users (CCE-1, CCE-2).", no_args_is_help=True)
payout_app = typer.Typer(help="Rewards on won opportunities (RWD-1…RWD-5).", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(payout_app, name="payout")

T = TypeVar("T")
As = Annotated[
    str | None,
    typer.Option("--as", help="Act as this partner person (e-mail); vendor commands omit it."),
]
Program = Annotated[str, typer.Option("--program", help="The program of the engagements.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _run(
    email: str | None, program: str, call: Callable[[Application, EngagementProgram, Actor], T]
) -> T:
    with problems_reported():
        app_ = application()
        try:
            terms = engagement_program(
                app_.programs, program, attachments_dir=app_.settings.attachments_dir
            )
            return call(app_, terms, actor_for(app_, email))
        finally:
            app_.close()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(f"cannot read {path} as JSON: {error}", field="file") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} holds a JSON object", field="file")
    return data


def _show(found: EngagementDetail) -> None:
    record = found.record
    e = record.engagement
    say(f"engagement {e.id} ({e.reference}): {e.category.value} {e.name!r} — {e.status.value}")
    say(f"  partner {e.partner_id}, version {record.version}, submitted by {record.submitted_by}")
    a = e.customer.address
    say(f"  customer {e.customer.legal_name} ({e.customer.id}), {a.street}, {a.city} {a.country}")
    say(f"  sector {record.sector.value}, order {record.order_kind.value}")
    for p in e.products:
        period = f"{p.service_period.start}…{p.service_period.end}" if p.service_period else "-"
        say(f"  product {p.product} ({p.family}) x{p.quantity} {p.amount} {period}")
    for pillar in e.pillars:
        say(f"  pillar {pillar.name}")
    if e.estimated_close_date:
        say(f"  estimated close {e.estimated_close_date}")
    if record.sales_review:
        say("  product changes routed to the vendor's sales team for review [CCE-5]")
    for note in found.notes:
        say(f"  note {note.position + 1} by {note.author}: {note.text}")
    for att in found.attachments:
        review = " (document review)" if att.needs_review else ""
        say(f"  attachment {att.id} {att.name} [{att.category}] {att.size} bytes{review}")
    if found.duplicate is not None:
        say(f"  duplicate check: {found.duplicate.verdict.value}")
        for line in found.duplicate.explanation:
            say(f"    {line}")
    for t in found.transitions:
        say(f"  {t.source.value} → {t.target.value} ({t.move}) by {t.actor} at {t.at.isoformat()}")
    for payout in found.payouts:
        say(
            f"  payout v{payout.version}: {payout.amount} in {payout.method.value} — "
            f"{payout.status.value}"
        )
    if found.moves:
        say(f"  next: {', '.join(m.target.value for m in found.moves)}")


def _json(found: EngagementDetail) -> dict[str, Any]:
    e = found.record.engagement
    return {
        "id": e.id,
        "reference": e.reference,
        "partner_id": e.partner_id,
        "category": e.category.value,
        "status": e.status.value,
        "name": e.name,
        "version": found.record.version,
        "customer": {"id": e.customer.id, "legal_name": e.customer.legal_name},
        "notes": list(e.notes),
        "attachments": [
            {"id": a.id, "name": a.name, "category": a.category} for a in found.attachments
        ],
        "duplicate": None
        if found.duplicate is None
        else {
            "verdict": found.duplicate.verdict.value,
            "matches": list(found.duplicate.matches),
            "explanation": list(found.duplicate.explanation),
        },
        "transitions": [
            {"from": t.source.value, "to": t.target.value, "by": t.actor, "at": t.at.isoformat()}
            for t in found.transitions
        ],
        "payouts": [
            {
                "version": p.version,
                "amount": p.amount.to_json(),
                "method": p.method.value,
                "status": p.status.value,
            }
            for p in found.payouts
        ],
    }


# -- users ---------------------------------------------------------------------------------


@users_app.command("add")
def users_add(
    person: Annotated[str, typer.Argument(help="The person's id.")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Give a person access to the engagement tool (CCE-1: at most 10 active)."""
    from alliance.services.engagements.users import add_user

    view = _run(
        as_,
        program,
        lambda a, p, actor: add_user(
            a.uow_factory(), actor, PersonId(person), program=p, clock=a.clock
        ),
    )
    say(f"{view.name} <{view.email}> may use the engagement tool of {view.organization_id}")


@users_app.command("deactivate")
def users_deactivate(
    person: Annotated[str, typer.Argument(help="The person's id.")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Deactivate a user, which frees a place (CCE-1)."""
    from alliance.services.engagements.users import deactivate_user

    view = _run(
        as_,
        program,
        lambda a, _p, actor: deactivate_user(
            a.uow_factory(), actor, PersonId(person), clock=a.clock
        ),
    )
    say(f"{view.name} <{view.email}> no longer uses the engagement tool of {view.organization_id}")


@users_app.command("list")
def users_list(
    organization: Annotated[str, typer.Argument(help="The partner organisation's id.")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """The partner's users of the tool and the places left (CCE-1)."""
    from alliance.services.engagements.users import list_users

    found = _run(
        as_,
        program,
        lambda a, p, actor: list_users(
            a.uow_factory(), actor, OrganizationId(organization), program=p
        ),
    )
    for user in found.users:
        state = "active" if user.active else "deactivated"
        say(f"{user.person_id}  {user.name} <{user.email}>  {state}")
    left = "no limit" if found.places_left is None else f"{found.places_left} place(s) left"
    say(f"{found.active} active user(s) of {found.limit or '∞'}; {left} [CCE-1]")


# -- engagements -------------------------------------------------------------------------


def create(
    file: Annotated[Path, typer.Option("--file", help="The engagement form (JSON).")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
    as_json: AsJson = False,
) -> None:
    """Submit an engagement: every missing field is named at once (CCE-3); an opportunity
    is checked for duplicates (CCE-4)."""
    from alliance.services.engagements.forms import read_form
    from alliance.services.engagements.submissions import submit

    def call(a: Application, p: EngagementProgram, actor: Actor) -> EngagementDetail:
        return submit(a.uow_factory(), actor, read_form(_read_json(file)), program=p, clock=a.clock)

    found = _run(as_, program, call)
    if as_json:
        say(json.dumps(_json(found), indent=2))
        return
    say(f"submitted engagement {found.record.id}")
    _show(found)


app.command("create")(create)
app.command("submit", help="Same as create.")(create)


@app.command("edit")
def edit(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    file: Annotated[Path, typer.Option("--file", help="The changes (JSON).")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Edit a submitted engagement under CCE-5 (the customer never; a closed deal not)."""
    from alliance.services.engagements.changes import edit_engagement
    from alliance.services.engagements.forms import read_edit

    result = _run(
        as_,
        program,
        lambda a, p, actor: edit_engagement(
            a.uow_factory(),
            actor,
            engagement,
            read_edit(_read_json(file)),
            program=p,
            clock=a.clock,
        ),
    )
    for line in result.outcome.explanation or ("nothing changed",):
        say(line)
    _show(result.engagement)


@app.command("note")
def note(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Add a note — at any time, even after the deal closed (CCE-5)."""
    from alliance.services.engagements.changes import add_note

    result = _run(
        as_,
        program,
        lambda a, p, actor: add_note(
            a.uow_factory(), actor, engagement, text, program=p, clock=a.clock
        ),
    )
    say(f"note added to {engagement} (version {result.engagement.record.version})")


@app.command("attach")
def attach_file(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    file: Annotated[Path, typer.Argument(help="The document.", exists=True, dir_okay=False)],
    category: Annotated[
        str, typer.Option("--category", help="invoice, statement_of_work, miscellaneous…")
    ],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Attach a document with a category (CCE-5; an Invoice is what money payouts need)."""
    from alliance.services.engagements.attachments import Upload, attach

    def call(a: Application, p: EngagementProgram, actor: Actor) -> Any:
        with file.open("rb") as stream:
            return attach(
                a.uow_factory(),
                actor,
                engagement,
                Upload(file.name, "", stream, category),
                program=p,
                clock=a.clock,
            )

    _result, stored = _run(as_, program, call)
    review = "; sent for document review [CCE-5]" if stored.needs_review else ""
    say(f"attached {stored.name} [{stored.category}] as {stored.id}, {stored.size} bytes{review}")


@app.command("move")
def move(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    to: Annotated[str, typer.Argument(help="The new state (acknowledged…) or move (accept…).")],
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Move an engagement through its lifecycle (CCE-6), as the vendor."""
    from alliance.services.engagements.lifecycle import move_engagement

    result = _run(
        None,
        program,
        lambda a, p, actor: move_engagement(
            a.uow_factory(), actor, engagement, to, program=p, clock=a.clock
        ),
    )
    e = result.engagement.record.engagement
    say(f"{e.id} is now {e.status.value}")
    if result.emails:
        say(f"{result.emails} e-mail(s) to the partner queued [CCE-6]")
    if result.assessment is not None:
        for line in result.assessment.explanation:
            say(f"  {line}")


@app.command("show")
def show(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
    as_json: AsJson = False,
) -> None:
    """One engagement: fields, notes, attachments, duplicate check, history, payouts."""
    from alliance.services.engagements.queries import get_engagement

    found = _run(
        as_, program, lambda a, _p, actor: get_engagement(a.uow_factory(), actor, engagement)
    )
    if as_json:
        say(json.dumps(_json(found), indent=2))
        return
    _show(found)


@app.command("list")
def list_(
    as_: As = None,
    partner: Annotated[str | None, typer.Option("--partner", help="One partner's.")] = None,
    status: Annotated[Status | None, typer.Option("--status")] = None,
    category: Annotated[Category | None, typer.Option("--category")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 100,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """The engagements one may see (a partner: its own company's), newest first."""
    from alliance.services.engagements.queries import list_engagements

    found = _run(
        as_,
        program,
        lambda a, _p, actor: list_engagements(
            a.uow_factory(),
            actor,
            partner_id=OrganizationId(partner) if partner else None,
            status=status,
            category=category,
            limit=limit,
        ),
    )
    for record in found:
        e = record.engagement
        verdict = f" [{record.duplicate.verdict.value}]" if record.duplicate else ""
        say(f"{e.id}  {e.partner_id}  {e.category.value:16} {e.status.value:18} {e.name}{verdict}")
    say(f"{len(found)} engagement(s)")


@app.command("customers")
def customers(
    as_: As = None,
    partner: Annotated[
        str | None, typer.Option("--partner", help="Staff name the partner.")
    ] = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """The customers a partner saved for reuse (CCE-3): ``"customer_id"`` in a form."""
    from alliance.services.engagements.queries import list_customers

    found = _run(
        as_,
        program,
        lambda a, _p, actor: list_customers(
            a.uow_factory(), actor, OrganizationId(partner) if partner else None
        ),
    )
    for c in found:
        say(f"{c.id}  {c.legal_name}, {c.address.street}, {c.address.city} {c.address.country}")
    say(f"{len(found)} saved customer(s)")


@app.command("duplicates")
def duplicates(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Check an opportunity for duplicates again and explain the verdict (CCE-4)."""
    from alliance.services.engagements.submissions import recheck_duplicates

    found = _run(
        as_,
        program,
        lambda a, p, actor: recheck_duplicates(
            a.uow_factory(), actor, engagement, program=p, clock=a.clock
        ),
    )
    if found.duplicate is None:
        say(f"{engagement} is account planning: duplicates are checked on opportunities [CCE-4]")
        return
    say(f"{engagement}: {found.duplicate.verdict.value}")
    for line in found.duplicate.explanation:
        say(f"  {line}")


def _line(text: str) -> DealLine:
    parts = text.split(":")
    if len(parts) != 4:
        raise InvalidInput(
            f"a line is PRODUCT:FAMILY:AMOUNT:CURRENCY, got {text!r}", field="line", rule="RWD-2"
        )
    product, family, amount, currency = parts
    return DealLine(product, family.lower(), Money.of(amount, currency.upper()))


@app.command("book")
def book(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    line: Annotated[
        list[str] | None,
        typer.Option("--line", help="A booked line PRODUCT:FAMILY:AMOUNT:CURRENCY (repeat)."),
    ] = None,
    sector: Annotated[Sector | None, typer.Option("--sector")] = None,
    order_kind: Annotated[OrderKind | None, typer.Option("--order-kind")] = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Record the booked order; thresholds checked again, payout recomputed (RWD-2)."""
    from alliance.services.engagement_rewards.bookings import Booking, record_booking

    def call(a: Application, p: EngagementProgram, actor: Actor) -> Any:
        lines = tuple(_line(x) for x in line) if line else None
        booking = Booking(lines=lines, sector=sector, order_kind=order_kind)
        return record_booking(a.uow_factory(), actor, engagement, booking, program=p, clock=a.clock)

    recheck = _run(None, program, call)
    for text in recheck.explanation:
        say(text)


@payout_app.command("preview")
def payout_preview(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    as_: As = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """What the engagement would pay now, and why (RWD-1, RWD-3, RWD-5)."""
    from alliance.services.engagement_rewards.payouts import preview_payout

    payout, why = _run(
        as_,
        program,
        lambda a, p, actor: preview_payout(a.uow_factory(), actor, engagement, program=p),
    )
    say(f"{engagement} v{payout.version}: {payout.amount} in {payout.method.value}")
    for text in why:
        say(f"  {text}")


@payout_app.command("release")
def payout_release(
    engagement: Annotated[str, typer.Argument(help="The engagement's id.")],
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Pay the reward of a won opportunity: money (RWD-4: invoice and supplier account
    first) or credits (added at once, once: X-5)."""
    from alliance.services.engagement_rewards.payouts import release_payout

    result = _run(
        None,
        program,
        lambda a, p, actor: release_payout(
            a.uow_factory(), actor, engagement, program=p, clock=a.clock
        ),
    )
    payout = result.payout
    head = "already paid: " if result.replayed else ""
    say(f"{head}{payout.amount} in {payout.method.value} on {engagement} — {payout.status.value}")
    for text in result.explanation:
        say(f"  {text}")


@payout_app.command("list")
def payout_list(
    as_: As = None,
    engagement: Annotated[str | None, typer.Option("--engagement")] = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Payouts one may see."""
    from alliance.services.engagement_rewards.payouts import list_payouts

    found = _run(
        as_,
        program,
        lambda a, _p, actor: list_payouts(a.uow_factory(), actor, engagement_id=engagement),
    )
    for p in found:
        missing = f" (missing: {', '.join(p.missing)})" if p.missing else ""
        say(
            f"{p.engagement_id} v{p.version} {p.partner_id} {p.amount} {p.method.value} "
            f"{p.status.value}{missing}"
        )
    say(f"{len(found)} payout(s)")


@app.command("supplier")
def supplier(
    organization: Annotated[str, typer.Argument(help="The partner organisation's id.")],
    status: Annotated[SupplierAccount, typer.Option("--status")],
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Record a partner's supplier account with the vendor (RWD-4)."""
    from alliance.services.engagement_rewards.payouts import set_supplier_account

    found = _run(
        None,
        program,
        lambda a, _p, actor: set_supplier_account(
            a.uow_factory(), actor, OrganizationId(organization), status, clock=a.clock
        ),
    )
    say(f"supplier account of {organization}: {found.value}")
