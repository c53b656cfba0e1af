"""Partner roles and who may do what to a membership (OPN-10, OPN-18)."""

from __future__ import annotations

import pytest
from membership_fixtures import TERMS

from alliance.domain.membership import (
    MembershipAction,
    PartnerPermission,
    RoleNotPermitted,
    TooFewRoleHolders,
    TooManyRoleHolders,
    check_assignment,
    check_removal,
    may,
    permissions_of,
    require_allowed,
)
from alliance.domain.people import PartnerRole as R


@pytest.mark.parametrize("action", list(MembershipAction))
def test_the_partner_administrator_may_do_everything(action: MembershipAction) -> None:
    """OPN-18: full access; approves associates; assigns the other roles."""
    assert may({R.PARTNER_ADMINISTRATOR}, action, TERMS)


def test_a_credit_manager_orders_with_credits_but_does_not_approve_associates() -> None:
    """OPN-18 / CRD-3."""
    granted = permissions_of({R.PARTNER_CREDIT_MANAGER}, TERMS)
    assert PartnerPermission.ORDER_WITH_CREDITS in granted
    with pytest.raises(RoleNotPermitted) as refused:
        require_allowed({R.PARTNER_CREDIT_MANAGER}, MembershipAction.APPROVE_ASSOCIATE, TERMS)
    assert (refused.value.rule, refused.value.status) == ("OPN-18", 403)
    assert "held by partner_administrator" in refused.value.message


def test_the_billing_contact_receives_invoices_and_cannot_renew() -> None:
    """OPN-7 / OPN-18."""
    assert PartnerPermission.RECEIVE_INVOICES in permissions_of({R.ACCOUNTS_PAYABLE}, TERMS)
    assert not may({R.ACCOUNTS_PAYABLE}, MembershipAction.RENEW, TERMS)


def test_two_key_executives_at_most() -> None:
    """OPN-18: « deux dirigeants clés »."""
    check_assignment(R.KEY_EXECUTIVE, 1, TERMS)
    with pytest.raises(TooManyRoleHolders) as refused:
        check_assignment(R.KEY_EXECUTIVE, 2, TERMS)
    assert refused.value.rule == "OPN-18"


def test_the_last_administrator_cannot_be_removed() -> None:
    """OPN-10: the company keeps at least one partner administrator."""
    check_removal(R.PARTNER_ADMINISTRATOR, 2, TERMS)
    with pytest.raises(TooFewRoleHolders) as refused:
        check_removal(R.PARTNER_ADMINISTRATOR, 1, TERMS)
    assert refused.value.rule == "OPN-10"
