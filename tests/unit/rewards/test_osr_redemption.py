"""Paying support invoices with rewards (OSR-10, OSR-14, OSR-18…OSR-23)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pytest
from osr_fixtures import customer, invoice, line, org, reward_lot, subscription

from alliance.domain.calendar import Month
from alliance.domain.clock import FixedClock
from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import Book, InsufficientBalance, Ledger, Lot
from alliance.domain.rewards import (
    InvoiceNotEligible,
    InvoicePayment,
    Payer,
    PayerNotAuthorised,
    RedemptionExceedsPreTax,
    RewardTerms,
    SupportInvoice,
    accrue_month,
    hierarchy_of,
    plan_invoice_payment,
    redeemable_amount,
)

TERMS = RewardTerms.default()
# cus_parent heads cus_acme and cus_sister; cus_other is another company.
HIERARCHY = hierarchy_of(
    [
        customer("cus_parent"),
        customer("cus_acme", parent="cus_parent"),
        customer("cus_sister", parent="cus_parent"),
        customer("cus_other"),
    ]
)
ACME_PAYS = Payer.customer(org("cus_acme"))
MARCH_10 = date(2022, 3, 10)


def pay(
    bill: SupportInvoice,
    amount: str | None,
    lots: Iterable[tuple[Lot, Decimal]],
    *,
    payer: Payer = ACME_PAYS,
    as_of: date = MARCH_10,
    already: str = "0",
) -> InvoicePayment:
    return plan_invoice_payment(
        bill,
        None if amount is None else Decimal(amount),
        lots,
        payer,
        HIERARCHY,
        TERMS,
        as_of,
        already_redeemed=Decimal(already),
    )


def taken(plan: InvoicePayment) -> list[tuple[str, Decimal]]:
    return [(p.lot_id, p.amount) for p in plan.payments]


def test_redemption_pays_pre_tax_only() -> None:
    """OSR-19: 1,000.00 USD pre-tax + 200.00 USD tax: rewards pay 1,000.00, never the tax."""
    bill = invoice(("database_support", "1000.00"), tax="200.00")
    plan = pay(bill, None, [reward_lot("lot_1", "5000.00")])
    assert plan.amount == Decimal("1000.00")
    with pytest.raises(RedemptionExceedsPreTax) as refused:
        pay(bill, "1200.00", [reward_lot("lot_1", "5000.00")])
    assert refused.value.rule == "OSR-19"
    assert "200.00 USD" in refused.value.message


@pytest.mark.parametrize("program", ["java_support", "mysql_support_some_offers", "linux_support"])
def test_excluded_support_program_lines_cannot_be_paid(program: str) -> None:
    """OSR-20: Java, some MySQL offers and Linux support are never paid with rewards."""
    mixed = invoice(("database_support", "1000.00"), (program, "500.00"))
    assert redeemable_amount(mixed, TERMS) == Decimal("1000.00")
    with pytest.raises(RedemptionExceedsPreTax):
        pay(mixed, "1500.00", [reward_lot("lot_1", "5000.00")])
    with pytest.raises(InvoiceNotEligible) as refused:
        pay(invoice((program, "500.00")), None, [reward_lot("lot_1", "5000.00")])
    assert refused.value.rule == "OSR-20"
    assert program in refused.value.message


def test_rewards_accrued_after_due_date_cannot_pay() -> None:
    """OSR-23: due 2022-03-31; the lot of 2022-03-31 may pay, the one of 2022-04-30 may not."""
    bill = invoice(("database_support", "1000.00"), due_on=date(2022, 3, 31))
    lots = [
        reward_lot("lot_feb", "100.00", accrued_on=date(2022, 2, 28)),
        reward_lot("lot_mar", "100.00", accrued_on=date(2022, 3, 31)),
        reward_lot("lot_apr", "900.00", accrued_on=date(2022, 4, 30)),
    ]
    late = date(2022, 5, 10)
    plan = pay(bill, None, lots, as_of=late)
    assert taken(plan) == [("lot_feb", Decimal("100.00")), ("lot_mar", Decimal("100.00"))]
    [left_out] = plan.left_out
    assert (left_out.lot_id, left_out.reason.rule) == ("lot_apr", "OSR-23")
    with pytest.raises(InsufficientBalance) as refused:
        pay(bill, "300.00", lots, as_of=late)
    assert "OSR-23" in refused.value.message


def test_other_entities_of_the_hierarchy_can_pay() -> None:
    """OSR-18: the parent's and a sister's rewards pay cus_acme's invoice; another
    company's do not."""
    bill = invoice(("database_support", "1000.00"))
    lots = [
        reward_lot("lot_parent", "300.00", owner="cus_parent"),
        reward_lot("lot_sister", "400.00", owner="cus_sister"),
        reward_lot("lot_other", "5000.00", owner="cus_other"),
    ]
    plan = pay(bill, None, lots)
    assert plan.amount == Decimal("700.00")
    assert plan.amounts_by_owner() == {
        "cus_parent": Decimal("300.00"),
        "cus_sister": Decimal("400.00"),
    }
    assert [(x.lot_id, x.reason.rule) for x in plan.left_out] == [("lot_other", "OSR-18")]


