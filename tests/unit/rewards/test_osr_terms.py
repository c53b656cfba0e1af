"""The program's parameters as one value, with SPEC §5's numbers by default."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import RedemptionOrder
from alliance.domain.rewards import OrderType, OveragePolicy, RewardTerms, Sector


def test_default_terms_carry_the_spec_numbers() -> None:
    """OSR-2, OSR-3, OSR-11, OSR-14, OSR-15, OSR-20, OSR-21."""
    terms = RewardTerms.default()
    assert (terms.standard_rate, terms.ula_rate) == (Decimal("0.25"), Decimal("0.33"))
    assert terms.eligible_order_types == {OrderType.COMMITTED_CREDITS}
    assert terms.excluded_countries == {"CN", "CO", "MX", "TW"}
    assert terms.excluded_sectors == {Sector.US_FEDERAL_PUBLIC}
    assert terms.overage is OveragePolicy.SAME_RATE_ON_OVERAGE_PRICE
    assert terms.excluded_support_programs == {
        "java_support",
        "mysql_support_some_offers",
        "linux_support",
    }
    assert terms.validity_months == 12
    assert terms.redemption_order is RedemptionOrder.EARLIEST_EXPIRY_FIRST
    assert terms.rate(ula=True) == Decimal("0.33") and terms.rate(ula=False) == Decimal("0.25")


def test_terms_read_the_text_values_of_a_program_definition() -> None:
    """A definition file's words map straight onto the terms."""
    terms = RewardTerms(
        overage="excluded",  # type: ignore[arg-type]
        excluded_sectors=frozenset({"us_federal_public_sector"}),  # type: ignore[arg-type]
        redemption_order="fifo",  # type: ignore[arg-type]
    )
    assert terms.overage is OveragePolicy.EXCLUDED
    assert terms.excluded_sectors == {Sector.US_FEDERAL_PUBLIC}
    assert terms.redemption_order is RedemptionOrder.FIFO


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"standard_rate": Decimal("25")}, "standard_rate"),  # a percentage, not a fraction
        ({"ula_rate": Decimal("-0.33")}, "ula_rate"),
        ({"validity_months": 0}, "validity_months"),
        ({"excluded_countries": frozenset({"China"})}, "excluded_countries"),
        ({"overage": "sometimes"}, "overage"),
    ],
)
def test_bad_terms_are_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    """X-7: a misconfigured program fails at load time, naming the field."""
    with pytest.raises(InvalidInput) as refused:
        replace(RewardTerms.default(), **change)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_float_rate_is_refused() -> None:
    """X-1: rates are exact decimals."""
    with pytest.raises(InvalidInput):
        RewardTerms(standard_rate=0.25)  # type: ignore[arg-type]
