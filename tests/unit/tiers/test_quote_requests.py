"""A quote's basket as the CLI and API write it, checked into the domain's basket
(OIP-7, X-1, X-7): every bad field named at once, nothing half-read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tiers_fixtures import oip_promotions

from alliance.domain.errors import InvalidInput
from alliance.domain.money import eur
from alliance.services.quotes.requests import (
    BasketRequest,
    LineRequest,
    basket_of,
    lines_of,
    parse_line,
)


def test_a_line_is_product_quantity_price_and_fee() -> None:
    assert parse_line("number_porting:12") == LineRequest("number_porting", 12)
    assert parse_line("sip_trunk") == LineRequest("sip_trunk", 1)
    assert parse_line("data_link:2:50.00:120") == LineRequest(
        "data_link", 2, Decimal("50.00"), Decimal("120")
    )
    assert parse_line("vm:3::15") == LineRequest("vm", 3, None, Decimal("15"))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("vm:three", "lines[4].quantity"),
        ("vm:1:1e3", "lines[4].unit_price"),
        ("vm:1:-2", "lines[4].unit_price"),
        ("vm:1:2:0.1234567", "lines[4].fee"),
        (":1", "lines[4]"),
        ("a:1:2:3:4", "lines[4]"),
    ],
)
def test_a_bad_line_names_its_field(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_line(text, 4)
    assert refused.value.field == field


def test_the_basket_in_the_programs_currency() -> None:
    basket = basket_of(
        BasketRequest(lines_of(["data_link:2:50", "number_porting:12"]), ("voip",), "x"),
        oip_promotions(),
    )
    assert basket.lines[0].unit_price == eur("50")
    assert basket.lines[1].unit_price is None
    assert (basket.holds, basket.project) == (frozenset({"voip"}), "x")


def test_every_problem_at_once() -> None:
    request = BasketRequest(
        (
            LineRequest("hoverboard"),
            LineRequest("vm", 0),
            LineRequest("vm", 1, Decimal("-1")),
            LineRequest("vm", 1, None, Decimal("0.0000001")),
        ),
        ("jetpack",),
    )
    with pytest.raises(InvalidInput) as refused:
        basket_of(request, oip_promotions())
    assert [(p.field, p.rule) for p in refused.value.problems] == [
        ("lines[0].product", "OIP-7"),
        ("lines[1].quantity", "OIP-7"),
        ("lines[2].unit_price", "X-1"),
        ("lines[3].fee", "X-1"),
        ("holds[0]", "OIP-7"),
    ]
    with pytest.raises(InvalidInput) as empty:
        basket_of(BasketRequest(()), oip_promotions())
    assert (empty.value.field, empty.value.message) == ("lines", "a basket has at least one line")