def test_someone_outside_the_hierarchy_cannot_pay() -> None:
    """OSR-18: cus_other's people cannot pay cus_acme's invoice."""
    with pytest.raises(PayerNotAuthorised) as refused:
        pay(
            invoice(("database_support", "100.00")),
            None,
            [reward_lot("lot_1", "100.00")],
            payer=Payer.customer(org("cus_other")),
        )
    assert refused.value.rule == "OSR-18"


def test_unauthorised_partner_is_refused() -> None:
    """OSR-10: a support-renewal partner the customer did not authorise cannot redeem."""
    subs = [subscription(renewal_partner="par_renewals", partner_authorised=False)]
    partner = Payer.renewal_partner(org("par_renewals"), subs)
    with pytest.raises(PayerNotAuthorised) as refused:
        pay(
            invoice(("database_support", "100.00")),
            None,
            [reward_lot("l", "100.00")],
            payer=partner,
        )
    assert refused.value.rule == "OSR-10"
    assert "par_renewals" in refused.value.message


def test_an_authorised_partner_redeems_only_the_rewards_of_who_authorised_it() -> None:
    """OSR-10: cus_acme authorised its renewal partner; cus_sister did not."""
    subs = [
        subscription("sub_1", renewal_partner="par_renewals", partner_authorised=True),
        subscription("sub_2", customer_id="cus_sister", renewal_partner="par_renewals"),
    ]
    partner = Payer.renewal_partner(org("par_renewals"), subs)
    lots = [reward_lot("lot_acme", "60.00"), reward_lot("lot_sister", "90.00", owner="cus_sister")]
    plan = pay(invoice(("database_support", "100.00")), None, lots, payer=partner)
    assert taken(plan) == [("lot_acme", Decimal("60.00"))]
    assert [(x.lot_id, x.reason.rule) for x in plan.left_out] == [("lot_sister", "OSR-10")]


def test_earliest_expiry_first() -> None:
    """OSR-21: the lot expiring end of November 2022 goes before December's, whoever owns it."""
    lots = [
        reward_lot("lot_dec", "100.00", accrued_on=date(2021, 12, 31)),
        reward_lot("lot_nov", "100.00", owner="cus_sister", accrued_on=date(2021, 11, 30)),
    ]
    plan = pay(invoice(("database_support", "150.00")), None, lots)
    assert taken(plan) == [("lot_nov", Decimal("100.00")), ("lot_dec", Decimal("50.00"))]


