"""RWD-2…RWD-5: payout amounts, the booking re-check, money and credit payouts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from rwd_builders import OFFERS_IN_FRANCE, deal, hardware, oci, public, saas

from alliance.domain.clock import FixedClock
from alliance.domain.credits import PARTNER_CREDITS
from alliance.domain.engagement_rewards import (
    InviteSupplierRegistration,
    MonetaryPayoutBlocked,
    NoRewardDue,
    OrderKind,
    PayoutMethod,
    PayoutRules,
    Pool,
    SupplierAccount,
    WrongPayoutMethod,
    calculate_payout,
    credit_payout_command,
    plan_payout,
    recheck_at_booking,
    require_monetary_payout,
)
from alliance.domain.engagements import (
    Address,
    Attachment,
    Category,
    Contact,
    Customer,
    Engagement,
)
from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import AccountKind, Book, Ledger
from alliance.domain.money import usd

CREDITS, MONEY = PayoutMethod.PARTNER_CREDITS, PayoutMethod.MONEY
MEMBERSHIP_END = date(2026, 1, 14)


def engagement(*attachments: Attachment) -> Engagement:
    return Engagement(
        id="eng_1",
        partner_id="org_partner",
        category=Category.OPPORTUNITY,
        name="ACME cloud",
        customer=Customer("ACME SAS", Address("12 rue de la Paix", "Paris", "FR")),
        partner_contact=Contact("Paula Partner"),
        attachments=attachments,
    )


def test_oci_and_saas_pay_5_percent_and_other_families_nothing() -> None:
    payout = plan_payout(deal(oci("100000"), saas("40000"), hardware("30000")), MONEY)

    assert payout.amount == usd("7000.00")
    assert [str(r) for r in payout.reasons if r.rule == "RWD-5"] == [
        "oci-compute (oci): 5 % of 100,000.00 USD = 5,000.00 USD [RWD-5]",
        "fusion-erp (saas): 5 % of 40,000.00 USD = 2,000.00 USD [RWD-5]",
        "exadata (hardware): 0 % of 30,000.00 USD = 0.00 USD [RWD-5]",
    ]


def test_a_payout_is_capped_at_50000_usd_per_deal() -> None:
    payout = plan_payout(deal(oci("1200000")), MONEY)

    assert payout.amount == usd("50000.00")
    assert payout.calculation is not None and payout.calculation.capped
    assert "60,000.00 USD capped at 50,000.00 USD per deal [RWD-5]" in payout.explanation


def test_the_payout_is_rounded_half_up_once_at_the_end() -> None:
    # 5 % of 33,333.33 is 1,666.6665 exactly: one rounding, half-up, to 1,666.67.
    calc = calculate_payout(deal(oci("33333.33")).lines, "USD")

    assert calc.uncapped == usd("1666.6665")
    assert calc.amount == usd("1666.67")


def test_rates_and_caps_are_configurable() -> None:
    rules = PayoutRules(rates={"oci": Decimal("0.08")}, default_rate=Decimal("0.01"), cap=None)

    calc = calculate_payout(deal(oci("1000000"), hardware("10000")).lines, "USD", rules)

    assert calc.amount == usd("80100.00")


def test_a_not_eligible_deal_pays_nothing_and_says_so() -> None:
    payout = plan_payout(deal(oci("100000"), kind=OrderKind.RENEWAL), MONEY)

    assert not payout.due
    assert payout.explanation[-1] == "no reward on this deal: 0.00 USD [RWD-1]"


def test_the_payout_is_recomputed_at_booking_when_the_amount_changed() -> None:
    submitted = deal(oci("100000"))
    booked = deal(oci("120000"), version=2)

    recheck = recheck_at_booking(submitted, booked, MONEY)

    assert (recheck.submitted.amount, recheck.booked.amount) == (usd("5000"), usd("6000"))
    assert recheck.difference == usd("1000")
    assert recheck.changed
    assert recheck.explanation[:2] == (
        "deal value 100,000.00 USD at submission (v1), 120,000.00 USD at booking (v2) [RWD-2]",
        "payout 5,000.00 USD → 6,000.00 USD (+1,000.00 USD)",
    )


def test_a_deal_that_stops_qualifying_at_booking_pays_nothing() -> None:
    recheck = recheck_at_booking(
        deal(oci("100000")), deal(oci("100000"), kind=OrderKind.RENEWAL, version=2), MONEY
    )

    assert recheck.difference == usd("-5000")
    assert "payout 5,000.00 USD → 0.00 USD (-5,000.00 USD)" in recheck.explanation


def test_public_sector_thresholds_are_checked_again_at_booking() -> None:
    pool = Pool("org_partner", "USD").with_deal("eng_other", usd("200000"))
    submitted = public(oci("40000"))
    booked = public(oci("50000"), version=2)

    recheck = recheck_at_booking(submitted, booked, CREDITS, offers=OFFERS_IN_FRANCE, pool=pool)

    assert (recheck.submitted.amount, recheck.booked.amount) == (usd("0"), usd("2500"))
    assert "pool thresholds not reached at submission, reached at booking [RWD-2]" in (
        recheck.explanation
    )


def test_a_booking_is_a_later_version_of_the_same_deal() -> None:
    with pytest.raises(InvalidInput):
        recheck_at_booking(deal(oci("1")), deal(oci("2")), MONEY)


def test_a_monetary_payout_is_blocked_without_an_invoice_attachment() -> None:
    payout = plan_payout(deal(oci("100000")), MONEY)
    misc = Attachment("photo.png", "miscellaneous")

    with pytest.raises(MonetaryPayoutBlocked) as refused:
        require_monetary_payout(payout, engagement(misc), SupplierAccount.ACTIVE)

    assert refused.value.rule == "RWD-4"
    assert refused.value.missing == ("invoice_attachment",)
    assert refused.value.effects == ()


def test_a_monetary_payout_is_blocked_without_a_supplier_account_and_invites_one() -> None:
    payout = plan_payout(deal(oci("100000")), MONEY)

    with pytest.raises(MonetaryPayoutBlocked) as refused:
        require_monetary_payout(
            payout, engagement(Attachment("inv.pdf", "invoice")), SupplierAccount.NONE
        )

    assert refused.value.missing == ("supplier_account",)
    assert refused.value.effects == (InviteSupplierRegistration("org_partner"),)


def test_a_pending_supplier_account_still_blocks_without_a_new_invitation() -> None:
    payout = plan_payout(deal(oci("100000")), MONEY)

    with pytest.raises(MonetaryPayoutBlocked) as refused:
        require_monetary_payout(payout, engagement(), SupplierAccount.PENDING)

    assert refused.value.missing == ("invoice_attachment", "supplier_account")
    assert refused.value.effects == ()
    assert "an active supplier account (now: pending)" in refused.value.message


def test_a_monetary_payout_with_invoice_and_supplier_account_may_go() -> None:
    payout = plan_payout(deal(oci("100000")), MONEY)

    require_monetary_payout(
        payout, engagement(Attachment("inv.pdf", "invoice")), SupplierAccount.ACTIVE
    )


def test_a_public_sector_credit_payout_opens_a_lot_tagged_public_sector() -> None:
    pool = Pool("org_partner", "USD").with_deal("eng_other", usd("250000"))
    payout = plan_payout(
        public(oci("100000"), version=2), CREDITS, offers=OFFERS_IN_FRANCE, pool=pool
    )

    command = credit_payout_command(
        payout,
        principal_id="org_principal",
        accrued_on=date(2025, 7, 1),
        membership_ends_on=MEMBERSHIP_END,
    )

    assert command.idempotency_key == "rwd:eng_p1:2"
    assert (command.owner, command.wallet, command.unit) == (
        "org_principal",
        PARTNER_CREDITS,
        "CREDITS",
    )
    assert command.amount == Decimal("5000.00")
    assert command.expires_on == MEMBERSHIP_END
    assert command.origin.tags == {"reward", "earned_by:org_partner", "public_sector"}


def test_a_commercial_credit_payout_is_not_tagged_public_sector() -> None:
    payout = plan_payout(deal(saas("20000")), CREDITS)

    command = credit_payout_command(
        payout,
        principal_id="org_principal",
        accrued_on=date(2025, 7, 1),
        membership_ends_on=MEMBERSHIP_END,
    )

    assert command.origin.tags == {"reward", "earned_by:org_partner"}
    assert command.amount == Decimal("1000.00")


def test_a_money_payout_makes_no_credits_and_a_zero_payout_makes_nothing() -> None:
    with pytest.raises(WrongPayoutMethod):
        credit_payout_command(
            plan_payout(deal(oci("100000")), MONEY),
            principal_id="p",
            accrued_on=date(2025, 7, 1),
            membership_ends_on=MEMBERSHIP_END,
        )
    with pytest.raises(NoRewardDue):
        credit_payout_command(
            plan_payout(deal(hardware("100000")), CREDITS),
            principal_id="p",
            accrued_on=date(2025, 7, 1),
            membership_ends_on=MEMBERSHIP_END,
        )
    with pytest.raises(WrongPayoutMethod):
        require_monetary_payout(
            plan_payout(deal(oci("1")), CREDITS), engagement(), SupplierAccount.ACTIVE
        )


def test_a_credit_payout_lands_in_the_principals_ledger_once() -> None:
    clock = FixedClock(datetime(2025, 7, 1, 12, tzinfo=UTC))
    ledger = Ledger(clock)
    command = credit_payout_command(
        plan_payout(deal(oci("100000")), CREDITS),
        principal_id="org_principal",
        accrued_on=date(2025, 7, 1),
        membership_ends_on=MEMBERSHIP_END,
    )

    first = ledger.execute(command)
    replay = ledger.execute(command)

    book = Book("org_principal", PARTNER_CREDITS, "CREDITS")
    assert replay == first
    assert ledger.balance(book.account(AccountKind.WALLET)) == Decimal("5000.00")
