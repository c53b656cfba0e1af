"""``alliance accrue``, ``alliance expire`` and ``alliance rewards statement|invoice|redeem``.

* ``accrue --month YYYY-MM`` computes a month's customer rewards over the imported usage
  and posts each lot once (OSR-12, X-5): a rerun says "0 new lots, N already posted".
* ``expire --as-of DATE`` moves what is left of lots past their expiry (OSR-14).
* ``rewards statement CUSTOMER`` shows accrued, available, expiring, used and expired
  rewards, lot by lot (OSR-17); ``--json`` prints money as ``{"amount", "currency"}``
  strings, never floats (X-1).
* ``rewards redeem INVOICE [--amount X]`` pays a support invoice with rewards, for its
  customer (OSR-19…OSR-23); the default idempotency key makes the same command on the
  same day a no-op (X-5).

The commands act as the system operator; user errors print without a stack trace and
exit with 2 (X-7).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer

from alliance.cli.imports import application, problems_reported, progress_bar, say
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.services.reward_terms import DEFAULT_PROGRAM, reward_program
from alliance.services.rewards.statements import RewardStatement

app = typer.Typer(help="Customer rewards: statements, invoices, redemptions.", no_args_is_help=True)

CLI_ACTOR = Actor.system("cli")
Program = Annotated[str, typer.Option("--program", help="The reward program.")]


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"a date is written YYYY-MM-DD, got {text!r}", field=field, rule="X-2"
        ) from None


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        raise InvalidInput(f"not an amount: {text!r}", field="amount", rule="X-1") from None


def accrue(
    month: Annotated[str, typer.Option("--month", help="The month to accrue, YYYY-MM.")],
    program: Program = DEFAULT_PROGRAM,
    reference: Annotated[
        bool, typer.Option(help="Use the pure line-by-line reference (small data only).")
    ] = False,
) -> None:
    """Accrue a month's customer rewards over the imported usage (OSR-12)."""
    from alliance.services.rewards.accrual import accrue as accrue_month

    with problems_reported():
        the_month = Month.parse(month)
        app_ = application()
        try:
            with progress_bar() as bar:
                task = bar.add_task(f"Accruing {the_month}", total=None)
                report = accrue_month(
                    app_.uow_factory(),
                    CLI_ACTOR,
                    the_month,
                    program=reward_program(app_.programs, program),
                    data_dir=app_.settings.data_dir,
                    clock=app_.clock,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                    reference=reference,
                )
        finally:
            app_.close()
    say(report.summary)


