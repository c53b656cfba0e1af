"""Fees, payment plans and methods, instalments and the fee invoice (OPN-4 … OPN-7)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from membership_fixtures import JAN_15, TERMS, submitted

from alliance.domain.calendar import add_months
from alliance.domain.errors import InvalidInput
from alliance.domain.membership import (
    LevelTerms,
    MembershipStatus,
    MethodNotAllowed,
    PaymentChoice,
    PaymentMethod,
    PaymentOption,
    PaymentPlan,
    PaymentTiming,
    PlanNotAllowed,
    SubscriptionId,
    add_business_days,
    fee_invoice,
    instalments,
    issue_date,
    payment_option,
    subscribe,
    subscription_invoice,
)
from alliance.domain.money import Money, sum_money, usd

SUB = SubscriptionId("sub_acme")
QUARTERLY = PaymentOption(
    PaymentPlan.QUARTERLY, (PaymentMethod.WIRE,), PaymentTiming.FROM_ACTIVATION
)


def choice(plan: str, method: str) -> PaymentChoice:
    return PaymentChoice(PaymentPlan(plan), PaymentMethod(method))


def test_annual_fees_are_500_5000_100000_and_500000_usd() -> None:
    """OPN-4: digital levels 0–3, annual fee excluding tax."""
    fees = {level.id: level.fee for level in TERMS.levels}
    assert fees == {
        "l0": usd("500"),
        "l1": usd("5000"),
        "l2": usd("100000"),
        "l3": usd("500000"),
    }


@pytest.mark.parametrize(
    ("level", "plan", "method"),
    [
        ("l0", "annual", "card"),
        ("l0", "annual", "wire"),
        ("l1", "annual", "purchase_order"),
        ("l2", "annual", "wire"),
        ("l2", "quarterly", "card"),
        ("l3", "annual", "purchase_order"),
        ("l3", "quarterly", "wire"),
    ],
)
def test_the_default_payment_table_allows(level: str, plan: str, method: str) -> None:
    """OPN-5: the default country set of plans and methods."""
    option = payment_option(TERMS.level(level), "US", choice(plan, method))
    assert option.plan is PaymentPlan(plan)


def test_card_is_refused_for_level_3_naming_opn_5() -> None:
    """OPN-5: level 3 pays by wire or purchase order only, annual or quarterly."""
    for plan in ("annual", "quarterly"):
        with pytest.raises(MethodNotAllowed) as refused:
            payment_option(TERMS.level("l3"), "US", choice(plan, "card"))
        assert (refused.value.rule, refused.value.field) == ("OPN-5", "method")
        assert "accepted: wire, purchase order" in refused.value.message


def test_card_is_refused_for_level_2_annual_but_allowed_quarterly() -> None:
    """OPN-5: level 2 annual is wire or purchase order; quarterly also takes a card."""
    with pytest.raises(MethodNotAllowed):
        payment_option(TERMS.level("l2"), "US", choice("annual", "card"))
    assert payment_option(TERMS.level("l2"), "US", choice("quarterly", "card"))


@pytest.mark.parametrize("level", ["l0", "l1"])
def test_quarterly_payment_is_refused_below_level_2_naming_opn_6(level: str) -> None:
    """OPN-6: only levels 2–3 may pay in four quarterly instalments."""
    with pytest.raises(PlanNotAllowed) as refused:
        payment_option(TERMS.level(level), "US", choice("quarterly", "wire"))
    assert (refused.value.rule, refused.value.field) == ("OPN-6", "plan")
    assert "offered: annual" in refused.value.message


def test_purchase_order_is_refused_for_level_0_naming_opn_5() -> None:
    with pytest.raises(MethodNotAllowed) as refused:
        payment_option(TERMS.level("l0"), "US", choice("annual", "purchase_order"))
    assert refused.value.rule == "OPN-5"


def test_methods_vary_by_country() -> None:
    """OPN-5: a country's own table replaces the default there, and only there."""
    level = LevelTerms(
        "l1",
        "Level 1",
        1,
        usd("5000"),
        (PaymentOption(PaymentPlan.ANNUAL, (PaymentMethod.CARD, PaymentMethod.WIRE)),),
        {"DE": (PaymentOption(PaymentPlan.ANNUAL, (PaymentMethod.DIRECT_DEBIT,)),)},
    )
    assert payment_option(level, "DE", choice("annual", "direct_debit"))
    with pytest.raises(MethodNotAllowed) as refused:
        payment_option(level, "DE", choice("annual", "card"))
    assert " in DE" in refused.value.message
    assert payment_option(level, "FR", choice("annual", "card"))


