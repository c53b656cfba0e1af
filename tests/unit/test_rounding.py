"""Rounding is half-up, at the currency's minor unit, only where a rule says so (X-1);
instalments split exactly (OPN-6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money, allocate, eur, usd
from alliance.domain.rounding import quantum, round_half_up, split_evenly

amounts = st.decimals(min_value=Decimal("-1000000000"), max_value=Decimal("1000000000"), places=6)
places = st.integers(min_value=0, max_value=4)
currencies = st.sampled_from(["USD", "EUR", "JPY", "KWD"])


@pytest.mark.parametrize(
    ("amount", "places_", "expected"),
    [
        ("2.675", 2, "2.68"),  # a float would give 2.67
        ("2.665", 2, "2.67"),  # banker's rounding would give 2.66
        ("0.005", 2, "0.01"),
        ("0.0049", 2, "0.00"),
        ("-0.005", 2, "-0.01"),  # ties go away from zero
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        ("1.2345", 3, "1.235"),
        ("1250", -2, "1300"),
    ],
)
def test_ties_round_half_up(amount: str, places_: int, expected: str) -> None:
    """X-1: half-up, as accountants mean it."""
    assert round_half_up(Decimal(amount), places_) == Decimal(expected)


def test_a_quantum_is_one_step_at_the_given_places() -> None:
    assert quantum(2) == Decimal("0.01")
    assert quantum(0) == Decimal("1")


@pytest.mark.parametrize(
    ("money", "expected"),
    [
        (usd("2.675"), usd("2.68")),
        (Money.of("1234.5", "JPY"), Money.of("1235", "JPY")),
        (Money.of("1.2345", "KWD"), Money.of("1.235", "KWD")),
        (eur("19.99"), eur("19.99")),
    ],
)
def test_money_rounds_to_its_currency_minor_unit(money: Money, expected: Money) -> None:
    assert money.rounded() == expected
    assert money.rounded().amount.as_tuple().exponent == -money.minor_unit


def test_money_rounds_to_stated_places_when_a_rule_asks() -> None:
    """A unit net price may be kept at 4 decimals (OSR-12)."""
    assert usd("0.123456").rounded_to(4) == usd("0.1235")


def test_a_yearly_fee_splits_into_four_equal_quarterly_instalments() -> None:
    """OPN-6: 100,000 USD in four quarterly instalments is 4 × 25,000.00."""
    assert allocate(usd("100000"), 4) == [usd("25000.00")] * 4


def test_the_leftover_cent_goes_to_the_first_instalment() -> None:
    """OPN-6: 1,000.01 USD → 250.01, 250.00, 250.00, 250.00."""
    parts = allocate(usd("1000.01"), 4)
    assert [str(part) for part in parts] == ["250.01 USD", "250.00 USD", "250.00 USD", "250.00 USD"]


def test_leftover_cents_go_to_the_first_parts_in_turn() -> None:
    assert allocate(usd("1000.03"), 4) == [usd("250.01")] * 3 + [usd("250.00")]


def test_an_unrounded_total_is_rounded_before_it_is_split() -> None:
    assert allocate(usd("1000.005"), 4) == [usd("250.01"), *[usd("250.00")] * 3]


def test_a_refund_splits_like_a_charge() -> None:
    assert allocate(usd("-1000.01"), 4) == [usd("-250.01"), *[usd("-250.00")] * 3]


def test_yen_split_in_whole_yen() -> None:
    assert allocate(Money.of("100", "JPY"), 3) == [Money.of(n, "JPY") for n in (34, 33, 33)]


def test_a_cent_split_three_ways() -> None:
    assert allocate(usd("0.01"), 3) == [usd("0.01"), usd("0"), usd("0")]


def test_splitting_into_no_parts_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        allocate(usd("100"), 0)
    assert refused.value.field == "parts"
    with pytest.raises(ValueError):
        split_evenly(Decimal(100), 0, 2)


@given(amounts, places)
def test_rounding_is_idempotent(amount: Decimal, places_: int) -> None:
    once = round_half_up(amount, places_)
    assert round_half_up(once, places_) == once


@given(amounts, places)
def test_rounding_is_symmetric(amount: Decimal, places_: int) -> None:
    assert round_half_up(-amount, places_) == -round_half_up(amount, places_)


@given(amounts, places)
def test_rounding_moves_an_amount_by_at_most_half_a_step(amount: Decimal, places_: int) -> None:
    assert abs(round_half_up(amount, places_) - amount) <= quantum(places_) / 2


@given(amounts, currencies, st.integers(min_value=1, max_value=48))
def test_parts_always_sum_to_the_rounded_total(amount: Decimal, code: str, n: int) -> None:
    """OPN-6: instalments add up to the fee, to the cent."""
    total = Money(amount, code)
    parts = allocate(total, n)
    assert len(parts) == n
    assert sum(part.amount for part in parts) == total.rounded().amount


@given(amounts, currencies, st.integers(min_value=1, max_value=48))
def test_parts_differ_by_at_most_one_minor_unit_largest_first(
    amount: Decimal, code: str, n: int
) -> None:
    parts = allocate(Money(amount, code), n)
    sizes = [abs(part.amount) for part in parts]
    assert max(sizes) - min(sizes) <= quantum(parts[0].minor_unit)
    assert sizes == sorted(sizes, reverse=True)
    assert all(part.rounded() == part for part in parts)