def expire(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Expire what is expired on this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Move what is left of every lot past its expiry to the expired account (OSR-14)."""
    from alliance.services.rewards.expiry import expire as expire_lots

    with problems_reported():
        day = _day(as_of, "as_of")
        app_ = application()
        try:
            report = expire_lots(
                app_.uow_factory(), CLI_ACTOR, day or app_.clock.today(), clock=app_.clock
            )
        finally:
            app_.close()
    say(report.summary)


@app.command("statement")
def statement(
    customer: Annotated[str, typer.Argument(help="The customer organisation's id.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day, YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """A customer's rewards: accrued, available, expiring, used, expired, lot by lot."""
    from alliance.services.rewards.statements import reward_statement

    with problems_reported():
        day = _day(as_of, "as_of")
        app_ = application()
        try:
            found = reward_statement(
                app_.uow_factory(),
                CLI_ACTOR,
                OrganizationId(customer),
                program=reward_program(app_.programs, program),
                clock=app_.clock,
                as_of=day,
            )
        finally:
            app_.close()
    if as_json:
        say(json.dumps(statement_json(found), indent=2))
        return
    for line in statement_lines(found):
        say(line)


@app.command("invoice")
def invoice(
    invoice_id: Annotated[str, typer.Argument(help="The invoice's id.")],
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """A support invoice: its lines, and what rewards paid and may still pay (OSR-19, 20)."""
    from alliance.services.rewards.redemptions import invoice_status

    with problems_reported():
        app_ = application()
        try:
            status = invoice_status(
                app_.uow_factory(),
                CLI_ACTOR,
                invoice_id,
                program=reward_program(app_.programs, program),
            )
        finally:
            app_.close()
    inv = status.invoice
    say(f"invoice {inv.id} of {inv.customer_id}: issued {inv.issued_on}, due {inv.due_on}")
    for line, eligible in status.lines():
        mark = "" if eligible else "  (not payable with rewards, OSR-20)"
        say(f"  {line.product} [{line.support_program}] {line.pre_tax_amount} {inv.currency}{mark}")
    say(f"  tax {inv.tax} {inv.currency} (never paid with rewards, OSR-19)")
    say(
        f"payable with rewards {status.redeemable} {inv.currency}, paid {status.redeemed}, "
        f"still payable {status.still_redeemable}"
    )


@app.command("redeem")
def redeem(
    invoice_id: Annotated[str, typer.Argument(help="The invoice's id.")],
    amount: Annotated[
        str | None, typer.Option("--amount", help="How much to pay; default: all that can be.")
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--idempotency-key", help="Default: the invoice, amount and today."),
    ] = None,
    program: Program = DEFAULT_PROGRAM,
) -> None:
    """Pay a support invoice with its customer's rewards (OSR-19…OSR-23)."""
    from alliance.services.rewards.redemptions import RedeemInvoice, redeem_invoice

    with problems_reported():
        value = _amount(amount)
        app_ = application()
        try:
            default_key = f"cli:{app_.clock.today()}:{amount or 'all'}"
            result = redeem_invoice(
                app_.uow_factory(),
                CLI_ACTOR,
                RedeemInvoice(invoice_id, value, key or default_key),
                program=reward_program(app_.programs, program),
                clock=app_.clock,
            )
        finally:
            app_.close()
    for payment in result.payments:
        say(
            f"  {payment.amount} from lot {payment.lot_id} of {payment.owner} "
            f"(accrued {payment.accrued_on}, expires {payment.expires_on})"
        )
    say(result.summary)


def _money(amount: Decimal, currency: str) -> dict[str, str]:
    return {"amount": f"{amount:f}", "currency": currency}


def statement_json(found: RewardStatement) -> dict[str, object]:
    """The statement as JSON values: money as exact strings (X-1)."""
    return {
        "customer_id": found.customer_id,
        "program": found.program,
        "as_of": found.as_of.isoformat(),
        "company": list(found.company),
        "currencies": [
            {
                "currency": s.currency,
                **{
                    name: _money(getattr(s, name), s.currency)
                    for name in ("accrued", "available", "held", "used", "expired")
                },
                "expiring": {str(d): _money(v, s.currency) for d, v in s.expiring.items()},
                "company_available": _money(s.company_available, s.currency),
                "lots": [
                    {
                        "lot_id": lot.lot_id,
                        "month": lot.month.label,
                        "accrued_on": lot.accrued_on.isoformat(),
                        "expires_on": lot.expires_on.isoformat() if lot.expires_on else None,
                        "status": lot.status,
                        **{
                            name: _money(getattr(lot, name), s.currency)
                            for name in ("accrued", "available", "used", "expired")
                        },
                    }
                    for lot in s.lots
                ],
            }
            for s in found.currencies
        ],
    }


def statement_lines(found: RewardStatement) -> list[str]:
    lines = [f"Rewards of {found.customer_id} as of {found.as_of} ({found.program})"]
    for s in found.currencies:
        cur = s.currency
        lines += [
            f"  accrued   {s.accrued:>14,} {cur}",
            f"  available {s.available:>14,} {cur}",
            f"  used      {s.used:>14,} {cur}",
            f"  expired   {s.expired:>14,} {cur}",
            "  expiring  "
            + ", ".join(f"{v:,} {cur} within {d} days" for d, v in s.expiring.items()),
            f"  available to the corporate hierarchy ({len(found.company)} entities): "
            f"{s.company_available:,} {cur}",
            f"  {'month':<8} {'accrued':>12} {'available':>12} {'expires':>11}  status",
        ]
        lines += [
            f"  {lot.month.label:<8} {lot.accrued:>12,} {lot.available:>12,} "
            f"{lot.expires_on or ''!s:>11}  {lot.status}"
            for lot in s.lots
        ]
    return lines