def test_level_2_quarterly_is_four_times_25000_from_activation() -> None:
    """OPN-6: four equal instalments due at activation, +3, +6 and +9 months."""
    schedule = instalments(usd("100000"), QUARTERLY, JAN_15)
    assert [i.amount for i in schedule] == [usd("25000.00")] * 4
    assert [i.due_on for i in schedule] == [
        date(2026, 1, 15),
        date(2026, 4, 15),
        date(2026, 7, 15),
        date(2026, 10, 15),
    ]
    assert [i.number for i in schedule] == [1, 2, 3, 4]


def test_level_3_quarterly_is_four_times_125000() -> None:
    schedule = instalments(usd("500000"), QUARTERLY, JAN_15)
    assert [str(i.amount) for i in schedule] == ["125,000.00 USD"] * 4


def test_instalments_from_the_31st_fall_on_the_last_day_of_shorter_months() -> None:
    """X-2: calendar months, clamped: 31 January → 30 April, 31 July, 31 October."""
    schedule = instalments(usd("100000"), QUARTERLY, date(2026, 1, 31))
    assert [i.due_on for i in schedule] == [
        date(2026, 1, 31),
        date(2026, 4, 30),
        date(2026, 7, 31),
        date(2026, 10, 31),
    ]


@given(
    cents=st.integers(min_value=0, max_value=10**12),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)
def test_instalments_always_sum_to_the_fee_and_differ_by_at_most_a_cent(
    cents: int, start: date
) -> None:
    """OPN-6 / X-1: equal instalments to the cent, the leftover cents first."""
    fee = Money(Decimal(cents) / 100, "USD")
    schedule = instalments(fee, QUARTERLY, start)
    amounts = [i.amount.amount for i in schedule]
    assert sum_money((i.amount for i in schedule), "USD") == fee
    assert max(amounts) - min(amounts) <= Decimal("0.01")
    assert amounts == sorted(amounts, reverse=True)
    assert [i.due_on for i in schedule] == [add_months(start, 3 * n) for n in range(4)]


def test_the_invoice_is_issued_three_business_days_after_subscription_skipping_a_weekend() -> None:
    """OPN-7: subscribed Thursday 15 January 2026 → invoiced Tuesday 20 January."""
    assert JAN_15.weekday() == 3
    assert issue_date(JAN_15, TERMS) == date(2026, 1, 20)
    assert issue_date(JAN_15, TERMS, delay=5) == date(2026, 1, 22)


def test_an_invoice_delay_outside_3_to_5_business_days_is_refused() -> None:
    """OPN-7: the configured delay stays within the program's range."""
    for delay in (2, 6):
        with pytest.raises(InvalidInput) as refused:
            issue_date(JAN_15, TERMS, delay=delay)
        assert (refused.value.field, refused.value.rule) == ("delay", "OPN-7")


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=30),
)
def test_business_days_never_land_on_a_weekend(start: date, days: int) -> None:
    result = add_business_days(start, days)
    counted = sum(
        1 for n in range(1, (result - start).days + 1) if (start + timedelta(n)).weekday() < 5
    )
    assert counted == days
    assert days == 0 or result.weekday() < 5


def test_a_full_payment_invoice_carries_the_subscription_id_and_one_instalment() -> None:
    """OPN-6 / OPN-7: full payment before activation: one instalment, due on issue."""
    level = TERMS.level("l3")
    option = payment_option(level, "US", choice("annual", "wire"))
    invoice = fee_invoice(SUB, level, option, TERMS, JAN_15)
    assert invoice.reference == "sub_acme"
    assert invoice.amount == usd("500000.00")
    assert invoice.issued_on == date(2026, 1, 20)
    assert [(i.amount, i.due_on) for i in invoice.instalments] == [
        (usd("500000.00"), date(2026, 1, 20))
    ]
    assert invoice.recipient_role.value == "accounts_payable"
    assert invoice.taxes_excluded
    assert invoice.key == "sub_acme:fee_invoice:2026-01-20"


def test_a_quarterly_subscription_is_active_at_once_and_invoiced_from_activation() -> None:
    """OPN-6: quarterly instalments start at activation, which is the subscription."""
    membership = subscribe(submitted("l2", plan="quarterly", method="card"), SUB, TERMS, JAN_15)
    assert membership.status is MembershipStatus.ACTIVE
    assert membership.term is not None and membership.term.start == JAN_15
    invoice = subscription_invoice(membership, TERMS, "US")
    assert invoice.issued_on == date(2026, 1, 20)
    assert invoice.instalments[0].due_on == JAN_15
    assert [i.amount for i in invoice.instalments] == [usd("25000.00")] * 4


def test_a_full_payment_subscription_waits_for_payment() -> None:
    """OPN-6: full payment comes before activation; benefits after payment."""
    membership = subscribe(submitted("l2", plan="annual", method="wire"), SUB, TERMS, JAN_15)
    assert membership.status is MembershipStatus.PENDING_PAYMENT
    assert membership.term is None
