"""``alliance quote --partner P --line PRODUCT:QTY[:UNIT_PRICE[:FEE]] … [--on DATE]``.

Prices a partner's basket with the promotions of its status (OIP-7) and says, for every
promotion of the program, whether it applied and why not — a quarterly minimum not met
(OIP-8), a condition the basket misses, a cheaper combination. ``--json`` prints money as
``{"amount", "currency"}`` strings, never floats (X-1). ``--as EMAIL`` quotes as a
partner's person, who may quote for its own organisation only (X-6).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer

from alliance.cli.acting import As, actor_for
from alliance.cli.imports import application, problems_reported, say
from alliance.domain.errors import InvalidInput
from alliance.domain.explanations import Reason
from alliance.domain.money import Money
from alliance.services.quotes.pricing import PartnerQuote
from alliance.services.quotes.pricing import quote as price
from alliance.services.quotes.requests import BasketRequest, lines_of
from alliance.services.status_terms import status_program


def day_of(text: str | None, field: str = "on") -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"a date is written YYYY-MM-DD, got {text!r}", field=field, rule="X-2"
        ) from None


def quote(
    partner: Annotated[str, typer.Option("--partner", help="The partner (organisation id).")],
    line: Annotated[
        list[str],
        typer.Option("--line", help="PRODUCT:QTY[:UNIT_PRICE[:FEE]], once per line."),
    ],
    holds: Annotated[
        list[str] | None,
        typer.Option("--holds", help="A product the customer already subscribes to."),
    ] = None,
    project: Annotated[
        str | None, typer.Option("--project", help="The project, e.g. fleet_migration.")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="The day, YYYY-MM-DD; today.")] = None,
    program: Annotated[str, typer.Option("--program", help="The program.")] = "oip",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    email: As = None,
) -> None:
    """Price a basket for a partner with the promotions it may use (OIP-7, OIP-8)."""
    with problems_reported():
        basket = BasketRequest(lines_of(line), tuple(holds or ()), project)
        app_ = application()
        try:
            found = price(
                app_.uow_factory(),
                actor_for(app_, email),
                partner,
                basket,
                on=day_of(on) or app_.clock.today(),
                program=status_program(app_.programs, program),
            )
        finally:
            app_.close()
    if as_json:
        typer.echo(json.dumps(quote_json(found), indent=2, ensure_ascii=False))
        return
    show(found)


def show(found: PartnerQuote) -> None:
    q = found.quote
    say(found.summary)
    for reason in found.status.explanation.reasons[-2:]:
        say(f"  status: {reason}")
    for line in q.lines:
        applied = ", ".join(line.promotions) or "no promotion"
        say(
            f"{line.quantity} × {line.name} ({line.product}): {line.unit_price} each "
            f"(list {line.list_unit_price}) = {line.total} — {applied}"
        )
        if line.fee is not None:
            say(f"  service-access fee {line.fee}, charged {line.fee_charged}")
        for reason in line.reasons[1:]:
            say(f"  - {reason}")
    say(f"total {q.total} (list {q.list_total}, savings {q.savings})")
    say("promotions:")
    for check in q.promotions:
        mark = "applied" if check.applied else "eligible, not used" if check.eligible else "no"
        say(f"  [{mark}] {check.promotion}: {check.name}")
        for reason in check.reasons:
            say(f"      {reason}")


def _money(value: Money | None) -> dict[str, str] | None:
    return None if value is None else value.to_json()


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    return [{"rule": r.rule, "message": r.message} for r in reasons]


def quote_json(found: PartnerQuote) -> dict[str, Any]:
    q = found.quote
    return {
        "partner_id": q.partner_id,
        "member_type": q.member_type,
        "status": q.status,
        "program": found.program,
        "on": q.as_of.isoformat(),
        "lines": [
            {
                "product": line.product,
                "name": line.name,
                "quantity": line.quantity,
                "list_unit_price": _money(line.list_unit_price),
                "unit_price": _money(line.unit_price),
                "list_total": _money(line.list_total),
                "total": _money(line.total),
                "fee": _money(line.fee),
                "fee_charged": _money(line.fee_charged),
                "promotions": list(line.promotions),
                "reasons": _reasons(line.reasons),
            }
            for line in q.lines
        ],
        "promotions": [
            {
                "promotion": c.promotion,
                "name": c.name,
                "eligible": c.eligible,
                "applied": c.applied,
                "reasons": _reasons(c.reasons),
            }
            for c in q.promotions
        ],
        "list_total": _money(q.list_total),
        "total": _money(q.total),
        "savings": _money(q.savings),
        "summary": q.explanation.summary,
    }
