"""``alliance credits …``: partner credits (CRD-2 … CRD-6).

* ``statement ORG [--as-of DAY] [--json|--csv]`` — CRD-5: the principal's available,
  held, spent and expired credits, lot by lot with expiry, what each associate may use
  now (CRD-2) and the orders; ``--csv`` prints the lots.
* ``catalog [--json]`` — the credit option catalogue; options flagged *not with
  public-sector credits* (CRD-6) are marked. ``define-option ID …`` changes one.
* ``order ORG OPTION [--quantity N] [--for ORG] [--by EMAIL] [--key KEY]`` — CRD-3: the
  credits are held until delivery. The order is placed by ``--by`` (a person of ORG),
  or by ORG's first partner administrator or credit manager; the rules apply to that
  person (only administrators and credit managers order, OPN-18). The default key makes
  the same command on the same day one order (X-5).
* ``orders ORG [--status S]``, ``deliver ORDER`` (capture), ``cancel ORDER`` (release),
  ``approve ORDER`` / ``reject ORDER`` (the principal, CRD-2).
* ``policy ORG [POLICY] [--percentage 40%]`` — CRD-2: how an associate (or, given the
  principal, every associate) may order with the principal's credits; without POLICY,
  show the company's policies.

The commands act as the system operator; a refusal prints one line naming its rule and
exits with 2 (X-7).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer

from alliance.cli.imports import CLI_ACTOR, application, problems_reported, say
from alliance.domain.credits import AssociatePolicy, RequestStatus
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId

app = typer.Typer(
    help="Partner credits: statements, catalogue, orders, policies.", no_args_is_help=True
)

By = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="The e-mail of the partner's person acting (default: the first "
        "administrator or credit manager).",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"a date is written YYYY-MM-DD, got {text!r}", field="as_of", rule="X-2"
        ) from None


def _json(value: object) -> None:
    say(json.dumps(value, indent=2, default=str))


@app.command("statement")
def statement(
    organization: Annotated[str, typer.Argument(help="The organisation (principal or associate).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day, YYYY-MM-DD.")] = None,
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the lots as CSV.")] = False,
) -> None:
    """CRD-5: available, held, spent and expired credits, lots with expiry, orders."""
    from alliance.api.schemas.credits import CreditStatementPublic
    from alliance.services.credits.statements import credit_statement, statement_csv

    with problems_reported():
        day = _day(as_of)
        app_ = application()
        try:
            result = credit_statement(
                app_.uow_factory(),
                CLI_ACTOR,
                OrganizationId(organization),
                clock=app_.clock,
                as_of=day,
            )
        finally:
            app_.close()
    s = result.statement
    if as_csv and s is not None:
        typer.echo(statement_csv(s), nl=False)
        return
    if as_json or s is None:
        _json(CreditStatementPublic.of(result).model_dump(mode="json"))
        return
    say(f"Partner credits of {s.principal_id} as of {s.as_of} ({s.unit})")
    for name in ("accrued", "available", "held", "spent", "expired"):
        label = "held (reserved)" if name == "held" else name
        say(f"  {label:<16}{getattr(s, name):>14,}")
    say(
        f"  {'public sector':<16}{s.public_sector_available:>14,}  available, refused by "
        "some options (CRD-6)"
    )
    say("  expiring        " + ", ".join(f"{v:,} within {d} days" for d, v in s.expiring.items()))
    say("Lots (earliest accrual first):")
    for lot in s.lots:
        until = lot.expires_on.isoformat() if lot.expires_on else "never"
        say(
            f"  {lot.lot_id}  {lot.source} [{', '.join(lot.tags)}]  accrued {lot.accrued_on} "
            f"{lot.accrued:,}, available {lot.available:,}, held {lot.held:,}, "
            f"spent {lot.spent:,}, expired {lot.expired:,}, expires {until}"
        )
    if s.associates:
        say("Associates (CRD-2):")
        for a in s.associates:
            usable = f"{a.usable:,}" if a.usable is not None else "cannot order"
            say(f"  {a.organization_id}: {usable} — {a.policy.describe}")
    if s.orders:
        say("Orders (CRD-3):")
        for o in s.orders:
            say(_order_line(o))


def _order_line(o: object) -> str:
    from alliance.services.credits.orders import CREDIT_STATE
    from alliance.services.credits.ports import CreditOrder

    assert isinstance(o, CreditOrder)
    return (
        f"  {o.id}  {o.status.value} ({CREDIT_STATE[o.status]})  {o.quantity} × {o.option_name} "
        f"= {o.amount:,.2f}  by {o.organization_id}"
        + (f" for {o.beneficiary_id}" if o.beneficiary_id != o.organization_id else "")
        + f" on {o.ordered_on}"
    )


@app.command("catalog")
def catalog_(as_json: AsJson = False) -> None:
    """The credit option catalogue (CRD-3); CRD-6 marks options refusing public-sector
    credits."""
    from alliance.api.schemas.credits import CatalogOptionPublic
    from alliance.services.credits.catalog import catalog

    with problems_reported():
        app_ = application()
        try:
            options = catalog(app_.uow_factory(), CLI_ACTOR)
        finally:
            app_.close()
    if as_json:
        _json([CatalogOptionPublic.of(o).model_dump(mode="json") for o in options])
        return
    for o in options:
        flag = (
            "  (not with public-sector credits, CRD-6)" if o.refuses_public_sector_credits else ""
        )
        say(f"{o.id:<26}{o.unit_price:>12,} credits  {o.name}{flag}")


@app.command("define-option")
def define_option(
    option_id: Annotated[str, typer.Argument(help="The option's id.")],
    name: Annotated[str, typer.Option("--name", help="Its name.")],
    price: Annotated[str, typer.Option("--price", help="Credits per unit, e.g. 250.00.")],
    refuses_public_sector: Annotated[
        bool,
        typer.Option(
            "--refuses-public-sector-credits/--accepts-public-sector-credits",
            help="CRD-6: never paid with credits earned on public-sector orders.",
        ),
    ] = False,
    description: Annotated[str, typer.Option("--description")] = "",
    inactive: Annotated[bool, typer.Option("--inactive", help="Withdraw the option.")] = False,
) -> None:
    """Add or change a catalogue option (CRD-6's flag per option)."""
    from alliance.services.credits.catalog import DefineOption
    from alliance.services.credits.catalog import define_option as define

    with problems_reported():
        try:
            unit_price = Decimal(price)
        except ArithmeticError:
            raise InvalidInput(f"not a price: {price!r}", field="price", rule="X-1") from None
        app_ = application()
        try:
            option = define(
                app_.uow_factory(),
                CLI_ACTOR,
                DefineOption(
                    option_id, name, unit_price, refuses_public_sector, description, not inactive
                ),
                app_.clock,
            )
        finally:
            app_.close()
    say(f"option {option.id}: {option.name}, {option.unit_price:,} credits per unit")


@app.command("order")
def order(
    organization: Annotated[str, typer.Argument(help="The ordering organisation.")],
    option: Annotated[str, typer.Argument(help="The catalogue option's id.")],
    quantity: Annotated[int, typer.Option("--quantity", "-q", help="How many units.")] = 1,
    beneficiary: Annotated[
        str | None, typer.Option("--for", help="The organisation it is for (principal only).")
    ] = None,
    by: By = None,
    key: Annotated[
        str | None, typer.Option("--key", help="Idempotency key; default: this order today.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """CRD-3: order an option; its credits are held until delivery (or approval first,
    CRD-2)."""
    from alliance.services.credits.orders import PlaceOrder, place_order

    with problems_reported():
        app_ = application()
        try:
            the_key = key or _default_key(
                app_.clock.today(), organization, option, quantity, beneficiary, by
            )
            result = place_order(
                app_.uow_factory(),
                CLI_ACTOR,
                PlaceOrder(
                    OrganizationId(organization),
                    option,
                    quantity,
                    the_key,
                    beneficiary_id=OrganizationId(beneficiary) if beneficiary else None,
                    by=by,
                ),
                app_.clock,
            )
        finally:
            app_.close()
    _result(result, as_json)


def _default_key(
    day: date, org: str, option: str, quantity: int, beneficiary: str | None, by: str | None
) -> str:
    text = f"{org}|{option}|{quantity}|{beneficiary or ''}|{by or ''}"
    return f"cli:{day.isoformat()}:{hashlib.sha256(text.encode()).hexdigest()[:24]}"


def _result(result: object, as_json: bool) -> None:
    from alliance.api.schemas.credits import OrderResultPublic
    from alliance.services.credits.orders import OrderResult

    assert isinstance(result, OrderResult)
    if as_json:
        _json(OrderResultPublic.of(result).model_dump(mode="json"))
        return
    say(result.summary)
    if result.explanation:
        say(f"  {result.explanation}")


@app.command("orders")
def orders_(
    organization: Annotated[str, typer.Argument(help="The organisation.")],
    status: Annotated[
        RequestStatus | None, typer.Option("--status", help="Only orders in this status.")
    ] = None,
) -> None:
    """The orders on the organisation's principal's credits."""
    from alliance.services.credits.orders import list_orders

    with problems_reported():
        app_ = application()
        try:
            found = list_orders(
                app_.uow_factory(), CLI_ACTOR, OrganizationId(organization), status=status
            )
        finally:
            app_.close()
    if not found:
        say("no orders")
    for o in found:
        say(_order_line(o))


@app.command("deliver")
def deliver(order_id: Annotated[str, typer.Argument(help="The order's id.")]) -> None:
    """CRD-3: the option was delivered; the held credits are spent."""
    from alliance.services.credits.orders import deliver_order

    with problems_reported():
        app_ = application()
        try:
            result = deliver_order(app_.uow_factory(), CLI_ACTOR, order_id, app_.clock)
        finally:
            app_.close()
    _result(result, False)


@app.command("cancel")
def cancel(order_id: Annotated[str, typer.Argument(help="The order's id.")], by: By = None) -> None:
    """CRD-3: cancel an order; held credits are released to their lots."""
    from alliance.services.credits.orders import cancel_order

    with problems_reported():
        app_ = application()
        try:
            result = cancel_order(app_.uow_factory(), CLI_ACTOR, order_id, app_.clock, by=by)
        finally:
            app_.close()
    _result(result, False)


@app.command("approve")
def approve(
    order_id: Annotated[str, typer.Argument(help="The order's id.")], by: By = None
) -> None:
    """CRD-2: the principal approves an associate's order; its credits are held now."""
    from alliance.services.credits.orders import approve_order

    with problems_reported():
        app_ = application()
        try:
            result = approve_order(app_.uow_factory(), CLI_ACTOR, order_id, app_.clock, by=by)
        finally:
            app_.close()
    _result(result, False)


@app.command("reject")
def reject(
    order_id: Annotated[str, typer.Argument(help="The order's id.")],
    by: By = None,
    note: Annotated[str, typer.Option("--note", help="Why.")] = "",
) -> None:
    """CRD-2: the principal refuses an associate's order; nothing was held."""
    from alliance.services.credits.orders import reject_order

    with problems_reported():
        app_ = application()
        try:
            result = reject_order(
                app_.uow_factory(), CLI_ACTOR, order_id, app_.clock, by=by, note=note
            )
        finally:
            app_.close()
    _result(result, False)


@app.command("policy")
def policy(
    organization: Annotated[
        str, typer.Argument(help="The associate (or the principal, for every associate).")
    ],
    name: Annotated[
        AssociatePolicy | None, typer.Argument(help="The policy; omit to show the policies.")
    ] = None,
    percentage: Annotated[
        str | None, typer.Option("--percentage", help="For preapproved_percentage: 40% or 0.4.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who sets it, for the record.")] = None,
) -> None:
    """CRD-2: how an associate may order with its principal's credits."""
    from alliance.services.credits.policies import (
        SetPolicy,
        associate_policies,
        parse_percentage,
        set_policy,
    )

    with problems_reported():
        app_ = application()
        try:
            if name is None:
                found = associate_policies(
                    app_.uow_factory(), CLI_ACTOR, OrganizationId(organization)
                )
                for p in found:
                    say(f"{p.organization_id}: {p.settings.policy.value} — {p.describe}")
                return
            result = set_policy(
                app_.uow_factory(),
                CLI_ACTOR,
                SetPolicy(OrganizationId(organization), name, parse_percentage(percentage), by),
                app_.clock,
            )
        finally:
            app_.close()
    say(f"{result.organization_id}: {result.settings.policy.value} — {result.describe}")
