"""CRD-2: what an associate may order with its principal's credits, policy by policy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.domain.credits import (
    STRATEGIES,
    AssociatePolicy,
    associate_limit,
    decide_order,
)
from alliance.domain.errors import InvalidInput

P = AssociatePolicy
AVAILABLE = Decimal("10000.00")
EARNED = Decimal("1200.00")
QUARTER = Decimal("0.25")


@pytest.mark.parametrize(
    ("policy", "limit"),
    [
        (P.PRINCIPAL_ONLY, None),
        (P.PREAPPROVED_WHOLE_BALANCE, Decimal("10000.00")),
        (P.PREAPPROVED_PERCENTAGE, Decimal("2500.00")),
        (P.PREAPPROVED_OWN_EARNED, Decimal("1200.00")),
        (P.APPROVAL_REQUIRED, Decimal("10000.00")),
    ],
)
def test_each_policy_limits_the_associate_with_real_numbers(
    policy: AssociatePolicy, limit: Decimal | None
) -> None:
    assert associate_limit(policy, AVAILABLE, EARNED, QUARTER) == limit


def test_25_percent_of_10000_lets_the_associate_order_2500() -> None:
    decision = decide_order(
        P.PREAPPROVED_PERCENTAGE,
        amount=Decimal("2500.00"),
        principal_available=AVAILABLE,
        percentage=QUARTER,
    )

    assert (decision.allowed, decision.needs_approval, decision.limit) == (
        True,
        False,
        Decimal("2500.00"),
    )
    assert decision.reason.rule == "CRD-2"


def test_the_percentage_applies_to_the_balance_at_order_time() -> None:
    assert associate_limit(P.PREAPPROVED_PERCENTAGE, Decimal("6000"), EARNED, QUARTER) == Decimal(
        "1500.00"
    )


def test_a_percentage_share_is_rounded_half_up_to_the_hundredth() -> None:
    # 33 % of 1,000.01 is 330.0033 → 330.00; 50 % of 0.03 is 0.015 → 0.02.
    assert associate_limit(
        P.PREAPPROVED_PERCENTAGE, Decimal("1000.01"), EARNED, Decimal("0.33")
    ) == (Decimal("330.00"))
    assert associate_limit(P.PREAPPROVED_PERCENTAGE, Decimal("0.03"), EARNED, Decimal("0.5")) == (
        Decimal("0.02")
    )


def test_an_order_above_the_limit_is_refused_with_the_gap() -> None:
    decision = decide_order(
        P.PREAPPROVED_PERCENTAGE,
        amount=Decimal("3000"),
        principal_available=AVAILABLE,
        percentage=QUARTER,
    )

    assert not decision.allowed
    assert decision.reason.message.startswith("3,000.00 CREDITS asked, 2,500.00 CREDITS allowed")


def test_associates_cannot_order_when_the_principal_orders_for_them() -> None:
    decision = decide_order(P.PRINCIPAL_ONLY, amount=Decimal("1"), principal_available=AVAILABLE)

    assert (decision.allowed, decision.limit) == (False, None)
    assert "the principal orders for them" in decision.reason.message


def test_approval_required_allows_any_amount_of_the_balance_with_approval() -> None:
    decision = decide_order(
        P.APPROVAL_REQUIRED, amount=Decimal("9999.99"), principal_available=AVAILABLE
    )

    assert (decision.allowed, decision.needs_approval) == (True, True)


def test_own_earnings_cap_the_associate_at_what_it_earned() -> None:
    assert not decide_order(
        P.PREAPPROVED_OWN_EARNED,
        amount=Decimal("1200.01"),
        principal_available=AVAILABLE,
        associate_earned=EARNED,
    ).allowed


def test_the_principal_orders_on_its_own_balance_whatever_the_policy() -> None:
    decision = decide_order(
        P.PRINCIPAL_ONLY, amount=AVAILABLE, principal_available=AVAILABLE, for_principal=True
    )

    assert (decision.allowed, decision.needs_approval) == (True, False)


def test_a_percentage_policy_needs_a_fraction_between_0_and_1() -> None:
    with pytest.raises(InvalidInput):
        associate_limit(P.PREAPPROVED_PERCENTAGE, AVAILABLE, EARNED, None)
    with pytest.raises(InvalidInput):
        associate_limit(P.PREAPPROVED_PERCENTAGE, AVAILABLE, EARNED, Decimal("25"))


def test_an_order_is_for_a_positive_amount() -> None:
    with pytest.raises(InvalidInput):
        decide_order(P.APPROVAL_REQUIRED, amount=Decimal(0), principal_available=AVAILABLE)


def test_the_strategy_table_covers_every_policy() -> None:
    assert set(STRATEGIES) == set(AssociatePolicy)
    assert {p for p, s in STRATEGIES.items() if s.preapproved} == {
        P.PREAPPROVED_WHOLE_BALANCE,
        P.PREAPPROVED_PERCENTAGE,
        P.PREAPPROVED_OWN_EARNED,
    }


CREDIT_AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(
    policy=st.sampled_from(list(AssociatePolicy)),
    available=CREDIT_AMOUNTS,
    earned=CREDIT_AMOUNTS,
    percentage=st.decimals(min_value=0, max_value=1, places=4, allow_nan=False),
)
def test_a_policy_limit_never_exceeds_the_principals_available_balance(
    policy: AssociatePolicy, available: Decimal, earned: Decimal, percentage: Decimal
) -> None:
    limit = associate_limit(policy, available, earned, percentage)

    assert limit is None or Decimal(0) <= limit <= available
