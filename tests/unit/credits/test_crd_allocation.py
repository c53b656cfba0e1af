"""CRD-1: the level's credits go to the principal at activation, once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from crd_builders import ASSOC_A, MEMBERSHIP_END, PRINCIPAL, balances, ledger

from alliance.domain.credits import (
    DEFAULT_WALLET,
    AssociatePolicy,
    AssociateSettings,
    CreditWallet,
    ExpiryRule,
    plan_allocation,
)
from alliance.domain.credits.orders import CREDIT_ROLES
from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import PostingKind
from alliance.programs.registry import builtin_programs

ACTIVATED = date(2025, 1, 15)


@pytest.mark.parametrize(
    ("level", "credits"), [("l0", "500"), ("l1", "5000"), ("l2", "100000"), ("l3", "500000")]
)
def test_the_allocation_per_level_goes_to_the_principal(level: str, credits: str) -> None:
    allocation = plan_allocation(
        subscription_id="sub_1",
        member_id=PRINCIPAL,
        principal_id=PRINCIPAL,
        level=level,
        activated_on=ACTIVATED,
        membership_ends_on=MEMBERSHIP_END,
    )

    command = allocation.command
    assert command is not None
    assert (command.owner, command.amount, command.kind) == (
        PRINCIPAL,
        Decimal(credits),
        PostingKind.ALLOCATE,
    )
    assert command.idempotency_key == "crd:alloc:sub_1"
    assert command.expires_on == MEMBERSHIP_END
    assert command.origin.tags == {"allocation"}
    assert allocation.reason.rule == "CRD-1"


def test_an_associate_activation_allocates_nothing_of_its_own() -> None:
    allocation = plan_allocation(
        subscription_id="sub_a",
        member_id=ASSOC_A,
        principal_id=PRINCIPAL,
        level="l2",
        activated_on=ACTIVATED,
        membership_ends_on=MEMBERSHIP_END,
    )

    assert allocation.command is None
    assert "allocated to its principal org_principal only" in allocation.reason.message


def test_activating_the_same_subscription_twice_allocates_once() -> None:
    book = ledger()
    allocation = plan_allocation(
        subscription_id="sub_1",
        member_id=PRINCIPAL,
        principal_id=PRINCIPAL,
        level="l1",
        activated_on=ACTIVATED,
        membership_ends_on=MEMBERSHIP_END,
    )
    assert allocation.command is not None

    book.execute(allocation.command)
    book.execute(allocation.command)

    assert balances(book) == (Decimal("5000"), Decimal(0), Decimal(0))
    assert (
        allocation.reason.message
        == "5,000.00 CREDITS allocated to principal org_principal for level l1, "
        "expiring 2026-01-14"
    )


def test_a_level_without_an_allocation_allocates_nothing() -> None:
    wallet = CreditWallet(allocations={"l1": Decimal("5000")})
    allocation = plan_allocation(
        subscription_id="sub_1",
        member_id=PRINCIPAL,
        principal_id=PRINCIPAL,
        level="l0",
        activated_on=ACTIVATED,
        membership_ends_on=MEMBERSHIP_END,
        wallet=wallet,
    )

    assert allocation.command is None


def test_credits_expire_as_the_wallet_says() -> None:
    monthly = CreditWallet(expiry=ExpiryRule.END_OF_MONTH_AFTER, expiry_months=12)
    never = CreditWallet(expiry=ExpiryRule.NEVER)

    assert monthly.expires_on(ACTIVATED, None) == date(2026, 1, 31)
    assert never.expires_on(ACTIVATED, None) is None
    with pytest.raises(InvalidInput) as refused:
        DEFAULT_WALLET.expires_on(ACTIVATED, None)
    assert refused.value.rule == "CRD-1"


def test_the_wallet_defaults_are_the_built_in_definitions() -> None:
    opn = next(p.definition for p in builtin_programs() if p.code == "opn")
    (wallet,) = opn.wallets

    assert dict(DEFAULT_WALLET.allocations) == {a.level: a.amount for a in wallet.allocations}
    assert DEFAULT_WALLET.id == wallet.id
    assert DEFAULT_WALLET.expiry.value == wallet.expiry.kind.value
    policy = wallet.redemption
    assert {p.value for p in AssociatePolicy} == {p.value for p in policy.associate_policies}
    assert AssociateSettings().policy.value == policy.default_associate_policy
    assert AssociateSettings().percentage == policy.default_preapproved_percentage
    assert {r.value for r in CREDIT_ROLES} == set(policy.requester_roles)
