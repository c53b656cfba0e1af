"""Money is exact, carries its currency and never mixes currencies (X-1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.domain.errors import AllianceError, InvalidInput
from alliance.domain.money import (
    CurrencyMismatch,
    Money,
    eur,
    minor_unit,
    percentage,
    sum_money,
    usd,
)

amounts = st.decimals(min_value=Decimal("-1000000000"), max_value=Decimal("1000000000"), places=4)
dollars = amounts.map(usd)


# -- making money -------------------------------------------------------------------------


def test_helpers_build_exact_amounts() -> None:
    assert usd("5000") == Money(Decimal("5000"), "USD")
    assert eur("19.99").amount == Decimal("19.99")
    assert eur("19.99").currency == "EUR"
    assert Money.of(500, "USD") == Money.of("500.00", "USD") == Money.of(Decimal(500), "USD")


def test_an_int_amount_becomes_a_decimal() -> None:
    money = Money(7, "USD")  # type: ignore[arg-type]
    assert isinstance(money.amount, Decimal)
    assert money == usd("7")


def test_a_float_amount_is_refused() -> None:
    """X-1: money is never a float, not even a harmless-looking one."""
    with pytest.raises(TypeError, match="never a float"):
        Money(0.1, "USD")  # type: ignore[arg-type]


def test_a_bool_is_not_an_amount() -> None:
    with pytest.raises(TypeError):
        Money(True, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["usd", "US", "USDX", "U5D", "", " USD"])
def test_a_malformed_currency_is_refused_naming_the_field_and_rule(code: str) -> None:
    """X-1 / X-7: the error names the field and the rule."""
    with pytest.raises(InvalidInput) as refused:
        Money(Decimal(1), code)
    assert refused.value.field == "currency"
    assert refused.value.rule == "X-1"


def test_an_unknown_but_well_formed_currency_is_allowed_with_two_decimals() -> None:
    assert Money.of("1", "XYZ").minor_unit == 2


@pytest.mark.parametrize(("code", "places"), [("USD", 2), ("EUR", 2), ("JPY", 0), ("KWD", 3)])
def test_each_currency_knows_its_minor_unit(code: str, places: int) -> None:
    assert minor_unit(code) == places


@pytest.mark.parametrize("text", ["1,000", "12 USD", "NaN", "Infinity", "1e3", "1_000", ""])
def test_an_amount_that_is_not_a_plain_decimal_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Money.of(text, "USD")
    assert refused.value.field == "amount"


def test_a_decimal_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(InvalidInput):
        Money(Decimal("NaN"), "USD")


def test_zero_is_zero_in_its_currency() -> None:
    assert Money.zero("JPY") == Money.of("0", "JPY")
    assert Money.zero("JPY").is_zero()


def test_surrounding_spaces_and_signs_are_read() -> None:
    assert Money.of(" -12.50 ", "EUR") == eur("-12.5")


# -- arithmetic ---------------------------------------------------------------------------


def test_amounts_in_one_currency_add_and_subtract_exactly() -> None:
    assert usd("0.1") + usd("0.2") == usd("0.3")
    assert usd("5000") - usd("4730") == usd("270")
    assert -usd("12.5") == usd("-12.5")
    assert abs(usd("-12.5")) == usd("12.5")


def test_mixing_currencies_is_refused() -> None:
    """X-1: 5 USD + 5 EUR has no answer."""
    with pytest.raises(CurrencyMismatch) as refused:
        _ = usd("5") + eur("5")
    assert refused.value.rule == "X-1"
    assert isinstance(refused.value, AllianceError)
    with pytest.raises(CurrencyMismatch):
        _ = usd("5") - eur("5")


def test_money_multiplies_by_a_decimal_or_an_int_without_rounding() -> None:
    assert usd("19.99") * 3 == usd("59.97")
    assert 3 * usd("19.99") == usd("59.97")
    assert usd("10.00") * Decimal("0.333") == usd("3.33")
    assert (usd("0.05") * Decimal("0.5")).amount == Decimal("0.025")


def test_money_times_a_float_is_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        _ = usd("10") * 1.5  # type: ignore[operator]


def test_money_times_money_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = usd("10") * usd("2")  # type: ignore[operator]


def test_division_keeps_the_exact_quotient() -> None:
    """X-1: a third of 100 USD is not rounded until a rule says so."""
    third = usd("100") / 3
    assert third.amount == Decimal("33.33333333333333333333333333")
    assert third.rounded() == usd("33.33")


def test_dividing_by_zero_or_by_a_float_is_refused() -> None:
    with pytest.raises(ZeroDivisionError):
        _ = usd("100") / 0
    with pytest.raises(TypeError):
        _ = usd("100") / 4.0  # type: ignore[operator]


def test_signs_are_read_from_the_amount() -> None:
    assert usd("0.01").is_positive() and not usd("0.01").is_negative()
    assert usd("-0.01").is_negative() and not usd("-0.01").is_positive()
    assert usd("0.00").is_zero() and not usd("0").is_positive()


def test_a_sum_of_nothing_is_zero_in_the_stated_currency() -> None:
    assert sum_money([], "EUR") == Money.zero("EUR")
    assert sum_money([eur("19.99"), eur("0.01"), eur("5")], "EUR") == eur("25")


def test_a_sum_refuses_an_amount_in_another_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        sum_money([usd("1"), eur("1")], "USD")
    with pytest.raises(CurrencyMismatch):
        sum_money([eur("1")], "USD")


def test_a_percentage_is_exact() -> None:
    """OSR-11: 33 % of 200 USD is 66 USD; 25 % of 123.45 is 30.8625 until rounded."""
    assert percentage(usd("200"), Decimal("33")) == usd("66")
    assert percentage(usd("123.45"), 25).amount == Decimal("30.8625")


def test_a_float_percentage_is_refused() -> None:
    with pytest.raises(TypeError):
        percentage(usd("200"), 0.33)  # type: ignore[arg-type]


# -- comparing ----------------------------------------------------------------------------


def test_amounts_in_one_currency_are_ordered() -> None:
    assert usd("4730") < usd("5000") <= usd("5000.00")
    assert usd("5000") > usd("4730") >= usd("4730")
    assert sorted([usd("3"), usd("-1"), usd("2")]) == [usd("-1"), usd("2"), usd("3")]
    assert max(usd("3"), usd("7")) == usd("7")


@pytest.mark.parametrize("compare", ["<", "<=", ">", ">="])
def test_comparing_currencies_is_refused(compare: str) -> None:
    operations = {
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    with pytest.raises(CurrencyMismatch):
        operations[compare](usd("1"), eur("1"))


def test_equal_amounts_in_different_currencies_are_not_equal() -> None:
    assert usd("1") != eur("1")


def test_equality_is_numeric_and_hashing_agrees() -> None:
    assert usd("5") == usd("5.00")
    assert len({usd("5"), usd("5.00"), usd("5.0")}) == 1


def test_money_is_immutable() -> None:
    money = usd("1")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]


# -- text and JSON ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (usd("5000"), "5,000.00 USD"),
        (eur("-1234.5"), "-1,234.50 EUR"),
        (Money.of("1000000", "JPY"), "1,000,000 JPY"),
        (Money.of("1.5", "KWD"), "1.500 KWD"),
        (usd("0.125"), "0.125 USD"),  # an unrounded amount is shown whole, never rounded
        (-usd("0"), "0.00 USD"),
    ],
)
def test_money_reads_as_grouped_amount_and_code(money: Money, text: str) -> None:
    assert str(money) == text


def test_json_carries_the_amount_as_a_string() -> None:
    assert usd("5000").to_json() == {"amount": "5000.00", "currency": "USD"}
    assert Money.from_json({"amount": "5000.00", "currency": "USD"}) == usd("5000")


def test_json_with_a_float_amount_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        Money.from_json({"amount": 5000.0, "currency": "USD"})
    assert refused.value.field == "amount"


def test_json_without_a_currency_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        Money.from_json({"amount": "1"})
    assert refused.value.field == "currency"


# -- properties ---------------------------------------------------------------------------


@given(dollars, dollars)
def test_addition_is_commutative(a: Money, b: Money) -> None:
    assert a + b == b + a


@given(dollars, dollars, dollars)
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)


@given(dollars)
def test_zero_is_neutral_and_negation_cancels(a: Money) -> None:
    assert a + Money.zero("USD") == a
    assert (a + -a).is_zero()
    assert a - a == Money.zero("USD")


@given(dollars)
def test_json_round_trips_exactly(a: Money) -> None:
    assert Money.from_json(a.to_json()) == a


@given(dollars, st.integers(min_value=1, max_value=1000))
def test_multiplying_then_dividing_by_an_int_gives_the_amount_back(a: Money, n: int) -> None:
    assert (a * n) / n == a
