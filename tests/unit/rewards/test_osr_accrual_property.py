"""Property: the accrual equals an independent, simple computation (OSR-11, OSR-12, X-1)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from osr_fixtures import DEC_2021, customer, line, subscription

from alliance.domain.rewards import (
    OrderType,
    RewardTerms,
    Sector,
    Subscription,
    UsageLine,
    accrue_month,
)

TERMS = RewardTerms.default()
CUSTOMERS = ("cus_a", "cus_b", "cus_c")
FLAGS = ("third_party", "marketplace", "saas", "free_tier", "rack_subscription", "byol")


def decimals(places: int, max_units: int) -> st.SearchStrategy[Decimal]:
    """Non-negative decimals with up to ``places`` decimals, as a rate card writes them."""
    return st.integers(0, max_units * 10**places).map(lambda n: Decimal(n).scaleb(-places))


subscriptions = st.builds(
    lambda who, order, country, sector, paas: subscription(
        f"sub_{who}",
        customer_id=who,
        order_type=order,
        country=country,
        sector=sector,
        paas_conversion=paas,
    ),
    st.sampled_from(CUSTOMERS),
    st.sampled_from(list(OrderType)),
    st.sampled_from(["FR", "US", "TW", "MX", "JP"]),
    st.sampled_from(list(Sector)),
    st.booleans(),
)


def usage_line(who: str, n: int, price: Decimal, qty: Decimal, flags: list[bool]) -> UsageLine:
    flagged: dict[str, Any] = dict(zip(FLAGS, flags, strict=True))
    usage = line(str(price), quantity=str(qty), line_no=n, sub=f"sub_{who}", customer_id=who)
    return replace(usage, **flagged)


lines = st.lists(
    st.tuples(
        st.sampled_from(CUSTOMERS),
        decimals(6, 10_000),
        decimals(4, 1_000_000),
        st.lists(st.booleans(), min_size=len(FLAGS), max_size=len(FLAGS)),
    ),
    max_size=40,
)


def simple_eligible(usage: UsageLine, sub: Subscription) -> bool:
    """The rules restated: committed credits, outside the five regions, no PaaS right,
    none of the excluded kinds of service."""
    return (
        sub.order_type == "committed_credits"
        and sub.country not in {"CN", "CO", "MX", "TW"}
        and sub.sector != "us_federal_public_sector"
        and not sub.has_paas_conversion_right
        and not (
            usage.third_party
            or usage.marketplace
            or usage.saas
            or usage.free_tier
            or usage.rack_subscription
        )
    )


def simple_amount(total: Fraction, ula: bool) -> Fraction:
    """Total × rate, rounded half-up to cents, in fractions."""
    earned = total * (Fraction(33, 100) if ula else Fraction(25, 100))
    return Fraction(int(earned * 100 + Fraction(1, 2)), 100)


@settings(max_examples=200, deadline=None)
@given(
    subs=st.lists(subscriptions, unique_by=lambda s: s.id, min_size=1, max_size=3),
    raw_lines=lines,
    ula=st.sets(st.sampled_from(CUSTOMERS)),
)
def test_accrual_equals_a_simple_fraction_computation(
    subs: list[Subscription],
    raw_lines: list[tuple[str, Decimal, Decimal, list[bool]]],
    ula: set[str],
) -> None:
    """OSR-11, OSR-12, X-1: Σ eligible (price × quantity) × rate, rounded half-up once."""
    by_customer = {s.customer_id: s for s in subs}
    usage = [
        usage_line(who, n, price, qty, flags)
        for n, (who, price, qty, flags) in enumerate(raw_lines, start=1)
        if who in by_customer
    ]
    customers = [customer(who, ula=who in ula) for who in CUSTOMERS]
    run = accrue_month(DEC_2021, usage, subs, customers, TERMS)

    expected: dict[str, Fraction] = {}
    for u in usage:
        sub = by_customer[u.customer_id]
        value = Fraction(u.unit_net_price) * Fraction(u.quantity)
        expected.setdefault(sub.buyer_id, Fraction(0))
        if simple_eligible(u, sub):
            expected[sub.buyer_id] += value
    assert {a.owner_id for a in run.accruals} == set(expected)
    for accrual in run.accruals:
        total = expected[accrual.owner_id]
        assert Fraction(accrual.eligible_consumption) == total
        assert Fraction(accrual.amount) == simple_amount(total, accrual.owner_id in ula)
        assert accrual.amount.as_tuple().exponent == -2