def test_expired_rewards_cannot_pay() -> None:
    """OSR-14: a lot expiring 2022-12-31 pays on that day, not on 2023-01-01."""
    bill = invoice(
        ("database_support", "100.00"), issued_on=date(2022, 12, 1), due_on=date(2023, 1, 31)
    )
    lots = [reward_lot("lot_dec", "100.00", accrued_on=date(2021, 12, 31))]
    assert pay(bill, None, lots, as_of=date(2022, 12, 31)).amount == Decimal("100.00")
    with pytest.raises(InsufficientBalance) as refused:
        pay(bill, None, lots, as_of=date(2023, 1, 1))
    assert "OSR-14" in refused.value.message


def test_partial_payment_is_allowed_up_to_the_pre_tax_amount() -> None:
    """OSR-19: pay 400.00 of 1,000.00 now; later at most 600.00 more."""
    bill = invoice(("database_support", "1000.00"), tax="100.00")
    lots = [reward_lot("lot_1", "5000.00")]
    first = pay(bill, "400.00", lots)
    assert (first.amount, first.still_redeemable) == (Decimal("400.00"), Decimal("600.00"))
    with pytest.raises(RedemptionExceedsPreTax):
        pay(bill, "600.01", lots, already="400.00")
    assert pay(bill, None, lots, already="400.00").amount == Decimal("600.00")
    with pytest.raises(RedemptionExceedsPreTax):
        pay(bill, None, lots, already="1000.00")


def test_rewards_in_another_currency_cannot_pay() -> None:
    """X-1: euro rewards never pay a dollar invoice."""
    lots = [reward_lot("lot_eur", "500.00", unit="EUR"), reward_lot("lot_usd", "50.00")]
    plan = pay(invoice(("database_support", "100.00")), None, lots)
    assert taken(plan) == [("lot_usd", Decimal("50.00"))]
    assert plan.left_out[0].reason.rule == "X-1"


def test_an_amount_with_fractions_of_a_cent_is_refused() -> None:
    """X-1: a payment is in whole cents."""
    with pytest.raises(InvalidInput):
        pay(invoice(("database_support", "100.00")), "10.001", [reward_lot("lot_1", "50.00")])


def test_several_subscriptions_pay_one_invoice() -> None:
    """OSR-22, OSR-21, X-5: rewards of two subscriptions (of two entities, two months) pay
    one invoice, through the ledger, earliest expiry first."""
    ledger = Ledger(FixedClock(date(2022, 3, 10)))
    subs = [subscription("sub_1"), subscription("sub_2", customer_id="cus_sister")]
    customers = [customer("cus_parent"), customer(parent="cus_parent")]
    customers.append(customer("cus_sister", parent="cus_parent"))
    for month in (Month(2021, 12), Month(2022, 1)):
        usage = [
            line("400", sub="sub_1", month=month, line_no=1),
            line("800", sub="sub_2", customer_id="cus_sister", month=month, line_no=2),
        ]
        run = accrue_month(month, usage, subs, customers, TERMS)
        for opening in run.open_lot_commands(TERMS):
            ledger.execute(opening)
    books = [Book(owner, "support_rewards", "USD") for owner in ("cus_acme", "cus_sister")]
    lots = [lot for book in books for lot in ledger.open_lots(book)]
    bill = invoice(("database_support", "450.00"), tax="90.00")

    plan = pay(bill, None, lots)

    assert plan.amount == Decimal("450.00")
    expiries = [p.expires_on or date.max for p in plan.payments]
    assert expiries == sorted(expiries)  # December's lots, then January's
    assert {p.owner for p in plan.payments} == {"cus_acme", "cus_sister"}
    december = sum(p.amount for p in plan.payments if p.expires_on == date(2022, 12, 31))
    assert december == Decimal("300.00")  # 100.00 + 200.00, taken whole
    for command in plan.redeem_commands("req-1", TERMS) * 2:  # a replay spends nothing more
        ledger.execute(command)
    left = [(lot.expires_on, r) for book in books for lot, r in ledger.open_lots(book)]
    assert sum(r for _, r in left) == Decimal("150.00")  # 600.00 accrued, 450.00 paid
    assert {expiry for expiry, _ in left} == {date(2023, 1, 31)}
