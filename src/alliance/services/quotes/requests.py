"""What a quote is asked for, as plain input, checked into the domain's basket (OIP-7, X-7).

The CLI writes a line as ``PRODUCT:QTY[:UNIT_PRICE[:FEE]]`` (``number_porting:12``,
``data_link:2:50.00``); the API sends the same fields as JSON. Prices are in the
program's currency, excluding tax, as exact decimals. Every bad field is named at once,
``lines[2].quantity``, and nothing is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from alliance.domain.errors import InvalidInput, Problem
from alliance.domain.money import Money
from alliance.domain.promotions import Basket, BasketLine, PromotionsTerms

_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,6})?")


@dataclass(frozen=True)
class LineRequest:
    """``quantity`` of ``product``; ``unit_price`` overrides the list price; ``fee`` is a
    service-access fee charged once on the line."""

    product: str
    quantity: int = 1
    unit_price: Decimal | None = None
    fee: Decimal | None = None


@dataclass(frozen=True)
class BasketRequest:
    lines: tuple[LineRequest, ...]
    holds: tuple[str, ...] = ()
    project: str | None = None


def parse_line(text: str, index: int = 0) -> LineRequest:
    """``PRODUCT:QTY[:UNIT_PRICE[:FEE]]`` as a :class:`LineRequest` (the CLI's ``--line``)."""
    where = f"lines[{index}]"
    parts = [p.strip() for p in text.split(":")]
    if not 1 <= len(parts) <= 4 or not parts[0]:
        raise InvalidInput(
            f"a line is PRODUCT:QTY[:UNIT_PRICE[:FEE]], got {text!r}", field=where, rule="X-7"
        )
    quantity = 1
    if len(parts) > 1:
        if not parts[1].isdigit():
            raise InvalidInput(
                f"a quantity is a whole number, got {parts[1]!r}",
                field=f"{where}.quantity",
                rule="OIP-7",
            )
        quantity = int(parts[1])
    price = _amount(parts[2], f"{where}.unit_price") if len(parts) > 2 and parts[2] else None
    fee = _amount(parts[3], f"{where}.fee") if len(parts) > 3 and parts[3] else None
    return LineRequest(parts[0], quantity, price, fee)


def _amount(text: str, field: str) -> Decimal:
    if not _AMOUNT.fullmatch(text):
        raise InvalidInput(
            f"an amount is a plain decimal such as 19.99, got {text!r}", field=field, rule="X-1"
        )
    return Decimal(text)


def basket_of(request: BasketRequest, terms: PromotionsTerms) -> Basket:
    """The domain's :class:`Basket`, every problem named at once (X-7)."""
    problems: list[Problem] = []
    if not request.lines:
        problems.append(Problem("a basket has at least one line", field="lines", rule="OIP-7"))
    known = {p.id for p in terms.products}
    names = ", ".join(sorted(known))
    lines: list[BasketLine] = []
    for i, line in enumerate(request.lines):
        where = f"lines[{i}]"
        ok = True
        if line.product not in known:
            problems.append(
                Problem(
                    f"unknown product {line.product!r}; products: {names}",
                    field=f"{where}.product",
                    rule="OIP-7",
                )
            )
            ok = False
        if isinstance(line.quantity, bool) or line.quantity < 1:
            problems.append(
                Problem(
                    f"a line orders at least 1, got {line.quantity}",
                    field=f"{where}.quantity",
                    rule="OIP-7",
                )
            )
            ok = False
        for name, value in (("unit_price", line.unit_price), ("fee", line.fee)):
            if value is not None and not _valid_amount(value):
                problems.append(
                    Problem(
                        f"{name.replace('_', ' ')} must be ≥ 0 with at most 6 decimals, "
                        f"got {value}",
                        field=f"{where}.{name}",
                        rule="X-1",
                    )
                )
                ok = False
        if ok:
            lines.append(
                BasketLine(
                    line.product,
                    line.quantity,
                    _money(line.unit_price, terms.currency),
                    _money(line.fee, terms.currency),
                )
            )
    for i, held in enumerate(request.holds):
        if held not in known:
            problems.append(
                Problem(
                    f"unknown product {held!r}; products: {names}",
                    field=f"holds[{i}]",
                    rule="OIP-7",
                )
            )
    if problems:
        raise InvalidInput(
            "the basket cannot be quoted" if len(problems) > 1 else problems[0].message,
            field=None if len(problems) > 1 else problems[0].field,
            rule="OIP-7" if len(problems) > 1 else problems[0].rule,
            problems=problems,
        )
    return Basket(tuple(lines), frozenset(request.holds), request.project or None)


def _valid_amount(value: Decimal) -> bool:
    try:
        exponent = value.as_tuple().exponent
    except (InvalidOperation, AttributeError):
        return False
    return value.is_finite() and value >= 0 and isinstance(exponent, int) and exponent >= -6


def _money(value: Decimal | None, currency: str) -> Money | None:
    return None if value is None else Money(value, currency)


def lines_of(texts: Sequence[str]) -> tuple[LineRequest, ...]:
    """Every ``--line`` of the CLI, in order."""
    return tuple(parse_line(text, i) for i, text in enumerate(texts))
