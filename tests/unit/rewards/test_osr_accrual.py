"""The monthly accrual: rates, owner, rounding, expiry, key (OSR-9, OSR-11…OSR-16, X-1, X-5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from osr_fixtures import ACME, DEC_2021, customer, line, org, subscription

from alliance.domain.calendar import Month
from alliance.domain.clock import FixedClock
from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import AccountKind, Book, Ledger
from alliance.domain.rewards import (
    Customer,
    OrderType,
    RewardTerms,
    Subscription,
    UsageLine,
    accrue_month,
)
from alliance.domain.rewards.accrual import Accrual

TERMS = RewardTerms.default()


def accrue(
    lines: list[UsageLine],
    subs: list[Subscription] | None = None,
    customers: list[Customer] | None = None,
    terms: RewardTerms = TERMS,
    month: Month = DEC_2021,
) -> list[Accrual]:
    run = accrue_month(month, lines, subs or [subscription()], customers or [customer()], terms)
    return list(run.accruals)


def test_standard_rate_is_25_percent() -> None:
    """OSR-11, OSR-12: 1,000 USD of eligible consumption earns 250.00 USD."""
    [accrual] = accrue([line("1000")])
    assert accrual.amount == Decimal("250.00")
    assert accrual.rate.rate == Decimal("0.25") and not accrual.rate.ula


def test_ula_customer_earns_33_percent_on_all_consumption() -> None:
    """OSR-11: 1,000 USD for a ULA customer earns 330.00 USD, over all its subscriptions."""
    subs = [subscription("sub_1"), subscription("sub_2")]
    lines = [line("600", sub="sub_1", line_no=1), line("400", sub="sub_2", line_no=2)]
    [accrual] = accrue(lines, subs, [customer(ula=True)])
    assert accrual.amount == Decimal("330.00")
    assert accrual.rate.reason.rule == "OSR-11"


def test_an_entity_included_in_another_entitys_ula_earns_the_ula_rate() -> None:
    """OSR-11: ULA status covers every entity the ULA includes."""
    customers = [customer("cus_holder", ula=True, covers=frozenset({"cus_acme"})), customer()]
    [accrual] = accrue([line("1000")], customers=customers)
    assert accrual.amount == Decimal("330.00")
    assert "cus_holder" in accrual.rate.reason.message


def test_a_ula_and_non_ula_mix_in_one_hierarchy_earns_the_ula_rate_on_all() -> None:
    """OSR-11: one ULA entity in the corporate hierarchy gives 33 % to all its entities;
    the switch ``ula_rate_across_hierarchy`` turns that off."""
    customers = [customer("cus_parent", ula=True), customer(parent="cus_parent")]
    [accrual] = accrue([line("1000")], customers=customers)
    assert accrual.amount == Decimal("330.00")
    terms = replace(TERMS, ula_rate_across_hierarchy=False)
    [alone] = accrue([line("1000")], customers=customers, terms=terms)
    assert alone.amount == Decimal("250.00")


def test_only_eligible_lines_count() -> None:
    """OSR-7, OSR-12: a marketplace line is listed, excluded, and adds nothing."""
    lines = [line("1000", line_no=1), line("500", line_no=2, marketplace=True)]
    [accrual] = accrue(lines)
    assert accrual.eligible_consumption == Decimal("1000")
    assert accrual.amount == Decimal("250.00")
    [excluded] = accrual.excluded_lines
    assert excluded.line_no == 2 and excluded.reasons[0].rule == "OSR-7"
    assert [o.line_no for o in accrual.counted_lines] == [1]


def test_december_2021_accrual_expires_end_of_december_2022() -> None:
    """OSR-14: accrued at the end of December 2021, expires at the end of December 2022."""
    [accrual] = accrue([line()])
    assert accrual.accrued_on == date(2021, 12, 31)
    assert accrual.expires_on == date(2022, 12, 31)


def test_february_2024_accrual_expires_end_of_february_2025() -> None:
    """OSR-14, X-2: leap-year month end."""
    [accrual] = accrue([line(month=Month(2024, 2))], month=Month(2024, 2))
    assert (accrual.accrued_on, accrual.expires_on) == (date(2024, 2, 29), date(2025, 2, 28))


def test_rewards_belong_to_the_buyer_not_the_reseller() -> None:
    """OSR-9: bought through a reseller, the rewards belong to the buyer on the order."""
    sub = subscription(customer_id="cus_tenant", buyer="cus_buyer", reseller="par_reseller")
    customers = [customer("cus_buyer"), customer("cus_tenant")]
    [accrual] = accrue([line(customer_id="cus_tenant")], [sub], customers)
    assert accrual.owner_id == "cus_buyer"
    assert accrual.idempotency_key == "osr:accrual:cus_buyer:2021-12"


def test_no_cap_on_accrual() -> None:
    """OSR-16, X-1: a huge month accrues in full, exactly (no 28-digit rounding)."""
    huge = line("123456789012.345678", quantity="98765432109876.5432")
    [accrual] = accrue([huge])
    exact = Fraction("123456789012.345678") * Fraction("98765432109876.5432")
    assert Fraction(accrual.eligible_consumption) == exact
    assert accrual.amount == Decimal("3048315778425544858062795.31")


def test_an_accrual_beyond_28_digits_is_still_rounded_once_half_up() -> None:
    """OSR-16, X-1: 10^32 USD and half a cent earn exactly a quarter of it, rounded half-up."""
    [accrual] = accrue([line("100000000000000000000000000000000.005")])
    assert accrual.amount == Decimal("25000000000000000000000000000000.00")
    [more] = accrue([line("100000000000000000000000000000000.02")])
    assert more.amount == Decimal("25000000000000000000000000000000.01")  # .005 → .01


def test_rounding_happens_once_per_customer_month() -> None:
    """OSR-12, X-1: 1,000 lines of 0.0005 USD: 0.5 × 25 % = 0.125 → 0.13 USD once, where
    rounding line by line would give 0.00."""
    lines = [line("0.0005", line_no=n) for n in range(1, 1001)]
    [accrual] = accrue(lines)
    assert accrual.eligible_consumption == Decimal("0.5")
    assert accrual.amount == Decimal("0.13")


def test_rounding_is_half_up() -> None:
    """X-1: 1.22 × 25 % = 0.305 rounds up to 0.31 (banker's rounding would say 0.30)."""
    [accrual] = accrue([line("1.22")])
    assert accrual.amount == Decimal("0.31")


def test_rounding_follows_the_currency_minor_unit() -> None:
    """X-1: yen have no minor unit: 1,001 JPY × 25 % = 250.25 → 250."""
    [accrual] = accrue([line("1001", currency="JPY")])
    assert (accrual.amount, accrual.currency) == (Decimal("250"), "JPY")


def test_a_month_that_earns_nothing_opens_no_lot_but_explains_why() -> None:
    """OSR-2, X-3: a pay-as-you-go month is reported with its reason, and opens no lot."""
    run = accrue_month(
        DEC_2021,
        [line()],
        [subscription(order_type=OrderType.PAY_AS_YOU_GO)],
        [customer()],
        TERMS,
    )
    [accrual] = run.accruals
    assert accrual.amount == 0 and not accrual.opens_lot
    assert accrual.lines[0].reasons[0].rule == "OSR-2"
    assert run.earning == () and run.open_lot_commands(TERMS) == ()


def test_one_accrual_per_buyer_ordered_by_buyer() -> None:
    """OSR-9, OSR-12: each buyer gets one accrual for the month."""
    subs = [subscription("sub_b", customer_id="cus_b"), subscription("sub_a", customer_id="cus_a")]
    lines = [
        line("100", sub="sub_b", customer_id="cus_b", line_no=1),
        line("200", sub="sub_a", customer_id="cus_a", line_no=2),
        line("300", sub="sub_a", customer_id="cus_a", line_no=3),
    ]
    accruals = accrue(lines, subs, [customer("cus_a"), customer("cus_b")])
    assert [(a.owner_id, a.amount) for a in accruals] == [
        ("cus_a", Decimal("125.00")),
        ("cus_b", Decimal("25.00")),
    ]


def test_a_customer_month_in_two_currencies_is_refused() -> None:
    """X-1: one customer-month accrues in one currency; nothing accrues otherwise."""
    lines = [line("100", line_no=1), line("100", line_no=2, currency="EUR")]
    with pytest.raises(InvalidInput) as refused:
        accrue(lines)
    [problem] = refused.value.problems
    assert problem.rule == "X-1" and problem.field == "currency"
    assert "EUR" in problem.message and "USD" in problem.message


def test_bad_lines_are_all_reported_at_once() -> None:
    """X-7: an unknown subscription and a line of another month, each located."""
    lines = [line(sub="sub_unknown", line_no=7), line(month=Month(2022, 1), line_no=8)]
    with pytest.raises(InvalidInput) as refused:
        accrue(lines)
    assert [(p.location, p.field) for p in refused.value.problems] == [
        ("usage line 7", "subscription_id"),
        ("usage line 8", "month"),
    ]


def test_accrual_opens_one_lot_and_a_rerun_opens_none() -> None:
    """X-5, OSR-12, OSR-14: the accrual's lot in the ledger; replaying the month is a no-op."""
    ledger = Ledger(FixedClock(date(2022, 1, 1)))
    run = accrue_month(DEC_2021, [line("1000")], [subscription()], [customer()], TERMS)
    for _ in range(2):
        for command in run.open_lot_commands(TERMS):
            ledger.execute(command)
    [(lot, remaining)] = ledger.open_lots(Book(ACME, "support_rewards", "USD"))
    assert remaining == Decimal("250.00")
    assert (lot.accrued_on, lot.expires_on) == (date(2021, 12, 31), date(2022, 12, 31))
    assert ledger.balance(Book(ACME, "support_rewards", "USD").account(AccountKind.WALLET)) == (
        Decimal("250.00")
    )
    assert len(ledger.postings) == 1
    assert org("cus_acme") == lot.owner
